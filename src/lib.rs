//! Serving Console: a browser admin console for Databricks Model Serving endpoints.

pub mod api;
pub mod app;
pub mod chunks;
pub mod components;
pub mod config;
pub mod context;
pub mod hooks;
pub mod links;
pub mod model;
pub mod pages;

pub use app::App;
