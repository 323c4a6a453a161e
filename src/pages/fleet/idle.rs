//! The idle and cost view (`/idle`): custom-model endpoints that keep compute provisioned
//! (scale to zero off) while nobody queries them, from the `/metrics` this console samples —
//! once a minute, one request at a time, under the polling rules (`hooks::use_polling`:
//! nothing while the tab is hidden or offline, aborted when the view goes away) — never a
//! guess: the verdict and its evidence come from `model::fleet::idle`. GPU workloads first.
//!
//! It watches the custom-model endpoints that are not stopped and match the search (at most
//! [`MAX_WATCHED`]: the sampling stays polite). Observations are kept in app context
//! (`context::Fleet`) so the window grows across visits; a pause longer than the gap rule
//! allows makes the verdict "unknown", as it should.
//!
//! Per row: Stop (confirmed first), "Turn scale to zero on" (the config editor at
//! `/endpoints/{name}/edit`), and "Tag owner" (`PATCH …/tags`, confirmed first).

use crate::api::js_now_ms;
use crate::components::{Dialog, DialogRole, SkeletonRows};
use crate::context::{Fleet, ToastKind, Toasts, Workspace};
use crate::hooks::use_polling::use_polling;
use crate::links::{self, Tab};
use crate::model::actions::{endpoint_kind_summary, EndpointKind};
use crate::model::display_state::{derive_summary, DisplayState};
use crate::model::fleet::idle::{order, verdict, Verdict};
use crate::model::list_view::{self, Query};
use crate::model::metrics::{parse, snapshot};
use api_types::{EndpointTag, PatchTagsRequest, ServingEndpoint};
use leptos::prelude::*;
use std::sync::Arc;

/// Endpoints watched at most.
pub const MAX_WATCHED: usize = 100;
/// One sampling round a minute (the request figure is a per-minute gauge).
pub const ROUND_MS: u64 = 60_000;

/// Could this list item cost money while idle? A custom model that is not stopped.
pub fn candidate(e: &ServingEndpoint) -> bool {
    endpoint_kind_summary(e) == EndpointKind::Custom
        && derive_summary(e) != DisplayState::NotReadyStopped
}

/// What a row's dialog is for.
#[derive(Clone, PartialEq, Debug)]
enum Ask {
    Stop(String),
    Tag(String),
}

/// The idle and cost view.
#[component]
pub fn IdlePage() -> impl IntoView {
    let fleet = Fleet::expect().observations();
    let api = Workspace::expect().api;
    let search = RwSignal::new(String::new());
    let items: RwSignal<Option<Arc<Vec<ServingEndpoint>>>> = RwSignal::new(None);
    let list_error: RwSignal<Option<String>> = RwSignal::new(None);

    let list_api = api.clone();
    leptos::task::spawn_local(async move {
        match list_api.list_endpoints(None).await {
            Ok(r) => {
                items.try_set(Some(Arc::new(r.endpoints)));
            }
            Err(e) => {
                list_error.try_set(Some(e.message()));
            }
        }
    });

    // The watched names: candidates matching the search, capped.
    let matching = Memo::new(move |_| {
        let q = Query {
            q: search.get(),
            ..Query::default()
        };
        items.with(|i| {
            let Some(i) = i else {
                return Vec::new();
            };
            let cands: Vec<&ServingEndpoint> = i.iter().filter(|e| candidate(e)).collect();
            let rows: Vec<list_view::Row> = cands.iter().map(|e| list_view::row_from(e)).collect();
            list_view::apply(&rows, &q, None)
                .into_iter()
                .map(|k| rows[k].name.clone())
                .collect::<Vec<_>>()
        })
    });
    let watched = Memo::new(move |_| {
        matching.with(|m| m.iter().take(MAX_WATCHED).cloned().collect::<Vec<_>>())
    });

    // One round: a detail read of each watched endpoint not read yet, then its metrics.
    let poll_api = api.clone();
    let poller = use_polling(
        move |signal| {
            let api = poll_api.clone();
            let names = watched.get_untracked();
            async move {
                for name in names {
                    let known = fleet.details.with_untracked(|d| d.contains_key(&name));
                    if !known {
                        match api.get_endpoint(&name, Some(signal.clone())).await {
                            Ok(d) => fleet.details.update(|m| {
                                m.insert(name.clone(), Arc::new(d));
                            }),
                            Err(_) => continue,
                        }
                    }
                    let Ok(text) = api.metrics(&name, Some(signal.clone())).await else {
                        continue;
                    };
                    let (samples, _) = parse(&text);
                    fleet.observe(&name, snapshot(&samples, js_now_ms()));
                }
                Ok(())
            }
        },
        move |_, _| ROUND_MS,
    );
    // A new search: sample the newly watched endpoints now.
    Effect::new(move |prev: Option<()>| {
        watched.track();
        if prev.is_some() {
            poller.refresh();
        }
    });

    let rows = Memo::new(move |_| {
        let now = js_now_ms();
        let names = watched.get();
        let details = fleet.details.get();
        let observed = fleet.observed.get();
        let verdicts: Vec<(String, Verdict)> = names
            .into_iter()
            .map(|n| {
                let v = match details.get(&n) {
                    Some(d) => verdict(d, observed.get(&n).map(Vec::as_slice).unwrap_or(&[]), now),
                    None => Verdict::Unknown("Not read yet.".into()),
                };
                (n, v)
            })
            .collect();
        let refs: Vec<(&str, &Verdict)> = verdicts.iter().map(|(n, v)| (n.as_str(), v)).collect();
        let idx = order(&refs);
        idx.into_iter()
            .filter_map(|i| verdicts.get(i).cloned())
            .collect::<Vec<_>>()
    });
    let idle_count = Memo::new(move |_| {
        rows.with(|r| {
            r.iter()
                .filter(|(_, v)| matches!(v, Verdict::IdleAndCosting { .. }))
                .count()
        })
    });

    let ask: RwSignal<Option<Ask>> = RwSignal::new(None);
    let owner = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let toasts = Toasts::expect();
    let act_api = api.clone();
    let confirm = move || {
        let Some(a) = ask.get_untracked() else {
            return;
        };
        if sending.get_untracked() {
            return;
        }
        let owner_v = owner.get_untracked().trim().to_string();
        if matches!(a, Ask::Tag(_)) && owner_v.is_empty() {
            return;
        }
        sending.set(true);
        let api = act_api.clone();
        leptos::task::spawn_local(async move {
            let (name, r, done) = match &a {
                Ask::Stop(n) => (
                    n.clone(),
                    api.stop_endpoint(n).await,
                    format!("Stopping {n}."),
                ),
                Ask::Tag(n) => {
                    let req = PatchTagsRequest {
                        add_tags: vec![EndpointTag {
                            key: "owner".into(),
                            value: Some(owner_v.clone()),
                        }],
                        delete_tags: Vec::new(),
                    };
                    (
                        n.clone(),
                        api.patch_tags(n, &req).await.map(|_| ()),
                        format!("Tagged {n} owner={owner_v}."),
                    )
                }
            };
            sending.try_set(false);
            ask.try_set(None);
            match r {
                Ok(()) => toasts.push(ToastKind::Info, done),
                Err(e) => toasts.push(
                    ToastKind::Error,
                    format!("{name}: {} ({})", e.title(), e.message()),
                ),
            }
            // Confirm by a re-read.
            if let Ok(d) = api.get_endpoint(&name, None).await {
                fleet.details.try_update(|m| {
                    m.insert(name.clone(), Arc::new(d));
                });
            }
        });
    };

    let table = move || {
        if let Some(e) = list_error.get() {
            return view! { <p class="inline-error" role="alert">{format!("The endpoints could not be listed: {e}")}</p> }.into_any();
        }
        if items.with(Option::is_none) {
            return view! { <SkeletonRows/> }.into_any();
        }
        let list = rows.get();
        if list.is_empty() {
            return view! { <p class="empty-state">"No custom-model endpoint that is serving matches."</p> }.into_any();
        }
        view! {
            <table class="data-table" data-testid="idle-table">
                <caption class="visually-hidden">"Endpoints by idle cost, idle GPU workloads first"</caption>
                <thead><tr>
                    <th scope="col">"Endpoint"</th>
                    <th scope="col">"Verdict"</th>
                    <th scope="col">"Evidence"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|(name, v)| {
                        let (kind, label, evidence) = match &v {
                            Verdict::IdleAndCosting { evidence, gpu, .. } => ("idle", if *gpu { "Idle, costing (GPU)" } else { "Idle, costing" }, evidence.clone()),
                            Verdict::Busy { evidence } => ("busy", "In use", evidence.clone()),
                            Verdict::NotCosting(why) => ("not-costing", "Not costing when idle", why.clone()),
                            Verdict::Unknown(why) => ("unknown", "Not known yet", why.clone()),
                        };
                        let n1 = name.clone();
                        let n2 = name.clone();
                        let costing = kind == "idle" || kind == "unknown" || kind == "busy";
                        view! {
                            <tr data-testid="idle-row" data-verdict=kind>
                                <td><a href=links::endpoint(&name, Tab::Overview)>{name.clone()}</a></td>
                                <td>{label}</td>
                                <td>{evidence}</td>
                                <td class="idle-actions">
                                    {costing.then(|| view! {
                                        <button type="button" class="button button--ghost" aria-label=format!("Stop {name}")
                                            on:click=move |_| ask.set(Some(Ask::Stop(n1.clone())))>"Stop…"</button>
                                        <a class="button button--ghost" href=format!("{}/edit", links::endpoint(&name, Tab::Overview))
                                            aria-label=format!("Turn scale to zero on for {name}")>"Turn scale to zero on"</a>
                                    })}
                                    <button type="button" class="button button--ghost" aria-label=format!("Tag an owner of {name}")
                                        on:click=move |_| { owner.set(String::new()); ask.set(Some(Ask::Tag(n2.clone()))) }>"Tag owner…"</button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };

    let title = Signal::derive(move || match ask.get() {
        Some(Ask::Stop(n)) => format!("Stop {n}?"),
        Some(Ask::Tag(n)) => format!("Tag an owner of {n}"),
        None => String::new(),
    });
    let close = Callback::new(move |_| ask.set(None));
    let confirm2 = confirm.clone();

    view! {
        <main class="page" id="main">
            <div class="page__head">
                <h1>"Idle endpoints"</h1>
                <span class="page__meta"><a href=links::home()>"All endpoints"</a></span>
            </div>
            <p>"Custom-model endpoints with scale to zero off keep compute provisioned. This console samples each one's metrics once a minute while this page is open and calls an endpoint idle only after 10 minutes of samples without a request."</p>
            <div class="filters" role="search">
                <label class="field">
                    <span class="field__label">"Search"</span>
                    <input type="search" class="input" placeholder="Name, creator, tag (team=…)"
                        prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                </label>
                <p class="filters__count" role="status" data-testid="idle-count">
                    {move || {
                        let m = matching.with(Vec::len);
                        let w = watched.with(Vec::len);
                        let more = if m > w { format!(" ({} more match: narrow the search)", m - w) } else { String::new() };
                        format!("{} idle and costing of {} watched{}", idle_count.get(), w, more)
                    }}
                </p>
            </div>
            {table}
            <Dialog id="idle-dialog" open=Signal::derive(move || ask.with(Option::is_some)) on_close=close
                role=DialogRole::AlertDialog title=title>
                {
                    let confirm = confirm2.clone();
                    move || {
                        let confirm = confirm.clone();
                        let is_tag = matches!(ask.get(), Some(Ask::Tag(_)));
                        view! {
                            {if is_tag {
                                view! {
                                    <p>"Adds the tag owner=<value> (PATCH …/tags)."</p>
                                    <label class="field"><span class="field__label">"Owner"</span>
                                        <input class="input" type="text" id="idle-owner" autocomplete="off"
                                            prop:value=move || owner.get() on:input=move |ev| owner.set(event_target_value(&ev))/>
                                    </label>
                                }.into_any()
                            } else {
                                view! { <p>"POST …/config:stop. Its compute is released; Start brings it back."</p> }.into_any()
                            }}
                            <div class="dialog__actions">
                                <button type="button" class="button button--ghost" on:click=move |_| ask.set(None)>"Cancel"</button>
                                <button type="button" class="button button--danger" id="idle-confirm"
                                    disabled=move || sending.get() || (is_tag && owner.with(|o| o.trim().is_empty()))
                                    on:click=move |_| confirm()>{if is_tag { "Add tag" } else { "Stop endpoint" }}</button>
                            </div>
                        }
                    }
                }
            </Dialog>
        </main>
    }
}
