//! Loading skeletons and the "Updated N s ago" / stale marker.

use crate::model::time_fmt;
use leptos::prelude::*;

/// Placeholder rows while the first answer is on its way.
#[component]
pub fn SkeletonRows(
    /// How many rows to draw.
    #[prop(default = 8)]
    rows: usize,
) -> impl IntoView {
    view! {
        <div class="skeleton" aria-busy="true" aria-live="polite" data-testid="skeleton">
            <span class="visually-hidden">"Loading…"</span>
            {(0..rows).map(|_| view! { <div class="skeleton__row" aria-hidden="true"></div> }).collect_view()}
        </div>
    }
}

/// "Updated 5 s ago", and a stale marker (text + icon) after 3 failed polls.
#[component]
pub fn UpdatedAgo(
    /// Time of the last success, ms since epoch.
    #[prop(into)]
    at: Signal<Option<i64>>,
    /// Consecutive failures since then.
    #[prop(into)]
    failures: Signal<u32>,
) -> impl IntoView {
    let now = RwSignal::new(crate::api::js_now_ms());
    let handle = set_interval_with_handle(
        move || now.set(crate::api::js_now_ms()),
        std::time::Duration::from_secs(5),
    );
    on_cleanup(move || {
        if let Ok(h) = handle {
            h.clear();
        }
    });
    view! {
        <span class="updated-ago" data-testid="updated-ago">
            {move || at.get().map(|t| format!("Updated {}", time_fmt::relative(t, now.get())))}
            {move || (failures.get() >= 3).then(|| view! {
                <span class="stale" data-testid="stale"><span aria-hidden="true">"⚠ "</span>"Stale: refresh is failing"</span>
            })}
        </span>
    }
}
