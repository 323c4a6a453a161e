//! The leave guard for unsaved permission edits ([`PermissionDrafts`]) and config edits
//! ([`ConfigDrafts`]), mounted once by the console.

use crate::components::{Dialog, DialogRole};
use crate::context::{ConfigDrafts, PermissionDrafts};
use crate::links::{self, Tab};
use crate::model::format::api_text;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The leave guard for unsaved permission edits: the browser's own prompt on reload or close,
/// and a dialog before an in-app link leaves the endpoint whose draft is unsaved (switching
/// between the endpoint's tabs keeps the draft and does not ask). Mount once, inside the router.
#[component]
pub fn PermissionsGuard() -> impl IntoView {
    let drafts = PermissionDrafts::expect();
    let configs = ConfigDrafts::expect();
    // (endpoint name, is it a config edit) of every unsaved edit.
    let dirty = move || {
        let mut v: Vec<(String, bool)> = drafts
            .dirty_names()
            .into_iter()
            .map(|n| (n, false))
            .collect();
        v.extend(configs.dirty_names().into_iter().map(|n| (n, true)));
        v
    };
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    // (endpoint name, target href, is it a config edit) of a blocked navigation.
    let pending: RwSignal<Option<(String, String, bool)>> = RwSignal::new(None);

    let before_unload = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if !dirty().is_empty() {
            ev.prevent_default();
            let _ = js_sys::Reflect::set(&ev, &"returnValue".into(), &"".into());
        }
    });
    let on_click =
        Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(a) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten())
            else {
                return;
            };
            if a.get_attribute("target")
                .is_some_and(|t| !t.is_empty() && t != "_self")
                || a.has_attribute("download")
            {
                return;
            }
            let href = a.get_attribute("href").unwrap_or_default();
            let origin = window().location().origin().unwrap_or_default();
            let target_path = href.strip_prefix(&origin).unwrap_or(&href).to_string();
            if !target_path.starts_with('/') {
                return;
            }
            let here = window().location().pathname().unwrap_or_default();
            let target_only_path = target_path
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .to_string();
            for (n, config) in dirty() {
                let prefix = links::endpoint(&n, Tab::Overview);
                let inside = |p: &str| p == prefix || p.starts_with(&format!("{prefix}/"));
                if inside(&here) && !inside(&target_only_path) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    pending.set(Some((n, target_path, config)));
                    return;
                }
            }
        });
    let w = window();
    let _ =
        w.add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    let held = send_wrapper::SendWrapper::new((before_unload, on_click));
    on_cleanup(move || {
        let (b, c) = held.take();
        let w = window();
        let _ = w.remove_event_listener_with_callback("beforeunload", b.as_ref().unchecked_ref());
        let _ = w.remove_event_listener_with_callback_and_bool(
            "click",
            c.as_ref().unchecked_ref(),
            true,
        );
    });

    let open = Signal::derive(move || pending.with(Option::is_some));
    let close = Callback::new(move |_| pending.set(None));
    let text = Signal::derive(move || {
        pending
            .get()
            .map(|(n, _, config)| format!("You have unsaved {} changes on {}. If you leave this endpoint now, they are discarded.", if config { "configuration" } else { "permission" }, api_text(&n)))
            .unwrap_or_default()
    });
    view! {
        <Dialog id="perm-leave" role=DialogRole::AlertDialog open=open on_close=close
            title="Leave without saving?".to_string() description=text initial_focus="perm-leave-stay">
            <div class="dialog__actions">
                <button type="button" class="button" id="perm-leave-stay" on:click=move |_| close.run(())>"Stay"</button>
                <button type="button" class="button button--danger" data-testid="perm-leave-confirm"
                    on:click=move |_| {
                        if let Some((n, to, _)) = pending.get_untracked() {
                            drafts.discard_by_name(&n);
                            configs.discard(&n);
                            pending.set(None);
                            navigate.with_value(|nav| nav(&to, crate::links::nav_options()));
                        }
                    }>"Discard changes and leave"</button>
            </div>
        </Dialog>
    }
}
