//! The `serving-console` server: serves the console's `dist/` (SPA fallback) and answers
//! `/api/…` from the embedded emulator of the Databricks serving-endpoints API.
//!
//! [`app`] builds the whole router; `main.rs` only parses the CLI, binds and serves.

pub mod compression;
pub mod emulator;
pub mod error;
pub mod hosting;
pub mod paths;
pub mod proxy;
pub mod security_headers;
pub mod static_files;

pub use emulator::seed::{Seed, SeedError};
pub use emulator::{AppState, EmulatorConfig};
pub use paths::is_api_path;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use error::ApiError;

/// The whole application: emulator API, control API (if enabled), static files; cross-site
/// state-changing API requests are refused ([`hosting::cross_site_guard`]). `main.rs` serves it
/// through [`hosting::guard`] and [`hosting::serve`] (host check, body budget, connection limits).
/// JSON answers of 1 KiB and more are compressed (gzip/brotli, [`compression`]); the fault
/// injection sits inside, so a truncated body is cut before it is compressed.
pub fn app(state: AppState) -> Router {
    let router = Router::new()
        .merge(emulator::routes::router())
        .merge(emulator::control::router(state.config().control))
        .route("/__emulator/health", get(emulator::control::health))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            emulator::intercept::middleware,
        ))
        .layer(axum::middleware::from_fn(hosting::cross_site_guard))
        .layer(axum::middleware::from_fn(security_headers::middleware))
        .with_state(state);
    compression::layer(router)
}

async fn fallback(State(state): State<AppState>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    if is_api_path(&path) {
        return ApiError::no_api(req.method().as_str(), &path).into_response();
    }
    match &state.config().dist {
        Some(dist) => static_files::serve(dist, req).await,
        None => (
            StatusCode::NOT_FOUND,
            "Not found (no console files are served)",
        )
            .into_response(),
    }
}

async fn method_not_allowed(req: Request) -> Response {
    ApiError::method_not_allowed(req.method().as_str(), req.uri().path()).into_response()
}
