//! The state indicator: Databricks wording, a shape per tone (never colour alone).

use crate::model::display_state::{DisplayState, Tone};
use leptos::prelude::*;

/// The icon glyph for a tone: distinct shapes so state is not shown by colour alone.
pub fn tone_icon(t: Tone) -> &'static str {
    match t {
        Tone::Ok => "●",
        Tone::Progress => "◐",
        Tone::Warning => "▲",
        Tone::Error => "✕",
        Tone::Neutral => "■",
    }
}

/// CSS modifier for a tone.
pub fn tone_class(t: Tone) -> &'static str {
    match t {
        Tone::Ok => "badge badge--ok",
        Tone::Progress => "badge badge--progress",
        Tone::Warning => "badge badge--warning",
        Tone::Error => "badge badge--error",
        Tone::Neutral => "badge badge--neutral",
    }
}

/// A state badge: icon + label, `data-state` carrying the stable key.
#[component]
pub fn StateBadge(
    /// The state to show.
    #[prop(into)]
    state: Signal<DisplayState>,
) -> impl IntoView {
    view! {
        <span class=move || tone_class(state.with(|s| s.tone())) data-state=move || state.with(|s| s.key())>
            <span class="badge__icon" aria-hidden="true">{move || tone_icon(state.with(|s| s.tone()))}</span>
            <span class="badge__label">{move || state.with(|s| s.label())}</span>
        </span>
    }
}
