//! The bulk runner's async driver (issue #18): it asks the pure [`Run`] what to do, sends
//! through a [`BulkSender`] (the API client in the console, a fake in tests), and reports each
//! answer back. Mutations only: nothing here retries (the client never retries a mutation
//! either); the run's pauses and the per-run token bucket live in [`Run`], and the client's
//! own tab-wide rate limit applies to every request on top.

use super::transport::LocalFuture;
use super::{js_now_ms, ApiClient, ApiError};
use crate::model::fleet::eligibility::Action;
use crate::model::fleet::runner::{Answer, Next, Run, Summary};
use api_types::{AccessControlRequest, EndpointTag, PatchTagsRequest, Principal};
use futures::future::{select, Either};
use futures::stream::{FuturesUnordered, StreamExt};
use std::collections::HashMap;

/// The longest single wait, so that a cancel is seen while paused.
pub const WAIT_SLICE_MS: u64 = 250;

/// Sends one row's request and tells the time.
pub trait BulkSender {
    /// Send the action to endpoint `name` (once; never retried).
    fn send(&self, name: &str) -> LocalFuture<Answer>;
    /// Wait `ms`.
    fn sleep(&self, ms: u64) -> LocalFuture<()>;
    /// Now, ms.
    fn now_ms(&self) -> i64;
}

/// Drive `run` to its end through `sender`; `cancelled` is asked before every step (the
/// Cancel button sets it). Returns the final summary.
pub async fn drive(
    run: &mut Run,
    sender: &dyn BulkSender,
    cancelled: &dyn Fn() -> bool,
) -> Summary {
    drive_reporting(run, sender, cancelled, &|_| {}).await
}

/// The shortest interval between two progress reports of [`drive_reporting`] (a summary is a
/// copy of every row: reporting each answer of a 10,000-row run would be quadratic).
pub const PROGRESS_EVERY_MS: i64 = 200;

/// [`drive`], telling `progress` the run so far: after the first send, then after answers at
/// most every [`PROGRESS_EVERY_MS`]. The final summary is returned, not reported.
pub async fn drive_reporting(
    run: &mut Run,
    sender: &dyn BulkSender,
    cancelled: &dyn Fn() -> bool,
    progress: &dyn Fn(Summary),
) -> Summary {
    let mut in_flight = FuturesUnordered::new();
    let mut last_report: Option<i64> = None;
    let report = |run: &Run, last: &mut Option<i64>| {
        let now = sender.now_ms();
        if last.is_none_or(|t| now - t >= PROGRESS_EVERY_MS) {
            *last = Some(now);
            progress(run.summary());
        }
    };
    loop {
        if cancelled() {
            run.cancel();
        }
        match run.next(sender.now_ms()) {
            Next::Send(i) => {
                let Some(name) = run.name(i).map(str::to_string) else {
                    continue;
                };
                let fut = sender.send(&name);
                in_flight.push(async move { (i, fut.await) });
                if last_report.is_none() {
                    report(run, &mut last_report);
                }
            }
            Next::Wait(ms) => {
                let ms = ms.min(WAIT_SLICE_MS);
                if in_flight.is_empty() {
                    sender.sleep(ms).await;
                } else if let Either::Right((Some((i, a)), _)) =
                    select(sender.sleep(ms), in_flight.next()).await
                {
                    run.complete(i, a, sender.now_ms());
                    report(run, &mut last_report);
                }
            }
            Next::AwaitCompletion => match in_flight.next().await {
                Some((i, a)) => {
                    run.complete(i, a, sender.now_ms());
                    report(run, &mut last_report);
                }
                // Cannot happen (the run counts what was pushed); never spin.
                None => break,
            },
            Next::Finished => break,
        }
    }
    run.summary()
}

/// What an API error means for a bulk row.
pub fn answer_of(r: Result<(), ApiError>) -> Answer {
    match r {
        Ok(()) => Answer::Ok,
        // A 2xx whose body was not as expected: the change was accepted.
        Err(ApiError::Decode { status, .. }) if (200..300).contains(&status) => Answer::Ok,
        Err(e) => match &e {
            ApiError::Http {
                status,
                body,
                retry_after,
                ..
            } => Answer::Http {
                status: *status,
                error_code: body
                    .as_ref()
                    .and_then(|b| b.error_code.clone())
                    .filter(|c| !c.trim().is_empty()),
                message: e.message(),
                retry_after: retry_after.clone(),
            },
            _ => Answer::NoAnswer(e.message()),
        },
    }
}

/// The console's sender: one action through the API client. `ids` maps names to endpoint
/// ids (the Permissions API is keyed by id).
pub struct ClientSender {
    /// The tab's client.
    pub api: ApiClient,
    /// The action sent to every row.
    pub action: Action,
    /// Endpoint ids by name, for [`Action::Grant`].
    pub ids: HashMap<String, String>,
}

impl BulkSender for ClientSender {
    fn send(&self, name: &str) -> LocalFuture<Answer> {
        let api = self.api.clone();
        let action = self.action.clone();
        let name = name.to_string();
        let id = self.ids.get(&name).cloned();
        Box::pin(async move {
            let r = match action {
                Action::Stop => api.stop_endpoint(&name).await,
                Action::Start => api.start_endpoint(&name).await,
                Action::Delete => api.delete_endpoint(&name).await,
                Action::AddTag { key, value } => {
                    let req = PatchTagsRequest {
                        add_tags: vec![EndpointTag { key, value }],
                        delete_tags: Vec::new(),
                    };
                    api.patch_tags(&name, &req).await.map(|_| ())
                }
                Action::RemoveTag { key } => {
                    let req = PatchTagsRequest {
                        add_tags: Vec::new(),
                        delete_tags: vec![key],
                    };
                    api.patch_tags(&name, &req).await.map(|_| ())
                }
                Action::Grant { principal, level } => {
                    let Some(id) = id else {
                        return Answer::NoAnswer(
                            "The endpoint's id is not known; nothing was sent.".into(),
                        );
                    };
                    let mut entry = AccessControlRequest {
                        permission_level: Some(level),
                        ..AccessControlRequest::default()
                    };
                    match principal {
                        Principal::User(u) => entry.user_name = Some(u),
                        Principal::Group(g) => entry.group_name = Some(g),
                        Principal::ServicePrincipal(s) => entry.service_principal_name = Some(s),
                    }
                    api.patch_permissions(&id, vec![entry]).await.map(|_| ())
                }
            };
            answer_of(r)
        })
    }

    fn sleep(&self, ms: u64) -> LocalFuture<()> {
        let t = self.api.transport.sleep(ms, None);
        Box::pin(async move {
            let _ = t.await;
        })
    }

    fn now_ms(&self) -> i64 {
        js_now_ms()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::api::{FakeTransport, HttpResponse};
    use crate::model::fleet::runner::{Planned, RowResult};
    use crate::model::retry::TokenBucket;
    use std::future::Future;
    use std::sync::Arc;
    use std::task::{Context, Poll, Waker};

    fn run<F: Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(Waker::noop());
        for _ in 0..100_000 {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
        panic!("the driver never finished")
    }

    fn resp(status: u16, body: &str, retry_after: Option<&str>) -> HttpResponse {
        HttpResponse {
            status,
            body: body.into(),
            retry_after: retry_after.map(str::to_string),
        }
    }

    #[test]
    fn the_client_sender_sends_each_eligible_row_once_and_reports_refusals() {
        let fake = FakeTransport::new();
        let stop = |n: &str| format!("/api/2.0/serving-endpoints/{n}/config:stop");
        fake.push("POST", &stop("a"), Ok(resp(200, "{}", None)));
        fake.push(
            "POST",
            &stop("b"),
            Ok(resp(
                400,
                r#"{"error_code":"INVALID_PARAMETER_VALUE","message":"Route-optimized endpoints cannot be stopped."}"#,
                None,
            )),
        );
        fake.push(
            "POST",
            &stop("c"),
            Ok(resp(
                429,
                r#"{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"Too many"}"#,
                Some("1"),
            )),
        );
        let api = ApiClient::new("", Arc::new(fake.clone()), 1000);
        let sender = ClientSender {
            api,
            action: Action::Stop,
            ids: HashMap::new(),
        };
        let rows = ["a", "b", "c", "d"]
            .iter()
            .map(|n| Planned {
                name: n.to_string(),
                skip: (*n == "d").then(|| "The endpoint is already stopped.".to_string()),
            })
            .collect();
        let mut r = Run::new("Stop", rows, 2, TokenBucket::new(1000.0, 1000));
        let s = run(drive(&mut r, &sender, &|| false));
        let sent: Vec<String> = fake.requests().into_iter().map(|q| q.url).collect();
        assert_eq!(
            sent,
            vec![
                "/api/2.0/serving-endpoints/a/config:stop",
                "/api/2.0/serving-endpoints/b/config:stop",
                "/api/2.0/serving-endpoints/c/config:stop"
            ]
        );
        assert_eq!(s.rows[0].1, Some(RowResult::Done));
        assert_eq!(
            s.rows[1].1.as_ref().map(RowResult::text),
            Some("Refused (400 INVALID_PARAMETER_VALUE): Route-optimized endpoints cannot be stopped.".into())
        );
        assert!(matches!(
            s.rows[2].1,
            Some(RowResult::Refused { status: 429, .. })
        ));
        assert!(matches!(s.rows[3].1, Some(RowResult::NotAttempted { .. })));
        assert!(s.finished);
    }

    #[test]
    fn tag_and_grant_bodies() {
        let fake = FakeTransport::new();
        fake.respond(
            "PATCH",
            "/api/2.0/serving-endpoints/a/tags",
            200,
            r#"{"tags":[]}"#,
        );
        fake.respond(
            "PATCH",
            "/api/2.0/permissions/serving-endpoints/id-a",
            200,
            r#"{"object_id":"x","access_control_list":[]}"#,
        );
        let api = ApiClient::new("", Arc::new(fake.clone()), 1000);
        let tag = ClientSender {
            api: api.clone(),
            action: Action::AddTag {
                key: "team".into(),
                value: Some("ml".into()),
            },
            ids: HashMap::new(),
        };
        assert_eq!(run(tag.send("a")), Answer::Ok);
        let grant = ClientSender {
            api,
            action: Action::Grant {
                principal: Principal::Group("ml".into()),
                level: api_types::PermissionLevel::CanQuery,
            },
            ids: HashMap::from([("a".to_string(), "id-a".to_string())]),
        };
        assert_eq!(run(grant.send("a")), Answer::Ok);
        assert!(matches!(run(grant.send("b")), Answer::NoAnswer(_)));
        let bodies: Vec<Option<String>> = fake.requests().into_iter().map(|q| q.body).collect();
        assert_eq!(
            bodies,
            vec![
                Some(r#"{"add_tags":[{"key":"team","value":"ml"}]}"#.to_string()),
                Some(
                    r#"{"access_control_list":[{"group_name":"ml","permission_level":"CAN_QUERY"}]}"#
                        .to_string()
                ),
            ]
        );
    }
}
