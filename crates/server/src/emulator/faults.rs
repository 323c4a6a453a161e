//! Fault rules and the record of requests received (both driven by the control API; applied
//! and written by [`super::intercept`]): a request takes the first rule that matches it and has
//! `times` left (decrementing it).

use crate::error::ApiError;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// Upper bound of a `latency` fault.
pub const MAX_LATENCY_MS: u64 = 600_000;
/// How many requests the record keeps (oldest dropped first).
pub const REQUEST_LOG_CAPACITY: usize = 10_000;

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Fault {
    /// Wait `ms`, then answer normally.
    Latency { ms: u64 },
    /// Answer `status` with a Databricks error body (and `Retry-After` when given).
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        error_code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
        /// `Retry-After` header value: seconds or an HTTP date.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<String>,
    },
    /// An nginx-like HTML 502 page (`text/html`), or `body` instead of it.
    Html502 {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        body: Option<String>,
    },
    /// The real response with its body cut in half.
    Truncated,
    /// Never answer (for ten minutes; dropped when the client disconnects).
    Hang,
}

/// `POST /__emulator/faults` body.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRequest {
    /// `GET`, `POST`, … or `*` (default).
    #[serde(default = "any_method")]
    pub method: String,
    /// Exact path, or a glob: `*` within one segment, `**` as a whole segment for any suffix.
    pub path: String,
    /// How many requests it applies to (default: unlimited).
    #[serde(default)]
    pub times: Option<u64>,
    /// Apply to each matching request with this probability (0 < p ≤ 1; default 1). A rule
    /// that does not fire leaves the request to the next rule. The draws come from a fixed
    /// seed, so a soak run is repeatable.
    #[serde(default)]
    pub probability: Option<f64>,
    pub fault: Fault,
}

fn any_method() -> String {
    "*".to_string()
}

/// A registered fault rule (`GET /__emulator/faults`).
#[derive(Debug, Clone, Serialize)]
pub struct FaultRule {
    pub id: u64,
    pub method: String,
    pub path: String,
    /// Remaining applications; `null` = unlimited.
    pub times_left: Option<u64>,
    /// Probability of applying to a matching request; `null` = always.
    pub probability: Option<f64>,
    /// How often it has applied.
    pub hits: u64,
    pub fault: Fault,
}

impl FaultRequest {
    /// Check the rule; the error is a 400 for the control API.
    pub fn validate(&self) -> Result<(), ApiError> {
        if !self.path.starts_with('/') {
            return Err(ApiError::invalid_parameter(format!(
                "path '{}' must start with '/'",
                self.path
            )));
        }
        if self.method != "*"
            && (self.method.is_empty() || !self.method.bytes().all(|b| b.is_ascii_alphabetic()))
        {
            return Err(ApiError::invalid_parameter(format!(
                "method '{}' must be an HTTP method or '*'",
                self.method
            )));
        }
        if let Some(p) = self.probability {
            if !(p > 0.0 && p <= 1.0) {
                return Err(ApiError::invalid_parameter(format!(
                    "probability {p} must be in (0, 1]"
                )));
            }
        }
        match &self.fault {
            Fault::Latency { ms } if *ms > MAX_LATENCY_MS => Err(ApiError::invalid_parameter(
                format!("latency ms must be at most {MAX_LATENCY_MS}"),
            )),
            Fault::Status {
                status,
                retry_after,
                ..
            } => {
                if !(100..=599).contains(status) || StatusCode::from_u16(*status).is_err() {
                    return Err(ApiError::invalid_parameter(format!(
                        "status {status} is not an HTTP status"
                    )));
                }
                if let Some(ra) = retry_after {
                    let secs = !ra.is_empty() && ra.bytes().all(|b| b.is_ascii_digit());
                    if !secs && httpdate::parse_http_date(ra).is_err() {
                        return Err(ApiError::invalid_parameter(format!(
                            "retry_after '{ra}' must be a number of seconds or an HTTP date"
                        )));
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// The registered rules, in order of registration.
#[derive(Debug, Default)]
pub struct FaultSet {
    rules: Vec<FaultRule>,
    next_id: u64,
    /// xorshift64* state for `probability` draws (0 = not seeded yet).
    rng: u64,
}

/// The seed of the `probability` draws, restored when the rules are cleared.
const FAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

impl FaultSet {
    /// Register a rule; returns its id.
    pub fn add(&mut self, r: FaultRequest) -> u64 {
        self.next_id += 1;
        let id = self.next_id;
        self.rules.push(FaultRule {
            id,
            method: r.method.to_ascii_uppercase(),
            path: r.path,
            times_left: r.times,
            probability: r.probability,
            hits: 0,
            fault: r.fault,
        });
        id
    }

    /// Remove every rule (and restart the probability draws from their seed).
    pub fn clear(&mut self) {
        self.rules.clear();
        self.rng = 0;
    }

    /// A uniform draw in [0, 1).
    fn draw(&mut self) -> f64 {
        if self.rng == 0 {
            self.rng = FAULT_SEED;
        }
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Remove the rule `id`; returns whether it existed.
    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.rules.len();
        self.rules.retain(|r| r.id != id);
        self.rules.len() != before
    }

    /// The rules.
    pub fn rules(&self) -> &[FaultRule] {
        &self.rules
    }

    /// The fault for a request: the first matching rule with times left (which is decremented).
    pub fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let mut chosen = None;
        for i in 0..self.rules.len() {
            let r = &self.rules[i];
            if r.times_left == Some(0)
                || !(r.method == "*" || r.method.eq_ignore_ascii_case(method))
                || !path_matches(&r.path, path)
            {
                continue;
            }
            if let Some(p) = r.probability {
                if self.draw() >= p {
                    continue;
                }
            }
            chosen = Some(i);
            break;
        }
        let rule = &mut self.rules[chosen?];
        if let Some(t) = rule.times_left.as_mut() {
            *t -= 1;
        }
        rule.hits += 1;
        Some(rule.fault.clone())
    }
}

/// Does `path` match `pattern`? Segments compare one by one; `*` matches any run of characters
/// within a segment; a `**` segment matches any remaining segments (including none).
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pat: Vec<&str> = pattern.split('/').collect();
    let segs: Vec<&str> = path.split('/').collect();
    segments_match(&pat, &segs)
}

fn segments_match(pat: &[&str], segs: &[&str]) -> bool {
    match pat.split_first() {
        None => segs.is_empty(),
        Some((&"**", rest)) => (0..=segs.len()).any(|k| segments_match(rest, &segs[k..])),
        Some((p, rest)) => match segs.split_first() {
            Some((s, srest)) => {
                segment_matches(p.as_bytes(), s.as_bytes()) && segments_match(rest, srest)
            }
            None => false,
        },
    }
}

fn segment_matches(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|k| segment_matches(rest, &s[k..])),
        Some((c, rest)) => s
            .split_first()
            .is_some_and(|(d, srest)| c == d && segment_matches(rest, srest)),
    }
}

/// One request received (`GET /__emulator/requests`). The token itself is never recorded.
#[derive(Debug, Clone, Serialize)]
pub struct RequestRecord {
    #[serde(skip)]
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The raw query string ("" when none).
    pub query: String,
    /// `null` while in flight; 499 if the client went away first.
    pub status: Option<u16>,
    /// Wall-clock ms since the epoch (not the emulated clock).
    pub started_ms: i64,
    pub ended_ms: Option<i64>,
    pub authorization_present: bool,
}

/// The last [`REQUEST_LOG_CAPACITY`] requests.
#[derive(Debug, Default)]
pub struct RequestLog {
    entries: VecDeque<RequestRecord>,
    next_seq: u64,
}

impl RequestLog {
    /// Record a request that has started; returns its sequence number.
    pub fn start(&mut self, mut r: RequestRecord) -> u64 {
        self.next_seq += 1;
        r.seq = self.next_seq;
        if self.entries.len() >= REQUEST_LOG_CAPACITY {
            self.entries.pop_front();
        }
        self.entries.push_back(r);
        self.next_seq
    }

    /// Record how request `seq` ended.
    pub fn finish(&mut self, seq: u64, status: u16, ended_ms: i64) {
        if let Some(r) = self.entries.iter_mut().rev().find(|r| r.seq == seq) {
            r.status = Some(status);
            r.ended_ms = Some(ended_ms);
        }
    }

    /// Everything recorded, oldest first.
    pub fn entries(&self) -> Vec<RequestRecord> {
        self.entries.iter().cloned().collect()
    }

    /// Forget everything.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(path_matches(
            "/api/2.0/serving-endpoints",
            "/api/2.0/serving-endpoints"
        ));
        assert!(!path_matches(
            "/api/2.0/serving-endpoints",
            "/api/2.0/serving-endpoints/x"
        ));
        assert!(path_matches(
            "/api/2.0/serving-endpoints/*",
            "/api/2.0/serving-endpoints/x"
        ));
        assert!(!path_matches(
            "/api/2.0/serving-endpoints/*",
            "/api/2.0/serving-endpoints/x/logs"
        ));
        assert!(path_matches("/api/**", "/api/2.0/serving-endpoints/x/logs"));
        assert!(path_matches("/api/**", "/api"));
        assert!(path_matches(
            "/api/2.0/serving-endpoints/*/config:*",
            "/api/2.0/serving-endpoints/a/config:stop"
        ));
        assert!(path_matches("/**", "/anything/at/all"));
    }

    #[test]
    fn times_decrement_and_first_match_wins() {
        let mut f = FaultSet::default();
        let req = |times| FaultRequest {
            method: "GET".into(),
            path: "/a".into(),
            times,
            probability: None,
            fault: Fault::Html502 { body: None },
        };
        f.add(req(Some(1)));
        f.add(FaultRequest {
            fault: Fault::Truncated,
            ..req(None)
        });
        assert_eq!(f.take("GET", "/a"), Some(Fault::Html502 { body: None }));
        assert_eq!(f.take("get", "/a"), Some(Fault::Truncated));
        assert_eq!(f.take("POST", "/a"), None);
    }

    #[test]
    fn a_probability_applies_to_that_share_and_falls_through_otherwise() {
        let mut f = FaultSet::default();
        let rule = |probability, fault| FaultRequest {
            method: "*".into(),
            path: "/a".into(),
            times: None,
            probability,
            fault,
        };
        f.add(rule(Some(0.2), Fault::Html502 { body: None }));
        f.add(rule(Some(0.5), Fault::Truncated));
        let mut html = 0;
        let mut cut = 0;
        let mut none = 0;
        let draws: Vec<Option<Fault>> = (0..10_000).map(|_| f.take("GET", "/a")).collect();
        for d in &draws {
            match d {
                Some(Fault::Html502 { .. }) => html += 1,
                Some(Fault::Truncated) => cut += 1,
                None => none += 1,
                Some(other) => panic!("unexpected {other:?}"),
            }
        }
        // 20 % the first rule; half of the remaining 80 % the second; the rest none.
        assert!((1_800..2_200).contains(&html), "{html}");
        assert!((3_800..4_200).contains(&cut), "{cut}");
        assert!((3_800..4_200).contains(&none), "{none}");
        // Repeatable: clearing restarts the draws from the seed.
        f.clear();
        f.add(rule(Some(0.2), Fault::Html502 { body: None }));
        f.add(rule(Some(0.5), Fault::Truncated));
        let again: Vec<Option<Fault>> = (0..10_000).map(|_| f.take("GET", "/a")).collect();
        assert_eq!(again, draws);
        // Out of range is refused by the control API.
        for p in [0.0, -0.1, 1.5, f64::NAN] {
            let r = rule(Some(p), Fault::Html502 { body: None });
            assert!(r.validate().is_err(), "{p}");
        }
        assert!(rule(Some(1.0), Fault::Html502 { body: None })
            .validate()
            .is_ok());
    }
}
