//! The caller of a request: its `Authorization` header resolved to a principal
//! ([`Caller::resolve`]), under the server's `--strict-auth` setting, or an unexpired OAuth
//! access token issued by [`super::oidc`].

use super::principals::Caller;
use super::state::AppState;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = match parts.headers.get(AUTHORIZATION) {
            None => None,
            Some(v) => Some(v.to_str().map_err(|_| ApiError::unauthenticated())?),
        };
        match Caller::resolve(header, state.config().strict_auth) {
            Ok(caller) => Ok(caller),
            // Not a personal access token: maybe an OAuth access token from `/oidc/v1/token`.
            Err(e) => header
                .and_then(super::principals::bearer)
                .and_then(|t| state.oauth().identity_of(t, state.now_ms()))
                .map(Caller)
                .ok_or(e),
        }
    }
}
