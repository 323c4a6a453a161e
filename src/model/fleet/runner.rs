//! A bulk run as a pure state machine: the driver (`api::fleet::drive`) asks [`Run::next`]
//! what to do, sends, and reports each answer with [`Run::complete`].
//!
//! Rules (docs/fleet.md):
//! - at most `max_in_flight` requests at a time;
//! - every send takes a token from a [`TokenBucket`] (the tab's rate limit, `model::retry`);
//! - a row is sent at most once: mutations are never retried automatically. A 429 (or 503)
//!   refuses that row ("rate limited, not retried") and pauses the rest for its
//!   `Retry-After` ([`parse_retry_after`], capped at [`MAX_RETRY_AFTER_MS`]);
//! - a network failure or timeout leaves the row's outcome unknown (the request may have been
//!   applied): it is reported, never resent;
//! - cancel: rows not yet sent end "not attempted"; those in flight finish;
//! - every row ends in exactly one [`RowResult`]; [`Run::summary`] is plain data that app
//!   context can keep across navigation.

use crate::model::retry::{parse_retry_after, TokenBucket, MAX_RETRY_AFTER_MS};

/// The pause after a 429 / 503 that gave no usable `Retry-After`.
pub const DEFAULT_PAUSE_MS: u64 = 2_000;

/// Requests in flight at once, by default ("a few at a time").
pub const DEFAULT_MAX_IN_FLIGHT: usize = 4;

/// How one row ended.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum RowResult {
    /// The API accepted it (confirm with a re-read).
    Done,
    /// The API refused it: status and the Databricks message (or a description).
    Refused {
        /// HTTP status.
        status: u16,
        /// `error_code` of the body, when there was one.
        error_code: Option<String>,
        /// The message shown.
        message: String,
    },
    /// No answer (network, timeout): the request may or may not have been applied.
    Unknown {
        /// What happened.
        message: String,
    },
    /// Never sent, and why (not eligible, or cancelled).
    NotAttempted {
        /// Why.
        reason: String,
    },
}

impl RowResult {
    /// The row's text in the results table.
    pub fn text(&self) -> String {
        match self {
            RowResult::Done => "Done.".into(),
            RowResult::Refused {
                status,
                error_code: Some(c),
                message,
            } => format!("Refused ({status} {c}): {message}"),
            RowResult::Refused {
                status, message, ..
            } => format!("Refused ({status}): {message}"),
            RowResult::Unknown { message } => format!(
                "Outcome unknown, not resent: {message} Reload the endpoint to see whether it applied."
            ),
            RowResult::NotAttempted { reason } => format!("Not attempted: {reason}"),
        }
    }
}

/// What a send answered, as the runner needs it.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Answer {
    /// 2xx.
    Ok,
    /// A non-2xx answer.
    Http {
        /// Status.
        status: u16,
        /// The body's `error_code`.
        error_code: Option<String>,
        /// The body's `message` (or a description of the status).
        message: String,
        /// The `Retry-After` header, verbatim.
        retry_after: Option<String>,
    },
    /// No HTTP answer (network failure or timeout).
    NoAnswer(String),
}

/// One row of a run as planned: its name, and why it will not be sent (if so).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Planned {
    /// Endpoint name.
    pub name: String,
    /// `Some(reason)`: not eligible, never sent.
    pub skip: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Debug)]
enum Slot {
    Pending,
    InFlight,
    Ended(RowResult),
}

/// What the driver does next.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Next {
    /// Send row `i` now (it is marked in flight).
    Send(usize),
    /// Nothing may be sent for `ms` (rate limit or `Retry-After`); completions may arrive.
    Wait(u64),
    /// Wait for a request in flight to answer.
    AwaitCompletion,
    /// Every row has its result.
    Finished,
}

/// A bulk run.
#[derive(Clone, Debug)]
pub struct Run {
    label: String,
    names: Vec<String>,
    slots: Vec<Slot>,
    max_in_flight: usize,
    in_flight: usize,
    peak_in_flight: usize,
    sent: usize,
    bucket: TokenBucket,
    paused_until: Option<i64>,
    cancelled: bool,
    started_ms: Option<i64>,
    ended_ms: Option<i64>,
}

impl Run {
    /// A run of `label` ("Stop" …) over `rows`, at most `max_in_flight` at a time (at least
    /// one), sending only when `bucket` gives a token.
    pub fn new(label: &str, rows: Vec<Planned>, max_in_flight: usize, bucket: TokenBucket) -> Self {
        let mut names = Vec::with_capacity(rows.len());
        let mut slots = Vec::with_capacity(rows.len());
        for r in rows {
            names.push(r.name);
            slots.push(match r.skip {
                Some(reason) => Slot::Ended(RowResult::NotAttempted { reason }),
                None => Slot::Pending,
            });
        }
        Run {
            label: label.to_string(),
            names,
            slots,
            max_in_flight: max_in_flight.max(1),
            in_flight: 0,
            peak_in_flight: 0,
            sent: 0,
            bucket,
            paused_until: None,
            cancelled: false,
            started_ms: None,
            ended_ms: None,
        }
    }

    /// The name of row `i`.
    pub fn name(&self, i: usize) -> Option<&str> {
        self.names.get(i).map(String::as_str)
    }

    /// Requests in flight now.
    pub fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// What to do at `now_ms`.
    pub fn next(&mut self, now_ms: i64) -> Next {
        self.started_ms.get_or_insert(now_ms);
        let pending = self.slots.iter().position(|s| *s == Slot::Pending);
        let Some(i) = pending else {
            if self.in_flight > 0 {
                return Next::AwaitCompletion;
            }
            self.ended_ms.get_or_insert(now_ms);
            return Next::Finished;
        };
        if self.in_flight >= self.max_in_flight {
            return Next::AwaitCompletion;
        }
        if let Some(until) = self.paused_until {
            if until > now_ms {
                return Next::Wait(u64::try_from(until - now_ms).unwrap_or(1).max(1));
            }
            self.paused_until = None;
        }
        if let Err(ms) = self.bucket.take(now_ms) {
            return Next::Wait(ms);
        }
        self.slots[i] = Slot::InFlight;
        self.in_flight += 1;
        self.sent += 1;
        self.peak_in_flight = self.peak_in_flight.max(self.in_flight);
        Next::Send(i)
    }

    /// Row `i` answered `answer` at `now_ms`. Ignored (returns `false`) unless `i` is in
    /// flight: a row ends once.
    pub fn complete(&mut self, i: usize, answer: Answer, now_ms: i64) -> bool {
        if self.slots.get(i) != Some(&Slot::InFlight) {
            return false;
        }
        self.in_flight -= 1;
        let result = match answer {
            Answer::Ok => RowResult::Done,
            Answer::NoAnswer(message) => RowResult::Unknown { message },
            Answer::Http {
                status,
                error_code,
                message,
                retry_after,
            } => {
                if status == 429 || status == 503 {
                    let pause = retry_after
                        .as_deref()
                        .and_then(|v| parse_retry_after(v, now_ms))
                        .unwrap_or(DEFAULT_PAUSE_MS)
                        .min(MAX_RETRY_AFTER_MS);
                    let until = now_ms.saturating_add(i64::try_from(pause).unwrap_or(0));
                    self.paused_until = Some(self.paused_until.map_or(until, |u| u.max(until)));
                    let why = if status == 429 {
                        "rate limited"
                    } else {
                        "temporarily unavailable"
                    };
                    RowResult::Refused {
                        status,
                        error_code,
                        message: format!(
                            "{message} ({why}; not retried: a change is never sent twice)"
                        ),
                    }
                } else {
                    RowResult::Refused {
                        status,
                        error_code,
                        message,
                    }
                }
            }
        };
        self.slots[i] = Slot::Ended(result);
        true
    }

    /// Cancel the rest: rows not yet sent end "not attempted"; rows in flight finish.
    pub fn cancel(&mut self) {
        self.cancelled = true;
        for s in &mut self.slots {
            if *s == Slot::Pending {
                *s = Slot::Ended(RowResult::NotAttempted {
                    reason: "Cancelled before it was sent.".into(),
                });
            }
        }
    }

    /// Has every row its result?
    pub fn is_finished(&self) -> bool {
        self.in_flight == 0 && self.slots.iter().all(|s| matches!(s, Slot::Ended(_)))
    }

    /// The run so far, as plain data.
    pub fn summary(&self) -> Summary {
        let rows: Vec<(String, Option<RowResult>)> = self
            .names
            .iter()
            .zip(&self.slots)
            .map(|(n, s)| {
                (
                    n.clone(),
                    match s {
                        Slot::Ended(r) => Some(r.clone()),
                        _ => None,
                    },
                )
            })
            .collect();
        let count = |f: fn(&RowResult) -> bool| {
            rows.iter()
                .filter(|(_, r)| r.as_ref().is_some_and(f))
                .count()
        };
        Summary {
            label: self.label.clone(),
            total: rows.len(),
            done: count(|r| matches!(r, RowResult::Done)),
            refused: count(|r| matches!(r, RowResult::Refused { .. })),
            unknown: count(|r| matches!(r, RowResult::Unknown { .. })),
            not_attempted: count(|r| matches!(r, RowResult::NotAttempted { .. })),
            sent: self.sent,
            peak_in_flight: self.peak_in_flight,
            cancelled: self.cancelled,
            finished: self.is_finished(),
            elapsed_ms: match (self.started_ms, self.ended_ms) {
                (Some(s), Some(e)) => Some(e.saturating_sub(s)),
                _ => None,
            },
            rows,
        }
    }
}

/// A run's outcome, kept in app context so it survives navigating away and back.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Summary {
    /// The action ("Stop" …).
    pub label: String,
    /// Rows in the run.
    pub total: usize,
    /// Accepted.
    pub done: usize,
    /// Refused by the API.
    pub refused: usize,
    /// No answer: outcome unknown.
    pub unknown: usize,
    /// Never sent.
    pub not_attempted: usize,
    /// Requests sent (each row at most once).
    pub sent: usize,
    /// Most requests in flight at once.
    pub peak_in_flight: usize,
    /// Was the run cancelled?
    pub cancelled: bool,
    /// Has every row its result?
    pub finished: bool,
    /// First `next` to `Finished`, ms.
    pub elapsed_ms: Option<i64>,
    /// Each row and its result (`None` while pending or in flight).
    pub rows: Vec<(String, Option<RowResult>)>,
}

impl Summary {
    /// "Stop: 12 done, 3 refused, 5 not attempted."
    pub fn headline(&self) -> String {
        let mut parts = vec![format!("{} done", self.done)];
        if self.refused > 0 {
            parts.push(format!("{} refused", self.refused));
        }
        if self.unknown > 0 {
            parts.push(format!("{} unknown", self.unknown));
        }
        if self.not_attempted > 0 {
            parts.push(format!("{} not attempted", self.not_attempted));
        }
        let pending = self.total - self.done - self.refused - self.unknown - self.not_attempted;
        if pending > 0 {
            parts.push(format!("{pending} in progress"));
        }
        format!("{}: {}.", self.label, parts.join(", "))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn planned(n: usize) -> Vec<Planned> {
        (0..n)
            .map(|i| Planned {
                name: format!("e{i}"),
                skip: None,
            })
            .collect()
    }

    fn fast() -> TokenBucket {
        TokenBucket::new(1000.0, 1000)
    }

    #[test]
    fn bounded_concurrency_and_each_row_once() {
        let mut r = Run::new("Stop", planned(5), 2, fast());
        assert_eq!(r.next(0), Next::Send(0));
        assert_eq!(r.next(0), Next::Send(1));
        assert_eq!(r.next(0), Next::AwaitCompletion);
        assert!(r.complete(0, Answer::Ok, 1));
        assert!(!r.complete(0, Answer::Ok, 1), "a row ends once");
        assert_eq!(r.next(1), Next::Send(2));
        for i in [1, 2] {
            r.complete(i, Answer::Ok, 2);
        }
        assert_eq!(r.next(2), Next::Send(3));
        assert_eq!(r.next(2), Next::Send(4));
        r.complete(3, Answer::Ok, 3);
        r.complete(4, Answer::Ok, 3);
        assert_eq!(r.next(3), Next::Finished);
        let s = r.summary();
        assert_eq!((s.done, s.sent, s.peak_in_flight), (5, 5, 2));
        assert_eq!(s.headline(), "Stop: 5 done.");
    }

    #[test]
    fn ineligible_rows_are_not_attempted_with_their_reason() {
        let mut rows = planned(2);
        rows[0].skip = Some("The endpoint is already stopped.".into());
        let mut r = Run::new("Stop", rows, 4, fast());
        assert_eq!(r.next(0), Next::Send(1));
        r.complete(1, Answer::Ok, 0);
        assert_eq!(r.next(0), Next::Finished);
        let s = r.summary();
        assert_eq!(
            s.rows[0].1,
            Some(RowResult::NotAttempted {
                reason: "The endpoint is already stopped.".into()
            })
        );
        assert_eq!(s.sent, 1);
    }

    #[test]
    fn a_429_refuses_the_row_and_pauses_the_rest_for_retry_after() {
        let mut r = Run::new("Stop", planned(3), 1, fast());
        assert_eq!(r.next(0), Next::Send(0));
        r.complete(
            0,
            Answer::Http {
                status: 429,
                error_code: Some("REQUEST_LIMIT_EXCEEDED".into()),
                message: "Too many requests".into(),
                retry_after: Some("3".into()),
            },
            1_000,
        );
        assert_eq!(r.next(1_000), Next::Wait(3_000));
        assert_eq!(r.next(3_999), Next::Wait(1));
        assert_eq!(r.next(4_000), Next::Send(1));
        let s = r.summary();
        match &s.rows[0].1 {
            Some(RowResult::Refused {
                status: 429,
                message,
                ..
            }) => assert!(message.contains("not retried"), "{message}"),
            other => panic!("{other:?}"),
        }
        // Row 0 is never offered again.
        r.complete(1, Answer::Ok, 4_000);
        assert_eq!(r.next(4_000), Next::Send(2));
        r.complete(2, Answer::Ok, 4_000);
        assert_eq!(r.next(4_000), Next::Finished);
        assert_eq!(r.summary().sent, 3);
    }

    #[test]
    fn garbage_or_huge_retry_after() {
        let mut r = Run::new("Stop", planned(3), 1, fast());
        r.next(0);
        let limited = |ra: &str| Answer::Http {
            status: 429,
            error_code: None,
            message: "slow down".into(),
            retry_after: Some(ra.into()),
        };
        r.complete(0, limited("soon"), 0);
        assert_eq!(r.next(0), Next::Wait(DEFAULT_PAUSE_MS));
        assert_eq!(r.next(DEFAULT_PAUSE_MS as i64), Next::Send(1));
        r.complete(1, limited("999999"), 10_000);
        assert_eq!(r.next(10_000), Next::Wait(MAX_RETRY_AFTER_MS));
    }

    #[test]
    fn the_token_bucket_is_obeyed() {
        let mut r = Run::new("Start", planned(3), 10, TokenBucket::new(1.0, 1));
        assert_eq!(r.next(0), Next::Send(0));
        assert_eq!(r.next(0), Next::Wait(1_000));
        assert_eq!(r.next(1_000), Next::Send(1));
    }

    #[test]
    fn refusals_carry_the_databricks_message_and_no_answer_is_unknown() {
        let mut r = Run::new("Delete", planned(2), 2, fast());
        r.next(0);
        r.next(0);
        r.complete(
            0,
            Answer::Http {
                status: 403,
                error_code: Some("PERMISSION_DENIED".into()),
                message: "User does not have CAN_MANAGE".into(),
                retry_after: None,
            },
            0,
        );
        r.complete(1, Answer::NoAnswer("timed out".into()), 0);
        let s = r.summary();
        assert_eq!(
            s.rows[0].1.as_ref().map(RowResult::text),
            Some("Refused (403 PERMISSION_DENIED): User does not have CAN_MANAGE".into())
        );
        assert!(matches!(s.rows[1].1, Some(RowResult::Unknown { .. })));
        assert_eq!(r.next(0), Next::Finished);
        assert_eq!(s.headline(), "Delete: 0 done, 1 refused, 1 unknown.");
    }

    #[test]
    fn cancel_leaves_in_flight_rows_to_finish() {
        let mut r = Run::new("Stop", planned(4), 2, fast());
        r.next(0);
        r.next(0);
        r.cancel();
        assert_eq!(r.next(0), Next::AwaitCompletion);
        assert!(!r.is_finished());
        r.complete(0, Answer::Ok, 0);
        r.complete(1, Answer::Ok, 0);
        assert_eq!(r.next(0), Next::Finished);
        let s = r.summary();
        assert_eq!((s.done, s.not_attempted, s.sent), (2, 2, 2));
        assert!(s.cancelled && s.finished);
        assert_eq!(s.headline(), "Stop: 2 done, 2 not attempted.");
    }
}
