//! The transport seam: gloo-net in the browser, canned answers in tests.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// A request as the client builds it.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// Same-origin URL (base path + API path).
    pub url: String,
    /// JSON body, if any.
    pub body: Option<String>,
    /// Token-mode bearer token (memory only; never logged).
    pub bearer: Option<String>,
}

/// What came back: status, body text, and the one header the client uses.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    /// HTTP status.
    pub status: u16,
    /// Body as text (possibly empty, HTML, or truncated).
    pub body: String,
    /// `Retry-After`, verbatim.
    pub retry_after: Option<String>,
}

/// Why no response arrived.
#[derive(Debug, Clone, PartialEq)]
pub enum TransportError {
    /// Connection-level failure.
    Network(String),
    /// The request timed out.
    Timeout,
    /// Cancelled by its view.
    Aborted,
}

/// A boxed, possibly `!Send` future.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;

/// Sends requests. Implementations are `Send + Sync` data; their futures need not be.
pub trait Transport: Send + Sync {
    /// Send `req`, giving up after `timeout_ms`, or when `signal` aborts.
    fn send(
        &self,
        req: HttpRequest,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: u64,
    ) -> LocalFuture<Result<HttpResponse, TransportError>>;

    /// Wait `ms` (between retries); `Err` when `signal` aborted meanwhile.
    fn sleep(&self, ms: u64, signal: Option<web_sys::AbortSignal>) -> LocalFuture<Result<(), ()>>;

    /// Does [`Transport::sleep`] really wait? The client's rate limit and retry budget
    /// (`model::retry::Limits`) apply only then: with a fake that returns at once, waiting for
    /// a token would spin.
    fn real_time(&self) -> bool {
        true
    }
}

/// The real transport: gloo-net `fetch`, same-origin, with timeout and abort.
#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserTransport;

impl Transport for BrowserTransport {
    fn send(
        &self,
        req: HttpRequest,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: u64,
    ) -> LocalFuture<Result<HttpResponse, TransportError>> {
        Box::pin(browser::send(req, signal, timeout_ms))
    }

    fn sleep(&self, ms: u64, signal: Option<web_sys::AbortSignal>) -> LocalFuture<Result<(), ()>> {
        Box::pin(async move {
            browser::sleep_ms(ms).await;
            if signal.map(|s| s.aborted()).unwrap_or(false) {
                Err(())
            } else {
                Ok(())
            }
        })
    }
}

/// The body as text, like `Response.text()`: UTF-8 (invalid sequences replaced), a leading
/// byte order mark dropped.
pub fn utf8_body(bytes: Vec<u8>) -> String {
    let mut s = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    if s.starts_with('\u{feff}') {
        s.drain(..'\u{feff}'.len_utf8());
    }
    s
}

mod browser {
    use super::*;
    use futures::future::{select, Either};
    use wasm_bindgen::{closure::Closure, JsCast};

    /// Resolve after `ms` milliseconds (setTimeout).
    pub async fn sleep_ms(ms: u64) {
        let ms = ms.min(i32::MAX as u64) as i32;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    }

    pub async fn send(
        req: HttpRequest,
        outer: Option<web_sys::AbortSignal>,
        timeout_ms: u64,
    ) -> Result<HttpResponse, TransportError> {
        if outer.as_ref().map(|s| s.aborted()).unwrap_or(false) {
            return Err(TransportError::Aborted);
        }
        let controller = web_sys::AbortController::new()
            .map_err(|_| TransportError::Network("AbortController unavailable".into()))?;
        let inner = controller.signal();
        // Forward an abort of the view's signal to this request's controller.
        let forward = {
            let c = controller.clone();
            Closure::<dyn FnMut()>::new(move || c.abort())
        };
        if let Some(o) = &outer {
            let _ = o.add_event_listener_with_callback("abort", forward.as_ref().unchecked_ref());
        }
        let fetch = async {
            let mut b = match req.method {
                "POST" => gloo_net::http::Request::post(&req.url),
                "PUT" => gloo_net::http::Request::put(&req.url),
                "PATCH" => gloo_net::http::Request::patch(&req.url),
                "DELETE" => gloo_net::http::Request::delete(&req.url),
                _ => gloo_net::http::Request::get(&req.url),
            };
            b = b
                .header("Accept", "application/json")
                .abort_signal(Some(&inner));
            if let Some(t) = &req.bearer {
                b = b.header("Authorization", &format!("Bearer {t}"));
            }
            let built = match &req.body {
                Some(body) => b
                    .header("Content-Type", "application/json")
                    .body(body.clone()),
                None => b.build(),
            }
            .map_err(|e| TransportError::Network(e.to_string()))?;
            let resp = built
                .send()
                .await
                .map_err(|e| TransportError::Network(short(&e.to_string())))?;
            let status = resp.status();
            let retry_after = resp.headers().get("retry-after");
            // As bytes, decoded here: a JS string of a large body (a 100 MB log) passed into
            // wasm is first given room for three bytes per character (budgets.md P6 memory).
            let bytes = resp
                .binary()
                .await
                .map_err(|e| TransportError::Network(short(&e.to_string())))?;
            let body = super::utf8_body(bytes);
            Ok(HttpResponse {
                status,
                body,
                retry_after,
            })
        };
        let timer = sleep_ms(timeout_ms);
        let result = match select(Box::pin(fetch), Box::pin(timer)).await {
            Either::Left((r, _)) => r,
            Either::Right(_) => {
                controller.abort();
                Err(TransportError::Timeout)
            }
        };
        if let Some(o) = &outer {
            let _ =
                o.remove_event_listener_with_callback("abort", forward.as_ref().unchecked_ref());
            if o.aborted() {
                return Err(TransportError::Aborted);
            }
        }
        drop(forward);
        result
    }

    fn short(s: &str) -> String {
        s.chars().take(160).collect()
    }
}

type Answers = HashMap<String, VecDeque<Result<HttpResponse, TransportError>>>;

/// A canned transport for browser tests: answers by `METHOD path` (path without query),
/// consuming queued answers first and then repeating the last one; records every request.
#[derive(Clone, Default)]
pub struct FakeTransport {
    routes: Arc<Mutex<Answers>>,
    log: Arc<Mutex<Vec<HttpRequest>>>,
}

impl FakeTransport {
    /// An empty fake: every request gets a 404.
    pub fn new() -> Self {
        Self::default()
    }

    /// Queue an answer for `method path`.
    pub fn respond(&self, method: &str, path: &str, status: u16, body: &str) -> &Self {
        self.push(
            method,
            path,
            Ok(HttpResponse {
                status,
                body: body.into(),
                retry_after: None,
            }),
        )
    }

    /// Queue any result for `method path`.
    pub fn push(&self, method: &str, path: &str, r: Result<HttpResponse, TransportError>) -> &Self {
        if let Ok(mut m) = self.routes.lock() {
            m.entry(format!("{method} {path}"))
                .or_default()
                .push_back(r);
        }
        self
    }

    /// Requests received so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Transport for FakeTransport {
    fn send(
        &self,
        req: HttpRequest,
        _signal: Option<web_sys::AbortSignal>,
        _timeout_ms: u64,
    ) -> LocalFuture<Result<HttpResponse, TransportError>> {
        let path = req.url.split('?').next().unwrap_or("").to_string();
        let key = format!("{} {}", req.method, path);
        if let Ok(mut l) = self.log.lock() {
            l.push(req);
        }
        let answer = self.routes.lock().ok().and_then(|mut m| {
            let q = m.get_mut(&key)?;
            if q.len() > 1 {
                q.pop_front()
            } else {
                q.front().cloned()
            }
        });
        Box::pin(async move {
            answer.unwrap_or_else(|| {
                Ok(HttpResponse {
                    status: 404,
                    body: format!(
                        r#"{{"error_code":"ENDPOINT_NOT_FOUND","message":"No fake for {key}"}}"#
                    ),
                    retry_after: None,
                })
            })
        })
    }

    fn sleep(
        &self,
        _ms: u64,
        _signal: Option<web_sys::AbortSignal>,
    ) -> LocalFuture<Result<(), ()>> {
        Box::pin(async { Ok(()) })
    }

    fn real_time(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::utf8_body;

    #[test]
    fn bodies_decode_like_response_text() {
        assert_eq!(utf8_body(b"{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(
            utf8_body("\u{feff}{}".as_bytes().to_vec()),
            "{}",
            "BOM dropped"
        );
        assert_eq!(utf8_body("µs …".as_bytes().to_vec()), "µs …");
        assert_eq!(
            utf8_body(vec![b'a', 0xff, b'b']),
            "a\u{fffd}b",
            "invalid bytes replaced"
        );
        assert_eq!(utf8_body(Vec::new()), "");
    }
}
