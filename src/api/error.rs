//! The typed API error, kept typed until the render boundary.

use super::transport::{HttpResponse, TransportError};
use api_types::ErrorBody;

/// Everything that can go wrong with a call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an HTTP answer (offline, DNS, connection reset, CORS).
    #[error("network error: {0}")]
    Network(String),
    /// No answer within the request timeout.
    #[error("the request timed out")]
    Timeout,
    /// The view that asked went away.
    #[error("the request was cancelled")]
    Aborted,
    /// A non-2xx answer, with the Databricks error body when there was one.
    #[error("HTTP {status}")]
    Http {
        /// HTTP status.
        status: u16,
        /// The Databricks `{error_code, message, details}` body, if the body was one.
        body: Option<ErrorBody>,
        /// A plain-text excerpt of a non-JSON body (HTML 502 page, plain text), tags removed.
        text: Option<String>,
        /// The `Retry-After` header, verbatim.
        retry_after: Option<String>,
    },
    /// A 2xx answer whose body was not the JSON we expected.
    #[error("decode error: {message}")]
    Decode {
        /// HTTP status of the answer.
        status: u16,
        /// What failed.
        message: String,
    },
}

impl From<TransportError> for ApiError {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Network(m) => ApiError::Network(m),
            TransportError::Timeout => ApiError::Timeout,
            TransportError::Aborted => ApiError::Aborted,
        }
    }
}

impl ApiError {
    /// Turn a non-2xx response into [`ApiError::Http`]; pass 2xx through.
    pub fn check_status(resp: HttpResponse) -> Result<HttpResponse, ApiError> {
        if (200..300).contains(&resp.status) {
            return Ok(resp);
        }
        let body = serde_json::from_str::<ErrorBody>(&resp.body)
            .ok()
            .filter(|b| b.error_code.is_some() || b.message.is_some());
        let text = if body.is_none() {
            plain_excerpt(&resp.body)
        } else {
            None
        };
        Err(ApiError::Http {
            status: resp.status,
            body,
            text,
            retry_after: resp.retry_after,
        })
    }

    /// HTTP status, if there was an answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Http { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The Databricks `error_code`, if any.
    pub fn error_code(&self) -> Option<&str> {
        match self {
            ApiError::Http { body: Some(b), .. } => b.error_code.as_deref(),
            _ => None,
        }
    }

    /// The request id from the error details, if any.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Http { body: Some(b), .. } => b.request_id(),
            _ => None,
        }
    }

    /// A short title for the error view.
    pub fn title(&self) -> String {
        match self {
            ApiError::Network(_) => "Cannot reach the server".into(),
            ApiError::Timeout => "The server took too long to answer".into(),
            ApiError::Aborted => "Request cancelled".into(),
            ApiError::Decode { .. } => "Unexpected response".into(),
            ApiError::Http { status, .. } => match status {
                400 => "The request was refused".into(),
                401 => "Not signed in".into(),
                403 => "Permission denied".into(),
                404 => "Not found".into(),
                409 => "Conflict".into(),
                429 => "Too many requests".into(),
                502 => "Bad gateway".into(),
                503 => "Service temporarily unavailable".into(),
                504 => "Gateway timeout".into(),
                s if *s >= 500 => "Server error".into(),
                _ => "Request failed".into(),
            },
        }
    }

    /// The human message: the Databricks message, the text of a non-JSON body, or a description.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network(m) => {
                format!("The console could not reach the API ({m}). Check your connection.")
            }
            ApiError::Timeout => "No answer arrived in time. The API may be overloaded.".into(),
            ApiError::Aborted => "The request was cancelled.".into(),
            ApiError::Decode { message, .. } => message.clone(),
            ApiError::Http {
                body: Some(b),
                status,
                ..
            } => b
                .message
                .clone()
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| reason_phrase(*status).to_string()),
            ApiError::Http {
                text: Some(t),
                status,
                ..
            } => {
                format!(
                    "{} — the server answered with a non-JSON page: “{t}”",
                    reason_phrase(*status)
                )
            }
            ApiError::Http { status, .. } => reason_phrase(*status).to_string(),
        }
    }

    /// Would retrying by hand make sense?
    pub fn retryable(&self) -> bool {
        !matches!(self.status(), Some(400 | 401 | 403 | 404 | 409))
    }
}

/// The reason phrase for a status, for bodies that carry none.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unexpected status",
    }
}

/// Text of a non-JSON body with tags removed, whitespace collapsed, at most 200 chars.
/// The result is rendered as text, never as markup.
pub fn plain_excerpt(body: &str) -> Option<String> {
    // An error page is short; look at its first 64 KiB only, so a huge body costs nothing more.
    let mut cut = body.len().min(64 * 1024);
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    let body = &body[..cut];
    let mut out = String::new();
    let mut in_tag = false;
    let lower = body.to_ascii_lowercase();
    // Drop <head>…</head> (title is repeated in the body of nginx pages) and <style>/<script>.
    let mut skip_until: Option<usize> = None;
    // A closing tag not found after one opener is not after any later one either: remember,
    // so a page of unclosed `<style`s costs one search, not one per opener (quadratic).
    let mut unclosed = [false; 3];
    for (i, c) in body.char_indices() {
        if let Some(end) = skip_until {
            if i < end {
                continue;
            }
            skip_until = None;
        }
        if c == '<' {
            let rest = &lower[i..];
            for (t, tag) in ["<style", "<script", "<head"].into_iter().enumerate() {
                if rest.starts_with(tag) && !unclosed[t] {
                    let close = format!("</{}>", &tag[1..]);
                    match rest.find(&close) {
                        Some(p) => skip_until = Some(i + p + close.len()),
                        None => unclosed[t] = true,
                    }
                }
            }
            if skip_until.is_some() {
                continue;
            }
            in_tag = true;
            continue;
        }
        if c == '>' && in_tag {
            in_tag = false;
            out.push(' ');
            continue;
        }
        if !in_tag {
            out.push(c);
        }
    }
    let collapsed: String = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        return None;
    }
    let mut s: String = collapsed.chars().take(200).collect();
    if collapsed.chars().count() > 200 {
        s.push('…');
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            body: body.into(),
            retry_after: None,
        }
    }

    #[test]
    fn databricks_body_is_parsed() {
        let e = ApiError::check_status(resp(
            503,
            r#"{"error_code":"TEMPORARILY_UNAVAILABLE","message":"Try later","details":[{"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"r-1"}]}"#,
        ))
        .unwrap_err();
        assert_eq!(e.status(), Some(503));
        assert_eq!(e.error_code(), Some("TEMPORARILY_UNAVAILABLE"));
        assert_eq!(e.request_id(), Some("r-1"));
        assert_eq!(e.message(), "Try later");
        assert_eq!(e.title(), "Service temporarily unavailable");
    }

    #[test]
    fn html_502_becomes_text() {
        let page = "<html><head><title>502 Bad Gateway</title><style>b{}</style></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let e = ApiError::check_status(resp(502, page)).unwrap_err();
        assert_eq!(e.error_code(), None);
        let m = e.message();
        assert!(m.contains("502 Bad Gateway nginx"), "{m}");
        assert!(!m.contains('<'));
    }

    #[test]
    fn empty_body_uses_reason_phrase() {
        let e = ApiError::check_status(resp(504, "")).unwrap_err();
        assert_eq!(e.message(), "Gateway Timeout");
        assert!(ApiError::check_status(resp(204, "")).is_ok());
    }

    #[test]
    fn huge_bodies_are_cut_first() {
        let page = format!("<html><body>{}</body></html>", "<b>é</b>".repeat(200_000));
        let s = plain_excerpt(&page).unwrap();
        assert!(s.starts_with("é é"));
        assert!(s.ends_with('…'));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = "x".repeat(1000);
        let s = plain_excerpt(&long).unwrap();
        assert_eq!(s.chars().count(), 201);
    }
}
