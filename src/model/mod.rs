//! Pure logic of the console, with native tests: no web-sys, no leptos, no gloo here —
//! only std, serde, serde_json and the wire types.

pub mod actions;
pub mod display_state;
pub mod json_doc;
pub mod lifecycle;
pub mod list_view;
pub mod menu;
pub mod permissions;
pub mod retry;
pub mod time_fmt;
pub mod token;
