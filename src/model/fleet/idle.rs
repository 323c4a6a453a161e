//! "Idle and costing": an endpoint whose serving costs money while nothing uses it — a custom
//! model endpoint, not stopped, with scale to zero off on a served entity, and no request in
//! the `/metrics` snapshots this console observed. Never a guess: too short a window, a
//! missing figure or a gap between samples gives [`Verdict::Unknown`] with the reason.
//!
//! Works from a detail read (list items carry neither `scale_to_zero_enabled` nor
//! `workload_type`) and the snapshots [`crate::model::metrics::snapshot`] makes, oldest first.

use crate::model::actions::{endpoint_kind, EndpointKind};
use crate::model::display_state::is_stopped;
use crate::model::metrics::Snapshot;
use api_types::ServingEndpointDetailed;

/// The shortest observed window that can say "idle".
pub const MIN_WINDOW_MS: i64 = 10 * 60_000;

/// The longest gap between two samples that still counts as "observed throughout": the
/// request figure is a per-minute gauge, so samples further apart than its minute (plus
/// scrape jitter) could miss requests in between.
pub const MAX_GAP_MS: i64 = 90_000;

/// What the console can say about one endpoint.
#[derive(Clone, PartialEq, Debug)]
pub enum Verdict {
    /// Costing while idle: the evidence sentence, and whether a GPU workload is served.
    IdleAndCosting {
        /// "0 requests over the last 42 min observed".
        evidence: String,
        /// A served entity runs on a GPU workload.
        gpu: bool,
        /// Length of the observed window, ms.
        window_ms: i64,
    },
    /// Requests were observed.
    Busy {
        /// "Requests observed 3 min ago".
        evidence: String,
    },
    /// Not costing while idle (scale to zero on, stopped, not a custom model…).
    NotCosting(String),
    /// The evidence does not allow a verdict, and why.
    Unknown(String),
}

/// "42 min", "2 h 5 min", "under 1 min".
pub fn minutes_text(ms: i64) -> String {
    let m = ms.max(0) / 60_000;
    match m {
        0 => "under 1 min".into(),
        m if m < 60 => format!("{m} min"),
        m if m % 60 == 0 => format!("{} h", m / 60),
        m => format!("{} h {} min", m / 60, m % 60),
    }
}

/// Entities that keep compute provisioned (scale to zero off; an omitted flag reads as off,
/// as servers omit `false`), and whether any of them runs on a GPU.
fn provisioned(e: &ServingEndpointDetailed) -> (usize, bool) {
    let Some(c) = e.config.as_ref() else {
        return (0, false);
    };
    let mut n = 0;
    let mut gpu = false;
    for s in &c.served_entities {
        if s.scale_to_zero_enabled != Some(true) {
            n += 1;
            gpu |= s
                .workload_type
                .as_ref()
                .is_some_and(|w| w.as_str().to_ascii_uppercase().starts_with("GPU"));
        }
    }
    for m in &c.served_models {
        if m.scale_to_zero_enabled != Some(true) {
            n += 1;
            gpu |= m
                .workload_type
                .as_ref()
                .is_some_and(|w| w.as_str().to_ascii_uppercase().starts_with("GPU"));
        }
    }
    (n, gpu)
}

/// The verdict for `e` from `observed` (snapshots oldest first; unordered input is sorted).
pub fn verdict(e: &ServingEndpointDetailed, observed: &[Snapshot], now_ms: i64) -> Verdict {
    match endpoint_kind(e) {
        EndpointKind::Custom => {}
        k => {
            return Verdict::NotCosting(format!(
                "Serves a {}: no compute of yours is provisioned.",
                k.label().to_lowercase()
            ))
        }
    }
    if is_stopped(e) {
        return Verdict::NotCosting("Stopped.".into());
    }
    let (n, gpu) = provisioned(e);
    if n == 0 {
        return Verdict::NotCosting("Scale to zero is on.".into());
    }
    let mut pts: Vec<&Snapshot> = observed.iter().collect();
    pts.sort_by_key(|s| s.ts_ms);
    let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
        return Verdict::Unknown("No metrics observed yet.".into());
    };
    if let Some(busy) = pts
        .iter()
        .rev()
        .find(|s| s.requests_per_s.is_some_and(|r| r > 0.0))
    {
        return Verdict::Busy {
            evidence: format!(
                "Requests observed {} ago.",
                minutes_text(now_ms.saturating_sub(busy.ts_ms))
            ),
        };
    }
    if let Some(m) = pts
        .iter()
        .find(|s| s.requests_per_s.is_none_or(|r| !r.is_finite() || r < 0.0))
    {
        return Verdict::Unknown(format!(
            "The request count is missing from a sample ({} ago).",
            minutes_text(now_ms.saturating_sub(m.ts_ms))
        ));
    }
    if let Some(w) = pts
        .windows(2)
        .find(|w| w[1].ts_ms - w[0].ts_ms > MAX_GAP_MS)
    {
        return Verdict::Unknown(format!(
            "No samples for {} of the window observed.",
            minutes_text(w[1].ts_ms - w[0].ts_ms)
        ));
    }
    if now_ms.saturating_sub(last.ts_ms) > MAX_GAP_MS {
        return Verdict::Unknown(format!(
            "The last sample is {} old.",
            minutes_text(now_ms.saturating_sub(last.ts_ms))
        ));
    }
    let window_ms = last.ts_ms - first.ts_ms;
    if window_ms < MIN_WINDOW_MS {
        return Verdict::Unknown(format!(
            "Observed for {} only; at least {} are needed.",
            minutes_text(window_ms),
            minutes_text(MIN_WINDOW_MS)
        ));
    }
    Verdict::IdleAndCosting {
        evidence: format!(
            "0 requests over the last {} observed.",
            minutes_text(window_ms)
        ),
        gpu,
        window_ms,
    }
}

/// The idle view's order: idle-and-costing first (GPU first, then the longest evidence,
/// then name), then unknown, busy, not costing. Returns indices into `verdicts`.
pub fn order(verdicts: &[(&str, &Verdict)]) -> Vec<usize> {
    let key = |v: &Verdict| match v {
        Verdict::IdleAndCosting { gpu, window_ms, .. } => (0, !gpu, -window_ms),
        Verdict::Unknown(_) => (1, true, 0),
        Verdict::Busy { .. } => (2, true, 0),
        Verdict::NotCosting(_) => (3, true, 0),
    };
    let mut idx: Vec<usize> = (0..verdicts.len()).collect();
    idx.sort_by(|&a, &b| {
        key(verdicts[a].1)
            .cmp(&key(verdicts[b].1))
            .then_with(|| verdicts[a].0.cmp(verdicts[b].0))
    });
    idx
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::json;

    const MIN: i64 = 60_000;
    const NOW: i64 = 1_755_007_380_000;

    fn ep(stz: Option<bool>, workload: &str) -> ServingEndpointDetailed {
        let mut ent = json!({"name": "m-1", "entity_name": "m", "entity_version": "1",
            "workload_type": workload});
        if let Some(b) = stz {
            ent["scale_to_zero_enabled"] = json!(b);
        }
        serde_json::from_value(json!({"name": "e",
            "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [ent]}}))
        .expect("endpoint")
    }

    /// One snapshot per `step` minutes over `mins` minutes ending now, with `rps`.
    fn samples(mins: i64, step: i64, rps: Option<f64>) -> Vec<Snapshot> {
        (0..=mins / step)
            .map(|k| Snapshot {
                ts_ms: NOW - mins * MIN + k * step * MIN,
                requests_per_s: rps,
                ..Snapshot::default()
            })
            .collect()
    }

    #[test]
    fn idle_gpu_with_scale_to_zero_off_says_its_evidence() {
        let v = verdict(
            &ep(Some(false), "GPU_SMALL"),
            &samples(42, 1, Some(0.0)),
            NOW,
        );
        assert_eq!(
            v,
            Verdict::IdleAndCosting {
                evidence: "0 requests over the last 42 min observed.".into(),
                gpu: true,
                window_ms: 42 * MIN
            }
        );
        // An omitted flag reads as off.
        assert!(matches!(
            verdict(&ep(None, "CPU"), &samples(90, 1, Some(0.0)), NOW),
            Verdict::IdleAndCosting { gpu: false, ref evidence, .. } if evidence.contains("1 h 30 min")
        ));
    }

    #[test]
    fn never_a_guess() {
        let e = ep(Some(false), "CPU");
        assert!(matches!(verdict(&e, &[], NOW), Verdict::Unknown(_)));
        assert!(matches!(
            verdict(&e, &samples(5, 1, Some(0.0)), NOW),
            Verdict::Unknown(ref r) if r.contains("5 min only")
        ));
        let mut gap = samples(60, 1, Some(0.0));
        gap.retain(|s| s.ts_ms < NOW - 40 * MIN || s.ts_ms > NOW - 20 * MIN);
        assert!(
            matches!(verdict(&e, &gap, NOW), Verdict::Unknown(ref r) if r.contains("No samples"))
        );
        let mut missing = samples(60, 1, Some(0.0));
        missing[10].requests_per_s = None;
        assert!(
            matches!(verdict(&e, &missing, NOW), Verdict::Unknown(ref r) if r.contains("missing"))
        );
        // Samples that stopped arriving long ago.
        assert!(matches!(
            verdict(&e, &samples(60, 1, Some(0.0)), NOW + 30 * MIN),
            Verdict::Unknown(ref r) if r.contains("30 min old")
        ));
        // Samples every 2 min could miss a minute of requests in between.
        assert!(matches!(
            verdict(&e, &samples(60, 2, Some(0.0)), NOW),
            Verdict::Unknown(ref r) if r.contains("No samples for 2 min")
        ));
    }

    #[test]
    fn busy_scale_to_zero_and_other_kinds_are_not_idle_costing() {
        let mut s = samples(60, 1, Some(0.0));
        s[50].requests_per_s = Some(0.5);
        assert!(matches!(
            verdict(&ep(Some(false), "GPU_SMALL"), &s, NOW),
            Verdict::Busy { ref evidence } if evidence == "Requests observed 10 min ago."
        ));
        assert_eq!(
            verdict(
                &ep(Some(true), "GPU_SMALL"),
                &samples(60, 1, Some(0.0)),
                NOW
            ),
            Verdict::NotCosting("Scale to zero is on.".into())
        );
        let fm: ServingEndpointDetailed = serde_json::from_value(json!({"name": "f",
            "config": {"served_entities": [{"name": "x", "foundation_model": {"name": "llama"}}]}}))
        .expect("fm");
        assert!(matches!(
            verdict(&fm, &samples(60, 1, Some(0.0)), NOW),
            Verdict::NotCosting(_)
        ));
        let stopped: ServingEndpointDetailed = serde_json::from_value(json!({"name": "s",
            "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING", "suspend": "STOPPED"},
            "config": {"served_entities": [{"name": "m-1", "entity_name": "m"}]}}))
        .expect("stopped");
        assert_eq!(
            verdict(&stopped, &samples(60, 1, Some(0.0)), NOW),
            Verdict::NotCosting("Stopped.".into())
        );
    }

    #[test]
    fn gpu_first_then_longest_evidence() {
        let idle = |gpu, w| Verdict::IdleAndCosting {
            evidence: String::new(),
            gpu,
            window_ms: w,
        };
        let vs = [
            (
                "busy",
                Verdict::Busy {
                    evidence: String::new(),
                },
            ),
            ("cpu-long", idle(false, 100)),
            ("gpu-short", idle(true, 10)),
            ("unknown", Verdict::Unknown(String::new())),
            ("gpu-long", idle(true, 50)),
        ];
        let refs: Vec<(&str, &Verdict)> = vs.iter().map(|(n, v)| (*n, v)).collect();
        let names: Vec<&str> = order(&refs).into_iter().map(|i| vs[i].0).collect();
        assert_eq!(
            names,
            vec!["gpu-long", "gpu-short", "cpu-long", "unknown", "busy"]
        );
    }

    #[test]
    fn minutes() {
        assert_eq!(minutes_text(59_999), "under 1 min");
        assert_eq!(minutes_text(42 * MIN), "42 min");
        assert_eq!(minutes_text(120 * MIN), "2 h");
        assert_eq!(minutes_text(125 * MIN), "2 h 5 min");
    }
}
