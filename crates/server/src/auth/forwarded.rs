//! `forwarded` sign-in: a fronting identity-aware proxy (Databricks Apps, oauth2-proxy, …) has
//! signed the user in and passes the user's workspace token in `X-Forwarded-Access-Token`. The
//! header is taken only from a connection whose peer address is configured as trusted; from
//! anyone else it is ignored (a browser can send any header it likes).

use axum::http::{HeaderMap, HeaderValue};
use std::net::{IpAddr, SocketAddr};

/// The header Databricks Apps (and oauth2-proxy) use.
pub const HEADER: &str = "x-forwarded-access-token";

/// The addresses allowed to pass a user's token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trusted(pub Vec<IpAddr>);

impl Trusted {
    /// `Authorization: Bearer …` for the forwarded token, if `peer` is trusted and sent exactly
    /// one well-formed token; `None` otherwise.
    pub fn bearer(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<HeaderValue> {
        let ip = canonical(peer?.ip());
        if !self.0.iter().any(|t| canonical(*t) == ip) {
            return None;
        }
        let mut values = headers.get_all(HEADER).iter();
        let (Some(v), None) = (values.next(), values.next()) else {
            return None;
        };
        let token = v.to_str().ok()?.trim();
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let mut h = HeaderValue::from_str(&format!("Bearer {token}")).ok()?;
        h.set_sensitive(true);
        Some(h)
    }
}

/// IPv4-mapped IPv6 addresses compare as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(HEADER, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn only_trusted_peers_pass_a_token() {
        let t = Trusted(vec!["10.0.0.5".parse().unwrap()]);
        let from = |ip: &str| Some(SocketAddr::new(ip.parse().unwrap(), 4000));
        let b = t.bearer(from("10.0.0.5"), &headers(&["tok"])).unwrap();
        assert_eq!(b.to_str().unwrap(), "Bearer tok");
        assert!(b.is_sensitive());
        assert!(t
            .bearer(from("::ffff:10.0.0.5"), &headers(&["tok"]))
            .is_some());
        assert!(t.bearer(from("10.0.0.6"), &headers(&["tok"])).is_none());
        assert!(t.bearer(None, &headers(&["tok"])).is_none());
        assert!(t.bearer(from("10.0.0.5"), &headers(&[])).is_none());
        assert!(t.bearer(from("10.0.0.5"), &headers(&["a", "b"])).is_none());
        assert!(t.bearer(from("10.0.0.5"), &headers(&["a b"])).is_none());
    }
}
