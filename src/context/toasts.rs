//! [`Toasts`]: the queue of toasts for action results (shown by `components::ToastRegion`).

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
    /// Unique in the queue.
    pub id: u64,
    /// Outcome or failure.
    pub kind: ToastKind,
    /// What it says.
    pub text: String,
}

/// The toast queue, provided as context by the console.
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

    /// The queue from context (a private one outside the console).
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

    /// The toasts of one kind, oldest first (tracked).
    pub fn of_kind(&self, kind: ToastKind) -> impl Iterator<Item = Toast> {
        self.items.get().into_iter().filter(move |t| t.kind == kind)
    }

    /// Remove toast `id`.
    pub fn dismiss(&self, id: u64) {
        self.items.update(|v| v.retain(|t| t.id != id));
    }
}
