//! A "⋮" menu button: the WAI-ARIA menu-button pattern, done fully.
//!
//! - The button has `aria-haspopup="menu"`, `aria-expanded`, `aria-controls`; Enter, Space and
//!   ArrowDown open the menu with focus on the first item, ArrowUp on the last; a click toggles.
//! - The menu (`role="menu"`, labelled by the button) holds `role="menuitem"` entries with
//!   `tabindex="-1"`; focus moves between them: ArrowDown/ArrowUp (wrapping), Home/End, and a
//!   printable character jumps to the next item starting with it.
//! - Enter or Space (or a click) activates an item and closes the menu; Escape closes and returns
//!   focus to the button; Tab closes (focus continues from the button); focus leaving the menu
//!   (a click elsewhere) closes it.
//! - Disabled items stay focusable (`aria-disabled="true"`) and carry their reason as
//!   `aria-describedby` text; activating one does nothing.
//!
//! When an item is chosen, focus goes back to the button before `on_select` runs, so an action
//! that opens a dialog returns focus there when the dialog closes.

use crate::model::menu::{next_index, typeahead};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// One entry of a menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuItem {
    /// What `on_select` receives.
    pub key: &'static str,
    /// The visible label (its accessible name).
    pub label: String,
    /// `Some(reason)`: the item is disabled and says why.
    pub disabled: Option<String>,
    /// A destructive action (styled as such; the label must still say what it does).
    pub danger: bool,
}

impl MenuItem {
    /// An enabled item.
    pub fn new(key: &'static str, label: impl Into<String>) -> Self {
        MenuItem {
            key,
            label: label.into(),
            disabled: None,
            danger: false,
        }
    }

    /// Disabled with a reason (`None` keeps it enabled).
    pub fn disabled(mut self, reason: Option<String>) -> Self {
        self.disabled = reason;
        self
    }

    /// Mark as destructive.
    pub fn danger(mut self) -> Self {
        self.danger = true;
        self
    }
}

/// The kebab menu button and its menu.
#[component]
pub fn KebabMenu(
    /// Extra classes on the wrapper.
    #[prop(optional, into)]
    class: MaybeProp<String>,
    /// Id prefix: the button is `{id}-button`, the menu `{id}-menu`.
    #[prop(into)]
    id: String,
    /// The button's accessible name, e.g. "More actions".
    #[prop(into)]
    label: String,
    /// The entries (may change while open).
    #[prop(into)]
    items: Signal<Vec<MenuItem>>,
    /// Called with the chosen item's `key`.
    on_select: Callback<&'static str>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    // Which item has focus (drives the roving focus below).
    let active = RwSignal::new(None::<usize>);
    let button = NodeRef::<html::Button>::new();
    let menu = NodeRef::<html::Ul>::new();
    let button_id = format!("{id}-button");
    let menu_id = format!("{id}-menu");

    // Move DOM focus to the active item once the menu is rendered.
    Effect::new(move |_| {
        let (Some(i), Some(m)) = (active.get(), menu.get()) else {
            return;
        };
        if let Ok(list) = m.query_selector_all("[role=menuitem]") {
            if let Some(el) = list
                .item(i as u32)
                .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        }
    });

    let open_at = move |index: Option<usize>| {
        let len = items.with_untracked(Vec::len);
        open.set(true);
        active.set(match index {
            Some(usize::MAX) => len.checked_sub(1),
            other => other.filter(|&i| i < len),
        });
    };
    let close = move |refocus: bool| {
        open.set(false);
        active.set(None);
        if refocus {
            if let Some(b) = button.get_untracked() {
                let _ = b.focus();
            }
        }
    };
    let choose = move |index: usize| {
        let Some(item) = items.with_untracked(|v| v.get(index).cloned()) else {
            return;
        };
        if item.disabled.is_some() {
            return;
        }
        close(true);
        on_select.run(item.key);
    };

    let on_button_keydown = move |ev: web_sys::KeyboardEvent| match ev.key().as_str() {
        "Enter" | " " | "ArrowDown" => {
            ev.prevent_default();
            open_at(Some(0));
        }
        "ArrowUp" => {
            ev.prevent_default();
            open_at(Some(usize::MAX));
        }
        "Escape" if open.get_untracked() => {
            ev.prevent_default();
            close(true);
        }
        _ => {}
    };
    // Pointer clicks and assistive-technology clicks toggle (keyboard Enter/Space are taken on
    // keydown, whose default is prevented, so no click follows them).
    let on_button_click = move |_: web_sys::MouseEvent| {
        if open.get_untracked() {
            close(true);
        } else {
            open_at(Some(0));
        }
    };
    let on_menu_keydown = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let len = items.with_untracked(Vec::len);
        let current = active.get_untracked();
        match key.as_str() {
            "Escape" => {
                ev.prevent_default();
                ev.stop_propagation();
                close(true);
            }
            "Tab" => {
                // Close, and let the browser move focus on from the button.
                close(true);
            }
            "Enter" | " " => {
                ev.prevent_default();
                if let Some(i) = current {
                    choose(i);
                }
            }
            k => {
                if let Some(i) = next_index(k, current, len) {
                    ev.prevent_default();
                    active.set(Some(i));
                } else if !ev.ctrl_key() && !ev.meta_key() && !ev.alt_key() {
                    let labels: Vec<String> =
                        items.with_untracked(|v| v.iter().map(|m| m.label.clone()).collect());
                    if let Some(i) = typeahead(&labels, current, k) {
                        ev.prevent_default();
                        active.set(Some(i));
                    }
                }
            }
        }
    };
    // Focus left the widget (a click elsewhere, or focus moved by the page): close quietly.
    let on_focusout = move |ev: web_sys::FocusEvent| {
        if !open.get_untracked() {
            return;
        }
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let within = |n: &web_sys::Node| {
            let in_menu = menu.get_untracked().is_some_and(|m| m.contains(Some(n)));
            let in_button = button.get_untracked().is_some_and(|b| b.contains(Some(n)));
            in_menu || in_button
        };
        if !next.as_ref().is_some_and(within) {
            open.set(false);
            active.set(None);
        }
    };

    let classes = move || match class.get() {
        Some(c) if !c.is_empty() => format!("menu-button {c}"),
        _ => "menu-button".to_string(),
    };
    let menu_id_attr = menu_id.clone();
    let labelled_by = button_id.clone();
    let item_prefix = id.clone();
    view! {
        <div class=classes on:focusout=on_focusout>
            <button
                type="button"
                class="button button--ghost menu-button__button"
                id=button_id
                node_ref=button
                aria-label=label
                aria-haspopup="menu"
                aria-expanded=move || if open.get() { "true" } else { "false" }
                aria-controls=menu_id.clone()
                on:keydown=on_button_keydown
                on:click=on_button_click
            >
                <span aria-hidden="true">"⋮"</span>
            </button>
            <Show when=move || open.get()>
                <ul
                    class="menu"
                    role="menu"
                    id=menu_id_attr.clone()
                    node_ref=menu
                    aria-labelledby=labelled_by.clone()
                    on:keydown=on_menu_keydown
                >
                    {
                        let prefix = item_prefix.clone();
                        move || {
                            items
                                .get()
                                .into_iter()
                                .enumerate()
                                .map(|(i, item)| {
                                    let reason_id = format!("{prefix}-item-{i}-reason");
                                    let disabled = item.disabled.clone();
                                    let aria_disabled = disabled.as_ref().map(|_| "true");
                                    let described = disabled.as_ref().map(|_| reason_id.clone());
                                    let cls = if item.danger { "menu__item menu__item--danger" } else { "menu__item" };
                                    view! {
                                        <li
                                            role="menuitem"
                                            tabindex="-1"
                                            class=cls
                                            data-key=item.key
                                            aria-label=item.label.clone()
                                            aria-disabled=aria_disabled
                                            aria-describedby=described
                                            on:click=move |_| choose(i)
                                            on:mousemove=move |_| {
                                                if active.get_untracked() != Some(i) {
                                                    active.set(Some(i));
                                                }
                                            }
                                        >
                                            <span class="menu__label">{item.label.clone()}</span>
                                            {disabled.map(|r| view! {
                                                <span class="menu__hint" id=reason_id.clone()>{r}</span>
                                            })}
                                        </li>
                                    }
                                })
                                .collect_view()
                        }
                    }
                </ul>
            </Show>
        </div>
    }
}
