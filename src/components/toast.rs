//! Toasts for action results: `role="status"` for outcomes, `role="alert"` for errors.

use leptos::prelude::*;

/// Kind of toast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    /// An outcome (polite).
    Info,
    /// A failure (assertive).
    Error,
}

/// One toast.
#[derive(Debug, Clone, PartialEq)]
pub struct Toast {
    id: u64,
    kind: ToastKind,
    text: String,
}

/// The toast queue, provided as context by `App`.
#[derive(Clone, Copy)]
pub struct Toasts {
    items: RwSignal<Vec<Toast>>,
    next: StoredValue<u64>,
}

impl Default for Toasts {
    fn default() -> Self {
        Self::new()
    }
}

impl Toasts {
    /// An empty queue.
    pub fn new() -> Self {
        Toasts {
            items: RwSignal::new(Vec::new()),
            next: StoredValue::new(1),
        }
    }

    /// The queue from context (provided by `App`).
    pub fn expect() -> Self {
        use_context::<Toasts>().unwrap_or_default()
    }

    /// Show a toast for 8 s (errors stay until dismissed).
    pub fn push(&self, kind: ToastKind, text: impl Into<String>) {
        let id = self.next.get_value();
        self.next.set_value(id + 1);
        self.items.update(|v| {
            v.push(Toast {
                id,
                kind,
                text: text.into(),
            })
        });
        if kind == ToastKind::Info {
            let items = self.items;
            set_timeout(
                move || items.update(|v| v.retain(|t| t.id != id)),
                std::time::Duration::from_secs(8),
            );
        }
    }

    fn dismiss(&self, id: u64) {
        self.items.update(|v| v.retain(|t| t.id != id));
    }
}

/// The live regions where toasts appear.
#[component]
pub fn ToastRegion() -> impl IntoView {
    let toasts = Toasts::expect();
    let list = move |kind: ToastKind| {
        view! {
            <For each=move || toasts.items.get().into_iter().filter(move |t| t.kind == kind) key=|t| t.id let:t>
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
