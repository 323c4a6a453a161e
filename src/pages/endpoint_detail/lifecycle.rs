//! The detail header's lifecycle controls: Stop and Start, and the ⋮ menu (Delete; Copy name,
//! Copy id).
//!
//! - Availability comes from one pure function, [`lifecycle_rules`]; a disabled action stays
//!   focusable (`aria-disabled`) and carries its reason as its description (shown as a tooltip
//!   on hover and focus).
//! - Stop asks for confirmation (an alertdialog saying queries fail with HTTP 400 until it is
//!   started again); Start does not.
//! - Confirmed, not optimistic: after the request succeeds the button shows pending, the page
//!   polls fast, and [`Follow`] decides from fresh `GET`s when the state settled; then a toast
//!   tells the outcome. A failed request shows the Databricks message and nothing changes.
//! - One request per click: a synchronous guard drops a second click before the first
//!   request's answer (mutations are never retried).
//! - Delete opens an alertdialog gated by typing the endpoint's name; Escape, Cancel and the
//!   backdrop never delete; after success (or a 404: already gone) the list opens with a toast.

use super::DetailPage;
use crate::api::ApiError;
use crate::components::{Dialog, DialogRole, KebabMenu, MenuItem};
use crate::context::{ToastKind, Toasts, Workspace};
use crate::links;
use crate::model::actions::{delete_confirmed, lifecycle_rules, Blocked, LifecycleRules};
use crate::model::format::api_text;
use crate::model::lifecycle::{Follow, Lifecycle, Outcome};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

/// Element ids (one detail page at a time).
const STOP_ID: &str = "endpoint-stop";
const START_ID: &str = "endpoint-start";
const MENU_ID: &str = "endpoint-actions";
const STOP_DIALOG: &str = "stop-dialog";
const DELETE_DIALOG: &str = "delete-dialog";
const DELETE_INPUT: &str = "delete-confirm-input";

/// The toast text for a failed lifecycle request: what failed, the Databricks message and
/// code, and — when the answer never came — that the outcome is unknown.
pub fn action_error_text(verb: &str, name: &str, e: &ApiError) -> String {
    let code = match (e.status(), e.error_code()) {
        (Some(s), Some(c)) => format!(" (HTTP {s}, {})", api_text(c)),
        (Some(s), None) => format!(" (HTTP {s})"),
        _ => String::new(),
    };
    let unknown = match e {
        ApiError::Network(_) | ApiError::Timeout => {
            " The request may or may not have reached the workspace; the page shows the state the API reports."
        }
        _ => "",
    };
    format!(
        "Could not {verb} {}: {}{code}{unknown}",
        api_text(name),
        api_text(&e.message())
    )
}

/// Copy `text` to the clipboard and say how it went.
fn copy_to_clipboard(text: String, what: &'static str, toasts: Toasts) {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(navigator.as_ref(), &"clipboard".into())
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false);
    if !has_clipboard {
        toasts.push(
            ToastKind::Error,
            format!(
                "Copying is not available in this browser. The {what} is: {}",
                api_text(&text)
            ),
        );
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => toasts.push(
                ToastKind::Info,
                format!("Copied the {what}: {}", api_text(&text)),
            ),
            Err(_) => toasts.push(
                ToastKind::Error,
                format!(
                    "Could not copy (the browser refused). The {what} is: {}",
                    api_text(&text)
                ),
            ),
        }
    });
}

/// Stop, Start and the ⋮ menu, for the endpoint of the enclosing detail page.
#[component]
pub fn LifecycleControls() -> impl IntoView {
    let workspace = Workspace::expect();
    let detail = DetailPage::expect();
    let toasts = Toasts::expect();
    let navigate = use_navigate();
    let name = detail.name.get_value();

    let rules = Memo::new(move |_| {
        detail
            .poller
            .data
            .with(|d| d.as_ref().map(|d| lifecycle_rules(&d.0)))
    });
    let endpoint_id = Memo::new(move |_| {
        detail
            .poller
            .data
            .with(|d| d.as_ref().and_then(|d| d.0.id.clone()))
    });
    // The request in flight, and the action being followed after it succeeded.
    let busy = RwSignal::new(None::<Lifecycle>);
    let follow = RwSignal::new(None::<Follow>);
    // One request at a time, decided synchronously (a double click sends one request).
    let guard = StoredValue::new(false);
    let stop_open = RwSignal::new(false);

    // Every fresh answer of the poller decides whether the followed action settled.
    Effect::new(move |_| {
        let Some(d) = detail.poller.data.get() else {
            return;
        };
        let Some(mut f) = follow.get_untracked() else {
            return;
        };
        match f.observe(&d.0) {
            Outcome::Waiting => follow.set(Some(f)),
            Outcome::Succeeded(msg) => {
                follow.set(None);
                detail.fast_polls.set(0);
                toasts.push(ToastKind::Info, msg);
            }
            Outcome::Failed(msg) => {
                follow.set(None);
                detail.fast_polls.set(0);
                toasts.push(ToastKind::Error, msg);
            }
        }
    });

    let pending = move || {
        busy.get()
            .or_else(|| follow.with(|f| f.as_ref().map(|f| f.action)))
    };

    let run = {
        let api = workspace.api.clone();
        let name = name.clone();
        move |action: Lifecycle| {
            if guard.get_value() || pending().is_some() {
                return;
            }
            guard.set_value(true);
            busy.set(Some(action));
            let api = api.clone();
            let name = name.clone();
            leptos::task::spawn_local(async move {
                let result = match action {
                    Lifecycle::Stop => api.stop_endpoint(&name).await,
                    Lifecycle::Start => api.start_endpoint(&name).await,
                };
                // The page may have gone meanwhile: still say what happened.
                let alive = busy.try_set(None).is_none();
                guard.try_set_value(false);
                match result {
                    Ok(()) if alive => {
                        follow.set(Some(Follow::new(action)));
                        detail.follow_transition();
                    }
                    Ok(()) => toasts.push(
                        ToastKind::Info,
                        format!(
                            "{} requested for {}; open the endpoint to follow it.",
                            match action {
                                Lifecycle::Stop => "Stop",
                                Lifecycle::Start => "Start",
                            },
                            api_text(&name)
                        ),
                    ),
                    Err(e) => {
                        toasts.push(
                            ToastKind::Error,
                            action_error_text(action.verb(), &name, &e),
                        );
                        if alive {
                            detail.poller.refresh();
                        }
                    }
                }
            });
        }
    };

    // Why an action is unavailable right now (`None`: available).
    let reason_for = move |action: Lifecycle| -> Option<String> {
        if let Some(p) = pending() {
            return Some(match p {
                Lifecycle::Stop => "Stopping: waiting for the endpoint to stop.".to_string(),
                Lifecycle::Start => "Starting: waiting for the endpoint to start.".to_string(),
            });
        }
        let r: Option<LifecycleRules> = rules.get();
        let Some(r) = r else {
            return Some("The endpoint has not loaded yet.".to_string());
        };
        let rule: Result<(), Blocked> = match action {
            Lifecycle::Stop => r.stop,
            Lifecycle::Start => r.start,
        };
        rule.err().map(|b| b.reason())
    };

    let stop_run = run.clone();
    let confirm_stop = Callback::new(move |_: ()| {
        stop_open.set(false);
        stop_run(Lifecycle::Stop);
    });
    let start_run = run.clone();
    let on_stop = move |_| {
        if reason_for(Lifecycle::Stop).is_none() {
            stop_open.set(true);
        }
    };
    let on_start = move |_| {
        if reason_for(Lifecycle::Start).is_none() {
            start_run(Lifecycle::Start);
        }
    };

    // ---- The ⋮ menu ----
    let delete_open = RwSignal::new(false);
    let items = Signal::derive(move || {
        let delete_reason = rules.get().and_then(|r| r.delete.err()).map(|b| b.reason());
        let id_reason = endpoint_id
            .get()
            .is_none()
            .then(|| "This endpoint has no id.".to_string());
        vec![
            MenuItem::new("delete", "Delete…")
                .danger()
                .disabled(delete_reason),
            MenuItem::new("copy-name", "Copy name"),
            MenuItem::new("copy-id", "Copy id").disabled(id_reason),
        ]
    });
    let copy_name = name.clone();
    let on_select = Callback::new(move |key: &'static str| match key {
        "delete" => delete_open.set(true),
        "copy-name" => copy_to_clipboard(copy_name.clone(), "name", toasts),
        "copy-id" => {
            if let Some(id) = endpoint_id.get_untracked() {
                copy_to_clipboard(id, "id", toasts);
            }
        }
        _ => {}
    });

    let button = move |action: Lifecycle, id: &'static str, label: &'static str| {
        let reason_id = format!("{id}-reason");
        let described = reason_id.clone();
        let reason = move || reason_for(action);
        let on_click = move |ev: web_sys::MouseEvent| match action {
            Lifecycle::Stop => on_stop(ev),
            Lifecycle::Start => on_start(ev),
        };
        let class = match action {
            Lifecycle::Stop => "button button--ghost lifecycle__button",
            Lifecycle::Start => "button lifecycle__button",
        };
        view! {
            <span class="lifecycle__action">
                <button type="button" id=id class=class
                    aria-disabled=move || reason().map(|_| "true")
                    aria-describedby=move || reason().map(|_| described.clone())
                    aria-busy=move || (pending() == Some(action) ).then_some("true")
                    on:click=on_click>
                    {move || if pending() == Some(action) { action.progressive() } else { label }}
                </button>
                <span class="lifecycle__tip" role="tooltip" id=reason_id hidden=move || reason().is_none()>
                    {reason}
                </span>
            </span>
        }
    };

    let start_button = button.clone();
    let stop_title = Signal::stored(format!("Stop {}?", api_text(&name)));
    let stop_desc = Signal::stored(format!(
        "Stopping {} frees its compute. Until it is started again, queries to it fail \
         with HTTP 400. Starting it later rolls its configuration out again, which takes a while.",
        api_text(&name)
    ));
    let status = move || {
        pending().map(|p| match p {
            Lifecycle::Stop => "Stop requested: waiting for the endpoint to stop…",
            Lifecycle::Start => "Start requested: waiting for the endpoint to start…",
        })
    };

    view! {
        <div class="lifecycle" data-testid="lifecycle-actions">
            {button(Lifecycle::Stop, STOP_ID, "Stop")}
            {start_button(Lifecycle::Start, START_ID, "Start")}
            <KebabMenu id=MENU_ID label="More actions" items=items on_select=on_select/>
            <span class="lifecycle__status" role="status" data-testid="lifecycle-status">{status}</span>
        </div>
        <Dialog id=STOP_DIALOG open=stop_open role=DialogRole::AlertDialog
            title=stop_title description=stop_desc
            initial_focus="stop-dialog-cancel" return_focus=STOP_ID
            on_close=Callback::new(move |_| stop_open.set(false))>
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" id="stop-dialog-cancel"
                    on:click=move |_| stop_open.set(false)>"Cancel"</button>
                <button type="button" class="button button--danger" id="stop-dialog-confirm"
                    on:click=move |_| confirm_stop.run(())>"Stop endpoint"</button>
            </div>
        </Dialog>
        <DeleteDialog name=name.clone() open=delete_open navigate=Callback::new(move |path: String| {
            navigate(&path, crate::links::nav_options())
        })/>
    }
}

/// The delete confirmation: type the endpoint's name to enable Delete.
#[component]
fn DeleteDialog(
    /// The endpoint name.
    name: String,
    /// Open or closed.
    open: RwSignal<bool>,
    /// Go to a path in the app (the list, after delete).
    navigate: Callback<String>,
) -> impl IntoView {
    let workspace = Workspace::expect();
    let toasts = Toasts::expect();
    let typed = RwSignal::new(String::new());
    let deleting = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let guard = StoredValue::new(false);
    let expected = StoredValue::new(name.clone());
    let confirmed = move || expected.with_value(|n| delete_confirmed(&typed.get(), n));
    // A mismatch is only an error once the text can no longer become the name.
    let mismatch = move || {
        let t = typed.get();
        let t = t.trim_start();
        !t.is_empty() && expected.with_value(|n| !n.starts_with(t.trim_end()))
    };

    let close = Callback::new(move |_: ()| {
        // Never while the request is in flight: its answer decides what happens next.
        if deleting.get_untracked() {
            return;
        }
        open.set(false);
        typed.set(String::new());
        error.set(None);
    });

    let api = workspace.api.clone();
    let delete_name = name.clone();
    let submit = Callback::new(move |_: ()| {
        if !confirmed() || guard.get_value() {
            return;
        }
        guard.set_value(true);
        deleting.set(true);
        error.set(None);
        let api = api.clone();
        let name = delete_name.clone();
        leptos::task::spawn_local(async move {
            let result = api.delete_endpoint(&name).await;
            let alive = deleting.try_set(false).is_none();
            guard.try_set_value(false);
            let gone = match result {
                Ok(()) => {
                    toasts.push(ToastKind::Info, format!("Deleted {}.", api_text(&name)));
                    true
                }
                Err(ApiError::Http { status: 404, .. }) => {
                    toasts.push(
                        ToastKind::Info,
                        format!(
                            "{} no longer exists; it was already deleted.",
                            api_text(&name)
                        ),
                    );
                    true
                }
                Err(e) if alive => {
                    error.set(Some(e));
                    false
                }
                Err(e) => {
                    toasts.push(ToastKind::Error, action_error_text("delete", &name, &e));
                    false
                }
            };
            if gone && alive {
                open.set(false);
                navigate.run(links::list(&[]));
            }
        });
    });
    let title = Signal::stored(format!("Delete {}?", api_text(&name)));
    let desc = Signal::stored(format!(
        "This permanently deletes {}, its configuration and its history. Queries to it will \
         fail. This cannot be undone.",
        api_text(&name)
    ));
    let label_name = name.clone();
    view! {
        <Dialog id=DELETE_DIALOG open=open role=DialogRole::AlertDialog
            title=title description=desc initial_focus=DELETE_INPUT
            return_focus=format!("{MENU_ID}-button") on_close=close>
            <form on:submit=move |ev: web_sys::SubmitEvent| { ev.prevent_default(); submit.run(()); }>
                <div class="dialog__field">
                    <label for=DELETE_INPUT>"Type " <code>{label_name.clone()}</code> " to confirm"</label>
                    <input id=DELETE_INPUT class="input" type="text" autocomplete="off"
                        spellcheck="false" autocapitalize="off"
                        aria-invalid=move || if mismatch() { "true" } else { "false" }
                        aria-describedby="delete-confirm-hint"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                        disabled=move || deleting.get()/>
                    <p class="dialog__hint" id="delete-confirm-hint" data-testid="delete-hint">
                        {move || if mismatch() {
                            "That is not the endpoint's name. Type it exactly as shown.".to_string()
                        } else if confirmed() {
                            "The name matches: Delete is enabled.".to_string()
                        } else {
                            "Delete is enabled once the name matches exactly.".to_string()
                        }}
                    </p>
                </div>
                {move || error.get().map(|e| {
                    let code = e.error_code().map(|c| format!(" ({})", api_text(c))).unwrap_or_default();
                    let status = e.status().map(|s| format!("HTTP {s}: ")).unwrap_or_default();
                    view! {
                        <p class="dialog__error" role="alert" data-testid="delete-error">
                            {format!("Could not delete: {status}{}{code}", api_text(&e.message()))}
                        </p>
                    }
                })}
                <div class="dialog__actions">
                    <button type="button" class="button button--ghost" id="delete-dialog-cancel"
                        aria-disabled=move || deleting.get().then_some("true")
                        on:click=move |_| close.run(())>"Cancel"</button>
                    <button type="submit" class="button button--danger" id="delete-dialog-confirm"
                        disabled=move || !confirmed() || deleting.get()
                        aria-busy=move || deleting.get().then_some("true")
                        on:click=move |ev: web_sys::MouseEvent| { ev.prevent_default(); submit.run(()); }>
                        {move || if deleting.get() { "Deleting…" } else { "Delete endpoint" }}
                    </button>
                </div>
            </form>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::ErrorBody;

    #[test]
    fn action_errors_carry_the_databricks_message_and_code() {
        let e = ApiError::Http {
            status: 403,
            body: Some(ErrorBody::new(
                "PERMISSION_DENIED",
                "User does not have permission 'Manage' on Endpoint a",
                "req-1",
            )),
            text: None,
            retry_after: None,
        };
        assert_eq!(
            action_error_text("stop", "a", &e),
            "Could not stop a: User does not have permission 'Manage' on Endpoint a \
             (HTTP 403, PERMISSION_DENIED)"
        );
        let t = action_error_text("start", "a", &ApiError::Timeout);
        assert!(
            t.starts_with("Could not start a: No answer arrived in time."),
            "{t}"
        );
        assert!(
            t.contains("may or may not have reached the workspace"),
            "{t}"
        );
        let html = ApiError::Http {
            status: 502,
            body: None,
            text: Some("502 Bad Gateway".into()),
            retry_after: None,
        };
        let t = action_error_text("delete", "a", &html);
        assert!(t.contains("(HTTP 502)") && !t.contains('<'), "{t}");
    }
}
