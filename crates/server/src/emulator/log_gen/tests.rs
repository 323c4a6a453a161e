//! The log generator's tests.

use super::time::access_ts;
use super::*;

fn timeline(outcome: Outcome) -> Timeline {
    Timeline {
        endpoint: "pricing-model".into(),
        entity: "pricing_model-4".into(),
        model: "main.commerce.pricing_model".into(),
        model_version: "4".into(),
        config_version: 4,
        gpu: false,
        start_ms: 1_790_000_000_000,
        end_ms: 1_790_000_020_000,
        outcome,
        stopped_at: None,
        recovering: false,
    }
}

#[test]
fn civil_dates() {
    assert_eq!(iso(0), "1970-01-01T00:00:00Z");
    assert_eq!(iso(1_754_899_204_000), "2025-08-11T08:00:04Z");
    assert_eq!(iso(951_782_400_000), "2000-02-29T00:00:00Z");
    assert_eq!(access_ts(1_754_990_507_000), "12/Aug/2025:09:21:47 +0000");
}

#[test]
fn build_log_grows_and_a_failing_build_ends_in_an_error() {
    let t = timeline(Outcome::BuildFails);
    let early = build_log(&t, t.start_ms + 5_000);
    let late = build_log(&t, t.end_ms);
    assert!(early.lines().count() >= 2);
    assert!(
        late.starts_with(&early),
        "a later log extends the earlier one"
    );
    assert!(late.lines().count() > early.lines().count());
    let last = late.lines().last().unwrap_or_default();
    assert!(last.contains("Container image build failed"), "{last}");
    assert!(late.contains("ERROR: No matching distribution found"));
    assert_eq!(build_log(&t, t.start_ms - 1), "");
}

#[test]
fn server_log_follows_the_deployment() {
    let ok = timeline(Outcome::Succeeds);
    assert_eq!(server_log(&ok, ok.start_ms + 1_000), "", "still building");
    let a = server_log(&ok, ok.end_ms + 60_000);
    let b = server_log(&ok, ok.end_ms + 120_000);
    assert!(a.contains("Model server ready"));
    assert!(b.starts_with(&a), "growth appends");
    assert!(b.len() > a.len());
    // A full window slides: the start-up block drops out and the size stays bounded.
    let far = server_log(&ok, ok.end_ms + 10 * WINDOW_TICKS as i64 * TICK_MS);
    assert!(!far.contains("Starting gunicorn"));
    let n = far.lines().count() as u64;
    assert!((WINDOW_TICKS..WINDOW_TICKS * 8).contains(&n), "{n}");
    let ansi = far.lines().filter(|l| l.contains('\u{1b}')).count() as f64 / n as f64;
    assert!(ansi > 0.01 && ansi < 0.15, "some ANSI colour: {ansi}");

    let crash = timeline(Outcome::ServerFails);
    let c = server_log(&crash, crash.end_ms + 1);
    assert!(c.contains("Traceback (most recent call last):"));
    assert!(c.contains("Worker failed to boot"));
    assert_eq!(server_log(&timeline(Outcome::BuildFails), i64::MAX), "");
}

#[test]
fn stopped_server_log_ends_with_shutdown() {
    let mut t = timeline(Outcome::Succeeds);
    t.stopped_at = Some(t.end_ms + 30_000);
    let a = server_log(&t, t.end_ms + 40_000);
    let b = server_log(&t, t.end_ms + 4_000_000);
    assert_eq!(a, b, "nothing after the stop");
    assert!(a.trim_end().ends_with("Shutting down: Master"));
}

#[test]
fn bench_log_has_the_requested_shape() {
    let s = bench_server_log("fraud_xgb-7", 2_000);
    assert_eq!(s.lines().count(), 2_000);
    assert!(s.lines().filter(|l| l.len() >= 100_000).count() == 3);
    assert_eq!(s.matches(BENCH_RARE_TERM).count(), 5);
    let ansi = s.lines().filter(|l| l.contains('\u{1b}')).count();
    assert!((40..=160).contains(&ansi), "{ansi}");
    assert_eq!(s, bench_server_log("fraud_xgb-7", 2_000), "deterministic");
}
