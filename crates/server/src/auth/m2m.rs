//! OAuth machine-to-machine credentials for a `service-token` workspace, as the Databricks SDKs
//! use them (`oauth-m2m`): `client_credentials` at the workspace's token endpoint (discovered
//! from `{host}/oidc/.well-known/oauth-authorization-server`), HTTP Basic client
//! authentication, scope `all-apis`; the token is cached and fetched again a minute before it
//! expires.

use super::cookie::now_s;
use super::oauth::{discover, token_request, TokenAnswer};
use crate::proxy::{HttpClient, Upstream};
use crate::workspaces::Secret;
use axum::http::HeaderValue;
use tokio::sync::Mutex;

/// Client credentials and the cached token.
#[derive(Debug)]
pub struct M2M {
    pub client_id: String,
    pub client_secret: Secret,
    cached: Mutex<Option<(HeaderValue, u64)>>,
    endpoints: tokio::sync::OnceCell<super::oauth::Endpoints>,
}

impl M2M {
    pub fn new(client_id: String, client_secret: Secret) -> M2M {
        M2M {
            client_id,
            client_secret,
            cached: Mutex::new(None),
            endpoints: tokio::sync::OnceCell::new(),
        }
    }

    /// `Authorization: Bearer …`, fetched if none is cached or it expires within a minute.
    pub async fn bearer(
        &self,
        client: &HttpClient,
        upstream: &Upstream,
    ) -> Result<HeaderValue, String> {
        let mut cached = self.cached.lock().await;
        if let Some((h, expires)) = cached.as_ref() {
            if *expires > now_s() + 60 {
                return Ok(h.clone());
            }
        }
        let endpoints = self
            .endpoints
            .get_or_try_init(|| discover(client, upstream))
            .await?;
        let answer: TokenAnswer = token_request(
            client,
            &endpoints.token_endpoint,
            &[("grant_type", "client_credentials"), ("scope", "all-apis")],
            Some((&self.client_id, &self.client_secret.0)),
        )
        .await
        .map_err(|e| format!("M2M sign-in to {upstream} failed: {e}"))?;
        let mut h = HeaderValue::from_str(&format!("Bearer {}", answer.access_token))
            .map_err(|_| "the workspace's token is not a valid header value".to_string())?;
        h.set_sensitive(true);
        *cached = Some((h.clone(), now_s() + answer.expires_in.unwrap_or(3600)));
        Ok(h)
    }
}
