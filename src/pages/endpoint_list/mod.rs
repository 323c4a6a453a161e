//! The endpoints list: search as you type, filters, sortable columns, counts, auto-refresh,
//! and a virtualised table (only visible rows are in the DOM).

use crate::chunks;
use crate::components::{ErrorView, SkeletonRows, StateBadge, UpdatedAgo};
use crate::context::Workspace;
use crate::hooks::use_polling::use_polling;
use crate::hooks::use_viewport::use_viewport;
use crate::links::{self, Tab};
use crate::model::display_state::DisplayState;
use crate::model::format::api_text;
use crate::model::format::thousands;
use crate::model::list_view::{self, Query, Row, SortKey};
use crate::model::time_fmt;
use crate::model::virtual_rows::visible_range;
use leptos::prelude::*;

mod bulk;
mod refine;
mod select;

use leptos_router::hooks::use_query_map;
use refine::RowRefinements;
pub use select::ListState;
use select::{SelectCell, SelectionBar};
use std::sync::Arc;

/// Height of one table row in px (CSS `.endpoints-table tbody tr` uses the same value).
const ROW_HEIGHT_PX: usize = 44;
/// [`ROW_HEIGHT_PX`] for scroll arithmetic.
pub const ROW_HEIGHT: f64 = ROW_HEIGHT_PX as f64;
/// Rows rendered above and below the viewport.
const OVERSCAN: usize = 8;

/// The states offered by the state filter, in display order.
const STATE_FILTERS: &[DisplayState] = &[
    DisplayState::Ready,
    DisplayState::ReadyUpdating,
    DisplayState::ReadyUpdateFailed,
    DisplayState::NotReadyUpdating,
    DisplayState::NotReadyUpdateFailed,
    DisplayState::NotReadyStopped,
    DisplayState::NotReadyRecovering,
    DisplayState::NotReady,
];

fn query_from_url() -> Query {
    let q = use_query_map().get_untracked();
    Query::from_params(
        q.get("q").unwrap_or_default(),
        q.get("state"),
        q.get("task"),
        q.get("creator"),
        q.get("sort").as_deref(),
    )
}

fn write_url(q: &Query) {
    let url = links::list(&q.to_params());
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The list page at `/endpoints`.
#[component]
pub fn EndpointList() -> impl IntoView {
    let workspace = Workspace::expect();
    let api = workspace.api.clone();
    let list_ms = workspace.config.list_poll_ms;
    let refinements = RowRefinements::new();
    let poller = use_polling(
        move |signal| {
            let api = api.clone();
            async move {
                let r = api.list_endpoints(Some(signal)).await?;
                let mut rows: Vec<Row> = r.endpoints.iter().map(list_view::row_from).collect();
                refinements.apply(&mut rows);
                Ok(Arc::new(rows))
            }
        },
        move |_, _| list_ms,
    );

    // Refine ambiguous "Not ready" rows, one GET at a time.
    refinements.follow(poller);

    let query = RwSignal::new(query_from_url());
    let me = Memo::new(move |_| workspace.me.get().and_then(|m| m.user_name));
    let filtered = Memo::new(move |_| {
        let me = me.get();
        poller.data.with(|d| match d {
            Some(rows) => query.with(|q| list_view::apply(rows, q, me.as_deref())),
            None => Vec::new(),
        })
    });
    let list = ListState {
        rows: poller.data,
        filtered,
        query,
        selection: RwSignal::new(Default::default()),
        me,
        anchor: StoredValue::new(None),
    };
    provide_context(list);
    // Back/forward (or a link) changed the URL: follow it.
    let url_query = use_query_map();
    Effect::new(move |prev: Option<()>| {
        url_query.track();
        if prev.is_some() {
            list.freeze();
            query.set(query_from_url());
        }
    });
    let set_query = move |f: &dyn Fn(&mut Query)| {
        // What was selected as "all matching" stays what it was under the old filter.
        list.freeze();
        query.update(|q| f(q));
        query.with_untracked(write_url);
    };

    // A bulk run finished: re-read the list to confirm what changed.
    let fleet = crate::context::Fleet::expect();
    Effect::new(move |prev: Option<()>| {
        fleet.finished.track();
        if prev.is_some() {
            poller.refresh();
        }
    });
    let total = Memo::new(move |_| {
        poller
            .data
            .with(|d| d.as_ref().map(|r| r.len()).unwrap_or(0))
    });
    let facets = Memo::new(move |_| {
        poller
            .data
            .with(|d| d.as_ref().map(|r| list_view::facet_values(r)))
    });

    // Mark the first render for the benchmarks.
    let marked = StoredValue::new(false);
    Effect::new(move |_| {
        if poller.data.with(|d| d.is_some()) && !marked.get_value() {
            marked.set_value(true);
            request_animation_frame(|| {
                if let Some(p) = window().performance() {
                    let _ = p.mark("list:rendered");
                }
            });
            // Opening an endpoint next should not wait for its code: fetch it once idle.
            chunks::preload_later();
        }
    });

    let body = move || {
        if poller.data.with(|d| d.is_none()) {
            return match poller.error.get() {
                Some(e) => {
                    view! { <ErrorView error=e on_retry=Callback::new(move |_| poller.refresh())/> }
                        .into_any()
                }
                None => view! { <SkeletonRows/> }.into_any(),
            };
        }
        if total.get() == 0 {
            return view! {
                <div class="empty-state" data-testid="empty-state">
                    <h2>"No serving endpoints yet"</h2>
                    <p>"Endpoints created in this workspace appear here."</p>
                </div>
            }
            .into_any();
        }
        if filtered.with(|f| f.is_empty()) {
            let text = query.with(|q| q.q.clone());
            return view! {
                <div class="empty-state" data-testid="no-match">
                    <h2>{if text.is_empty() { "No endpoint matches these filters".to_string() } else { format!("No endpoint matches “{text}”") }}</h2>
                    <button type="button" class="button" on:click=move |_| set_query(&|q| *q = Query::default())>"Clear filters"</button>
                </div>
            }
            .into_any();
        }
        view! { <EndpointTable rows=poller.data filtered=filtered query=query set_query=Callback::new(move |k: SortKey| set_query(&|q| q.toggle_sort(k)))/> }.into_any()
    };

    view! {
        <main class="page page--list" id="main">
            <div class="page__head">
                <h1>"Serving endpoints"</h1>
                <span class="page__meta">
                    <a class="button button--ghost" href=links::idle()>"Idle endpoints"</a>
                    <UpdatedAgo at=poller.updated_at failures=poller.failures/>
                    <button type="button" class="button button--ghost" on:click=move |_| poller.refresh()
                        disabled=move || poller.loading.get()>
                        {move || if poller.loading.get() { "Refreshing…" } else { "Refresh" }}
                    </button>
                </span>
            </div>
            {move || (poller.data.with(|d| d.is_some())).then(|| poller.error.get()).flatten().map(|e| view! {
                <p class="inline-error" role="alert">{format!("Refresh failed: {} ({})", e.title(), e.message())}</p>
            })}
            <div class="filters" role="search">
                <label class="field">
                    <span class="field__label">"Search"</span>
                    <input type="search" class="input" placeholder="Name, model, creator, tag"
                        prop:value=move || query.with(|q| q.q.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); set_query(&|q| q.q = v.clone()) }/>
                </label>
                <label class="field">
                    <span class="field__label">"State"</span>
                    <select class="input" prop:value=move || query.with(|q| q.state.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); set_query(&|q| q.state = Some(v.clone()).filter(|s| !s.is_empty())) }>
                        <option value="">"All states"</option>
                        {STATE_FILTERS.iter().map(|s| view! { <option value=s.key()>{s.label()}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">"Task"</span>
                    <select class="input" prop:value=move || query.with(|q| q.task.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); set_query(&|q| q.task = Some(v.clone()).filter(|s| !s.is_empty())) }>
                        <option value="">"All tasks"</option>
                        {move || facets.get().map(|(tasks, _)| tasks.into_iter().map(|t| view! { <option value=t.clone() title=t.clone()>{crate::model::format::clip(&t, crate::model::format::OPTION_LABEL_CHARS)}</option> }).collect_view())}
                    </select>
                </label>
                <label class="field">
                    <span class="field__label">"Creator"</span>
                    <select class="input" prop:value=move || query.with(|q| q.creator.clone().unwrap_or_default())
                        on:change=move |ev| { let v = event_target_value(&ev); set_query(&|q| q.creator = Some(v.clone()).filter(|s| !s.is_empty())) }>
                        <option value="">"Anyone"</option>
                        <option value="me">"Created by me"</option>
                        {move || facets.get().map(|(_, creators)| creators.into_iter().map(|c| view! { <option value=c.clone() title=c.clone()>{crate::model::format::clip(&c, crate::model::format::OPTION_LABEL_CHARS)}</option> }).collect_view())}
                    </select>
                </label>
                <p class="filters__count" aria-live="polite" data-testid="count">
                    {move || poller.data.with(|d| d.is_some()).then(|| {
                        let n = filtered.with(|f| f.len());
                        let t = total.get();
                        if n == t { format!("{} endpoints", thousands(t)) } else { format!("{} of {} endpoints", thousands(n), thousands(t)) }
                    })}
                </p>
            </div>
            <SelectionBar/>
            {body}
        </main>
    }
}

#[component]
fn SortHeader(
    label: &'static str,
    key: SortKey,
    query: RwSignal<Query>,
    on_sort: Callback<SortKey>,
) -> impl IntoView {
    let aria = move || {
        query.with(|q| {
            if q.sort == key {
                if q.desc {
                    "descending"
                } else {
                    "ascending"
                }
            } else {
                "none"
            }
        })
    };
    view! {
        <th scope="col" aria-sort=aria>
            <button type="button" class="th-button" on:click=move |_| on_sort.run(key)>
                {label}
                <span class="th-button__icon" aria-hidden="true">{move || match aria() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}</span>
            </button>
        </th>
    }
}

#[component]
fn EndpointTable(
    rows: RwSignal<Option<Arc<Vec<Row>>>>,
    filtered: Memo<Vec<usize>>,
    query: RwSignal<Query>,
    set_query: Callback<SortKey>,
) -> impl IntoView {
    let viewport = use_viewport(800.0);
    let now = crate::api::js_now_ms();

    // Reset scroll when the filter changes so the user sees the first matches.
    Effect::new(move |prev: Option<()>| {
        query.track();
        if prev.is_some() {
            viewport.scroll_to(0.0);
        }
    });

    let range = Memo::new(move |_| {
        let n = filtered.with(|f| f.len());
        let (first, end) = visible_range(
            viewport.scroll_top.get(),
            viewport.height.get(),
            ROW_HEIGHT,
            n,
            OVERSCAN,
        );
        (first, end, n)
    });
    let visible = move || {
        let (a, b, _) = range.get();
        let rows = rows.get();
        filtered.with(|f| {
            f[a..b]
                .iter()
                .enumerate()
                .filter_map(|(i, &idx)| {
                    rows.as_ref()
                        .and_then(|r| r.get(idx))
                        .map(|row| (a + i, row.clone()))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-viewport" node_ref=viewport.node on:scroll=move |_| viewport.measure() tabindex="0"
            role="region" aria-label="Serving endpoints table">
            <table class="endpoints-table" aria-rowcount=move || range.get().2 + 1 data-testid="endpoints-table">
                <thead>
                    <tr aria-rowindex="1">
                        <th scope="col" class="th-select"><span class="visually-hidden">"Selected"</span></th>
                        <SortHeader label="Name" key=SortKey::Name query=query on_sort=set_query/>
                        <SortHeader label="State" key=SortKey::State query=query on_sort=set_query/>
                        <th scope="col">"Served entities"</th>
                        <SortHeader label="Task" key=SortKey::Task query=query on_sort=set_query/>
                        <SortHeader label="Creator" key=SortKey::Creator query=query on_sort=set_query/>
                        <SortHeader label="Last updated" key=SortKey::Updated query=query on_sort=set_query/>
                        <th scope="col">"Tags"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr class="spacer" aria-hidden="true" style:height=move || format!("{}px", range.get().0 * ROW_HEIGHT_PX)></tr>
                    <For each=visible key=|(i, r)| (*i, r.name.clone()) let:item>
                        <EndpointRow index=item.0 row=item.1 now=now/>
                    </For>
                    <tr class="spacer" aria-hidden="true" style:height=move || { let (_, b, n) = range.get(); format!("{}px", (n - b) * ROW_HEIGHT_PX) }></tr>
                </tbody>
            </table>
        </div>
    }
}

/// One row of the endpoints table (public for the row-operations benchmark, tests/bench_rows.rs).
#[component]
pub fn EndpointRow(
    /// 0-based position in the filtered list (`aria-rowindex` is this + 2).
    index: usize,
    /// The row.
    row: Row,
    /// "Now" for the relative times, ms since the epoch.
    now: i64,
) -> impl IntoView {
    let href = links::endpoint(&row.name, Tab::Overview);
    let state = row.state.clone();
    let updated = row
        .updated_ms
        .map(|t| (time_fmt::relative(t, now), time_fmt::iso_utc(t)));
    let tags = row
        .tags
        .iter()
        .map(|(k, v)| match v {
            Some(v) if !v.is_empty() => format!("{}: {}", api_text(k), api_text(v)),
            _ => k.clone(),
        })
        .collect::<Vec<_>>();
    view! {
        <tr aria-rowindex=index + 2 data-testid="endpoint-row">
            <SelectCell name=row.name.clone()/>
            <td class="cell-name"><a href=href>{row.name.clone()}</a></td>
            <td><StateBadge state=Signal::stored(state)/></td>
            <td class="cell-entities" title=row.entities.clone()>{row.entities.clone()}</td>
            <td>{row.task.clone().unwrap_or_default()}</td>
            <td class="cell-creator" title=row.creator.clone().unwrap_or_default()>{row.creator.clone().unwrap_or_default()}</td>
            <td>{updated.map(|(rel, exact)| view! { <time title=exact.clone() datetime=exact>{rel}</time> })}</td>
            <td class="cell-tags">{tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}</td>
        </tr>
    }
}

crate::split_view!(
    /// The bulk actions: the action bar, the eligibility preview, the run and its results.
    bulk_view,
    preload_bulk,
    bulk,
    || view! { <bulk::BulkActions/> }
);
