//! Fleet screens (issue #18): the idle and cost view at `/idle`, a lazily loaded chunk.

mod idle;

use leptos::prelude::*;

pub use idle::IdlePage;

crate::split_view!(
    /// The idle and cost view.
    idle_view,
    preload_idle,
    idle,
    || view! { <IdlePage/> }
);
