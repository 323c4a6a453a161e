//! The middleware around every route except `/__emulator/…`: it records the request (see
//! [`super::faults::RequestLog`]), then applies the first fault rule that matches it.

use super::clock::system_now_ms;
use super::faults::{Fault, RequestRecord, MAX_LATENCY_MS};
use super::state::AppState;
use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// How long a `hang` fault keeps a request open (unless the client goes away first).
pub const HANG_FOR: Duration = Duration::from_secs(600);

/// The nginx-like page of a `html502` fault.
pub const HTML_502: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/// Marks a request record as 499 if the response future is dropped (client went away).
struct Finisher {
    state: AppState,
    seq: u64,
    done: bool,
}

impl Finisher {
    fn finish(mut self, status: u16) {
        self.state
            .requests()
            .finish(self.seq, status, system_now_ms());
        self.done = true;
    }
}

impl Drop for Finisher {
    fn drop(&mut self) {
        if !self.done {
            self.state.requests().finish(self.seq, 499, system_now_ms());
        }
    }
}

/// Is this a control-API path (never recorded, never faulted)?
pub fn is_control_path(path: &str) -> bool {
    path == "/__emulator" || path.starts_with("/__emulator/")
}

/// The middleware: record the request, apply a matching fault.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if is_control_path(&path) {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_string();
    let seq = state.requests().start(RequestRecord {
        seq: 0,
        method: method.clone(),
        path: path.clone(),
        query: req.uri().query().unwrap_or("").to_string(),
        status: None,
        started_ms: system_now_ms(),
        ended_ms: None,
        authorization_present: req.headers().contains_key(header::AUTHORIZATION),
    });
    let finisher = Finisher {
        state: state.clone(),
        seq,
        done: false,
    };
    let fault = state.faults().take(&method, &path);
    let res = match fault {
        None => next.run(req).await,
        Some(fault) => apply(fault, &state, req, next).await,
    };
    finisher.finish(res.status().as_u16());
    res
}

async fn apply(fault: Fault, state: &AppState, req: Request, next: Next) -> Response {
    match fault {
        Fault::Latency { ms } => {
            tokio::time::sleep(Duration::from_millis(ms.min(MAX_LATENCY_MS))).await;
            next.run(req).await
        }
        Fault::Status {
            status,
            error_code,
            message,
            retry_after,
        } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let code = error_code.unwrap_or_else(|| default_error_code(status).to_string());
            let message = message.unwrap_or_else(|| default_message(status));
            let mut err = ApiError::new(status, &code, message);
            if let Some(ra) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                err = err.with_header(header::RETRY_AFTER, ra);
            }
            err.into_response()
        }
        Fault::Html502 { body } => {
            let body = body.unwrap_or_else(|| HTML_502.to_string());
            let mut res = (StatusCode::BAD_GATEWAY, body).into_response();
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
            res
        }
        Fault::Truncated => {
            let res = next.run(req).await;
            let (mut parts, body) = res.into_parts();
            let bytes = match axum::body::to_bytes(body, usize::MAX).await {
                Ok(b) => b,
                Err(_) => axum::body::Bytes::new(),
            };
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(cut))
        }
        Fault::Hang => {
            let shutdown = state.shutdown_signal();
            tokio::select! {
                _ = tokio::time::sleep(HANG_FOR) => {}
                _ = shutdown => {}
            }
            ApiError::new(
                StatusCode::GATEWAY_TIMEOUT,
                "DEADLINE_EXCEEDED",
                "The request timed out.",
            )
            .into_response()
        }
    }
}

/// The Databricks `error_code` usually sent with `status`.
pub fn default_error_code(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "BAD_REQUEST",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "RESOURCE_CONFLICT",
        429 => "REQUEST_LIMIT_EXCEEDED",
        499 => "CANCELLED",
        501 => "NOT_IMPLEMENTED",
        503 => "TEMPORARILY_UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ if status.is_server_error() => "INTERNAL_ERROR",
        _ => "UNKNOWN",
    }
}

fn default_message(status: StatusCode) -> String {
    match status.as_u16() {
        429 => "Too many requests. Please wait a moment and try again.".to_string(),
        503 => {
            "The service is temporarily unavailable. Please retry the request later.".to_string()
        }
        _ => status.canonical_reason().unwrap_or("Error").to_string(),
    }
}
