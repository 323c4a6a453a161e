//! Pure logic of the console, with native tests: no web-sys, no leptos, no gloo here —
//! only std, serde, serde_json and the wire types.

pub mod actions;
pub mod ansi;
pub mod config_plan;
pub mod display_state;
pub mod events;
pub mod fleet;
pub mod format;
pub mod json_doc;
pub mod json_validate;
pub mod lifecycle;
pub mod list_view;
pub mod log_index;
pub mod log_view;
pub mod menu;
pub mod metrics;
pub mod openapi;
pub mod permissions;
pub mod retry;
pub mod snippets;
pub mod time_fmt;
pub mod token;
pub mod virtual_rows;
