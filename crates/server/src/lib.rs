//! The `serving-console` server: serves the console's `dist/` (SPA fallback) and answers
//! `/api/…` from the embedded emulator of the Databricks serving-endpoints API.
//!
//! [`app`] builds the whole router; `main.rs` only parses the CLI, binds and serves.

pub mod auth;
pub mod compression;
pub mod console_config;
pub mod emulator;
pub mod error;
pub mod hosting;
pub mod html;
pub mod paths;
pub mod proxy;
pub mod security_headers;
pub mod static_files;
pub mod workspaces;

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
    outer_layers(workspace_routes(state, true))
}

/// One emulated workspace's routes: API, OIDC, control API (if enabled), static files.
fn workspace_routes(state: AppState, health: bool) -> Router {
    let mut router = Router::new()
        .merge(emulator::routes::router())
        .merge(emulator::control::router(state.config().control));
    if health {
        router = router.route("/__emulator/health", get(emulator::control::health));
    }
    router
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            emulator::intercept::middleware,
        ))
        .with_state(state)
}

/// What every answer of the demo server goes through: cross-site guard, security headers,
/// compression.
fn outer_layers(router: Router) -> Router {
    compression::layer(
        router
            .layer(axum::middleware::from_fn(hosting::cross_site_guard))
            .layer(axum::middleware::from_fn(security_headers::middleware)),
    )
}

/// The id of the `k`-th (0-based) workspace of `demo --workspaces N`: `dev`, `staging`, `prod`,
/// then `ws4`, `ws5`, ….
pub fn workspace_id(k: usize) -> String {
    match k {
        0 => "dev".into(),
        1 => "staging".into(),
        2 => "prod".into(),
        k => format!("ws{}", k + 1),
    }
}

/// `demo --workspaces N` (N ≥ 2): independent emulated workspaces (own endpoints, state, OAuth
/// tokens, workspace id), each mounted under `/w/{id}/` (API at `/w/{id}/api/2.0/…`, OIDC at
/// `/w/{id}/oidc/…`, control API at `/w/{id}/__emulator/…`). At the root: the console's files
/// from `dist`, `GET /__emulator/health`, and `/` redirects to the first workspace.
pub fn multi_app(workspaces: Vec<(String, AppState)>, dist: Option<std::path::PathBuf>) -> Router {
    let first = workspaces.first().map(|(id, _)| id.clone());
    let entries: Vec<console_config::Entry> = workspaces
        .iter()
        .map(|(id, _)| console_config::Entry {
            id: id.clone(),
            name: id.clone(),
            path: format!("/w/{id}"),
            sign_in: "none",
            signed_in: true,
        })
        .collect();
    let mut router = Router::new().route("/__emulator/health", get(emulator::control::health));
    for (id, state) in workspaces {
        router = router.nest(&format!("/w/{id}"), workspace_routes(state, false));
    }
    let router = router.fallback(move |req: Request| {
        let dist = dist.clone();
        let first = first.clone();
        let entries = entries.clone();
        async move {
            let path = req.uri().path().to_string();
            if path == "/config.json" {
                return console_config::respond(dist.as_deref(), &entries).await;
            }
            if is_api_path(&path) {
                return ApiError::no_api(req.method().as_str(), &path).into_response();
            }
            if path == "/" {
                if let Some(id) = first {
                    return axum::response::Redirect::to(&format!("/w/{id}/")).into_response();
                }
            }
            match dist {
                Some(dist) => static_files::serve(&dist, req).await,
                None => (StatusCode::NOT_FOUND, "Not found").into_response(),
            }
        }
    });
    outer_layers(router)
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
