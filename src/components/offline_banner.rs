//! A non-blocking banner while the browser is offline.

use crate::hooks::use_online::use_online;
use leptos::prelude::*;

/// Shows "You are offline" while `navigator.onLine` is false; polling pauses meanwhile.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    let online = use_online();
    view! {
        <Show when=move || !online.get()>
            <div class="offline-banner" role="status" data-testid="offline-banner">
                <span aria-hidden="true">"⚡ "</span>
                "You are offline. Data shown may be out of date; refresh resumes when the connection returns."
            </div>
        </Show>
    }
}
