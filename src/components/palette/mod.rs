//! The command palette (issue #18): Ctrl/Cmd-K anywhere opens it. This module is the eager
//! part — one global key listener, installed once by the console — and the palette itself
//! ([`view`]) is a chunk of its own, fetched the first time it opens.

mod view;

use crate::chunks::lazy_view;
use crate::context::Fleet;
use leptos::prelude::*;

crate::split_view!(
    /// The palette: the combobox, its matcher and its actions.
    palette_view,
    preload_palette,
    palette,
    || view! { <view::Palette/> }
);

/// Is this keydown Ctrl-K or Cmd-K?
pub fn is_palette_key(key: &str, ctrl: bool, meta: bool) -> bool {
    (ctrl || meta) && key.eq_ignore_ascii_case("k")
}

/// Installs the Ctrl/Cmd-K listener (removed with the console) and hosts the palette once
/// it has been opened.
#[component]
pub fn PaletteHost() -> impl IntoView {
    let fleet = Fleet::expect();
    let loaded = RwSignal::new(false);
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if is_palette_key(&ev.key(), ev.ctrl_key(), ev.meta_key()) && !ev.alt_key() {
            ev.prevent_default();
            loaded.set(true);
            fleet.palette_open.set(true);
        }
    });
    on_cleanup(move || handle.remove());
    Effect::new(move |_| {
        if fleet.palette_open.get() {
            loaded.set(true);
        }
    });
    move || {
        loaded
            .get()
            .then(|| lazy_view(preload_palette, palette_view))
    }
}

#[cfg(test)]
mod tests {
    use super::is_palette_key;

    #[test]
    fn ctrl_or_cmd_k_only() {
        assert!(is_palette_key("k", true, false));
        assert!(is_palette_key("K", false, true));
        assert!(!is_palette_key("k", false, false));
        assert!(!is_palette_key("j", true, false));
    }
}
