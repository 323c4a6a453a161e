//! The server's one error type (emulator and proxy alike) and the `AppJson` extractor.
//!
//! Every failure is answered as Databricks does (serving-api.md §1.4):
//! `{"error_code", "message", "details": [RequestInfo]}` with a fresh request id.

use api_types::ErrorBody;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// An API error: status, `error_code`, `message`, and whether to add a RequestInfo detail.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    /// Add `details: [RequestInfo]` (real serving errors carry one; 401 and routing errors do not).
    pub with_request_info: bool,
    /// Extra response headers (e.g. `Retry-After`).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    /// An error with a RequestInfo detail.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            with_request_info: true,
            headers: Vec::new(),
        }
    }

    /// The same error without the RequestInfo detail.
    pub fn bare(mut self) -> Self {
        self.with_request_info = false;
        self
    }

    /// Add a response header.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// 400 `INVALID_PARAMETER_VALUE` for a name breaking `^[A-Za-z0-9_-]{1,63}$`.
    pub fn invalid_endpoint_name(name: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "INVALID_PARAMETER_VALUE",
            format!(
                "Endpoint name '{name}' is invalid. Names may contain only alphanumeric characters, \
                 dashes and underscores, and must be at most 63 characters long."
            ),
        )
    }

    /// 404 `RESOURCE_DOES_NOT_EXIST` (real wording, dbdemos #220).
    pub fn endpoint_not_found(name: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_DOES_NOT_EXIST",
            format!("Endpoint with name '{name}' does not exist."),
        )
    }

    /// 403 `PERMISSION_DENIED`; `action` is `View`, `Query` or `Manage` (real wording, dbdemos #218).
    pub fn permission_denied(action: &str, name: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            format!("User does not have permission '{action}' on Endpoint {name}"),
        )
    }

    /// 401 `UNAUTHENTICATED`, body as in fixtures/error_401_unauthenticated.json.
    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "Invalid access token.",
        )
        .bare()
    }

    /// 400 `MALFORMED_REQUEST` (unparseable or ill-typed body).
    pub fn malformed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "MALFORMED_REQUEST", message)
    }

    /// 400 `INVALID_PARAMETER_VALUE`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_PARAMETER_VALUE", message)
    }

    /// 404 `ENDPOINT_NOT_FOUND`: no such API.
    pub fn no_api(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ENDPOINT_NOT_FOUND",
            format!("No API found for '{method} {path}'"),
        )
        .bare()
    }

    /// 405 `METHOD_NOT_ALLOWED`: the path exists, the method does not.
    pub fn method_not_allowed(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("No API found for '{method} {path}'"),
        )
        .bare()
    }

    /// The JSON body of this error (with a fresh request id when asked for).
    pub fn body(&self) -> ErrorBody {
        if self.with_request_info {
            ErrorBody::new(&self.code, self.message.clone(), &new_request_id())
        } else {
            ErrorBody {
                error_code: Some(self.code.clone()),
                message: Some(self.message.clone()),
                details: Vec::new(),
            }
        }
    }
}

/// A fresh request id (UUID v4), as real RequestInfo details carry.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, json_response(&self.body())).into_response();
        for (name, value) in self.headers {
            res.headers_mut().insert(name, value);
        }
        res
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl std::error::Error for ApiError {}

/// Serialize `value` as an `application/json` 200 response (500 if serialization fails).
pub fn json_response<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(bytes) => raw_json_response(bytes),
        Err(e) => {
            tracing::error!("failed to serialize a response: {e}");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

/// An `application/json` 200 response from already serialized bytes.
pub fn raw_json_response(bytes: impl Into<axum::body::Body>) -> Response {
    let mut res = Response::new(bytes.into());
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// `axum::Json` with our error body on rejection (malformed JSON → 400 `MALFORMED_REQUEST`).
#[derive(Debug, Clone, Default)]
pub struct AppJson<T>(pub T);

impl<T, S> FromRequest<S> for AppJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(AppJson(v)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::malformed("Request body must be JSON (Content-Type: application/json).")
        }
        JsonRejection::JsonSyntaxError(e) => {
            ApiError::malformed(format!("Malformed request: {}", e.body_text()))
        }
        JsonRejection::JsonDataError(e) => {
            ApiError::malformed(format!("Invalid request: {}", e.body_text()))
        }
        other => ApiError::malformed(format!(
            "Could not read the request body: {}",
            other.body_text()
        )),
    }
}

impl<T: Serialize> IntoResponse for AppJson<T> {
    fn into_response(self) -> Response {
        json_response(&self.0)
    }
}
