//! `GET /config.json` when the server serves several workspaces or signs users in: the console's
//! own `config.json` from `dist/` (if any) with a `workspaces` list added, so the console knows
//! the workspaces, where each is mounted, how it signs in and whether this browser is signed in.
//! It depends on the request's cookies, so it is never cached.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use std::path::Path;

/// One workspace as the console sees it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// Where its console pages and API live, under the console's base: `/w/{id}` or `""`.
    pub path: String,
    /// `service-token`, `oauth`, `forwarded` (proxy) or `none` (the emulator).
    pub sign_in: &'static str,
    /// Does this browser hold a session for it (always true but for `oauth`)?
    pub signed_in: bool,
}

/// The console's `config.json` (from `dist`) with `workspaces` set to `entries`. A file that is
/// not a JSON object is served as it is (the console then shows what is wrong with it).
pub async fn respond(dist: Option<&Path>, entries: &[Entry]) -> Response {
    let text = match dist {
        Some(d) => tokio::fs::read_to_string(d.join("config.json"))
            .await
            .unwrap_or_else(|_| "{}".to_string()),
        None => "{}".to_string(),
    };
    let body = match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Object(mut map)) => {
            map.insert(
                "workspaces".into(),
                serde_json::to_value(entries).unwrap_or_default(),
            );
            serde_json::Value::Object(map).to_string()
        }
        _ => text,
    };
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
