//! Token mode: the personal access token lives in the [`ApiClient`] only (memory of this tab; never
//! Web Storage, a cookie, a URL or a log line) and goes out as `Authorization: Bearer`. A 401
//! answer to a request that carried the current token makes the client forget it and tells the
//! console to ask again; a late 401 for an older token never drops a newer one.

use super::transport::{HttpRequest, HttpResponse, LocalFuture, Transport, TransportError};
use super::ApiClient;
use std::sync::{Arc, RwLock};

type Token = Arc<RwLock<Option<String>>>;

/// A transport that watches for 401s to requests made with the current token.
struct AuthWatch {
    inner: Arc<dyn Transport>,
    token: Token,
    on_refused: Arc<dyn Fn() + Send + Sync>,
}

impl Transport for AuthWatch {
    fn send(
        &self,
        req: HttpRequest,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: u64,
    ) -> LocalFuture<Result<HttpResponse, TransportError>> {
        let used = req.bearer.clone();
        let fut = self.inner.send(req, signal, timeout_ms);
        let token = self.token.clone();
        let on_refused = self.on_refused.clone();
        Box::pin(async move {
            let result = fut.await;
            if let (Ok(resp), Some(used)) = (&result, used) {
                if resp.status == 401 && forget_if(&token, &used) {
                    on_refused();
                }
            }
            result
        })
    }

    fn sleep(&self, ms: u64, signal: Option<web_sys::AbortSignal>) -> LocalFuture<Result<(), ()>> {
        self.inner.sleep(ms, signal)
    }

    fn real_time(&self) -> bool {
        self.inner.real_time()
    }
}

/// Clear `token` if it still is `used`; true if it was cleared.
fn forget_if(token: &Token, used: &str) -> bool {
    match token.write() {
        Ok(mut t) if t.as_deref() == Some(used) => {
            *t = None;
            true
        }
        _ => false,
    }
}

impl ApiClient {
    /// Token mode: when the workspace answers 401 to a request sent with the current token,
    /// forget the token and call `on_refused` (the console then asks for a new one).
    pub fn watching_token(mut self, on_refused: impl Fn() + Send + Sync + 'static) -> Self {
        self.transport = Arc::new(AuthWatch {
            inner: self.transport.clone(),
            token: self.token.clone(),
            on_refused: Arc::new(on_refused),
        });
        self
    }
}

impl std::fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never show the token, even in a debug dump.
        f.debug_struct("ApiClient")
            .field("base", &self.base)
            .field("has_token", &self.has_token())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_current_token_is_forgotten() {
        let t: Token = Arc::new(RwLock::new(Some("new".into())));
        assert!(!forget_if(&t, "old"));
        assert_eq!(t.read().unwrap().as_deref(), Some("new"));
        assert!(forget_if(&t, "new"));
        assert_eq!(*t.read().unwrap(), None);
        assert!(!forget_if(&t, "new"));
    }
}
