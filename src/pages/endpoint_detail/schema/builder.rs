//! The request builder: the example body, validation at the field, send, and snippets.

use super::*;

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
pub(super) fn RequestBuilder(
    spec: Arc<Spec>,
    op: OpView,
    variant: RwSignal<usize>,
    drafts: RwSignal<HashMap<String, String>>,
    name: String,
    server: Option<String>,
    state: Memo<Option<DisplayState>>,
    level: Memo<Option<PermissionLevel>>,
) -> impl IntoView {
    let workspace = Workspace::expect();
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
    let api = workspace.api.clone();
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
                label.map_or_else(|| "the schema".into(), |l| api_text(&l).into_owned())
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
                        format!("Line {l}, column {c}, {}", api_text(&i.field)),
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
                    format!("Request body (JSON, {})", api_text(&label))
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
                        format!(
                            "Sends POST /serving-endpoints/{}{}",
                            api_text(&name),
                            api_text(&p)
                        )
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
                            <pre class="schema-pre" data-testid="schema-response" tabindex="0" role="region" aria-label="Response body">{api_text(&shown).into_owned()}</pre>
                        }.into_any()
                    }
                    Err(e) => view! {
                        <p class="schema-result__line schema-result__line--bad" data-testid="schema-result-line">
                            {format!("No answer: {}", api_text(&e.message()))}
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
                            // Copied exactly as it runs; shown with any bidi control visible.
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
                                    <pre class="schema-pre" data-testid=format!("snippet-{id}") tabindex="0" role="region" aria-label=format!("{title} snippet")>{api_text(&code).into_owned()}</pre>
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
