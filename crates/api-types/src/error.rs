//! The Databricks error body `{error_code, message, details}` (§1.4).

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

/// A Databricks error response body. `error_code` is a string on every serving API,
/// but a few legacy APIs send an integer: both decode.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(
        default,
        deserialize_with = "string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// google.rpc-style detail objects, each with an `@type`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
}

/// `@type` of the RequestInfo detail.
pub const REQUEST_INFO_TYPE: &str = "type.googleapis.com/google.rpc.RequestInfo";

impl ErrorBody {
    /// A body with a code, a message and a RequestInfo detail carrying `request_id`.
    pub fn new(code: &str, message: impl Into<String>, request_id: &str) -> Self {
        ErrorBody {
            error_code: Some(code.to_string()),
            message: Some(message.into()),
            details: vec![serde_json::json!({
                "@type": REQUEST_INFO_TYPE,
                "request_id": request_id,
                "serving_data": "",
            })],
        }
    }

    /// The request id from a RequestInfo detail, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.details.iter().find_map(|d| {
            let t = d.get("@type")?.as_str()?;
            if t.ends_with("google.rpc.RequestInfo") {
                d.get("request_id")?.as_str().filter(|s| !s.is_empty())
            } else {
                None
            }
        })
    }

    /// The retry delay from a RetryInfo detail (`"42.5s"`), in milliseconds.
    pub fn retry_delay_ms(&self) -> Option<u64> {
        self.details.iter().find_map(|d| {
            let t = d.get("@type")?.as_str()?;
            if !t.ends_with("google.rpc.RetryInfo") {
                return None;
            }
            let s = d.get("retry_delay")?.as_str()?.trim().strip_suffix('s')?;
            let secs: f64 = s.parse().ok()?;
            (secs.is_finite() && secs >= 0.0).then(|| (secs * 1000.0).min(u64::MAX as f64) as u64)
        })
    }
}

fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_error_code_decodes() {
        let b: ErrorBody = serde_json::from_str(r#"{"error_code":500,"message":"x"}"#).unwrap();
        assert_eq!(b.error_code.as_deref(), Some("500"));
    }

    #[test]
    fn request_id_and_retry_delay() {
        let b: ErrorBody = serde_json::from_str(
            r#"{"error_code":"X","message":"m","details":[
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retry_delay":"1.5s"},
              {"@type":"type.googleapis.com/google.rpc.RequestInfo","request_id":"abc","serving_data":""}]}"#,
        )
        .unwrap();
        assert_eq!(b.request_id(), Some("abc"));
        assert_eq!(b.retry_delay_ms(), Some(1500));
    }
}
