//! The per-workspace session a signed-in user carries: one sealed cookie per workspace
//! (`__Host-sc_ws_{id}`), `HttpOnly; Secure; SameSite=Strict; Path=/`, holding that user's
//! tokens for that workspace. Nothing is kept server-side, so replicas given the same key file
//! share sessions; a user holds a cookie only for the workspaces they signed in to.
//!
//! `Secure` (and with it the `__Host-` prefix) is dropped only when the console is reached over
//! plain `http://` on a loopback address (local development: browsers do not store `Secure`
//! cookies set over http).
//!
//! The sign-in in progress is a second sealed cookie (`sc_login_{id}`, 10 minutes, `Path=/auth`)
//! with the PKCE verifier, the `state` and the page to return to. It is `SameSite=Lax`: the
//! callback is a top-level navigation coming from the workspace's sign-in page, another site,
//! on which `Strict` cookies are not sent.

use super::cookie::{now_s, Refused, SealKey};
use axum::http::{header, HeaderMap, HeaderValue};
use serde::{Deserialize, Serialize};

/// How long a session cookie lives (the refresh token inside keeps the access token fresh).
pub const SESSION_TTL_S: u64 = 12 * 3600;
/// How long a sign-in may take.
pub const LOGIN_TTL_S: u64 = 600;
/// Refresh an access token this long before it expires.
pub const REFRESH_MARGIN_S: u64 = 60;

/// One user's tokens for one workspace. `Debug` shows no token.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Session {
    /// A fresh random id at every sign-in (never taken from the request: no fixation).
    pub sid: String,
    pub access: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh: Option<String>,
    /// When `access` expires, seconds since the epoch.
    pub access_expires_s: u64,
    /// When the session itself ends (sign in again), seconds since the epoch.
    pub ends_s: u64,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("access_expires_s", &self.access_expires_s)
            .field("ends_s", &self.ends_s)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Does the access token need refreshing at `now`?
    pub fn needs_refresh(&self, now: u64) -> bool {
        self.access_expires_s <= now.saturating_add(REFRESH_MARGIN_S)
    }
}

/// A sign-in in progress.
#[derive(Clone, Serialize, Deserialize)]
pub struct Login {
    pub state: String,
    pub verifier: String,
    pub return_to: String,
}

/// Cookie settings of this proxy: `secure` unless served over http on loopback.
#[derive(Debug, Clone, Copy)]
pub struct CookiePolicy {
    pub secure: bool,
}

impl CookiePolicy {
    /// The session cookie of workspace `id`.
    pub fn session_name(&self, id: &str) -> String {
        if self.secure {
            format!("__Host-sc_ws_{id}")
        } else {
            format!("sc_ws_{id}")
        }
    }

    /// The sign-in-in-progress cookie of workspace `id`.
    pub fn login_name(&self, id: &str) -> String {
        format!("sc_login_{id}")
    }

    fn attrs(&self, same_site: &str, path: &str, max_age: u64) -> String {
        let secure = if self.secure { "; Secure" } else { "" };
        format!("; Path={path}; Max-Age={max_age}; HttpOnly{secure}; SameSite={same_site}")
    }

    /// `Set-Cookie` of a session.
    pub fn set_session(&self, key: &SealKey, id: &str, s: &Session) -> Option<HeaderValue> {
        let name = self.session_name(id);
        let json = serde_json::to_vec(s).ok()?;
        let sealed = key.seal(&name, &json, s.ends_s)?;
        let max_age = s.ends_s.saturating_sub(now_s());
        header_value(format!(
            "{name}={sealed}{}",
            self.attrs("Strict", "/", max_age)
        ))
    }

    /// `Set-Cookie` that removes the session of `id`.
    pub fn clear_session(&self, id: &str) -> Option<HeaderValue> {
        header_value(format!(
            "{}={}",
            self.session_name(id),
            self.attrs("Strict", "/", 0)
        ))
    }

    /// `Set-Cookie` of a sign-in in progress.
    pub fn set_login(&self, key: &SealKey, id: &str, l: &Login) -> Option<HeaderValue> {
        let name = self.login_name(id);
        let json = serde_json::to_vec(l).ok()?;
        let sealed = key.seal(&name, &json, now_s() + LOGIN_TTL_S)?;
        header_value(format!(
            "{name}={sealed}{}",
            self.attrs("Lax", "/auth", LOGIN_TTL_S)
        ))
    }

    /// `Set-Cookie` that removes the sign-in in progress of `id`.
    pub fn clear_login(&self, id: &str) -> Option<HeaderValue> {
        header_value(format!(
            "{}={}",
            self.login_name(id),
            self.attrs("Lax", "/auth", 0)
        ))
    }
}

fn header_value(s: String) -> Option<HeaderValue> {
    let mut v = HeaderValue::from_str(&s).ok()?;
    v.set_sensitive(true);
    Some(v)
}

/// The value of the cookie `name` in the request (the first, if sent twice).
pub fn read_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// What the request carries for workspace `id`.
#[derive(Debug)]
pub enum SessionState {
    None,
    Refused(Refused),
    Valid(Session),
}

/// Read and open the session cookie of `id`.
pub fn session_of(
    headers: &HeaderMap,
    key: &SealKey,
    policy: CookiePolicy,
    id: &str,
) -> SessionState {
    let name = policy.session_name(id);
    let Some(raw) = read_cookie(headers, &name) else {
        return SessionState::None;
    };
    match key.open(&name, raw, now_s()) {
        Err(r) => SessionState::Refused(r),
        Ok(bytes) => match serde_json::from_slice::<Session>(&bytes) {
            Ok(s) => SessionState::Valid(s),
            Err(_) => SessionState::Refused(Refused::Invalid),
        },
    }
}

/// Read and open the sign-in-in-progress cookie of `id`.
pub fn login_of(
    headers: &HeaderMap,
    key: &SealKey,
    policy: CookiePolicy,
    id: &str,
) -> Option<Login> {
    let name = policy.login_name(id);
    let raw = read_cookie(headers, &name)?;
    let bytes = key.open(&name, raw, now_s()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            sid: "sid1".into(),
            access: "secret-access".into(),
            refresh: Some("secret-refresh".into()),
            access_expires_s: now_s() + 3600,
            ends_s: now_s() + SESSION_TTL_S,
        }
    }

    fn request_with(cookie: &HeaderValue) -> HeaderMap {
        let pair = cookie
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("other=1; {pair}")).unwrap(),
        );
        h
    }

    #[test]
    fn session_cookies_have_the_flags_and_round_trip() {
        let key = SealKey::from_bytes(&[3; 32]).unwrap();
        let p = CookiePolicy { secure: true };
        let c = p.set_session(&key, "dev", &session()).unwrap();
        let text = c.to_str().unwrap();
        assert!(text.starts_with("__Host-sc_ws_dev="));
        for flag in ["; HttpOnly", "; Secure", "; SameSite=Strict", "; Path=/;"] {
            assert!(text.contains(flag), "{text}");
        }
        assert!(!text.contains("secret-access"));
        assert!(c.is_sensitive());
        match session_of(&request_with(&c), &key, p, "dev") {
            SessionState::Valid(s) => assert_eq!(s, session()),
            other => panic!("{other:?}"),
        }
        // Another workspace's cookie name does not open it.
        assert!(matches!(
            session_of(&request_with(&c), &key, p, "prod"),
            SessionState::None
        ));
        assert!(!format!("{:?}", session()).contains("secret"));
    }

    #[test]
    fn loopback_http_drops_secure_and_the_prefix() {
        let key = SealKey::from_bytes(&[3; 32]).unwrap();
        let p = CookiePolicy { secure: false };
        let c = p.set_session(&key, "dev", &session()).unwrap();
        let text = c.to_str().unwrap();
        assert!(text.starts_with("sc_ws_dev=") && !text.contains("Secure"));
        let l = p
            .set_login(
                &key,
                "dev",
                &Login {
                    state: "s".into(),
                    verifier: "v".into(),
                    return_to: "/".into(),
                },
            )
            .unwrap();
        assert!(l.to_str().unwrap().contains("SameSite=Lax"));
    }

    #[test]
    fn refresh_is_due_a_minute_before_expiry() {
        let mut s = session();
        let now = now_s();
        s.access_expires_s = now + 61;
        assert!(!s.needs_refresh(now));
        s.access_expires_s = now + 60;
        assert!(s.needs_refresh(now));
    }
}
