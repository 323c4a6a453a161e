//! Schema tab at `/endpoints/{name}/schema?path=&variant=&node=`: the endpoint's OpenAPI
//! document as an explorer and a request builder.
//!
//! - Only for READY endpoints with a signature; otherwise it says why, with links to the state
//!   and the logs.
//! - Header (title, version, server URL, operations); the request body's input formats as
//!   WAI-ARIA tabs; request and response schemas as trees (WAI-ARIA tree, roving focus), of which
//!   only the rows in view are in the DOM; `$ref`s resolved lazily, cycles shown as rows that
//!   point back; search; a details panel with a permalink (`node=`).
//! - Builder: starts from the input format's example, validates as you type with the problems
//!   at their fields, sends to `/serving-endpoints/{name}/…/invocations` (never retried), shows
//!   status, latency and the response; copy as curl / Python / Databricks SDK.
//!
//! Everything from the document is rendered as text. No URL in it is ever fetched or linked.
//! The logic is in [`crate::model::openapi`], [`crate::model::json_validate`] and
//! [`crate::model::snippets`].

mod builder;
mod explorer;
mod tree;

use builder::RequestBuilder;
use explorer::{Explorer, OpView};
use tree::TreeWithDetails;

use super::DetailPage;
use crate::api::{ApiError, Invocation};
use crate::components::{ErrorView, SkeletonRows};
use crate::context::{ToastKind, Toasts, Workspace};
use crate::hooks::use_viewport::use_viewport;
use crate::links::{self, encode_segment, Tab};
use crate::model::display_state::DisplayState;
use crate::model::format::api_text;
use crate::model::json_doc::{line_col, Doc, NodeId};
use crate::model::json_validate::{serving_checks, validate, Issue};
use crate::model::openapi::{ancestors, ResponseInfo, Row, Spec};
use crate::model::snippets;
use crate::model::virtual_rows::visible_range;
use api_types::PermissionLevel;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::CustomAttribute;
use leptos_router::hooks::use_query_map;
use send_wrapper::SendWrapper;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Height of a tree row in px (CSS `.tree-row` uses the same).
pub const ROW_H: f64 = 30.0;
const OVERSCAN: usize = 6;
/// Rows a tree lists at most (expanded rows beyond this are not shown).
const MAX_ROWS: usize = 100_000;
/// "Expand all" opens nodes until about this many rows are visible.
const EXPAND_ALL_ROWS: usize = 5_000;
/// Search hits listed at most.
const SEARCH_LIMIT: usize = 100;
/// A response body shown at most (characters).
const RESPONSE_SHOWN: usize = 200_000;

#[derive(Clone)]
enum Load {
    Idle,
    Loading,
    Ready(Arc<Spec>),
    Failed(ApiError),
    Invalid(String),
}

/// The link to a node of the schema tab.
pub fn schema_href(name: &str, path: &str, variant: Option<&str>, node: Option<&str>) -> String {
    let mut s = links::endpoint(name, Tab::Schema);
    let mut sep = '?';
    for (k, v) in [("path", Some(path)), ("variant", variant), ("node", node)] {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            s.push(sep);
            sep = '&';
            s.push_str(k);
            s.push('=');
            s.push_str(&encode_segment(v));
        }
    }
    s
}

fn replace_url(url: &str) {
    if let Ok(h) = window().history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
    }
}

fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

fn hash_id(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn focus_id(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

/// The Schema tab as a route.
#[component]
pub fn SchemaTab() -> impl IntoView {
    let detail = DetailPage::expect();
    let workspace = Workspace::expect();
    let name = detail.name.get_value();
    let state = Memo::new(move |_| detail.endpoint().map(|d| d.1.state.clone()));
    let level = Memo::new(move |_| detail.endpoint().and_then(|d| d.0.permission_level.clone()));
    let known = Memo::new(move |_| state.with(|s| s.is_some()));
    let serving = Memo::new(move |_| state.with(|s| s.as_ref().is_some_and(|s| s.is_serving())));
    let load = RwSignal::new(Load::Idle);
    let attempt = RwSignal::new(0u32);
    let controller: StoredValue<Option<SendWrapper<web_sys::AbortController>>> =
        StoredValue::new(None);
    let api = workspace.api.clone();
    let fetch_name = name.clone();
    Effect::new(move |_| {
        attempt.track();
        if !serving.get() || matches!(load.get_untracked(), Load::Ready(_) | Load::Loading) {
            return;
        }
        load.set(Load::Loading);
        let ctrl = web_sys::AbortController::new().ok();
        let signal = ctrl.as_ref().map(|c| c.signal());
        controller.set_value(ctrl.map(SendWrapper::new));
        let api = api.clone();
        let n = fetch_name.clone();
        leptos::task::spawn_local(async move {
            let next = match api.get_openapi(&n, signal).await {
                Ok(text) => match Spec::parse(&text) {
                    Ok(s) => Load::Ready(Arc::new(s)),
                    Err(e) => Load::Invalid(e.to_string()),
                },
                Err(ApiError::Aborted) => return,
                Err(e) => Load::Failed(e),
            };
            load.try_set(next);
        });
    });
    on_cleanup(move || {
        controller.with_value(|c| {
            if let Some(c) = c {
                c.abort();
            }
        })
    });
    let retry = Callback::new(move |_| {
        load.set(Load::Idle);
        attempt.update(|a| *a += 1);
    });
    view! {
        <section class="schema" aria-label="Schema" data-testid="schema-tab">
            {move || {
                let name = name.clone();
                if !known.get() {
                    return view! { <SkeletonRows rows=4/> }.into_any();
                }
                if !serving.get() {
                    return view! { <Unavailable state=state name=name/> }.into_any();
                }
                (move || match load.get() {
                    Load::Idle | Load::Loading => view! {
                        <p class="muted" aria-busy="true">"Loading the schema…"</p>
                        <SkeletonRows rows=6/>
                    }.into_any(),
                    Load::Failed(e) => view! { <NoSchema error=e name=name.clone() on_retry=retry/> }.into_any(),
                    Load::Invalid(m) => view! {
                        <section class="empty-state" role="alert" data-testid="schema-invalid">
                            <h2>"The schema cannot be shown"</h2>
                            <p>{m}</p>
                        </section>
                    }.into_any(),
                    Load::Ready(spec) => view! {
                        <Explorer spec=spec name=name.clone() state=state level=level/>
                    }.into_any(),
                }).into_any()
            }}
        </section>
    }
}

/// Why there is no schema: the endpoint is not READY.
#[component]
fn Unavailable(state: Memo<Option<DisplayState>>, name: String) -> impl IntoView {
    let overview = links::endpoint(&name, Tab::Overview);
    let logs = links::endpoint(&name, Tab::Logs);
    move || {
        let s = state.get().unwrap_or(DisplayState::NotReady);
        let why = match &s {
            DisplayState::NotReadyStopped => {
                "This endpoint is stopped: it serves no queries, so its schema is not available. Start the endpoint to see its schema and query it.".to_string()
            }
            DisplayState::NotReadyUpdating => {
                "The endpoint is still deploying. Its schema becomes available once it is Ready; this page shows it as soon as that happens.".to_string()
            }
            DisplayState::NotReadyUpdateFailed => {
                "The deployment failed, so the endpoint serves nothing and has no schema. The logs say why.".to_string()
            }
            other => format!(
                "The schema is only available while the endpoint is Ready; it is {}.",
                other.label()
            ),
        };
        view! {
            <section class="empty-state schema-unavailable" data-testid="schema-unavailable">
                <h2>"Schema not available"</h2>
                <p data-testid="schema-unavailable-reason">{why}</p>
                <p>
                    <a href=overview.clone()>"See the endpoint's state"</a>
                    " · "
                    <a href=logs.clone()>"See the logs"</a>
                </p>
            </section>
        }
    }
}

/// The API gave no document (typically: no model signature).
#[component]
fn NoSchema(error: ApiError, name: String, on_retry: Callback<()>) -> impl IntoView {
    let status = error.status();
    if !matches!(status, Some(400 | 404)) {
        return view! { <ErrorView error=error on_retry=on_retry/> }.into_any();
    }
    let message = error.message();
    let signature = message.to_ascii_lowercase().contains("signature");
    let overview = links::endpoint(&name, Tab::Overview);
    view! {
        <section class="empty-state schema-unavailable" data-testid="schema-unavailable">
            <h2>"No schema for this endpoint"</h2>
            {if signature {
                view! { <p data-testid="schema-unavailable-reason">"Its served model has no model signature. Databricks builds the schema from the MLflow signature logged with the model: log the model with a signature (for example with mlflow.models.infer_signature) and serve that version."</p> }.into_any()
            } else {
                view! { <p data-testid="schema-unavailable-reason">"The API did not return a schema for this endpoint."</p> }.into_any()
            }}
            <p class="muted">{format!("The API said: {}", api_text(&message))}</p>
            {error.error_code().map(|c| view! { <p class="muted">"Error code: "<code>{c.to_string()}</code></p> })}
            <p><a href=overview>"See the endpoint's served entities"</a></p>
        </section>
    }
    .into_any()
}
