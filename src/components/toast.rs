//! Toasts for action results: `role="status"` for outcomes, `role="alert"` for errors. The queue
//! is [`crate::context::Toasts`].

use crate::context::{ToastKind, Toasts};
use leptos::prelude::*;

/// The live regions where toasts appear.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::expect();
    let list = move |kind: ToastKind| {
        view! {
            <For each=move || toasts.of_kind(kind) key=|t| t.id let:t>
                <div class=if t.kind == ToastKind::Error { "toast toast--error" } else { "toast" }>
                    <span>{t.text.clone()}</span>
                    <button type="button" class="toast__close" aria-label="Dismiss" on:click=move |_| toasts.dismiss(t.id)>"×"</button>
                </div>
            </For>
        }
    };
    view! {
        <div class="toasts">
            <div role="status" aria-live="polite">{list(ToastKind::Info)}</div>
            <div role="alert">{list(ToastKind::Error)}</div>
        </div>
    }
}
