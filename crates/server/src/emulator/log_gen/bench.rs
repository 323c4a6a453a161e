//! Benchmark logs (`serving-console demo --log-lines N`): N lines of mixed length (20–400
//! characters, ~5 % ANSI SGR, a few 100 KB lines, a rare term).

use super::server::{FEATURES, UNICODE};
use super::time::py_ts;
use crate::emulator::random::{splitmix64, Rng};

/// A term that appears in only a handful of lines of a benchmark log.
pub const BENCH_RARE_TERM: &str = "device-side assert triggered";

/// `--log-lines N`: the server logs of one endpoint's entities have exactly N lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLines {
    /// Endpoint name.
    pub endpoint: String,
    /// Line count.
    pub lines: usize,
}

/// A server log of exactly `n` lines for benchmarks: mostly 60–120 characters, some short,
/// some 200–400, ~5 % with ANSI SGR colour, unicode, three 100 KB lines (when `n` ≥ 1,000), a
/// few tracebacks, and [`BENCH_RARE_TERM`] in five lines. About 21 MB at 200,000 lines.
pub fn bench_server_log(entity: &str, n: usize) -> String {
    let seed = entity
        .bytes()
        .fold(0x5eed_u64, |h, b| splitmix64(h ^ u64::from(b)));
    let mut r = Rng(seed);
    let base: i64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    let huge: [usize; 3] = if n >= 1000 {
        [n / 4, n / 2, 3 * n / 4]
    } else {
        [usize::MAX; 3]
    };
    let rare: Vec<usize> = if n >= 10 {
        (1..=5).map(|i| i * n / 6 + 3).collect()
    } else {
        Vec::new()
    };
    let mut out = String::with_capacity(n.saturating_mul(108));
    let pods = ["5f8kq", "2mzt1"];
    for i in 0..n {
        let at = base + i as i64 * 97;
        let p = pods[i % 2];
        let py = py_ts(at);
        let start = out.len();
        if huge.contains(&i) {
            out.push_str(&format!(
                "[{p}] {py} DEBUG mlflow.pyfunc.scoring_server: request payload: {{\"inputs\": \""
            ));
            while out.len() - start < 100_000 {
                let w = r.pick(&["lorem", "ipsum", "dolor", "sit", "amet", "ünïcode", "数据"]);
                out.push_str(w);
                out.push(' ');
            }
            out.push_str("\"}\n");
            continue;
        }
        if rare.contains(&i) {
            out.push_str(&format!(
                "[{p}] {py} ERROR model: RuntimeError: CUDA error: {BENCH_RARE_TERM} (batch {i})\n"
            ));
            continue;
        }
        let roll = r.below(100);
        match roll {
            0..=4 => out.push_str(&format!(
                "[{p}] \u{1b}[32mINFO\u{1b}[0m:     10.0.{}.{}:{} - \"POST /invocations HTTP/1.1\" \u{1b}[32m200 OK\u{1b}[0m\n",
                r.below(8),
                r.below(250),
                30_000 + r.below(30_000)
            )),
            5..=24 => {
                // short: 20–60 characters
                let len = 20 + r.below(41) as usize;
                let s = format!("[{p}] tick {i} ok ............................................................");
                let cut = s.char_indices().nth(len).map_or(s.len(), |(b, _)| b);
                out.push_str(&s[..cut]);
                out.push('\n');
            }
            25..=34 => {
                // long: 200–400 characters
                let len = 200 + r.below(201) as usize;
                let mut s = format!(
                    "[{p}] {py} WARNING model: slow request {i}: features "
                );
                while s.len() < len {
                    s.push_str(r.pick(FEATURES));
                    s.push_str("=0.");
                    s.push_str(&format!("{} ", r.below(1000)));
                }
                out.push_str(&s);
                out.push('\n');
            }
            35..=36 => out.push_str(&format!(
                "[{p}] {py} INFO model: {}\n",
                r.pick(UNICODE)
            )),
            37 => out.push_str(&format!(
                "[{p}] {py} ERROR model: Exception on /invocations [POST]: MlflowException: column 'amount' expected double, got string\n"
            )),
            _ => out.push_str(&format!(
                "[{p}] {py} INFO model: scored batch of {} records in {} ms (request {i})\n",
                1 << r.below(7),
                8 + r.below(180)
            )),
        }
    }
    out
}
