//! `use_online`: a signal of `navigator.onLine`, kept current by the window's online/offline events.

use leptos::prelude::*;

/// Is the browser online? Starts from `navigator.onLine`; follows the window events.
pub fn use_online() -> ReadSignal<bool> {
    let initial = window().navigator().on_line();
    let (online, set_online) = signal(initial);
    let h1 = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let h2 = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    on_cleanup(move || {
        h1.remove();
        h2.remove();
    });
    online
}
