//! Endpoint detail at `/endpoints/{name}`: header with the state indicator, tabs, and the
//! Overview. Polls faster while the endpoint is transitioning.

pub mod edit;
mod lifecycle;
mod logs;
mod overview;
pub mod permissions;
pub mod schema;

use crate::api::ApiError;
use crate::components::{ErrorView, SkeletonRows, StateBadge, UpdatedAgo};
use crate::context::Workspace;
use crate::hooks::use_polling::{use_polling, Poller};
use crate::links::{self, Tab};
use crate::model::display_state::{derive_detailed, NextStep, StateView};
use crate::model::events::{diff, Timeline};
use crate::model::format::api_text;
use crate::model::retry::poll_interval_ms;
use crate::model::time_fmt;
use api_types::ServingEndpointDetailed;
use leptos::prelude::*;
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};
use std::sync::Arc;
use stylers_macro::style;

pub use edit::EditPage;
pub use logs::LogsTab;
pub use overview::{Overview, OverviewTab};
pub use permissions::PermissionsTab;
pub use schema::SchemaTab;

/// The detail page's state, shared with its header and tabs (provided as context by
/// [`EndpointDetail`]): the endpoint as last fetched, and its poller.
#[derive(Clone, Copy)]
pub struct DetailPage {
    /// The endpoint name from the URL (decoded).
    pub name: StoredValue<String>,
    /// The poller of `GET /serving-endpoints/{name}`: data, error, refresh.
    pub poller: Poller<Detail>,
    /// Polls left at the fast (transition) rate, set after an action so the UI follows the
    /// transition closely until the API says it settled.
    pub fast_polls: RwSignal<u32>,
    /// Changes observed between successive reads (the Overview's events timeline); kept here so
    /// they survive switching tabs.
    pub events: RwSignal<Timeline>,
}

/// The endpoint and its derived state view.
pub type Detail = Arc<(ServingEndpointDetailed, StateView)>;

impl DetailPage {
    /// The context of the enclosing detail page. Tabs are only ever mounted under it.
    pub fn expect() -> Self {
        match use_context::<DetailPage>() {
            Some(c) => c,
            None => panic!("DetailPage missing: tabs are mounted under <EndpointDetail>"),
        }
    }

    /// The endpoint, once loaded.
    pub fn endpoint(&self) -> Option<Detail> {
        self.poller.data.get()
    }

    /// The endpoint, once loaded (untracked).
    pub fn endpoint_untracked(&self) -> Option<Detail> {
        self.poller.data.get_untracked()
    }

    /// Refresh now and keep polling fast for a while (after an action).
    pub fn follow_transition(&self) {
        self.fast_polls.set(30);
        self.poller.refresh();
    }
}

/// The detail page at `/endpoints/{name}` (a parent route: header, tabs, and the tab's outlet);
/// re-mounts its poller when the name in the URL changes.
#[component]
pub fn EndpointDetail() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.with(|p| p.get("name").unwrap_or_default()));
    // The other tabs' code, fetched once the page has settled (src/chunks.rs).
    crate::chunks::preload_later();
    move || {
        let n = name.get();
        view! { <EndpointDetailFor name=n/> }
    }
}

/// The detail page for one endpoint name.
#[component]
pub fn EndpointDetailFor(
    /// The endpoint name (decoded).
    name: String,
) -> impl IntoView {
    let workspace = Workspace::expect();
    let api = workspace.api.clone();
    let steady_ms = workspace.config.detail_poll_ms;
    let fetch_name = name.clone();
    let fast_polls = RwSignal::new(0u32);
    let poller = use_polling(
        move |signal| {
            let api = api.clone();
            let n = fetch_name.clone();
            async move {
                let e = api.get_endpoint(&n, Some(signal)).await?;
                let view = derive_detailed(&e);
                Ok(Arc::new((e, view)))
            }
        },
        move |d: Option<&Detail>, failures| {
            let transitioning = d.map(|d| d.1.state.is_transitioning()).unwrap_or(false);
            let forced = fast_polls.try_get_untracked().unwrap_or(0);
            if forced > 0 {
                fast_polls.try_set(forced - 1);
            }
            if transitioning || forced > 0 {
                // Fast while transitioning: 2 s, growing to 10 s, with jitter.
                poll_interval_ms(true, 1 + failures.min(4), js_sys::Math::random())
            } else {
                steady_ms
            }
        },
    );
    let events = RwSignal::new(Timeline::default());
    let detail = DetailPage {
        name: StoredValue::new(name.clone()),
        poller,
        fast_polls,
        events,
    };
    provide_context(detail);
    // Record what changed between two successive reads.
    let previous: StoredValue<Option<Detail>> = StoredValue::new(None);
    Effect::new(move |_| {
        let Some(next) = poller.data.get() else {
            return;
        };
        let prev = previous.get_value();
        if let Some(prev) = prev {
            if !Arc::ptr_eq(&prev, &next) {
                let found = diff(&prev.0, &next.0, crate::api::js_now_ms());
                if !found.is_empty() {
                    events.update(|t| t.record(found));
                }
            }
        }
        previous.set_value(Some(next));
    });
    let title = name.clone();
    // Memos, so that a poll re-renders only what changed: the header (with the actions, their
    // dialogs and menu) is mounted once and stays while polls come in.
    let not_found = Memo::new(move |_| {
        matches!(poller.error.get(), Some(ApiError::Http { status: 404, .. }))
            && poller.data.with(|d| d.is_none())
    });
    let loaded = Memo::new(move |_| poller.data.with(|d| d.is_some()));
    view! {
        <main class="page page--detail" id="main">
            <nav aria-label="Breadcrumb" class="breadcrumb">
                <a href=crate::links::home()>"Serving endpoints"</a>
                <span aria-hidden="true">" / "</span>
                <span aria-current="page">{title.clone()}</span>
            </nav>
            {move || {
                if not_found.get() {
                    let n = title.clone();
                    return view! {
                        <section class="empty-state" data-testid="endpoint-not-found">
                            <h1>"Endpoint not found"</h1>
                            <p>{format!("There is no serving endpoint named “{}”, or you cannot view it.", api_text(&n))}</p>
                            <p><a href=crate::links::home()>"Back to the serving endpoints"</a></p>
                        </section>
                    }.into_any();
                }
                match loaded.get() {
                    false => match poller.error.get() {
                        Some(e) => view! { <h1>{title.clone()}</h1><ErrorView error=e on_retry=Callback::new(move |_| poller.refresh())/> }.into_any(),
                        None => view! { <h1>{title.clone()}</h1><SkeletonRows rows=4/> }.into_any(),
                    },
                    true => view! {
                        <DetailHeader updated_at=poller.updated_at failures=poller.failures/>
                        {move || poller.error.get().map(|e| view! {
                            <p class="inline-error" role="alert">{format!("Refresh failed: {} ({})", e.title(), api_text(&e.message()))}</p>
                        })}
                    }.into_any(),
                }
            }}
            <Show when=move || loaded.get()>
                <TabNav name=name.clone()/>
                <Outlet/>
            </Show>
        </main>
    }
}

/// The tab links (navigation, so links with `aria-current`, not an ARIA tablist).
#[component]
fn TabNav(name: String) -> impl IntoView {
    let location = use_location();
    let tabs = Tab::ALL
        .iter()
        .map(|&tab| {
            let href = links::endpoint(&name, tab);
            let target = href.clone();
            let current = move || {
                let path = location.pathname.get();
                // The router may hand back the decoded path; compare both forms.
                (path == target || links::encode_path(&path) == target).then_some("page")
            };
            view! { <a href=href class="tabs__tab" aria-current=current>{tab.label()}</a> }
        })
        .collect_view();
    view! { <nav aria-label="Endpoint sections" class="tabs">{tabs}</nav> }
}

/// The header: title and state indicator (re-rendered by each poll), "Updated …", and the
/// actions (mounted once, so focus, menus and dialogs survive polls).
#[component]
fn DetailHeader(updated_at: RwSignal<Option<i64>>, failures: RwSignal<u32>) -> impl IntoView {
    let detail = DetailPage::expect();
    let scoped = style! {
        .detail-header {
            display: flex;
            flex-wrap: wrap;
            gap: 1rem 2rem;
            align-items: flex-start;
            justify-content: space-between;
            border-bottom: 1px solid var(--border);
            padding-bottom: 0.75rem;
        }
        .detail-header__title {
            min-width: 0;
            max-width: 100%;
            overflow-wrap: anywhere;
        }
        .detail-header__desc {
            margin: 0;
            color: var(--fg-muted);
            overflow-wrap: anywhere;
        }
        .state-indicator {
            display: flex;
            flex-direction: column;
            gap: 0.25rem;
            max-width: 40rem;
        }
        .state-indicator__since {
            color: var(--fg-muted);
            font-size: 0.9rem;
        }
        .state-indicator__reason {
            margin: 0;
        }
        .state-indicator__next {
            margin: 0;
            color: var(--fg-muted);
        }
    };
    view! { class = scoped,
        <header class="detail-header">
            {move || detail.poller.data.get().map(|d| header_info(&d.0, &d.1, scoped))}
            <UpdatedAgo at=updated_at failures=failures/>
            <EditAction/>
            <lifecycle::LifecycleControls/>
        </header>
    }
}

/// "Edit": a link to the config editor for a Can Manage caller; otherwise a disabled button
/// carrying the reason (the rule of `model::actions::can_edit`, shown like the lifecycle
/// actions' reasons).
#[component]
fn EditAction() -> impl IntoView {
    let detail = DetailPage::expect();
    let name = detail.name.get_value();
    let reason = Memo::new(move |_| {
        detail.poller.data.with(|d| match d {
            Some(d) => crate::model::actions::can_edit(&d.0)
                .err()
                .map(|b| b.reason()),
            None => Some("The endpoint has not loaded yet.".to_string()),
        })
    });
    let href = links::endpoint_edit(&name, &[]);
    move || match reason.get() {
        None => view! {
            <a class="button lifecycle__button" id="endpoint-edit" href=href.clone()>"Edit"</a>
        }
        .into_any(),
        Some(r) => view! {
            <span class="lifecycle__action">
                <button type="button" id="endpoint-edit" class="button lifecycle__button"
                    aria-disabled="true" aria-describedby="endpoint-edit-reason">"Edit"</button>
                <span class="lifecycle__tip" role="tooltip" id="endpoint-edit-reason">{r}</span>
            </span>
        }
        .into_any(),
    }
}

/// Title and state indicator of the endpoint as last fetched.
fn header_info(
    endpoint: &ServingEndpointDetailed,
    view: &StateView,
    scoped: &'static str,
) -> impl IntoView {
    let now = crate::api::js_now_ms();
    let since = view
        .since_ms
        .map(|t| (time_fmt::duration(now - t), time_fmt::iso_utc(t)));
    // The next step, and for the log steps a link to those logs (Logs tab).
    let logs_link = |entity: &str, kind: &str| {
        let params = [
            ("entity".to_string(), entity.to_string()),
            ("kind".to_string(), kind.to_string()),
        ];
        Some(crate::links::endpoint_logs(&endpoint.name, &params, None))
    };
    let next = view.next_step.clone().map(|n| match n {
        NextStep::SeeBuildLogs { entity } => (
            format!("See the build logs of {}.", api_text(&entity)),
            logs_link(&entity, "build"),
        ),
        NextStep::SeeServerLogs { entity } => (
            format!("See the server logs of {}.", api_text(&entity)),
            logs_link(&entity, "server"),
        ),
        NextStep::StartEndpoint => (
            "Start the endpoint to serve queries again.".to_string(),
            None,
        ),
        NextStep::WaitForUpdate => (
            "The update is rolling out; this page refreshes until it settles.".to_string(),
            None,
        ),
    });
    let state = view.state.clone();
    view! { class = scoped,
        <div class="detail-header__title">
            <h1>{endpoint.name.clone()}</h1>
            {endpoint.description.clone().filter(|d| !d.is_empty()).map(|d| view! { class = scoped, <p class="detail-header__desc">{d}</p> })}
        </div>
        <div class="state-indicator" data-testid="state-indicator">
            <StateBadge state=Signal::stored(state)/>
            {since.map(|(d, exact)| view! { <span class="state-indicator__since" title=exact>{format!("for {d}")}</span> })}
            {view.reason.clone().map(|r| view! { <p class="state-indicator__reason" data-testid="state-reason">{r}</p> })}
            {next.map(|(text, href)| match href {
                Some(href) => view! { <p class="state-indicator__next"><a href=href data-testid="next-step-link">{text}</a></p> }.into_any(),
                None => view! { <p class="state-indicator__next">{text}</p> }.into_any(),
            })}
        </div>
    }
}
