//! The `/api/2.0/…` routes of the emulator, one module per resource.

pub mod config;
pub mod discovery;
pub mod endpoints;
pub mod invocations;
pub mod lifecycle;
pub mod logs;
pub mod metrics;
pub mod models;
pub mod openapi;
pub mod permissions;
pub mod scim;
pub mod settings;

use crate::emulator::state::AppState;
use axum::Router;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(discovery::router())
        .merge(endpoints::router())
        .merge(scim::router())
        .merge(logs::router())
        .merge(metrics::router())
        .merge(openapi::router())
        .merge(invocations::router())
        .merge(lifecycle::router())
        .merge(permissions::router())
        .merge(config::router())
        .merge(settings::router())
        .merge(models::router())
        .merge(crate::emulator::oidc::router())
}
