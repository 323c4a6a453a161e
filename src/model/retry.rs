//! The read-retry policy and the polling schedule, one for every screen (budgets.md R1, R6,
//! P8). Pure: the caller passes the clock and the randomness.
//!
//! - Reads retry on `429`, `503`, `504`, network errors and timeouts; at most
//!   [`RetryPolicy::max_attempts`] attempts in all.
//! - A `Retry-After` header (delta-seconds or HTTP-date) is honoured: the wait is
//!   `max(Retry-After, jittered backoff)`, so never shorter than the server asked. A
//!   `Retry-After` longer than [`MAX_RETRY_AFTER_MS`] is not waited for: no retry, and
//!   [`rate_limited_until`] tells the UI until when.
//! - Otherwise full-jitter exponential backoff: `random01 * min(cap, base * 2^(attempt-1))`.
//! - Mutations are never retried: callers must not consult this policy for them.

use super::time_fmt::{civil_from_days, days_from_civil, days_in_month};
use std::collections::VecDeque;

/// A `Retry-After` longer than this is not waited for (budgets.md R1: "if Retry-After > 60 s,
/// stop and show 'rate-limited until HH:MM'").
pub const MAX_RETRY_AFTER_MS: u64 = 60_000;

/// Poll interval of steady (not transitioning) views: detail and list (budgets.md P8).
pub const STEADY_POLL_MS: u64 = 30_000;

/// Upper bound of the transitioning poll interval before jitter (budgets.md P8).
pub const MAX_TRANSITION_POLL_MS: u64 = 10_000;

/// A view is stale once its last success is older than this many poll intervals (R6).
pub const STALE_AFTER_INTERVALS: u64 = 3;

/// How many attempts, and the backoff's base and cap.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included (3: one try and two retries).
    pub max_attempts: u32,
    /// Backoff ceiling after the first failed attempt, in ms.
    pub base_ms: u64,
    /// Largest backoff ceiling, in ms.
    pub cap_ms: u64,
}

impl Default for RetryPolicy {
    /// 3 attempts, base 500 ms, cap 10 s (budgets.md R1).
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_ms: 500,
            cap_ms: 10_000,
        }
    }
}

/// How one attempt failed, as far as the retry decision cares.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Failure {
    /// The request never got a response (connection refused/reset, offline, CORS).
    Network,
    /// The per-attempt timeout fired.
    Timeout,
    /// A non-2xx response, with its `Retry-After` header if any.
    Http {
        /// The HTTP status.
        status: u16,
        /// The raw `Retry-After` header value.
        retry_after: Option<String>,
    },
    /// A 2xx response whose body could not be decoded (retrying would not help).
    Decode,
}

impl Failure {
    /// An HTTP failure without `Retry-After`.
    pub fn http(status: u16) -> Self {
        Failure::Http {
            status,
            retry_after: None,
        }
    }

    /// The HTTP status, for HTTP failures.
    pub fn status(&self) -> Option<u16> {
        match self {
            Failure::Http { status, .. } => Some(*status),
            Failure::Network | Failure::Timeout | Failure::Decode => None,
        }
    }

    /// The raw `Retry-After` header, for HTTP failures that carry one.
    pub fn retry_after(&self) -> Option<&str> {
        match self {
            Failure::Http { retry_after, .. } => retry_after.as_deref(),
            Failure::Network | Failure::Timeout | Failure::Decode => None,
        }
    }
}

/// May a read that failed this way be retried? `429`, `503`, `504`, network errors and
/// timeouts: yes. Everything else (400, 401, 403, 404, 409, 500, decode errors …): no.
pub fn is_retryable(f: &Failure) -> bool {
    match f {
        Failure::Network | Failure::Timeout => true,
        Failure::Http { status, .. } => matches!(status, 429 | 503 | 504),
        Failure::Decode => false,
    }
}

/// The delay a `Retry-After` value asks for, in ms, seen at `now_ms`.
///
/// Accepts delta-seconds (`"120"`) and the three HTTP-date forms of RFC 9110 §5.6.7
/// (IMF-fixdate `"Sun, 06 Nov 1994 08:49:37 GMT"`, RFC 850 `"Sunday, 06-Nov-94 08:49:37 GMT"`,
/// asctime `"Sun Nov  6 08:49:37 1994"`). A date in the past gives 0. Huge values saturate
/// (they are not capped here: [`next_delay`] refuses to wait longer than
/// [`MAX_RETRY_AFTER_MS`]). Anything else (empty, negative, fractional, garbage) gives `None`.
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<u64> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let secs = v.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(secs.saturating_mul(1_000));
    }
    let at = parse_http_date(v, now_ms)?;
    let delay = i128::from(at) - i128::from(now_ms);
    Some(u64::try_from(delay.max(0)).unwrap_or(u64::MAX))
}

/// Parses an HTTP-date (any of the three RFC 9110 forms) into ms since the epoch.
/// `now_ms` resolves the two-digit year of the RFC 850 form (a year more than 50 years in the
/// future means the century before). Weekday names are checked for spelling, not against
/// the date. `None` when malformed or out of range.
pub fn parse_http_date(value: &str, now_ms: i64) -> Option<i64> {
    let mut tokens = [""; 6];
    let mut n = 0;
    for t in value.split_whitespace() {
        if n == tokens.len() {
            return None;
        }
        tokens[n] = t;
        n += 1;
    }
    let (year, month, day, hms) = match n {
        // IMF-fixdate: "Sun," "06" "Nov" "1994" "08:49:37" "GMT"
        6 => {
            let wd = tokens[0].strip_suffix(',')?;
            weekday(wd)?;
            gmt(tokens[5])?;
            let year = number(tokens[3], 4, 4)?;
            (year, month(tokens[2])?, number(tokens[1], 1, 2)?, tokens[4])
        }
        // RFC 850: "Sunday," "06-Nov-94" "08:49:37" "GMT"
        4 => {
            let wd = tokens[0].strip_suffix(',')?;
            weekday(wd)?;
            gmt(tokens[3])?;
            let mut parts = tokens[1].split('-');
            let d = number(parts.next()?, 1, 2)?;
            let m = month(parts.next()?)?;
            let y_text = parts.next()?;
            if parts.next().is_some() {
                return None;
            }
            let y = if y_text.len() == 2 {
                two_digit_year(number(y_text, 2, 2)?, now_ms)
            } else {
                number(y_text, 4, 4)?
            };
            (y, m, d, tokens[2])
        }
        // asctime: "Sun" "Nov" "6" "08:49:37" "1994"
        5 => {
            weekday(tokens[0])?;
            (
                number(tokens[4], 4, 4)?,
                month(tokens[1])?,
                number(tokens[2], 1, 2)?,
                tokens[3],
            )
        }
        _ => return None,
    };
    let (h, mi, s) = time_of_day(hms)?;
    let month = u32::try_from(month).ok()?;
    let day = u32::try_from(day).ok()?;
    if year < 1 || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + h * 3_600 + mi * 60 + s;
    Some(secs * 1_000)
}

/// `digits` as a number, with between `min` and `max` ASCII digits.
fn number(digits: &str, min: usize, max: usize) -> Option<i64> {
    if digits.len() < min || digits.len() > max || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn weekday(name: &str) -> Option<()> {
    const NAMES: [&str; 14] = [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    NAMES
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
        .then_some(())
}

fn month(name: &str) -> Option<i64> {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let i = NAMES.iter().position(|n| n.eq_ignore_ascii_case(name))?;
    i64::try_from(i + 1).ok()
}

fn gmt(zone: &str) -> Option<()> {
    (zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC")).then_some(())
}

/// `"08:49:37"` → (8, 49, 37); a leap second (60) is accepted.
fn time_of_day(text: &str) -> Option<(i64, i64, i64)> {
    let mut parts = text.split(':');
    let h = number(parts.next()?, 2, 2)?;
    let m = number(parts.next()?, 2, 2)?;
    let s = number(parts.next()?, 2, 2)?;
    if parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some((h, m, s))
}

/// RFC 9110: a two-digit year that appears more than 50 years in the future is the most
/// recent past year with those last two digits.
fn two_digit_year(yy: i64, now_ms: i64) -> i64 {
    let (now_year, _, _) = civil_from_days(now_ms.div_euclid(86_400_000));
    let year = now_year - now_year.rem_euclid(100) + yy;
    if year > now_year + 50 {
        year - 100
    } else {
        year
    }
}

/// The un-jittered backoff ceiling after failed attempt `attempt` (1-based):
/// `min(cap, base * 2^(attempt-1))`, overflow-safe.
pub fn backoff_ceiling_ms(policy: &RetryPolicy, attempt: u32) -> u64 {
    let exp = attempt.max(1) - 1;
    let factor = 1u64.checked_shl(exp).unwrap_or(u64::MAX);
    policy.base_ms.saturating_mul(factor).min(policy.cap_ms)
}

/// `random01` forced into `[0, 1]` (NaN → 0).
fn unit(random01: f64) -> f64 {
    if random01.is_nan() {
        0.0
    } else {
        random01.clamp(0.0, 1.0)
    }
}

/// How long to wait before the next attempt, or `None` for no retry.
///
/// `attempt` is the 1-based number of the attempt that just failed; `random01` a uniform
/// random number in `[0, 1)` (injected so tests are exact). No retry when the failure is not
/// retryable, when `attempt >= policy.max_attempts`, or when `Retry-After` asks for more than
/// [`MAX_RETRY_AFTER_MS`]. Otherwise the full-jitter backoff
/// `floor(random01 * min(cap, base * 2^(attempt-1)))`, raised to the `Retry-After` delay
/// when the response carries a valid one.
pub fn next_delay(
    policy: &RetryPolicy,
    attempt: u32,
    failure: &Failure,
    now_ms: i64,
    random01: f64,
) -> Option<u64> {
    if !is_retryable(failure) || attempt.max(1) >= policy.max_attempts {
        return None;
    }
    let ceiling = backoff_ceiling_ms(policy, attempt);
    // `ceiling` fits in f64 well enough for ms delays; the product is ≤ ceiling.
    let jittered = (unit(random01) * ceiling as f64).floor() as u64;
    match failure
        .retry_after()
        .and_then(|v| parse_retry_after(v, now_ms))
    {
        Some(ra) if ra > MAX_RETRY_AFTER_MS => None,
        Some(ra) => Some(ra.max(jittered)),
        None => Some(jittered),
    }
}

/// When a `Retry-After` longer than [`MAX_RETRY_AFTER_MS`] ends (ms since epoch), so the UI
/// can say "rate-limited until HH:MM". `None` for any other failure.
pub fn rate_limited_until(failure: &Failure, now_ms: i64) -> Option<i64> {
    if !is_retryable(failure) {
        return None;
    }
    let ra = parse_retry_after(failure.retry_after()?, now_ms)?;
    if ra <= MAX_RETRY_AFTER_MS {
        return None;
    }
    let ra = i64::try_from(ra).unwrap_or(i64::MAX);
    Some(now_ms.saturating_add(ra))
}

/// The delay before the next poll (budgets.md P8). Transitioning views poll after
/// `min(2 s * attempt, 10 s)` plus up to 10 % jitter (`attempt` 1-based, 0 counts as 1);
/// steady views every 30 s.
pub fn poll_interval_ms(transitioning: bool, attempt: u32, random01: f64) -> u64 {
    if !transitioning {
        return STEADY_POLL_MS;
    }
    let base = 2_000u64
        .saturating_mul(u64::from(attempt.max(1)))
        .min(MAX_TRANSITION_POLL_MS);
    base + (unit(random01) * base as f64 * 0.1).floor() as u64
}

/// Has polling failed for [`STALE_AFTER_INTERVALS`] intervals, i.e. is the last success older
/// than `3 * interval_ms` (budgets.md R6)?
pub fn is_stale(last_success_ms: i64, now_ms: i64, interval_ms: u64) -> bool {
    let age = i128::from(now_ms) - i128::from(last_success_ms);
    age > i128::from(interval_ms) * i128::from(STALE_AFTER_INTERVALS)
}

/// The session retry budget (budgets.md R1): retries may be at most `ratio` of the requests
/// sent in a rolling window, beyond that reads fail fast. A floor of `min_retries` per
/// window keeps the first failures of a quiet session retryable (with a strict 10 % of two
/// requests, nothing could ever be retried).
#[derive(Clone, Debug)]
pub struct RetryBudget {
    window_ms: i64,
    ratio: f64,
    min_retries: usize,
    requests: VecDeque<i64>,
    retries: VecDeque<i64>,
}

impl Default for RetryBudget {
    /// 60 s window, 10 %, at least 3 retries per window.
    fn default() -> Self {
        RetryBudget::new(60_000, 0.1, 3)
    }
}

impl RetryBudget {
    /// A budget of `ratio` (0..=1) retries per request in a `window_ms` window, and at least
    /// `min_retries`.
    pub fn new(window_ms: i64, ratio: f64, min_retries: usize) -> Self {
        RetryBudget {
            window_ms,
            ratio: unit(ratio),
            min_retries,
            requests: VecDeque::new(),
            retries: VecDeque::new(),
        }
    }

    fn prune(&mut self, now_ms: i64) {
        let from = now_ms.saturating_sub(self.window_ms);
        while self.requests.front().is_some_and(|t| *t <= from) {
            self.requests.pop_front();
        }
        while self.retries.front().is_some_and(|t| *t <= from) {
            self.retries.pop_front();
        }
    }

    /// Records one request sent (first attempts and retries alike).
    pub fn record_request(&mut self, now_ms: i64) {
        self.prune(now_ms);
        self.requests.push_back(now_ms);
    }

    /// How many retries the window allows right now.
    pub fn allowance(&mut self, now_ms: i64) -> usize {
        self.prune(now_ms);
        let share = (self.requests.len() as f64 * self.ratio).floor() as usize;
        share.max(self.min_retries)
    }

    /// Takes one retry from the budget if any is left (and records it); `false` means fail
    /// fast.
    pub fn try_acquire(&mut self, now_ms: i64) -> bool {
        if self.retries.len() < self.allowance(now_ms) {
            self.retries.push_back(now_ms);
            true
        } else {
            false
        }
    }
}

/// The delay before a poller's next request after a failed read: its usual `interval_ms`, or
/// longer when the last answer carried a `Retry-After` (either form) that asks for more — a
/// poll must not come back before the server said it may (budgets.md R1). At most an hour.
pub fn poll_delay_after(interval_ms: u64, retry_after: Option<&str>, now_ms: i64) -> u64 {
    let asked = retry_after
        .and_then(|v| parse_retry_after(v, now_ms))
        .unwrap_or(0)
        .min(3_600_000);
    interval_ms.max(asked)
}

/// The client-side rate limit of one tab (budgets.md R7): a token bucket shared by every poller
/// and action, `rate_per_sec` sustained with bursts of `burst`. Pure: the caller passes the clock.
#[derive(Clone, Debug)]
pub struct TokenBucket {
    burst: f64,
    per_ms: f64,
    tokens: f64,
    last_ms: Option<i64>,
}

impl Default for TokenBucket {
    /// 5 requests per second, bursts of 10.
    fn default() -> Self {
        TokenBucket::new(5.0, 10)
    }
}

impl TokenBucket {
    /// A full bucket of `burst` tokens refilled at `rate_per_sec` (at least one token, and a
    /// rate above zero: a bucket that never refills would stop the console).
    pub fn new(rate_per_sec: f64, burst: u32) -> Self {
        let rate = if rate_per_sec.is_finite() && rate_per_sec > 0.0 {
            rate_per_sec
        } else {
            1.0
        };
        let burst = f64::from(burst.max(1));
        TokenBucket {
            burst,
            per_ms: rate / 1000.0,
            tokens: burst,
            last_ms: None,
        }
    }

    fn refill(&mut self, now_ms: i64) {
        if let Some(last) = self.last_ms {
            // A clock that goes backwards adds nothing (and does not take anything either).
            let elapsed = now_ms.saturating_sub(last).max(0) as f64;
            self.tokens = (self.tokens + elapsed * self.per_ms).min(self.burst);
        }
        if self.last_ms.is_none_or(|l| now_ms > l) {
            self.last_ms = Some(now_ms);
        }
    }

    /// Take one token: `Ok` to send now, or `Err(ms)` to wait before asking again (nothing is
    /// taken then).
    pub fn take(&mut self, now_ms: i64) -> Result<(), u64> {
        self.refill(now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - self.tokens;
            Err(((missing / self.per_ms).ceil() as u64).max(1))
        }
    }
}

/// What one tab's API client shares across requests: the rate limit (R7) and the session retry
/// budget (R1).
#[derive(Clone, Debug, Default)]
pub struct Limits {
    /// Every attempt takes a token.
    pub bucket: TokenBucket,
    /// Retries of reads take from the budget; without one, a read fails fast.
    pub budget: RetryBudget,
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// 2025-08-12 14:03:00 UTC.
    const NOW: i64 = 1_755_007_380_000;

    fn p() -> RetryPolicy {
        RetryPolicy::default()
    }

    #[test]
    fn a_poll_after_retry_after_waits_as_long_as_the_server_asked() {
        assert_eq!(poll_delay_after(1_000, None, NOW), 1_000);
        assert_eq!(poll_delay_after(1_000, Some("3"), NOW), 3_000);
        assert_eq!(poll_delay_after(30_000, Some("3"), NOW), 30_000);
        // HTTP-date form: 2025-08-12 14:03:10 is 10 s after NOW.
        assert_eq!(
            poll_delay_after(1_000, Some("Tue, 12 Aug 2025 14:03:10 GMT"), NOW),
            10_000
        );
        // A date in the past or garbage: the usual interval.
        assert_eq!(
            poll_delay_after(1_000, Some("Tue, 12 Aug 2025 14:00:00 GMT"), NOW),
            1_000
        );
        assert_eq!(poll_delay_after(1_000, Some("soon"), NOW), 1_000);
        // Absurd values are capped at an hour.
        assert_eq!(poll_delay_after(1_000, Some("99999999999"), NOW), 3_600_000);
    }

    #[test]
    fn the_bucket_allows_a_burst_of_ten_then_five_per_second() {
        let mut b = TokenBucket::default();
        for i in 0..10 {
            assert_eq!(b.take(NOW), Ok(()), "burst request {i}");
        }
        // The 11th waits for one token at 5/s: 200 ms.
        assert_eq!(b.take(NOW), Err(200));
        assert_eq!(b.take(NOW + 100), Err(100));
        assert_eq!(b.take(NOW + 200), Ok(()));
        // Sustained: over 10 s of asking every 10 ms, at most 5/s get through.
        let mut sent = 0;
        let mut t = NOW + 200;
        while t < NOW + 10_200 {
            t += 10;
            if b.take(t).is_ok() {
                sent += 1;
            }
        }
        assert!((49..=51).contains(&sent), "{sent} in 10 s");
    }

    #[test]
    fn the_bucket_refills_to_the_burst_only_and_ignores_a_clock_going_back() {
        let mut b = TokenBucket::new(5.0, 10);
        for _ in 0..10 {
            b.take(NOW).unwrap();
        }
        // An hour later the bucket holds 10, not 18,000.
        for _ in 0..10 {
            assert_eq!(b.take(NOW + 3_600_000), Ok(()));
        }
        assert!(b.take(NOW + 3_600_000).is_err());
        // The clock steps back a minute: no tokens appear, none are lost.
        assert!(b.take(NOW + 3_540_000).is_err());
        assert_eq!(b.take(NOW + 3_600_200), Ok(()));
    }

    #[test]
    fn a_bucket_with_a_nonsense_rate_still_refills() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let mut b = TokenBucket::new(rate, 0);
            assert_eq!(b.take(NOW), Ok(()), "rate {rate}: one token to start");
            let wait = b.take(NOW).unwrap_err();
            assert!(wait <= 1_000, "rate {rate}: waits {wait} ms");
            assert_eq!(b.take(NOW + wait as i64), Ok(()));
        }
    }

    fn ra(status: u16, value: &str) -> Failure {
        Failure::Http {
            status,
            retry_after: Some(value.to_string()),
        }
    }

    #[test]
    fn default_policy() {
        assert_eq!(
            p(),
            RetryPolicy {
                max_attempts: 3,
                base_ms: 500,
                cap_ms: 10_000
            }
        );
    }

    #[test]
    fn retryable_classes() {
        for s in [429, 503, 504] {
            assert!(is_retryable(&Failure::http(s)), "{s}");
        }
        assert!(is_retryable(&Failure::Network));
        assert!(is_retryable(&Failure::Timeout));
        assert!(!is_retryable(&Failure::Decode));
        for s in [200, 301, 400, 401, 403, 404, 409, 499, 500, 501, 502] {
            assert!(!is_retryable(&Failure::http(s)), "{s}");
        }
    }

    #[test]
    fn non_retryable_statuses_never_retry_even_with_retry_after() {
        for s in [400, 401, 403, 404, 409, 500] {
            assert_eq!(next_delay(&p(), 1, &Failure::http(s), NOW, 0.5), None);
            assert_eq!(next_delay(&p(), 1, &ra(s, "1"), NOW, 0.5), None);
            assert_eq!(rate_limited_until(&ra(s, "3600"), NOW), None);
        }
        assert_eq!(next_delay(&p(), 1, &Failure::Decode, NOW, 0.5), None);
    }

    #[test]
    fn full_jitter_schedule() {
        let big = RetryPolicy {
            max_attempts: 10,
            base_ms: 500,
            cap_ms: 10_000,
        };
        let ceilings = [
            500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000, 10_000,
        ];
        for (i, c) in ceilings.iter().enumerate() {
            let attempt = u32::try_from(i + 1).unwrap();
            assert_eq!(backoff_ceiling_ms(&big, attempt), *c);
            // random01 = 1 hits the ceiling, 0 gives 0, 0.5 half of it.
            assert_eq!(
                next_delay(&big, attempt, &Failure::Network, NOW, 1.0),
                Some(*c)
            );
            assert_eq!(
                next_delay(&big, attempt, &Failure::Network, NOW, 0.0),
                Some(0)
            );
            assert_eq!(
                next_delay(&big, attempt, &Failure::Timeout, NOW, 0.5),
                Some(c / 2)
            );
        }
        assert_eq!(next_delay(&big, 10, &Failure::Network, NOW, 1.0), None);
        // Huge attempt numbers neither overflow nor exceed the cap.
        assert_eq!(backoff_ceiling_ms(&big, 64), 10_000);
        assert_eq!(backoff_ceiling_ms(&big, u32::MAX), 10_000);
        assert_eq!(backoff_ceiling_ms(&big, 0), 500);
    }

    #[test]
    fn default_schedule_is_at_most_three_attempts() {
        // attempt 1 failed → wait ≤ 500; attempt 2 failed → wait ≤ 1000; attempt 3 → give up.
        assert_eq!(
            next_delay(&p(), 1, &Failure::http(503), NOW, 0.999),
            Some(499)
        );
        assert_eq!(
            next_delay(&p(), 2, &Failure::http(503), NOW, 0.999),
            Some(999)
        );
        assert_eq!(next_delay(&p(), 3, &Failure::http(503), NOW, 0.999), None);
        assert_eq!(next_delay(&p(), 4, &Failure::http(503), NOW, 0.999), None);
        // attempt 0 is read as the first attempt.
        assert_eq!(
            next_delay(&p(), 0, &Failure::http(503), NOW, 1.0),
            Some(500)
        );
        let one = RetryPolicy {
            max_attempts: 1,
            ..p()
        };
        assert_eq!(next_delay(&one, 1, &Failure::Network, NOW, 0.5), None);
        let zero = RetryPolicy {
            max_attempts: 0,
            ..p()
        };
        assert_eq!(next_delay(&zero, 1, &Failure::Network, NOW, 0.5), None);
    }

    #[test]
    fn random_out_of_range_is_clamped() {
        assert_eq!(next_delay(&p(), 1, &Failure::Network, NOW, -3.0), Some(0));
        assert_eq!(next_delay(&p(), 1, &Failure::Network, NOW, 7.0), Some(500));
        assert_eq!(
            next_delay(&p(), 1, &Failure::Network, NOW, f64::NAN),
            Some(0)
        );
        assert_eq!(
            next_delay(&p(), 1, &Failure::Network, NOW, f64::INFINITY),
            Some(500)
        );
    }

    /// Runs a whole read against a scripted sequence of outcomes with a virtual clock;
    /// returns (attempts made, waits between them, succeeded).
    fn simulate(
        policy: &RetryPolicy,
        outcomes: &[Option<Failure>],
        random01: f64,
    ) -> (u32, Vec<u64>, bool) {
        let mut now = NOW;
        let mut waits = Vec::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            let attempt = u32::try_from(i + 1).unwrap();
            match outcome {
                None => return (attempt, waits, true),
                Some(f) => match next_delay(policy, attempt, f, now, random01) {
                    Some(d) => {
                        waits.push(d);
                        now += i64::try_from(d).unwrap();
                    }
                    None => return (attempt, waits, false),
                },
            }
        }
        (u32::try_from(outcomes.len()).unwrap(), waits, false)
    }

    #[test]
    fn fault_matrix() {
        let n = || Some(Failure::Network);
        let s = |x| Some(Failure::http(x));
        let r = |x, v: &str| Some(ra(x, v));
        type Case = (Vec<Option<Failure>>, u32, Vec<u64>, bool);
        let cases: Vec<Case> = vec![
            (vec![None], 1, vec![], true),
            (vec![n(), None], 2, vec![250], true),
            (vec![n(), n(), None], 3, vec![250, 500], true),
            (vec![n(), n(), n(), None], 3, vec![250, 500], false),
            (vec![s(503), s(503), s(503)], 3, vec![250, 500], false),
            (vec![s(504), None], 2, vec![250], true),
            (vec![s(429), s(504), None], 3, vec![250, 500], true),
            (vec![Some(Failure::Timeout), None], 2, vec![250], true),
            (vec![s(404)], 1, vec![], false),
            (vec![s(401)], 1, vec![], false),
            (vec![s(403)], 1, vec![], false),
            (vec![s(409)], 1, vec![], false),
            (vec![s(400)], 1, vec![], false),
            (vec![s(500)], 1, vec![], false),
            (vec![s(502)], 1, vec![], false),
            (vec![Some(Failure::Decode)], 1, vec![], false),
            (vec![n(), s(500)], 2, vec![250], false),
            (vec![n(), Some(Failure::Decode)], 2, vec![250], false),
            (vec![r(429, "2"), None], 2, vec![2_000], true),
            (
                vec![r(429, "2"), r(429, "3"), None],
                3,
                vec![2_000, 3_000],
                true,
            ),
            (
                vec![r(429, "2"), r(429, "3"), r(429, "1")],
                3,
                vec![2_000, 3_000],
                false,
            ),
            (vec![r(503, "0"), None], 2, vec![250], true),
            (vec![r(503, "60"), None], 2, vec![60_000], true),
            (vec![r(503, "61")], 1, vec![], false),
            (vec![r(429, "garbage"), None], 2, vec![250], true),
            (vec![r(429, "-1"), None], 2, vec![250], true),
            (vec![r(429, "1.5"), None], 2, vec![250], true),
            (vec![r(429, ""), None], 2, vec![250], true),
            (
                vec![r(429, "Tue, 12 Aug 2025 14:03:05 GMT"), None],
                2,
                vec![5_000],
                true,
            ),
            (
                vec![r(429, "Tue, 12 Aug 2025 14:00:00 GMT"), None],
                2,
                vec![250],
                true,
            ),
            (
                vec![r(429, "Tue, 12 Aug 2025 15:00:00 GMT")],
                1,
                vec![],
                false,
            ),
            (vec![r(504, "1"), n(), None], 3, vec![1_000, 500], true),
        ];
        assert!(cases.len() >= 30);
        for (i, (outcomes, attempts, waits, ok)) in cases.into_iter().enumerate() {
            let got = simulate(&p(), &outcomes, 0.5);
            assert_eq!(got, (attempts, waits, ok), "case {i}: {outcomes:?}");
        }
    }

    #[test]
    fn retry_after_is_a_floor_and_backoff_can_exceed_it() {
        // Retry-After 0 s, full random: the backoff (500) wins.
        assert_eq!(next_delay(&p(), 1, &ra(429, "0"), NOW, 1.0), Some(500));
        // Property over a grid: delay ≥ Retry-After and ≤ max(cap, Retry-After).
        for secs in 0..=60u64 {
            for attempt in 1..3 {
                for k in 0..=10 {
                    let r = f64::from(k) / 10.0;
                    let d = next_delay(&p(), attempt, &ra(503, &secs.to_string()), NOW, r)
                        .expect("retry");
                    assert!(d >= secs * 1_000);
                    assert!(d <= (secs * 1_000).max(p().cap_ms));
                }
            }
        }
    }

    #[test]
    fn parse_retry_after_seconds() {
        assert_eq!(parse_retry_after("0", NOW), Some(0));
        assert_eq!(parse_retry_after("1", NOW), Some(1_000));
        assert_eq!(parse_retry_after(" 120 ", NOW), Some(120_000));
        assert_eq!(parse_retry_after("007", NOW), Some(7_000));
        assert_eq!(
            parse_retry_after("99999999999999999999999", NOW),
            Some(u64::MAX)
        );
        for bad in ["", "  ", "-1", "+1", "1.5", "1e3", "abc", "1 2", "１"] {
            assert_eq!(parse_retry_after(bad, NOW), None, "{bad:?}");
        }
    }

    #[test]
    fn parse_retry_after_dates_all_three_forms() {
        // The RFC 9110 example instant, seen 10 s earlier.
        let at = 784_111_777_000;
        let now = at - 10_000;
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "sun, 06 nov 1994 08:49:37 gmt",
            "  Sun, 06 Nov 1994 08:49:37 GMT  ",
        ] {
            assert_eq!(parse_http_date(form, now), Some(at), "{form}");
            assert_eq!(parse_retry_after(form, now), Some(10_000), "{form}");
        }
        // In the past → 0.
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
            Some(0)
        );
        // Leap day and leap second.
        assert_eq!(
            parse_http_date("Thu, 29 Feb 2024 00:00:00 GMT", NOW),
            Some(1_709_164_800_000)
        );
        assert_eq!(
            parse_http_date("Tue, 12 Aug 2025 14:02:60 GMT", NOW),
            Some(NOW)
        );
    }

    #[test]
    fn rfc850_two_digit_years() {
        // Seen from 2025: "94" is 1994, "30" is 2030, "75" is 2075, "76" is 1976.
        let y = |s: &str| {
            parse_http_date(&format!("Monday, 01-Jan-{s} 00:00:00 GMT"), NOW)
                .map(|ms| civil_from_days(ms.div_euclid(86_400_000)).0)
        };
        assert_eq!(y("94"), Some(1994));
        assert_eq!(y("30"), Some(2030));
        assert_eq!(y("75"), Some(2075));
        assert_eq!(y("76"), Some(1976));
        assert_eq!(y("2031"), Some(2031));
    }

    #[test]
    fn bad_dates_are_rejected() {
        for bad in [
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 06 Nov 1994 08:49:37 PST",
            "Sun 06 Nov 1994 08:49:37 GMT",
            "Xyz, 06 Nov 1994 08:49:37 GMT",
            "Sun, 31 Nov 1994 08:49:37 GMT",
            "Sun, 29 Feb 2025 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 94 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:60:00 GMT",
            "Sun, 06 Nov 1994 08:49:61 GMT",
            "Sun, 06 Nov 1994 8:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Sun, 06 Nov 0000 08:49:37 GMT",
            "Sun, 123 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94-1 08:49:37 GMT",
            "Sunday, 06-Nov 08:49:37 GMT",
            "Sun Nov  6 08:49:37 94",
            "Sun Nov  6 08:49:37 1994 GMT extra",
            "Sun, 06 Nov 1994 08:49:37 GMT extra",
            "2025-08-12T14:03:00Z",
            "",
        ] {
            assert_eq!(parse_http_date(bad, NOW), None, "{bad:?}");
            assert_eq!(parse_retry_after(bad, NOW), None, "{bad:?}");
        }
    }

    #[test]
    fn long_retry_after_means_rate_limited_until() {
        let f = ra(429, "3600");
        assert_eq!(next_delay(&p(), 1, &f, NOW, 0.5), None);
        assert_eq!(rate_limited_until(&f, NOW), Some(NOW + 3_600_000));
        let f = ra(429, "Tue, 12 Aug 2025 15:00:00 GMT");
        assert_eq!(rate_limited_until(&f, NOW), Some(NOW + 57 * 60_000));
        assert_eq!(rate_limited_until(&ra(429, "60"), NOW), None);
        assert_eq!(rate_limited_until(&Failure::http(429), NOW), None);
        assert_eq!(rate_limited_until(&Failure::Network, NOW), None);
        assert_eq!(
            rate_limited_until(&ra(503, "99999999999999999999"), NOW),
            Some(i64::MAX)
        );
    }

    #[test]
    fn polling_intervals() {
        let expected = [2_000, 4_000, 6_000, 8_000, 10_000, 10_000];
        for (i, e) in expected.iter().enumerate() {
            let attempt = u32::try_from(i + 1).unwrap();
            assert_eq!(poll_interval_ms(true, attempt, 0.0), *e);
            assert_eq!(poll_interval_ms(true, attempt, 1.0), e + e / 10);
            let mid = poll_interval_ms(true, attempt, 0.5);
            assert!(mid >= *e && mid <= e + e / 10);
        }
        assert_eq!(poll_interval_ms(true, 0, 0.0), 2_000);
        assert_eq!(poll_interval_ms(true, u32::MAX, 1.0), 11_000);
        assert_eq!(poll_interval_ms(true, 1, f64::NAN), 2_000);
        for a in [0, 1, 5, 100] {
            assert_eq!(poll_interval_ms(false, a, 0.7), 30_000);
        }
    }

    #[test]
    fn staleness_after_three_intervals() {
        assert!(!is_stale(NOW, NOW, 30_000));
        assert!(!is_stale(NOW - 90_000, NOW, 30_000));
        assert!(is_stale(NOW - 90_001, NOW, 30_000));
        assert!(!is_stale(NOW + 5_000, NOW, 30_000));
        assert!(is_stale(i64::MIN, i64::MAX, u64::MAX / 4));
        assert!(!is_stale(0, 0, 0));
    }

    #[test]
    fn retry_budget_floor_ratio_and_window() {
        let mut b = RetryBudget::default();
        // A quiet session still gets its floor of 3 retries.
        b.record_request(NOW);
        assert!(b.try_acquire(NOW));
        assert!(b.try_acquire(NOW));
        assert!(b.try_acquire(NOW));
        assert!(!b.try_acquire(NOW));
        // 50 requests in the window → 10 % = 5 allowed in all.
        for i in 0..49 {
            b.record_request(NOW + i);
        }
        assert_eq!(b.allowance(NOW + 100), 5);
        assert!(b.try_acquire(NOW + 100));
        assert!(b.try_acquire(NOW + 100));
        assert!(!b.try_acquire(NOW + 100));
        // After the window, everything has rolled off.
        assert_eq!(b.allowance(NOW + 60_200), 3);
        assert!(b.try_acquire(NOW + 60_200));
    }
}
