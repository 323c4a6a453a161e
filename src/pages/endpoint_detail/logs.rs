//! Logs tab at `/endpoints/{name}/logs?entity=&kind=server|build&version=&q=#L120`: a served
//! entity picker (default: the failing or deploying one), Server / Build switch, config version
//! picker — every choice in the URL — and the log viewer, with clear states for "no logs yet",
//! "still building", "stopped" and API errors. Follow polls the log and appends only new lines.

use super::DetailPage;
use crate::api::ApiError;
use crate::components::{ErrorView, LogBuffer, LogViewer, SkeletonRows, UpdatedAgo};
use crate::context::Workspace;
use crate::hooks::use_polling::use_polling;
use crate::links;
use crate::model::format::api_text;
use crate::model::log_index::MergeOutcome;
use crate::model::log_view::{
    download_name, empty_state, follow_by_default, log_entities, notice, parse_line_hash, resolve,
    situation, LogEntity, LogKind, LogQuery, Selection, Situation,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};

/// How often the log is re-read while following.
const FOLLOW_MS: u64 = 2_500;
/// Not following: effectively never (Follow or Refresh wake the poller).
const IDLE_MS: u64 = 24 * 3_600_000;

fn mark_performance(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// The Logs tab (a child route of the detail page).
#[component]
pub fn LogsTab() -> impl IntoView {
    let detail = DetailPage::expect();
    let name = detail.name.get_value();
    let url_query = use_query_map();
    let read_url = move || {
        let q = url_query.get_untracked();
        LogQuery::from_params(q.get("entity"), q.get("kind"), q.get("version"), q.get("q"))
    };
    let query = RwSignal::new(read_url());
    // A link or back/forward changed the URL: follow it.
    Effect::new(move |prev: Option<()>| {
        url_query.track();
        if prev.is_some() {
            query.set(read_url());
        }
    });
    let target = RwSignal::new(parse_line_hash(
        &window().location().hash().unwrap_or_default(),
    ));
    let location = use_location();
    Effect::new(move |prev: Option<()>| {
        let h = location.hash.get();
        if prev.is_some() {
            target.set(parse_line_hash(&h));
        }
    });

    let url_name = name.clone();
    let write_url = move |q: &LogQuery| {
        let url = links::endpoint_logs(&url_name, &q.to_params(), target.get_untracked());
        if let Ok(h) = window().history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    };
    let write_url = StoredValue::new_local(write_url);
    let set_query = move |f: &dyn Fn(&mut LogQuery)| {
        let before = query.get_untracked();
        let mut q = before.clone();
        f(&mut q);
        if q.entity != before.entity || q.kind != before.kind || q.version != before.version {
            // Another log: a linked line of the old one means nothing there.
            target.set(None);
        }
        query.set(q.clone());
        write_url.with_value(|w| w(&q));
    };

    let endpoint = Memo::new(move |_| detail.endpoint());
    let entities = Memo::new(move |_| {
        endpoint.with(|d| d.as_ref().map(|d| log_entities(&d.0)).unwrap_or_default())
    });
    let selection = Memo::new(move |_| {
        let q = query.get();
        endpoint.with(|d| {
            d.as_ref()
                .and_then(|d| entities.with(|es| resolve(&q, es, &d.1)))
        })
    });
    // Pin the resolved defaults into the URL, so the view stays on this log when the state
    // changes (a build finishing must not switch to the server log) and a reload shows it again.
    Effect::new(move |_| {
        let Some(sel) = selection.get() else {
            return;
        };
        let q = query.get();
        let missing = q.entity.is_none()
            || q.kind.is_none()
            || (q.version.is_none() && sel.version.is_some());
        if missing {
            let mut pinned = q;
            pinned.entity.get_or_insert(sel.entity);
            pinned.kind.get_or_insert(sel.kind);
            if pinned.version.is_none() {
                pinned.version = sel.version;
            }
            query.set(pinned.clone());
            // After the router has finished its own navigation (it writes the URL last).
            set_timeout(
                move || {
                    if query.try_get_untracked().as_ref() == Some(&pinned) {
                        write_url.try_with_value(|w| w(&pinned));
                    }
                },
                std::time::Duration::from_millis(0),
            );
        }
    });
    let situation_now = Memo::new(move |_| {
        let sel = selection.get();
        endpoint.with(|d| match (d, sel) {
            (Some(d), Some(sel)) => entities.with(|es| situation(&d.0, es, &sel)),
            _ => Situation::Other,
        })
    });
    let search = RwSignal::new(query.get_untracked().q);
    // The search text goes to the URL as it is typed (replace, no history entries).
    Effect::new(move |prev: Option<()>| {
        let s = search.get();
        if prev.is_some() && query.with_untracked(|q| q.q != s) {
            set_query(&|q| q.q = s.clone());
        }
    });
    Effect::new(move |_| {
        let q = query.with(|q| q.q.clone());
        if search.get_untracked() != q {
            search.set(q);
        }
    });

    let controls_shape = Memo::new(move |_| {
        if endpoint.with(|d| d.is_none()) {
            Shape::Loading
        } else if entities.with(Vec::is_empty) && query.with(|q| q.entity.is_none()) {
            Shape::NoLogs
        } else {
            Shape::Pickers
        }
    });
    let pane_name = name.clone();
    view! {
        <section class="logs" aria-labelledby="logs-h" data-testid="logs-tab">
            <h2 id="logs-h" class="visually-hidden">"Logs"</h2>
            {move || {
                // Only a change of this shape re-renders the pickers (not every poll or keystroke).
                match controls_shape.get() {
                    Shape::Loading => return view! { <SkeletonRows rows=3/> }.into_any(),
                    Shape::NoLogs => return view! {
                        <div class="empty-state" data-testid="logs-none">
                            <h3>"No logs for this endpoint"</h3>
                            <p>"It serves external or foundation models, which have no build or server logs."</p>
                        </div>
                    }.into_any(),
                    Shape::Pickers => {}
                }
                view! { <LogControls entities=entities selection=selection set_query=set_query/> }.into_any()
            }}
            {move || selection.get().map(|sel| {
                view! { <LogPane name=pane_name.clone() sel=sel situation=situation_now.into()
                    search=search target=target/> }
            })}
        </section>
    }
}

/// What the top of the tab shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Loading,
    NoLogs,
    Pickers,
}

/// Entity, kind and version pickers.
#[component]
fn LogControls(
    entities: Memo<Vec<LogEntity>>,
    selection: Memo<Option<Selection>>,
    set_query: impl Fn(&dyn Fn(&mut LogQuery)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let entity_options = move || {
        let sel = selection.get();
        let mut opts: Vec<(String, String)> = entities.with(|es| {
            es.iter()
                .map(|e| {
                    let label = match &e.serves {
                        Some(s) => format!("{} — {}", api_text(&e.name), api_text(s)),
                        None => api_text(&e.name).into_owned(),
                    };
                    (e.name.clone(), label)
                })
                .collect()
        });
        if let Some(s) = &sel {
            if !opts.iter().any(|(n, _)| *n == s.entity) {
                opts.push((
                    s.entity.clone(),
                    format!("{} (not in this endpoint)", api_text(&s.entity)),
                ));
            }
        }
        opts.into_iter()
            .map(|(value, label)| {
                let shown =
                    crate::model::format::clip(&label, crate::model::format::OPTION_LABEL_CHARS);
                view! { <option value=value.clone() title=label>{shown}</option> }
            })
            .collect_view()
    };
    let version_options = move || {
        let sel = selection.get();
        let Some(sel) = sel else {
            return Vec::new();
        };
        let mut opts: Vec<(i64, String)> = entities.with(|es| {
            es.iter()
                .find(|e| e.name == sel.entity)
                .map(|e| {
                    e.versions
                        .iter()
                        .map(|v| {
                            let what = if v.pending { "pending" } else { "served" };
                            (v.version, format!("{} ({what})", v.version))
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        if let Some(v) = sel.version {
            if !opts.iter().any(|(x, _)| *x == v) {
                opts.push((v, v.to_string()));
            }
        }
        opts
    };
    let kind = move || selection.get().map(|s| s.kind);
    view! {
        <div class="logs-controls" data-testid="logs-controls">
            <label class="field">
                <span class="field__label">"Served entity"</span>
                <select class="input" data-testid="log-entity"
                    prop:value=move || selection.get().map(|s| s.entity).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev);
                        set_query(&|q| { q.entity = Some(v.clone()); q.version = None; });
                    }>
                    {entity_options}
                </select>
            </label>
            <fieldset class="log-kind">
                <legend class="field__label">"Log"</legend>
                {[LogKind::Server, LogKind::Build].into_iter().map(|k| view! {
                    <label class="log-kind__option">
                        <input type="radio" name="log-kind" value=k.as_str()
                            prop:checked=move || kind() == Some(k)
                            on:change=move |_| set_query(&|q| q.kind = Some(k))/>
                        {k.label()}
                    </label>
                }).collect_view()}
            </fieldset>
            <label class="field">
                <span class="field__label">"Config version"</span>
                <select class="input input--narrow" data-testid="log-version"
                    prop:value=move || selection.get().and_then(|s| s.version).map(|v| v.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let v = event_target_value(&ev).parse::<i64>().ok();
                        set_query(&|q| q.version = v);
                    }>
                    {move || version_options().into_iter().map(|(v, label)| view! { <option value=v.to_string()>{label}</option> }).collect_view()}
                </select>
            </label>
        </div>
    }
}

/// What the pane shows: only changes of this re-render it (not every poll).
#[derive(Clone, PartialEq)]
enum Phase {
    Loading,
    Failed(ApiError),
    Empty,
    Content,
}

/// One log (entity × kind × version): polls while following, and shows its state or the viewer.
#[component]
fn LogPane(
    name: String,
    sel: Selection,
    situation: Signal<Situation>,
    search: RwSignal<String>,
    target: RwSignal<Option<usize>>,
) -> impl IntoView {
    let workspace = Workspace::expect();
    let buffer = LogBuffer::new();
    let follow = RwSignal::new(
        follow_by_default(situation.get_untracked()) && target.get_untracked().is_none(),
    );
    let api = workspace.api.clone();
    let (fetch_name, entity, kind, version) =
        (name.clone(), sel.entity.clone(), sel.kind, sel.version);
    let indexed = StoredValue::new(false);
    let poller = use_polling(
        move |signal| {
            let api = api.clone();
            let (n, e) = (fetch_name.clone(), entity.clone());
            async move {
                let r = api
                    .served_entity_logs(&n, &e, kind, version, Some(signal))
                    .await?;
                let outcome = buffer.merge(r.logs);
                if !indexed.get_value() {
                    indexed.set_value(true);
                    mark_performance("logs:indexed");
                }
                Ok(outcome)
            }
        },
        move |_: Option<&MergeOutcome>, failures| {
            if follow.try_get_untracked().unwrap_or(false) {
                FOLLOW_MS.saturating_mul(u64::from(failures.min(4)) + 1)
            } else {
                IDLE_MS
            }
        },
    );
    // Turning Follow on reads the log now.
    Effect::new(move |prev: Option<bool>| {
        let f = follow.get();
        if f && prev == Some(false) {
            poller.refresh();
        }
        f
    });

    let phase = Memo::new(move |_| {
        let loaded = poller.data.with(|d| d.is_some());
        match (loaded, poller.error.get()) {
            (false, Some(e)) => Phase::Failed(e),
            (false, None) => Phase::Loading,
            (true, _) if buffer.is_empty() => Phase::Empty,
            (true, _) => Phase::Content,
        }
    });

    let title = format!(
        "{} of {}{}",
        sel.kind.label(),
        api_text(&sel.entity),
        sel.version
            .map(|v| format!(", config version {v}"))
            .unwrap_or_default()
    );
    let viewer_label = format!(
        "{} of {}",
        match sel.kind {
            LogKind::Server => "Server log",
            LogKind::Build => "Build log",
        },
        api_text(&sel.entity)
    );
    let file = download_name(&name, &sel);
    let build_link = {
        let q = LogQuery {
            entity: Some(sel.entity.clone()),
            kind: Some(LogKind::Build),
            version: sel.version,
            q: String::new(),
        };
        links::endpoint_logs(&name, &q.to_params(), None)
    };
    let kind_now = sel.kind;

    view! {
        <div class="log-pane" data-testid="log-pane">
            <div class="log-pane__head">
                <h3 class="log-pane__title">{title}</h3>
                <label class="log-check log-follow">
                    <input type="checkbox" data-testid="log-follow" prop:checked=move || follow.get()
                        on:change=move |ev| follow.set(event_target_checked(&ev))/>
                    "Follow"
                </label>
                <UpdatedAgo at=poller.updated_at failures=poller.failures/>
                <button type="button" class="button button--ghost" on:click=move |_| poller.refresh()
                    disabled=move || poller.loading.get()>
                    {move || if poller.loading.get() { "Refreshing…" } else { "Refresh" }}
                </button>
            </div>
            {move || {
                (phase.get() == Phase::Content)
                    .then(|| notice(kind_now, situation.get()))
                    .flatten()
                    .map(|n| view! { <p class="log-pane__notice" role="status" data-testid="log-notice">{n}</p> })
            }}
            {move || (phase.get() != Phase::Loading).then(|| poller.error.get()).flatten()
                .filter(|_| poller.data.with(|d| d.is_some()))
                .map(|e| view! {
                    <p class="inline-error" role="alert">{format!("Refresh failed: {} ({})", e.title(), api_text(&e.message()))}</p>
                })}
            {move || match phase.get() {
                Phase::Loading => view! { <SkeletonRows rows=6/> }.into_any(),
                Phase::Failed(e) => view! { <ErrorView error=e on_retry=Callback::new(move |_| poller.refresh())/> }.into_any(),
                Phase::Empty => {
                    let es = empty_state(kind_now, situation.get());
                    let link = es.link_build.then(|| build_link.clone());
                    view! {
                        <div class="empty-state" data-testid="log-empty">
                            <h3>{es.title}</h3>
                            <p>{es.body}</p>
                            {link.map(|href| view! { <p><a href=href data-testid="log-empty-build-link">"Open the build logs"</a></p> })}
                        </div>
                    }.into_any()
                }
                Phase::Content => {
                    let failed = matches!(situation.get_untracked(), Situation::BuildFailed | Situation::ServerFailed);
                    view! {
                        <LogViewer buffer=buffer label=viewer_label.clone() file_name=file.clone()
                            query=search target=target follow=follow start_at_first_error=failed/>
                    }.into_any()
                }
            }}
        </div>
    }
}
