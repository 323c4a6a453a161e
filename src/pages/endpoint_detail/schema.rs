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

use super::DetailCtx;
use crate::api::{ApiError, Invocation};
use crate::app::Ctx;
use crate::components::toast::ToastKind;
use crate::components::{ErrorView, SkeletonRows, Toasts};
use crate::model::display_state::DisplayState;
use crate::model::json_doc::{line_col, Doc, NodeId};
use crate::model::json_validate::{serving_checks, validate, Issue};
use crate::model::openapi::{ancestors, ResponseInfo, Row, Spec};
use crate::model::snippets;
use crate::model::virtual_rows::visible_range;
use crate::routes::{self, encode_segment, Tab};
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
    let mut s = routes::endpoint(name, Tab::Schema);
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

/// UTF-16 offset of byte `offset` in `text` (DOM selections count UTF-16 units).
fn utf16_at(text: &str, offset: usize) -> u32 {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].encode_utf16().count() as u32
}

/// The end of the value starting at `offset` (a string to its closing quote, a scalar to the
/// next delimiter; a container: just its opening character).
fn token_end(text: &str, offset: usize) -> usize {
    let b = text.as_bytes();
    match b.get(offset) {
        Some(b'"') => {
            let mut i = offset + 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            (i + 1).min(b.len())
        }
        Some(b'{' | b'[') => offset + 1,
        _ => {
            let mut i = offset;
            while i < b.len() && !matches!(b[i], b',' | b']' | b'}' | b'\n' | b' ') {
                i += 1;
            }
            i.max(offset + 1).min(b.len())
        }
    }
}

/// Focus the editor and select `[start, end)` (byte offsets).
fn select_in_editor(id: &str, text: &str, start: usize, end: usize) {
    let Some(el) = document().get_element_by_id(id) else {
        return;
    };
    if let Ok(h) = el.clone().dyn_into::<web_sys::HtmlElement>() {
        let _ = h.focus();
    }
    let f = js_sys::Reflect::get(&el, &"setSelectionRange".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let Some(f) = f {
        let _ = f.call2(
            &el,
            &utf16_at(text, start).into(),
            &utf16_at(text, end).into(),
        );
    }
}

/// Write `text` to the clipboard; resolves to whether it worked.
async fn copy_to_clipboard(text: String) -> bool {
    let nav = window().navigator();
    let clip = js_sys::Reflect::get(&nav, &"clipboard".into()).ok();
    let Some(clip) = clip.filter(|c| !c.is_undefined()) else {
        return false;
    };
    let f = js_sys::Reflect::get(&clip, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(f) = f else { return false };
    match f.call1(&clip, &text.into()) {
        Ok(p) => match p.dyn_into::<js_sys::Promise>() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
            Err(_) => false,
        },
        Err(_) => false,
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        413 => "Payload Too Large",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The Schema tab as a route.
#[component]
pub fn SchemaTab() -> impl IntoView {
    let detail = DetailCtx::expect();
    let ctx = Ctx::expect();
    let name = detail.name.get_value();
    let state = Memo::new(move |_| detail.endpoint().map(|d| d.1.state.clone()));
    let level = Memo::new(move |_| detail.endpoint().and_then(|d| d.0.permission_level.clone()));
    let known = Memo::new(move |_| state.with(|s| s.is_some()));
    let serving = Memo::new(move |_| state.with(|s| s.as_ref().is_some_and(|s| s.is_serving())));
    let load = RwSignal::new(Load::Idle);
    let attempt = RwSignal::new(0u32);
    let controller: StoredValue<Option<SendWrapper<web_sys::AbortController>>> =
        StoredValue::new(None);
    let api = ctx.api.clone();
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
    let overview = routes::endpoint(&name, Tab::Overview);
    let logs = routes::endpoint(&name, Tab::Logs);
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
    let overview = routes::endpoint(&name, Tab::Overview);
    view! {
        <section class="empty-state schema-unavailable" data-testid="schema-unavailable">
            <h2>"No schema for this endpoint"</h2>
            {if signature {
                view! { <p data-testid="schema-unavailable-reason">"Its served model has no model signature. Databricks builds the schema from the MLflow signature logged with the model: log the model with a signature (for example with mlflow.models.infer_signature) and serve that version."</p> }.into_any()
            } else {
                view! { <p data-testid="schema-unavailable-reason">"The API did not return a schema for this endpoint."</p> }.into_any()
            }}
            <p class="muted">{format!("The API said: {message}")}</p>
            {error.error_code().map(|c| view! { <p class="muted">"Error code: "<code>{c.to_string()}</code></p> })}
            <p><a href=overview>"See the endpoint's served entities"</a></p>
        </section>
    }
    .into_any()
}

/// One operation as the explorer uses it.
#[derive(Clone, PartialEq)]
struct OpView {
    path: String,
    method: String,
    node: NodeId,
    /// (label, schema, path from the operation).
    variants: Vec<(String, NodeId, String)>,
    responses: Vec<ResponseInfo>,
    has_body: bool,
}

fn op_view(spec: &Spec, op: &crate::model::openapi::Operation) -> OpView {
    let mut variants = Vec::new();
    let mut has_body = false;
    if let Some((media, prefix, schema)) = spec.request_schema(op.node) {
        has_body = true;
        match spec.variants(schema) {
            Some((kw, vs)) => {
                for (i, (label, n)) in vs.into_iter().enumerate() {
                    variants.push((label, n, format!("{prefix}/{kw}/{i}")));
                }
            }
            None => variants.push((media, schema, prefix)),
        }
    }
    OpView {
        path: op.path.clone(),
        method: op.method.clone(),
        node: op.node,
        variants,
        responses: spec.responses(op.node),
        has_body,
    }
}

/// The explorer of a loaded document.
#[component]
fn Explorer(
    spec: Arc<Spec>,
    name: String,
    state: Memo<Option<DisplayState>>,
    level: Memo<Option<PermissionLevel>>,
) -> impl IntoView {
    let q = use_query_map().get_untracked();
    let ops: Vec<OpView> = spec
        .operations()
        .iter()
        .map(|o| op_view(&spec, o))
        .collect();
    if ops.is_empty() {
        return view! {
            <section class="empty-state" data-testid="schema-invalid">
                <h2>"The schema lists no operations"</h2>
            </section>
        }
        .into_any();
    }
    let initial_node = q.get("node");
    let op_from_url = q
        .get("path")
        .and_then(|p| ops.iter().position(|o| o.path == p));
    // A deep-linked node picks its operation when the URL names none.
    let op_idx = RwSignal::new(op_from_url.unwrap_or(0));
    let ops = StoredValue::new(ops);
    let current = Memo::new(move |_| ops.with_value(|o| o[op_idx.get().min(o.len() - 1)].clone()));
    let variant = RwSignal::new({
        let o = current.get_untracked();
        q.get("variant")
            .and_then(|v| o.variants.iter().position(|x| x.0 == v))
            .unwrap_or(0)
    });
    let selected: RwSignal<Option<String>> = RwSignal::new(None);
    let expanded_req = RwSignal::new(HashSet::<String>::new());
    let expanded_res = RwSignal::new(HashSet::<String>::new());
    let focus_req = RwSignal::new(0u64);
    let focus_done = StoredValue::new(0u64);
    let drafts: RwSignal<HashMap<String, String>> = RwSignal::new(HashMap::new());

    // Reveal a node: pick its input format, open its ancestors, select it, focus it.
    let reveal = Callback::new(move |path: String| {
        let o = current.get_untracked();
        if let Some(i) = o
            .variants
            .iter()
            .position(|v| path == v.2 || path.starts_with(&format!("{}/", v.2)))
        {
            let root = o.variants[i].2.len();
            variant.set(i);
            expanded_req
                .update(|e| e.extend(ancestors(&path).into_iter().filter(|a| a.len() > root)));
        } else if let Some((p, _)) = o
            .responses
            .iter()
            .filter_map(|r| r.2.clone())
            .find(|(p, _)| path.starts_with(&format!("{p}/")))
        {
            expanded_res
                .update(|e| e.extend(ancestors(&path).into_iter().filter(|a| a.len() > p.len())));
        }
        selected.set(Some(path));
        focus_req.update(|n| *n += 1);
    });
    if let Some(node) = initial_node {
        reveal.run(node);
    }
    // Keep the URL in step (replace: the tab is one history entry).
    let url_name = name.clone();
    Effect::new(move |_| {
        let o = current.get();
        let v = variant.get();
        let label = o.variants.get(v).map(|x| x.0.clone());
        let node = selected.get();
        replace_url(&schema_href(
            &url_name,
            &o.path,
            label.as_deref(),
            node.as_deref(),
        ));
    });
    request_animation_frame(|| mark("schema:interactive"));

    let title = spec.title().unwrap_or_else(|| "(untitled)".into());
    let version = spec.version();
    let oa = spec.openapi_version();
    let servers = spec.servers();
    let op_list = move || {
        ops.with_value(|all| {
            all.iter()
                .enumerate()
                .map(|(i, o)| {

                    view! {
                        <li>
                            <button type="button" class="schema-op" data-testid="schema-op"
                                aria-pressed=move || if op_idx.get() == i { "true" } else { "false" }
                                on:click=move |_| {
                                    if op_idx.get_untracked() != i {
                                        op_idx.set(i);
                                        variant.set(0);
                                        selected.set(None);
                                        expanded_req.set(HashSet::new());
                                        expanded_res.set(HashSet::new());
                                    }
                                }>
                                <span class="schema-op__method">{o.method.clone()}</span>
                                " "
                                <code>{o.path.clone()}</code>
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let spec_s = spec.clone();
    let spec_b = spec.clone();
    let spec_r = spec.clone();
    let name_b = name.clone();
    let name_d = name.clone();
    let server = servers.first().cloned();
    view! {
        <div class="schema-explorer" data-testid="schema-explorer">
            <header class="schema-head">
                <h2 class="schema-head__title" data-testid="schema-title">{title}</h2>
                <dl class="facts schema-head__facts">
                    {version.map(|v| view! { <dt>"Version"</dt><dd data-testid="schema-version">{v}</dd> })}
                    {oa.map(|v| view! { <dt>"OpenAPI"</dt><dd>{v}</dd> })}
                    <dt>"Server"</dt>
                    <dd>
                        {if servers.is_empty() {
                            view! { <span class="muted">"none given"</span> }.into_any()
                        } else {
                            servers.iter().map(|s| view! { <code class="break" data-testid="schema-server">{s.clone()}</code>" " }).collect_view().into_any()
                        }}
                    </dd>
                </dl>
                <nav aria-label="Operations">
                    <ul class="schema-ops">{op_list}</ul>
                </nav>
            </header>
            <SchemaSearch spec=spec_s current=current reveal=reveal/>
            {move || {
                let o = current.get();
                let spec = spec.clone();
                let spec_b = spec_b.clone();
                let name_b = name_b.clone();
                let name_d = name_d.clone();
                let server = server.clone();
                view! {
                    <section class="schema-section" aria-labelledby="schema-req-h">
                        <h3 id="schema-req-h">"Request body"</h3>
                        {if o.has_body {
                            view! { <VariantTabs spec=spec.clone() op=o.clone() variant=variant expanded=expanded_req
                                selected=selected focus_req=focus_req focus_done=focus_done reveal=reveal name=name_d.clone()/> }.into_any()
                        } else {
                            view! { <p class="muted">"This operation takes no request body."</p> }.into_any()
                        }}
                    </section>
                    {o.has_body.then(|| view! {
                        <section class="schema-section" aria-labelledby="schema-try-h">
                            <h3 id="schema-try-h">"Try it"</h3>
                            <RequestBuilder spec=spec_b.clone() op=o.clone() variant=variant drafts=drafts name=name_b.clone()
                                server=server.clone() state=state level=level/>
                        </section>
                    })}
                }
            }}
            {move || {
                let o = current.get();
                let spec = spec_r.clone();
                let name = name.clone();
                o.responses.iter().map(|(status, desc, schema)| {
                    let heading = format!("Response {status}");
                    let hid = format!("schema-res-{}", hash_id(status));
                    view! {
                        <section class="schema-section" aria-labelledby=hid.clone()>
                            <h3 id=hid.clone()>{heading.clone()}</h3>
                            {desc.clone().map(|d| view! { <p class="muted">{d}</p> })}
                            {match schema.clone() {
                                Some((p, n)) => view! {
                                    <TreeWithDetails spec=spec.clone() id=format!("tree-res-{}", hash_id(status)) label=format!("{heading} schema")
                                        root_path=p root=n expanded=expanded_res selected=selected focus_req=focus_req focus_done=focus_done reveal=reveal
                                        name=name.clone() op_path=o.path.clone() variant_label=None/>
                                }.into_any(),
                                None => view! { <p class="muted">"No JSON body."</p> }.into_any(),
                            }}
                        </section>
                    }
                }).collect_view()
            }}
        </div>
    }
    .into_any()
}

/// Search across the schemas of the current operation.
#[component]
fn SchemaSearch(spec: Arc<Spec>, current: Memo<OpView>, reveal: Callback<String>) -> impl IntoView {
    let query = RwSignal::new(String::new());
    let results: RwSignal<Option<(Vec<crate::model::openapi::Hit>, bool)>> = RwSignal::new(None);
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    let run = move |spec: &Spec, q: &str| {
        let o = current.get_untracked();
        let mut roots: Vec<(String, NodeId)> =
            o.variants.iter().map(|v| (v.2.clone(), v.1)).collect();
        roots.extend(o.responses.iter().filter_map(|r| r.2.clone()));
        spec.search(&roots, q, SEARCH_LIMIT)
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        query.set(v.clone());
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        if v.trim().is_empty() {
            results.set(None);
            return;
        }
        let spec = spec.clone();
        let h = set_timeout_with_handle(
            move || {
                mark("schema:search:start");
                let r = run(&spec, &v);
                results.try_set(Some(r));
                if let Some(p) = window().performance() {
                    let _ = p.measure_with_start_mark("schema:search", "schema:search:start");
                }
            },
            std::time::Duration::from_millis(120),
        )
        .ok();
        timer.set_value(h);
    };
    on_cleanup(move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
    });
    view! {
        <div class="schema-search" role="search">
            <label class="field__label" for="schema-search-input">"Search the schema"</label>
            <input id="schema-search-input" type="search" class="input" autocomplete="off"
                placeholder="Property, type, description or enum value"
                aria-describedby="schema-search-count"
                prop:value=move || query.get() on:input=on_input/>
            <p id="schema-search-count" class="muted schema-search__count" role="status" data-testid="schema-search-count">
                {move || results.with(|r| match r {
                    None => String::new(),
                    Some((h, _)) if h.is_empty() => "No match.".to_string(),
                    Some((h, true)) => format!("The first {} matches:", h.len()),
                    Some((h, false)) if h.len() == 1 => "1 match:".to_string(),
                    Some((h, false)) => format!("{} matches:", h.len()),
                })}
            </p>
            {move || results.with(|r| r.as_ref().filter(|(h, _)| !h.is_empty()).map(|(hits, _)| {
                let items = hits.iter().map(|h| {
                    let path = h.path.clone();
                    let trail = if h.trail.is_empty() { "(root)".to_string() } else { h.trail.clone() };
                    view! {
                        <li>
                            <button type="button" class="schema-hit" data-testid="schema-hit"
                                on:click=move |_| reveal.run(path.clone())>
                                <span class="schema-hit__trail">{trail}</span>
                                <span class="schema-hit__what muted">{format!(" ({})", h.what)}</span>
                            </button>
                        </li>
                    }
                }).collect_view();
                view! { <ul class="schema-hits">{items}</ul> }
            }))}
        </div>
    }
}

/// The input formats as WAI-ARIA tabs (automatic activation), each panel a tree.
#[component]
#[allow(clippy::too_many_arguments)]
fn VariantTabs(
    spec: Arc<Spec>,
    op: OpView,
    variant: RwSignal<usize>,
    expanded: RwSignal<HashSet<String>>,
    selected: RwSignal<Option<String>>,
    focus_req: RwSignal<u64>,
    focus_done: StoredValue<u64>,
    reveal: Callback<String>,
    name: String,
) -> impl IntoView {
    let n = op.variants.len();
    let labels: Vec<String> = op.variants.iter().map(|v| v.0.clone()).collect();
    let select = move |i: usize, focus: bool| {
        variant.set(i);
        if focus {
            focus_id(&format!("schema-tab-{i}"));
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let cur = variant.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowRight" => (cur + 1) % n,
            "ArrowLeft" => (cur + n - 1) % n,
            "Home" => 0,
            "End" => n - 1,
            _ => return,
        };
        ev.prevent_default();
        select(next, true);
    };
    let tabs = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let is = move || variant.get() == i;
            view! {
                <button type="button" role="tab" id=format!("schema-tab-{i}") class="schema-tab"
                    aria-selected=move || if is() { "true" } else { "false" }
                    aria-controls="schema-panel"
                    tabindex=move || if is() { "0" } else { "-1" }
                    on:click=move |_| select(i, false)>
                    {l.clone()}
                </button>
            }
        })
        .collect_view();
    let kind = if n > 1 { "Input format" } else { "Body" };
    view! {
        <div class="schema-tabs">
            {(n > 1).then(|| view! {
                <p class="muted schema-tabs__help">{format!("The body takes one of {n} input formats:")}</p>
            })}
            <div role="tablist" aria-label=kind class="schema-tablist" on:keydown=on_key>
                {tabs}
            </div>
            <div role="tabpanel" id="schema-panel" class="schema-panel" tabindex="0"
                aria-labelledby=move || format!("schema-tab-{}", variant.get())>
                {move || {
                    let i = variant.get().min(n.saturating_sub(1));
                    let (label, node, path) = op.variants[i].clone();
                    let example = spec.example_body(node);
                    let given = !spec.examples(node).is_empty();
                    view! {
                        <TreeWithDetails spec=spec.clone() id=format!("tree-req-{i}") label=format!("Schema of {label}")
                            root_path=path root=node expanded=expanded selected=selected focus_req=focus_req focus_done=focus_done reveal=reveal
                            name=name.clone() op_path=op.path.clone() variant_label=Some(label.clone())/>
                        <details class="schema-example">
                            <summary>{if given { "Example (from the schema)" } else { "Example (made up from the schema)" }}</summary>
                            <pre class="schema-pre" data-testid="schema-example" tabindex="0" role="region" aria-label="Example body">{example}</pre>
                        </details>
                    }
                }}
            </div>
        </div>
    }
}

/// A tree and the details of its selected row.
#[component]
#[allow(clippy::too_many_arguments)]
fn TreeWithDetails(
    spec: Arc<Spec>,
    id: String,
    label: String,
    root_path: String,
    root: NodeId,
    expanded: RwSignal<HashSet<String>>,
    selected: RwSignal<Option<String>>,
    focus_req: RwSignal<u64>,
    focus_done: StoredValue<u64>,
    reveal: Callback<String>,
    name: String,
    op_path: String,
    variant_label: Option<String>,
) -> impl IntoView {
    let flat_spec = spec.clone();
    let flat_root = root_path.clone();
    let rows =
        Memo::new(move |_| expanded.with(|e| flat_spec.flatten(&flat_root, root, e, MAX_ROWS)));
    let all_spec = spec.clone();
    let all_root = root_path.clone();
    let expand_all = move |_| {
        let open = all_spec.expand_all(&all_root, root, EXPAND_ALL_ROWS);
        expanded.update(|e| e.extend(open));
    };
    let col_root = root_path.clone();
    let collapse_all = move |_| {
        let prefix = format!("{col_root}/");
        expanded.update(|e| e.retain(|p| !p.starts_with(&prefix)));
    };
    let count = move || rows.with(|r| r.len());
    let detail_row = Memo::new(move |_| {
        let sel = selected.get()?;
        rows.with(|r| r.iter().find(|x| x.path == sel).cloned())
    });
    let tree_id = id.clone();
    view! {
        <div class="schema-tree-wrap">
            <div class="schema-toolbar">
                <button type="button" class="button button--ghost" on:click=expand_all>"Expand all"</button>
                <button type="button" class="button button--ghost" on:click=collapse_all>"Collapse all"</button>
                <span class="muted" data-testid="schema-row-count">{move || match count() {
                    0 => "No properties.".to_string(),
                    1 => "1 row".to_string(),
                    n => format!("{n} rows"),
                }}</span>
            </div>
            <div class="schema-tree-grid">
                <SchemaTree id=tree_id label=label rows=rows root_path=root_path expanded=expanded selected=selected
                    focus_req=focus_req focus_done=focus_done reveal=reveal/>
                {move || detail_row.get().map(|r| view! {
                    <Details spec=spec.clone() row=r name=name.clone() op_path=op_path.clone() variant_label=variant_label.clone()/>
                })}
            </div>
        </div>
    }
}

/// The virtualised tree (WAI-ARIA tree view; only rows in view are in the DOM).
#[component]
fn SchemaTree(
    id: String,
    label: String,
    rows: Memo<Vec<Row>>,
    root_path: String,
    expanded: RwSignal<HashSet<String>>,
    selected: RwSignal<Option<String>>,
    focus_req: RwSignal<u64>,
    focus_done: StoredValue<u64>,
    reveal: Callback<String>,
) -> impl IntoView {
    let viewport = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let height = RwSignal::new(ROW_H * 16.0);
    let measure = move || {
        if let Some(el) = viewport.get_untracked() {
            scroll_top.set(el.scroll_top() as f64);
            let h = el.client_height() as f64;
            if h > 0.0 {
                height.set(h);
            }
        }
    };
    Effect::new(move |_| {
        if viewport.get().is_some() {
            measure();
        }
    });
    let range = Memo::new(move |_| {
        let n = rows.with(|r| r.len());
        let (first, end) = visible_range(scroll_top.get(), height.get(), ROW_H, n, OVERSCAN);
        (first, end, n)
    });
    let row_id = {
        let id = id.clone();
        move |path: &str| format!("{id}-{}", hash_id(path))
    };
    // Bring the selected row into view and focus it when asked to.
    let focus_row_id = row_id.clone();
    Effect::new(move |_| {
        let tick = focus_req.get();
        // Each request is handled once, even by a tree mounted after it was made.
        if tick <= focus_done.get_value() {
            return;
        }
        let Some(sel) = selected.get_untracked() else {
            return;
        };
        let Some(idx) = rows.with_untracked(|r| r.iter().position(|x| x.path == sel)) else {
            return;
        };
        focus_done.set_value(tick);
        if let Some(el) = viewport.get_untracked() {
            let top = idx as f64 * ROW_H;
            let h = height.get_untracked();
            let st = el.scroll_top() as f64;
            if top < st || top + ROW_H > st + h {
                let to = (top - h / 3.0).max(0.0);
                el.set_scroll_top(to as i32);
                scroll_top.set(to);
            }
        }
        let target = focus_row_id(&sel);
        request_animation_frame(move || focus_id(&target));
    });
    let toggle = move |path: &str| {
        let p = path.to_string();
        expanded.update(|e| {
            if !e.remove(&p) {
                e.insert(p);
            }
        });
    };
    let root_for_cycle = root_path.clone();
    let go_cycle = move |to: String| {
        if to == root_for_cycle {
            // The cycle leads back to the tree's root: go to its first row.
            let first = rows.with_untracked(|r| r.first().map(|x| x.path.clone()));
            if let Some(f) = first {
                selected.set(Some(f));
                focus_req.update(|n| *n += 1);
            }
        } else {
            reveal.run(to);
        }
    };
    let go_cycle_k = go_cycle.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let key = ev.key();
        if !matches!(
            key.as_str(),
            "ArrowDown" | "ArrowUp" | "Home" | "End" | "ArrowRight" | "ArrowLeft" | "Enter" | " "
        ) {
            return;
        }
        ev.prevent_default();
        // The current row and what to do, read first; signals are changed afterwards.
        let Some((cur, len, row, parent)) = rows.with_untracked(|r| {
            if r.is_empty() {
                return None;
            }
            let cur = selected
                .get_untracked()
                .and_then(|p| r.iter().position(|x| x.path == p))
                .unwrap_or(0);
            let row = r[cur].clone();
            let parent = (0..cur).rev().find(|i| r[*i].depth + 1 == row.depth);
            Some((cur, r.len(), row, parent))
        }) else {
            return;
        };
        let moved = match key.as_str() {
            "ArrowDown" => Some((cur + 1).min(len - 1)),
            "ArrowUp" => Some(cur.saturating_sub(1)),
            "Home" => Some(0),
            "End" => Some(len - 1),
            "ArrowRight" if row.expandable && !row.expanded => {
                toggle(&row.path);
                Some(cur)
            }
            "ArrowRight" if row.expanded => Some((cur + 1).min(len - 1)),
            "ArrowLeft" if row.expanded => {
                toggle(&row.path);
                Some(cur)
            }
            "ArrowLeft" => parent.or(Some(cur)),
            "Enter" | " " => match row.cycle_to.clone() {
                Some(to) => {
                    go_cycle_k(to);
                    None
                }
                None => {
                    if row.expandable {
                        toggle(&row.path);
                    }
                    Some(cur)
                }
            },
            _ => None,
        };
        if let Some(i) = moved {
            if let Some(p) = rows.with_untracked(|r| r.get(i).map(|x| x.path.clone())) {
                selected.set(Some(p));
                focus_req.update(|n| *n += 1);
            }
        }
    };
    let tree_dom_id = id.clone();
    let visible = move || {
        let (a, b, _) = range.get();
        let sel = selected.get();
        let sel_in = rows.with(|r| sel.as_ref().is_some_and(|s| r.iter().any(|x| &x.path == s)));
        rows.with(|r| {
            r[a..b]
                .iter()
                .enumerate()
                .map(|(k, row)| {
                    let i = a + k;
                    let is_sel = sel.as_deref() == Some(row.path.as_str());
                    let tab = if is_sel || (!sel_in && i == 0) {
                        "0"
                    } else {
                        "-1"
                    };
                    let path = row.path.clone();
                    let cycle = row.cycle_to.clone();
                    let expandable = row.expandable;
                    let go = go_cycle.clone();
                    let on_click = move |_| {
                        selected.set(Some(path.clone()));
                        if let Some(to) = cycle.clone() {
                            go(to);
                        } else if expandable {
                            toggle(&path);
                        }
                    };
                    render_row(row, row_id(&row.path), tab, is_sel, on_click)
                })
                .collect_view()
        })
    };
    let pad_top = move || format!("{}px", range.get().0 as f64 * ROW_H);
    let pad_bottom = move || {
        let (_, b, n) = range.get();
        format!("{}px", (n - b) as f64 * ROW_H)
    };
    view! {
        <div class="schema-tree" node_ref=viewport role="tree" id=tree_dom_id aria-label=label
            data-testid="schema-tree" on:scroll=move |_| measure() on:keydown=on_key>
            <div class="schema-tree__inner" role="none" style:padding-top=pad_top style:padding-bottom=pad_bottom>
                {visible}
            </div>
        </div>
    }
}

fn render_row(
    row: &Row,
    dom_id: String,
    tabindex: &'static str,
    is_sel: bool,
    on_click: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let i = &row.info;
    let twisty = match (row.expandable, row.expanded) {
        (true, true) => "▾",
        (true, false) => "▸",
        _ => "",
    };
    let mut extras: Vec<String> = Vec::new();
    if !i.enum_values.is_empty() {
        let shown: Vec<&str> = i.enum_values.iter().take(4).map(String::as_str).collect();
        let more = i.enum_count.saturating_sub(shown.len());
        extras.push(if more > 0 {
            format!("one of {} … (+{more})", shown.join(", "))
        } else {
            format!("one of {}", shown.join(", "))
        });
    }
    if let Some(d) = &i.default {
        extras.push(format!("default {d}"));
    }
    if let Some(c) = &i.constant {
        extras.push(format!("= {c}"));
    }
    extras.extend(i.constraints.iter().cloned());
    let desc = i
        .description
        .as_deref()
        .map(|d| d.lines().next().unwrap_or("").to_string())
        .filter(|d| !d.is_empty());
    view! {
        <div role="treeitem" id=dom_id class="tree-row" class:tree-row--selected=is_sel
            aria-setsize=row.size.to_string() aria-posinset=row.pos.to_string()
            aria-expanded=row.expandable.then_some(if row.expanded { "true" } else { "false" })
            aria-selected=if is_sel { "true" } else { "false" }
            tabindex=tabindex data-path=row.path.clone() data-testid="schema-row"
            style:padding-left=format!("{}rem", 0.25 + (row.depth.saturating_sub(1)) as f64 * 1.1)
            on:click=on_click>
            <span class="tree-row__twisty" aria-hidden="true">{twisty}</span>
            <span class="tree-row__name">{row.label.clone()}</span>" "
            {row.required.then(|| view! { <span class="tree-row__req">"required"</span>" " })}
            <span class="tree-row__type">{i.type_label.clone()}</span>" "
            {i.ref_name.clone().filter(|_| row.cycle_to.is_none() && i.ref_error.is_none()).map(|n| view! { <span class="tree-row__ref">{format!("→ {n}")}</span>" " })}
            {row.cycle_to.as_ref().map(|_| view! { <span class="tree-row__cycle" data-testid="schema-cycle">{format!("↻ cycle to {}", i.ref_name.clone().unwrap_or_default())}</span>" " })}
            {i.ref_error.as_ref().map(|_| view! { <span class="tree-row__err">"unresolved $ref"</span>" " })}
            {(!i.flags.is_empty()).then(|| view! { <span class="tree-row__extra">{i.flags.join(", ")}</span>" " })}
            {(!extras.is_empty()).then(|| view! { <span class="tree-row__extra">{extras.join(" · ")}</span>" " })}
            {desc.map(|d| view! { <span class="tree-row__desc">{d}</span> })}
        </div>
    }
    // tachys has no typed `aria-level`.
    .attr("aria-level", row.depth.to_string())
}

/// Everything about the selected row, with a permalink.
#[component]
fn Details(
    spec: Arc<Spec>,
    row: Row,
    name: String,
    op_path: String,
    variant_label: Option<String>,
) -> impl IntoView {
    let i = row.info.clone();
    let link = schema_href(&name, &op_path, variant_label.as_deref(), Some(&row.path));
    let examples: Vec<String> = spec
        .examples(row.node)
        .into_iter()
        .take(3)
        .map(|e| {
            let t = spec.doc.to_json(e, true);
            if t.len() > 20_000 {
                format!("{}…", t.chars().take(20_000).collect::<String>())
            } else {
                t
            }
        })
        .collect();
    let fact = |label: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{label}</dt><dd class="break">{v}</dd> })
    };
    let enum_text = (!i.enum_values.is_empty()).then(|| {
        let more = i.enum_count.saturating_sub(i.enum_values.len());
        let mut t = i.enum_values.join(", ");
        if more > 0 {
            t.push_str(&format!(" … and {more} more"));
        }
        t
    });
    view! {
        <aside class="schema-details" aria-label="Details of the selected node" data-testid="schema-details">
            <h4 class="schema-details__title">{row.label.clone()}</h4>
            <dl class="facts">
                {fact("Type", Some(i.type_label.clone()))}
                {fact("Required", row.required.then(|| "yes".to_string()))}
                {fact("Defined as", i.ref_name.clone())}
                {fact("Problem", i.ref_error.clone())}
                {fact("Cycle", row.cycle_to.as_ref().map(|_| "refers back to an enclosing schema; not expanded again".to_string()))}
                {fact("Title", i.title.clone())}
                {fact("Values", enum_text)}
                {fact("Default", i.default.clone())}
                {fact("Constant", i.constant.clone())}
                {fact("Constraints", (!i.constraints.is_empty()).then(|| i.constraints.join(" · ")))}
                {fact("Flags", (!i.flags.is_empty()).then(|| i.flags.join(", ")))}
            </dl>
            {i.description.clone().map(|d| view! { <p class="schema-details__desc" data-testid="schema-description">{d}</p> })}
            {examples.into_iter().map(|e| view! { <p class="muted">"Example"</p><pre class="schema-pre" tabindex="0" role="region" aria-label="Example value">{e}</pre> }).collect_view()}
            <p><a href=link data-testid="schema-permalink">"Link to this node"</a></p>
        </aside>
    }
}

#[derive(Clone, PartialEq)]
enum Check {
    /// Not JSON: message, line, column, byte offset.
    Json(String, usize, usize, usize),
    /// Schema problems with their line and column.
    Issues(Vec<(Issue, usize, usize)>),
}

/// The request builder for the selected input format.
#[component]
#[allow(clippy::too_many_arguments)]
fn RequestBuilder(
    spec: Arc<Spec>,
    op: OpView,
    variant: RwSignal<usize>,
    drafts: RwSignal<HashMap<String, String>>,
    name: String,
    server: Option<String>,
    state: Memo<Option<DisplayState>>,
    level: Memo<Option<PermissionLevel>>,
) -> impl IntoView {
    let ctx = Ctx::expect();
    let toasts = Toasts::expect();
    let op = StoredValue::new(op);
    let key = move || {
        let v = variant.get();
        op.with_value(|o| format!("{}\u{0}{v}", o.path))
    };
    let ex_spec = spec.clone();
    let example_of = move |v: usize| {
        op.with_value(|o| o.variants.get(v).map(|x| ex_spec.example_body(x.1)))
            .unwrap_or_default()
    };
    let example_of_t = example_of.clone();
    let text = Memo::new(move |_| {
        let k = key();
        drafts
            .with(|d| d.get(&k).cloned())
            .unwrap_or_else(|| example_of_t(variant.get()))
    });
    let editor = NodeRef::<leptos::html::Textarea>::new();
    // Put the text in the editor when the input format changes or on reset (typing does not
    // come back here, so the caret never jumps).
    let reset_tick = RwSignal::new(0u32);
    Effect::new(move |_| {
        reset_tick.track();
        variant.track();
        let t = text.get_untracked();
        if let Some(el) = editor.get() {
            if el.value() != t {
                el.set_value(&t);
            }
        }
    });
    let check_spec = spec.clone();
    let check = Memo::new(move |_| {
        let t = text.get();
        let v = variant.get();
        let schema = op.with_value(|o| o.variants.get(v).map(|x| x.1));
        match Doc::parse(&t) {
            Err(e) => {
                let (l, c) = line_col(&t, e.offset);
                Check::Json(e.message, l, c, e.offset)
            }
            Ok(d) => {
                let mut issues = match schema {
                    Some(s) => {
                        let mut i = validate(&check_spec, s, &d);
                        i.extend(serving_checks(&check_spec, s, &d));
                        i
                    }
                    None => Vec::new(),
                };
                issues.sort_by_key(|i| i.offset);
                Check::Issues(
                    issues
                        .into_iter()
                        .map(|i| {
                            let (l, c) = line_col(&t, i.offset);
                            (i, l, c)
                        })
                        .collect(),
                )
            }
        }
    });
    let invalid = move || !matches!(check.get(), Check::Issues(ref v) if v.is_empty());
    let sending = RwSignal::new(false);
    let result: RwSignal<Option<Result<Invocation, ApiError>>> = RwSignal::new(None);
    let reason = Memo::new(move |_| {
        let s = state.get();
        match s {
            Some(DisplayState::NotReadyStopped) => {
                return Some("The endpoint is stopped: start it to send queries.".to_string())
            }
            Some(ref s) if !s.is_serving() => {
                return Some(format!(
                    "The endpoint is not ready ({}): it cannot be queried now.",
                    s.label()
                ))
            }
            _ => {}
        }
        if level.get() == Some(PermissionLevel::CanView) {
            return Some(
                "You can view this endpoint but not query it (querying needs Can Query)."
                    .to_string(),
            );
        }
        if let Check::Json(..) = check.get() {
            return Some("Fix the JSON first.".to_string());
        }
        None
    });
    let send_name = name.clone();
    let api = ctx.api.clone();
    let send = move |_| {
        if reason.get_untracked().is_some() || sending.get_untracked() {
            return;
        }
        sending.set(true);
        let body = text.get_untracked();
        let path = op.with_value(|o| o.path.clone());
        let api = api.clone();
        let n = send_name.clone();
        leptos::task::spawn_local(async move {
            let r = api.invoke(&n, &path, body, None).await;
            result.try_set(Some(r));
            sending.try_set(false);
        });
    };
    let reset_example = example_of.clone();
    let reset = move |_| {
        let k = key();
        let ex = reset_example(variant.get_untracked());
        drafts.update(|d| {
            d.insert(k, ex);
        });
        reset_tick.update(|t| *t += 1);
    };
    let on_input = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        let k = key();
        drafts.update(|d| {
            d.insert(k, v);
        });
    };
    let edited = move || {
        let k = key();
        drafts
            .with(|d| d.get(&k).cloned())
            .is_some_and(|t| t != example_of(variant.get()))
    };
    // Snippets.
    let server_url =
        server.unwrap_or_else(|| format!("https://<workspace-host>/serving-endpoints/{name}"));
    let snippet_name = name.clone();
    let snippets_of = move || {
        let body = text.get();
        let op_path = op.with_value(|o| o.path.clone());
        let url = snippets::url(&server_url, &op_path);
        let host = snippets::host_of(&server_url);
        let sdk_path = format!("/serving-endpoints/{snippet_name}{op_path}");
        vec![
            ("curl", "curl", Some(snippets::curl(&url, &body))),
            (
                "python",
                "Python (requests)",
                snippets::python_requests(&url, &body),
            ),
            (
                "sdk",
                "Databricks SDK for Python",
                snippets::databricks_sdk(&host, &snippet_name, &sdk_path, &body),
            ),
        ]
    };
    let status_line = move || match check.get() {
        Check::Json(m, l, c, _) => format!("Not valid JSON: {m} (line {l}, column {c})."),
        Check::Issues(v) if v.is_empty() => {
            let label = op.with_value(|o| o.variants.get(variant.get()).map(|x| x.0.clone()));
            format!(
                "Valid for {}.",
                label.unwrap_or_else(|| "the schema".into())
            )
        }
        Check::Issues(v) if v.len() == 1 => "1 problem:".to_string(),
        Check::Issues(v) => format!("{} problems:", v.len()),
    };
    let problems = move || {
        let t = text.get();
        let items: Vec<(String, String, usize)> = match check.get() {
            Check::Json(m, l, c, off) => vec![(format!("Line {l}, column {c}"), m, off)],
            Check::Issues(v) => v
                .into_iter()
                .map(|(i, l, c)| {
                    (
                        format!("Line {l}, column {c}, {}", i.field),
                        i.message,
                        i.offset,
                    )
                })
                .collect(),
        };
        items
            .into_iter()
            .map(|(at, msg, off)| {
                let t = t.clone();
                view! {
                    <li class="schema-problem" data-testid="schema-problem">
                        <span class="schema-problem__at">{at}</span>": "{msg}" "
                        <button type="button" class="button button--ghost schema-problem__go"
                            on:click=move |_| select_in_editor("schema-body", &t, off, token_end(&t, off))>
                            "Show"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="schema-builder" data-testid="schema-builder">
            <label class="field__label" for="schema-body">
                {move || {
                    let label = op.with_value(|o| o.variants.get(variant.get()).map(|x| x.0.clone())).unwrap_or_default();
                    format!("Request body (JSON, {label})")
                }}
            </label>
            <textarea id="schema-body" class="schema-editor" node_ref=editor spellcheck="false" rows="14"
                autocomplete="off" autocapitalize="off" data-testid="schema-body"
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby="schema-body-status schema-body-problems"
                on:input=on_input>{text.get_untracked()}</textarea>
            <p id="schema-body-status" class="schema-body-status" class:schema-body-status--bad=invalid
                data-testid="schema-body-status">{status_line}</p>
            <ul id="schema-body-problems" class="schema-problems">{problems}</ul>
            <div class="schema-actions">
                <button type="button" class="button" data-testid="schema-send"
                    aria-disabled=move || if reason.get().is_some() || sending.get() { "true" } else { "false" }
                    aria-describedby="schema-send-reason" on:click=send>
                    {move || if sending.get() { "Sending…" } else { "Send request" }}
                </button>
                <button type="button" class="button button--ghost" on:click=reset
                    disabled=move || !edited()>"Reset to the example"</button>
                <span id="schema-send-reason" class="muted" data-testid="schema-send-reason">
                    {move || reason.get().unwrap_or_else(|| {
                        let p = op.with_value(|o| o.path.clone());
                        format!("Sends POST /serving-endpoints/{name}{p}")
                    })}
                </span>
            </div>
            <div class="schema-result" role="status" data-testid="schema-result">
                {move || result.get().map(|r| match r {
                    Ok(inv) => {
                        let ok = (200..300).contains(&inv.status);
                        let pretty = match Doc::parse(&inv.body) {
                            Ok(d) => d.to_json(d.root(), true),
                            Err(_) => inv.body.clone(),
                        };
                        let shown = if pretty.len() > RESPONSE_SHOWN {
                            format!("{}… (cut at {RESPONSE_SHOWN} characters)", pretty.chars().take(RESPONSE_SHOWN).collect::<String>())
                        } else {
                            pretty
                        };
                        view! {
                            <p class="schema-result__line" class:schema-result__line--bad=!ok data-testid="schema-result-line">
                                {format!("HTTP {} {} · {:.0} ms", inv.status, reason_phrase(inv.status), inv.latency_ms)}
                            </p>
                            <pre class="schema-pre" data-testid="schema-response" tabindex="0" role="region" aria-label="Response body">{shown}</pre>
                        }.into_any()
                    }
                    Err(e) => view! {
                        <p class="schema-result__line schema-result__line--bad" data-testid="schema-result-line">
                            {format!("No answer: {}", e.message())}
                        </p>
                    }.into_any(),
                })}
            </div>
            <details class="schema-copy">
                <summary>"Copy as curl, Python or Databricks SDK"</summary>
                <p class="muted">"The snippets read the token from $DATABRICKS_TOKEN; no token of yours is put in them."</p>
                {move || snippets_of().into_iter().map(|(id, title, code)| {
                    let hid = format!("schema-snippet-{id}");
                    match code {
                        Some(code) => {
                            let c = code.clone();
                            view! {
                                <section class="schema-snippet" aria-labelledby=hid.clone()>
                                    <h4 id=hid.clone()>{title}</h4>
                                    <button type="button" class="button button--ghost" data-testid=format!("copy-{id}")
                                        on:click=move |_| {
                                            let c = c.clone();
                                            leptos::task::spawn_local(async move {
                                                if copy_to_clipboard(c).await {
                                                    toasts.push(ToastKind::Info, format!("Copied the {title} snippet."));
                                                } else {
                                                    toasts.push(ToastKind::Error, "The browser did not allow copying; select the text and copy it.");
                                                }
                                            });
                                        }>{format!("Copy {title}")}</button>
                                    <pre class="schema-pre" data-testid=format!("snippet-{id}") tabindex="0" role="region" aria-label=format!("{title} snippet")>{code}</pre>
                                </section>
                            }.into_any()
                        }
                        None => view! {
                            <section class="schema-snippet" aria-labelledby=hid.clone()>
                                <h4 id=hid.clone()>{title}</h4>
                                <p class="muted">"Fix the JSON to get this snippet."</p>
                            </section>
                        }.into_any(),
                    }
                }).collect_view()}
            </details>
        </div>
    }
}
