//! Property tests of fleet operations (issue #18): the bulk runner never exceeds its
//! concurrency bound, never sends a row twice, and every row ends in exactly one result —
//! for the pure state machine under any answer/completion order and cancel point, and for the
//! async driver with a fake sender; a selection's count equals the rows it selects.
//! Plus an `#[ignore]`d measurement of the palette matcher over 10,000 names (BENCHMARKS.md,
//! "Fleet"). Host only (proptest is a host dev-dependency).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::json;
use serving_console::api::fleet::{drive, BulkSender};
use serving_console::model::fleet::palette::{entries_for, Palette};
use serving_console::model::fleet::runner::{Answer, Next, Planned, Run};
use serving_console::model::fleet::selection::Selection;
use serving_console::model::list_view::{apply, rows_from, Query};
use serving_console::model::retry::TokenBucket;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Ok),
        1 => (prop_oneof![Just(None), Just(Some("1".to_string())), Just(Some("junk".to_string()))])
            .prop_map(|ra| Answer::Http {
                status: 429,
                error_code: Some("REQUEST_LIMIT_EXCEEDED".into()),
                message: "Too many requests".into(),
                retry_after: ra,
            }),
        1 => (400u16..600).prop_map(|status| Answer::Http {
            status,
            error_code: Some("INVALID_STATE".into()),
            message: "no".into(),
            retry_after: None,
        }),
        1 => Just(Answer::NoAnswer("timed out".into())),
    ]
}

fn planned(skips: &[bool]) -> Vec<Planned> {
    skips
        .iter()
        .enumerate()
        .map(|(i, s)| Planned {
            name: format!("e{i}"),
            skip: s.then(|| "not eligible".to_string()),
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    /// The state machine: whatever the answers, the order they arrive in and when cancel
    /// comes, in flight ≤ bound, each row is sent at most once (never a skipped one), and
    /// every row ends with exactly one result.
    #[test]
    fn runner_bound_no_replay_one_result(
        skips in prop::collection::vec(any::<bool>(), 0..40),
        bound in 1usize..6,
        answers in prop::collection::vec(answer(), 40),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 200),
        cancel_at in prop::option::of(0usize..200),
        rate in 1u32..50,
    ) {
        let n = skips.len();
        let mut run = Run::new("Stop", planned(&skips), bound, TokenBucket::new(f64::from(rate), 3));
        let mut now = 0i64;
        let mut in_flight: Vec<usize> = Vec::new();
        let mut sent = vec![0u32; n];
        let mut step = 0usize;
        loop {
            step += 1;
            prop_assert!(step < 100_000, "the run never finished");
            if cancel_at == Some(step) {
                run.cancel();
            }
            match run.next(now) {
                Next::Send(i) => {
                    prop_assert!(!skips[i], "a skipped row was sent");
                    sent[i] += 1;
                    prop_assert_eq!(sent[i], 1, "row {} sent twice", i);
                    in_flight.push(i);
                    prop_assert!(in_flight.len() <= bound);
                    prop_assert_eq!(run.in_flight(), in_flight.len());
                }
                Next::Wait(ms) => {
                    prop_assert!(ms > 0);
                    // Sometimes a completion arrives during the wait.
                    if !in_flight.is_empty() && step.is_multiple_of(2) {
                        let k = picks[step % picks.len()].index(in_flight.len());
                        let i = in_flight.swap_remove(k);
                        prop_assert!(run.complete(i, answers[i % answers.len()].clone(), now));
                    } else {
                        now += i64::try_from(ms).unwrap_or(i64::MAX / 4);
                    }
                }
                Next::AwaitCompletion => {
                    prop_assert!(!in_flight.is_empty());
                    let k = picks[step % picks.len()].index(in_flight.len());
                    let i = in_flight.swap_remove(k);
                    prop_assert!(run.complete(i, answers[i % answers.len()].clone(), now));
                    // A second answer for the same row is refused.
                    prop_assert!(!run.complete(i, Answer::Ok, now));
                }
                Next::Finished => break,
            }
        }
        let s = run.summary();
        prop_assert!(s.finished);
        prop_assert_eq!(s.total, n);
        prop_assert_eq!(s.done + s.refused + s.unknown + s.not_attempted, n);
        prop_assert!(s.rows.iter().all(|(_, r)| r.is_some()));
        prop_assert_eq!(s.sent, sent.iter().sum::<u32>() as usize);
        prop_assert_eq!(s.sent, s.done + s.refused + s.unknown);
        prop_assert!(s.peak_in_flight <= bound);
        if cancel_at.is_none() {
            prop_assert_eq!(s.not_attempted, skips.iter().filter(|s| **s).count());
        }
    }
}

/// A fake sender on a virtual clock: each request answers after `delays[row]` polls; it
/// records every send and the most requests outstanding at once.
struct Fake {
    now: Cell<i64>,
    outstanding: Rc<Cell<usize>>,
    peak: Cell<usize>,
    sends: RefCell<BTreeMap<String, u32>>,
    delays: Vec<u32>,
    answers: Vec<Answer>,
}

struct Delayed {
    left: u32,
    answer: Option<Answer>,
    outstanding: Rc<Cell<usize>>,
}

impl Future for Delayed {
    type Output = Answer;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Answer> {
        if self.left == 0 {
            self.outstanding.set(self.outstanding.get() - 1);
            return Poll::Ready(self.answer.take().unwrap_or(Answer::Ok));
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

impl BulkSender for Fake {
    fn send(&self, name: &str) -> Pin<Box<dyn Future<Output = Answer>>> {
        *self.sends.borrow_mut().entry(name.to_string()).or_default() += 1;
        self.outstanding.set(self.outstanding.get() + 1);
        self.peak.set(self.peak.get().max(self.outstanding.get()));
        let row: usize = name[1..].parse().unwrap_or(0);
        Box::pin(Delayed {
            left: self.delays[row % self.delays.len()],
            answer: Some(self.answers[row % self.answers.len()].clone()),
            outstanding: self.outstanding.clone(),
        })
    }

    fn sleep(&self, ms: u64) -> Pin<Box<dyn Future<Output = ()>>> {
        self.now
            .set(self.now.get() + i64::try_from(ms).unwrap_or(0));
        Box::pin(async {})
    }

    fn now_ms(&self) -> i64 {
        self.now.get()
    }
}

fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("the driver never finished")
}

proptest! {
    #![proptest_config(config(128))]

    /// The async driver: requests outstanding never exceed the bound, each eligible row is
    /// sent exactly once (unless cancelled first), skipped rows never, every row has a result.
    #[test]
    fn driver_bound_no_replay(
        skips in prop::collection::vec(any::<bool>(), 0..30),
        bound in 1usize..5,
        delays in prop::collection::vec(0u32..6, 1..10),
        answers in prop::collection::vec(answer(), 1..10),
        cancel_after in prop::option::of(0usize..40),
    ) {
        let fake = Fake {
            now: Cell::new(0),
            outstanding: Rc::new(Cell::new(0)),
            peak: Cell::new(0),
            sends: RefCell::new(BTreeMap::new()),
            delays,
            answers,
        };
        let mut run = Run::new("Stop", planned(&skips), bound, TokenBucket::new(20.0, 2));
        let asked = Cell::new(0usize);
        let cancelled = || {
            asked.set(asked.get() + 1);
            cancel_after.is_some_and(|c| asked.get() > c)
        };
        let s = block_on(drive(&mut run, &fake, &cancelled));
        prop_assert!(fake.peak.get() <= bound);
        prop_assert_eq!(fake.outstanding.get(), 0);
        prop_assert!(fake.sends.borrow().values().all(|&c| c == 1));
        for (i, skip) in skips.iter().enumerate() {
            if *skip {
                let key = format!("e{}", i);
                prop_assert!(!fake.sends.borrow().contains_key(&key), "skipped row sent");
            }
        }
        prop_assert!(s.finished);
        prop_assert!(s.rows.iter().all(|(_, r)| r.is_some()));
        prop_assert_eq!(s.sent, fake.sends.borrow().len());
        if cancel_after.is_none() {
            prop_assert_eq!(s.sent, skips.iter().filter(|s| !**s).count());
        }
    }

    /// A selection's count is the number of rows it selects, whatever was ticked, ranged,
    /// "all matching"-selected, frozen, and whatever rows vanished.
    #[test]
    fn selection_count_is_rows_selected(
        present in prop::collection::vec(any::<bool>(), 1..60),
        ops in prop::collection::vec((0u8..6, 0usize..60, 0usize..60), 0..30),
        after in prop::collection::vec(any::<bool>(), 60),
    ) {
        let names: Vec<String> = (0..present.len())
            .map(|i| format!("{}-{i}", if i % 3 == 0 { "dev" } else { "prod" }))
            .collect();
        let items = |keep: &dyn Fn(usize) -> bool| {
            let eps: Vec<api_types::ServingEndpoint> = names
                .iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, n)| serde_json::from_value(json!({"name": n})).expect("item"))
                .collect();
            rows_from(&eps)
        };
        let rows = items(&|i| present[i]);
        let dev = Query { q: "dev".into(), ..Query::default() };
        let visible = apply(&rows, &Query::default(), None);
        let mut sel = Selection::default();
        for (op, a, b) in ops {
            let name = |k: usize| names[k % names.len()].clone();
            match op {
                0 | 1 => sel.toggle(&name(a)),
                2 => sel.select_range(&rows, &visible, &name(a), &name(b)),
                3 => sel.select_all_matching(&dev),
                4 => sel.freeze(&rows, None),
                _ => sel.prune(&rows),
            }
        }
        let check = |sel: &Selection, rows: &[serving_console::model::list_view::Row]| {
            let listed = sel.names(rows, None);
            let dev_match: std::collections::BTreeSet<usize> =
                apply(rows, &dev, None).into_iter().collect();
            let by_contains = rows
                .iter()
                .enumerate()
                .filter(|(i, r)| sel.contains(&r.name, || dev_match.contains(i)))
                .count();
            (sel.count(rows, None), listed.len(), by_contains)
        };
        let (c, l, k) = check(&sel, &rows);
        prop_assert_eq!(c, l);
        prop_assert_eq!(c, k);
        // A refresh where some rows vanished: still consistent, and never more than exist.
        let rows2 = items(&|i| present[i] && after[i]);
        let (c2, l2, k2) = check(&sel, &rows2);
        prop_assert_eq!(c2, l2);
        prop_assert_eq!(c2, k2);
        prop_assert!(c2 <= rows2.len());
    }
}

/// Per-keystroke time of the palette matcher over 10,000 endpoint names (+ 3 tabs each and
/// a few actions = 40,000+ entries). A measurement, not an assertion on time:
/// `cargo test --release -p serving-console --test fleet_props -- --ignored --nocapture palette_keystroke`
#[test]
#[ignore]
fn palette_keystroke_bench() {
    let teams = [
        "fraud", "churn", "recsys", "search", "vision", "nlp", "ads", "risk",
    ];
    let kinds = [
        "detector",
        "ranker",
        "model",
        "embedder",
        "classifier",
        "llm",
    ];
    let envs = ["prod", "dev", "staging", "canary"];
    let names: Vec<String> = (0..10_000)
        .map(|i| {
            format!(
                "{}-{}-{}-{}",
                teams[i % teams.len()],
                kinds[(i / 8) % kinds.len()],
                envs[(i / 48) % envs.len()],
                i
            )
        })
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let t0 = std::time::Instant::now();
    let p = Palette::new(entries_for(
        &refs,
        &[
            ("logs", "Logs"),
            ("permissions", "Permissions"),
            ("schema", "Schema"),
        ],
        &[("stop", "Stop endpoint"), ("start", "Start endpoint")],
    ));
    let build = t0.elapsed();
    let recent: Vec<String> = names.iter().take(10).cloned().collect();
    // Typing "fraud-det-prod-42" one keystroke at a time.
    let typed = "fraud-det-prod-42";
    let mut worst = std::time::Duration::ZERO;
    let mut total = std::time::Duration::ZERO;
    let rounds = 20;
    let mut hits = 0;
    for _ in 0..rounds {
        for k in 1..=typed.len() {
            let t = std::time::Instant::now();
            hits += p.search(&typed[..k], &recent, 50).len();
            let d = t.elapsed();
            worst = worst.max(d);
            total += d;
        }
    }
    let per = total / u32::try_from(rounds * typed.len()).unwrap_or(1);
    println!(
        "palette: {} entries, build {build:?}, per keystroke mean {per:?}, worst {worst:?} ({hits} hits)",
        p.entries().len()
    );
}

/// The schedule of a 200-endpoint bulk stop on a virtual clock: the default bound (4 in
/// flight) and the tab's default token bucket (5/s, bursts of 10), every answer taking 150 ms.
/// Prints requests per second, total time and peak in flight:
/// `cargo test --release -p serving-console --test fleet_props -- --ignored --nocapture bulk_stop_schedule`
#[test]
#[ignore]
fn bulk_stop_schedule() {
    use serving_console::model::fleet::runner::DEFAULT_MAX_IN_FLIGHT;
    let rows: Vec<Planned> = (0..200)
        .map(|i| Planned {
            name: format!("e{i}"),
            skip: None,
        })
        .collect();
    let mut run = Run::new("Stop", rows, DEFAULT_MAX_IN_FLIGHT, TokenBucket::default());
    let answer_ms = 150i64;
    let mut now = 0i64;
    let mut in_flight: Vec<(usize, i64)> = Vec::new();
    loop {
        match run.next(now) {
            Next::Send(i) => in_flight.push((i, now + answer_ms)),
            Next::Wait(ms) => {
                let wake = now + i64::try_from(ms).unwrap_or(0);
                let first = in_flight.iter().map(|(_, t)| *t).min();
                match first {
                    Some(t) if t <= wake => {
                        now = t;
                        let k = in_flight.iter().position(|(_, d)| *d == t).unwrap_or(0);
                        let (i, _) = in_flight.swap_remove(k);
                        run.complete(i, Answer::Ok, now);
                    }
                    _ => now = wake,
                }
            }
            Next::AwaitCompletion => {
                let t = in_flight.iter().map(|(_, t)| *t).min().unwrap_or(now);
                now = now.max(t);
                let k = in_flight.iter().position(|(_, d)| *d == t).unwrap_or(0);
                let (i, _) = in_flight.swap_remove(k);
                run.complete(i, Answer::Ok, now);
            }
            Next::Finished => break,
        }
    }
    let s = run.summary();
    let secs = now as f64 / 1000.0;
    println!(
        "bulk stop: {} rows, {} sent, total {secs:.1} s (virtual), {:.2} requests/s, peak in flight {}",
        s.total,
        s.sent,
        s.sent as f64 / secs,
        s.peak_in_flight
    );
    assert_eq!(s.done, 200);
}
