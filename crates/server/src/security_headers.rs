//! The security headers every response of `serving-console` carries (both `demo` and `proxy`),
//! the same set `deploy/nginx.conf` sends (a test compares them), so `make run` is as strict as
//! production.
//!
//! - A strict CSP: the console has no inline script (trunk's loader is the static `boot.js`,
//!   see `Trunk.toml` `pattern_script`) and no inline style (dynamic styles go through the CSSOM,
//!   which CSP does not restrict), so `'self'` plus `'wasm-unsafe-eval'` is all it needs.
//! - `nosniff`, `no-referrer`, COOP/CORP `same-origin`, `X-Frame-Options: DENY` (older browsers;
//!   CSP `frame-ancestors 'none'` for the others), a `Permissions-Policy` denying unused features.
//! - API answers (`/api/…`, `/serving-endpoints/…`) are never stored by caches.

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; \
frame-ancestors 'none'";

/// `Permissions-Policy`: every powerful feature the console does not use, denied.
pub const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), \
magnetometer=(), microphone=(), payment=(), usb=()";

/// `Cache-Control` of API answers.
pub const API_CACHE_CONTROL: &str = "no-store";

/// The headers set on every response, as (name, value).
pub const HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("permissions-policy", PERMISSIONS_POLICY),
];

/// Set the security headers on `res` (replacing any set upstream); `api` adds `no-store`.
pub fn apply(res: &mut Response, api: bool) {
    let h = res.headers_mut();
    // A page that set its own policy keeps it (the emulator's OAuth sign-in page, whose form
    // must be allowed to lead to the client's redirect URL).
    let own_csp = h.contains_key(header::CONTENT_SECURITY_POLICY);
    for (name, value) in HEADERS {
        if own_csp && *name == "content-security-policy" {
            continue;
        }
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if api {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(API_CACHE_CONTROL),
        );
    }
}

/// Middleware: [`apply`] to every response; paths for which `crate::paths::is_api_path` holds are
/// API answers.
pub async fn middleware(req: Request, next: Next) -> Response {
    let api = crate::paths::is_api_path(req.uri().path());
    let mut res = next.run(req).await;
    apply(&mut res, api);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csp_is_strict() {
        for needed in [
            "default-src 'none'",
            "script-src 'self' 'wasm-unsafe-eval'",
            "style-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ] {
            assert!(CSP.contains(needed), "{needed}");
        }
        assert!(!CSP.contains("unsafe-inline") && !CSP.contains("'unsafe-eval'"));
        for (name, value) in HEADERS {
            assert!(HeaderName::from_static(name) == *name);
            assert!(HeaderValue::from_str(value).is_ok());
        }
    }
}
