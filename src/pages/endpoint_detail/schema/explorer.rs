//! The explorer of a loaded document: the operations, search, and the input formats as tabs.

use super::*;

/// One operation as the explorer uses it.
#[derive(Clone, PartialEq)]
pub(super) struct OpView {
    pub(super) path: String,
    pub(super) method: String,
    pub(super) node: NodeId,
    /// (label, schema, path from the operation).
    pub(super) variants: Vec<(String, NodeId, String)>,
    pub(super) responses: Vec<ResponseInfo>,
    pub(super) has_body: bool,
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
pub(super) fn Explorer(
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
                                <span class="schema-op__method">{api_text(&o.method).into_owned()}</span>
                                " "
                                <code>{api_text(&o.path).into_owned()}</code>
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
                    let heading = format!("Response {}", api_text(status));
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
                    {api_text(l).into_owned()}
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
                        <TreeWithDetails spec=spec.clone() id=format!("tree-req-{i}") label=format!("Schema of {}", api_text(&label))
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
