//! Reusable reactive logic (leptos-use naming).

pub mod use_online;
pub mod use_polling;
pub mod use_viewport;
