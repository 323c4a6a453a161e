//! A modal dialog on the native `<dialog>` element (`showModal()`): the rest of the page is
//! inert and the dialog sits in the top layer, so nothing else can be clicked or read.
//!
//! The WAI-ARIA dialog pattern, done fully:
//! - `role="dialog"` or `role="alertdialog"`, `aria-modal="true"`, `aria-labelledby` the title,
//!   `aria-describedby` the description;
//! - on open, focus goes to `initial_focus` (an element id) or the first focusable element;
//! - Tab and Shift+Tab wrap inside the dialog (the native modal already keeps focus out of the
//!   inert page; the wrap keeps it out of the browser chrome too);
//! - Escape, and a click on the backdrop, ask to close (`on_close`) — they never confirm;
//! - on close, focus returns to `return_focus` (an element id), else to the element that had
//!   focus when the dialog opened.
//!
//! The dialog is controlled: the parent owns `open` and sets it to `false` in `on_close`. The
//! body (`children`) is mounted anew each time it opens, so inputs start empty.

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// The ARIA role of a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DialogRole {
    /// An ordinary modal dialog (forms, previews).
    #[default]
    Dialog,
    /// A dialog that interrupts to confirm something consequential (delete, stop).
    AlertDialog,
}

impl DialogRole {
    /// The `role` attribute value.
    pub fn as_str(self) -> &'static str {
        match self {
            DialogRole::Dialog => "dialog",
            DialogRole::AlertDialog => "alertdialog",
        }
    }
}

/// What can take focus inside a dialog, in DOM order.
const FOCUSABLE: &str = "button:not([disabled]), input:not([disabled]), select:not([disabled]), \
     textarea:not([disabled]), a[href], [tabindex]:not([tabindex=\"-1\"])";

/// The focusable elements inside `root`, in DOM order.
pub fn focusable_in(root: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

fn active_element() -> Option<web_sys::HtmlElement> {
    document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

fn by_id(id: &str) -> Option<web_sys::HtmlElement> {
    document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// A modal dialog. See the module documentation for the behaviour.
#[component]
pub fn Dialog(
    /// Extra classes on the `<dialog>` element.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Id prefix: the dialog is `{id}`, its title `{id}-title`, its description `{id}-desc`.
    #[prop(into)]
    id: String,
    /// Whether the dialog is open (owned by the parent).
    #[prop(into)]
    open: Signal<bool>,
    /// Called when the user asks to close (Escape, backdrop, or a button that calls it).
    on_close: Callback<()>,
    /// `dialog` (default) or `alertdialog`.
    #[prop(optional)]
    role: DialogRole,
    /// The title, shown as the dialog's heading and used as its accessible name.
    #[prop(into)]
    title: Signal<String>,
    /// A description paragraph under the title, referenced by `aria-describedby`.
    #[prop(optional, into)]
    description: Option<Signal<String>>,
    /// Id of an element in `children` that describes the dialog, when there is no
    /// `description` (e.g. a list).
    #[prop(optional, into)]
    described_by: Option<String>,
    /// Id of the element to focus on open; default: the first focusable element.
    #[prop(optional, into)]
    initial_focus: Option<String>,
    /// Id of the element to focus on close; default: the element focused before opening.
    #[prop(optional, into)]
    return_focus: Option<String>,
    /// The body: fields and the action buttons.
    children: ChildrenFn,
) -> impl IntoView {
    let node = NodeRef::<html::Dialog>::new();
    let title_id = format!("{id}-title");
    let heading_id = title_id.clone();
    let desc_id = if description.is_some() {
        Some(format!("{id}-desc"))
    } else {
        described_by.clone()
    };
    let previous: StoredValue<Option<SendWrapper<web_sys::HtmlElement>>> = StoredValue::new(None);

    // Open/close the native dialog after the DOM is there; move focus in and back.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        let Some(dialog) = node.get() else {
            return false;
        };
        if is_open && !dialog.open() {
            previous.set_value(active_element().map(SendWrapper::new));
            if dialog.show_modal().is_err() {
                // Not connected or already modal elsewhere: fall back to a non-modal open.
                dialog.set_open(true);
            }
            // The body mounts in the same tick: focus once it is in the DOM.
            let initial = initial_focus.clone();
            let dialog = SendWrapper::new(dialog.clone());
            set_timeout(
                move || {
                    let target = initial
                        .as_deref()
                        .and_then(by_id)
                        .or_else(|| focusable_in(&dialog).into_iter().next());
                    if let Some(t) = target {
                        let _ = t.focus();
                    }
                },
                std::time::Duration::ZERO,
            );
        } else if !is_open && dialog.open() {
            dialog.close();
        }
        if !is_open && was_open == Some(true) {
            let back = return_focus
                .as_deref()
                .and_then(by_id)
                .filter(|e| e.is_connected())
                .or_else(|| {
                    previous
                        .try_update_value(|p| p.take())
                        .flatten()
                        .map(SendWrapper::take)
                        .filter(|e| e.is_connected())
                });
            if let Some(b) = back {
                let _ = b.focus();
            }
        }
        is_open
    });
    on_cleanup(move || {
        if let Some(d) = node.get_untracked() {
            if d.open() {
                d.close();
            }
        }
    });

    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        match ev.key().as_str() {
            "Escape" => {
                // Keep the native close from running: the parent decides.
                ev.prevent_default();
                ev.stop_propagation();
                on_close.run(());
            }
            "Tab" => {
                let Some(dialog) = node.get_untracked() else {
                    return;
                };
                let items = focusable_in(&dialog);
                let (Some(first), Some(last)) = (items.first(), items.last()) else {
                    ev.prevent_default();
                    return;
                };
                let active = active_element();
                let at = |el: &web_sys::HtmlElement| active.as_ref() == Some(el);
                let inside = active
                    .as_ref()
                    .is_some_and(|a| dialog.contains(Some(a.unchecked_ref())));
                if ev.shift_key() && (at(first) || !inside) {
                    ev.prevent_default();
                    let _ = last.focus();
                } else if !ev.shift_key() && (at(last) || !inside) {
                    ev.prevent_default();
                    let _ = first.focus();
                }
            }
            _ => {}
        }
    };
    // A click whose target is the <dialog> itself landed on the backdrop (the body fills
    // the dialog box, so clicks inside hit the body or its children).
    // A drag that starts inside and ends outside is not a backdrop click: both the press and
    // the click must land on the backdrop.
    let is_backdrop = move |ev: &web_sys::MouseEvent| {
        let Some(dialog) = node.get_untracked() else {
            return false;
        };
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|t| {
                let d: &web_sys::Element = dialog.unchecked_ref();
                t == *d
            })
    };
    let pressed_backdrop = StoredValue::new(false);
    let on_mousedown = move |ev: web_sys::MouseEvent| {
        pressed_backdrop.set_value(is_backdrop(&ev));
    };
    let on_click = move |ev: web_sys::MouseEvent| {
        if is_backdrop(&ev) && pressed_backdrop.get_value() {
            on_close.run(());
        }
        pressed_backdrop.set_value(false);
    };
    // Closed by anything else (e.g. the browser's own close request): tell the parent.
    // The event is queued: if the dialog was opened again meanwhile, it is stale.
    let on_native_close = move |_| {
        let reopened = node.get_untracked().is_some_and(|d| d.open());
        if open.get_untracked() && !reopened {
            on_close.run(());
        }
    };
    let classes = move || match class.get() {
        Some(c) if !c.is_empty() => format!("dialog {c}"),
        _ => "dialog".to_string(),
    };
    let desc_para = description.map(|d| {
        let did = format!("{id}-desc");
        view! { <p class="dialog__desc" id=did>{move || d.get()}</p> }
    });
    view! {
        <dialog
            node_ref=node
            id=id.clone()
            class=classes
            role=role.as_str()
            aria-modal="true"
            aria-labelledby=title_id
            aria-describedby=desc_id
            on:keydown=on_keydown
            on:mousedown=on_mousedown
            on:click=on_click
            on:close=on_native_close
        >
            <div class="dialog__body">
                <h2 class="dialog__title" id=heading_id>{move || title.get()}</h2>
                {desc_para}
                <Show when=move || open.get()>{children()}</Show>
            </div>
        </dialog>
    }
}
