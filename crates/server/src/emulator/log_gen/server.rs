//! Server logs: gunicorn/MLflow start-up, then a few lines per tick, shutdown lines for a
//! stopped endpoint, a stack trace for a model that fails to load, out-of-memory restarts for a
//! recovering one; only the last [`WINDOW_TICKS`] ticks are returned.

use super::time::{access_ts, gunicorn_ts, py_ts};
use super::timeline::{Outcome, Timeline};
use crate::emulator::random::Rng;

/// Server-log tick: every tick of emulated time adds one to a few lines.
pub const TICK_MS: i64 = 4_000;
/// Ticks of server log returned (the most recent ones), like the API's "recent logs".
pub const WINDOW_TICKS: u64 = 500;

pub(super) const FEATURES: &[&str] = &[
    "merchant_age_days",
    "account_tenure",
    "basket_size",
    "days_since_last_order",
    "region_code",
    "device_type",
];
const AGENTS: &[&str] = &[
    "python-requests/2.32.3",
    "databricks-sdk-py/0.38.0",
    "mlflow-deployments/2.22.0",
    "Go-http-client/1.1",
];
pub(super) const UNICODE: &[&str] = &[
    "input text: \"Très bien — livraison rapide ✓\"",
    "input text: \"非常好，谢谢！\" (zh), language detected",
    "input text: \"Отлично, спасибо\" (ru)",
    "input text: \"👍 works great 🎉\"",
    "input text: \"naïve café façade — ½ price\"",
];

/// `[pod] ` prefix.
fn pfx(pod: &str) -> String {
    format!("[{pod}] ")
}

fn startup_lines(t: &Timeline, at: i64, out: &mut Vec<(i64, String)>) {
    let pods = t.pods();
    for (i, pod) in pods.iter().enumerate() {
        let p = pfx(pod);
        let a = at + i as i64 * 700;
        let g = gunicorn_ts(a);
        out.push((a, format!("{p}{g} [7] [INFO] Starting gunicorn 22.0.0")));
        out.push((
            a,
            format!("{p}{g} [7] [INFO] Listening at: http://0.0.0.0:8080 (7)"),
        ));
        out.push((a, format!("{p}{g} [7] [INFO] Using worker: sync")));
        out.push((a, format!("{p}{g} [18] [INFO] Booting worker with pid: 18")));
        out.push((a, format!("{p}{g} [19] [INFO] Booting worker with pid: 19")));
        let b = a + 2_500;
        out.push((
            b,
            format!(
                "{p}{} INFO mlflow.pyfunc.scoring_server: Loading model from /model (models:/{}/{})",
                py_ts(b),
                t.model,
                t.model_version
            ),
        ));
        out.push((
            b,
            format!(
                "{p}{} WARNING mlflow.utils.requirements_utils: Detected one or more mismatches between the model's dependencies and the current Python environment:\n{p} - numpy (current: 1.26.4, required: numpy==1.26.2)",
                py_ts(b)
            ),
        ));
    }
}

fn ready_lines(t: &Timeline, at: i64, out: &mut Vec<(i64, String)>) {
    for pod in t.pods() {
        let p = pfx(&pod);
        out.push((
            at,
            format!(
                "{p}{} INFO mlflow.pyfunc.scoring_server: Model loaded: {} v{} (in {}.{} s)",
                py_ts(at),
                t.model,
                t.model_version,
                2 + t.seed() % 9,
                t.seed() % 10
            ),
        ));
        out.push((
            at,
            format!(
                "{p}{} INFO mlflow.pyfunc.scoring_server: Model server ready, serving on :8080",
                py_ts(at)
            ),
        ));
    }
}

fn crash_lines(t: &Timeline, at: i64, out: &mut Vec<(i64, String)>) {
    let pods = t.pods();
    let p = pfx(&pods[0]);
    let g = gunicorn_ts(at);
    let lines = [
        format!("{p}{g} [18] [ERROR] Exception in worker process"),
        format!("{p}Traceback (most recent call last):"),
        format!("{p}  File \"/opt/conda/envs/mlflow-env/lib/python3.11/site-packages/gunicorn/arbiter.py\", line 609, in spawn_worker"),
        format!("{p}    worker.init_process()"),
        format!("{p}  File \"/opt/conda/envs/mlflow-env/lib/python3.11/site-packages/mlflow/pyfunc/__init__.py\", line 1116, in load_model"),
        format!("{p}    model_impl = importlib.import_module(conf[MAIN])._load_pyfunc(data_path)"),
        format!("{p}  File \"/model/code/{}.py\", line 41, in load_context", t.model.rsplit('.').next().unwrap_or("model")),
        format!("{p}    self.tokenizer = AutoTokenizer.from_pretrained(context.artifacts[\"tokenizer\"])"),
        format!("{p}OSError: Can't load tokenizer for '/model/artifacts/tokenizer'. If you were trying to load it from 'https://huggingface.co/models', make sure you don't have a local directory with the same name."),
        format!("{p}{g} [18] [INFO] Worker exiting (pid: 18)"),
        format!("{p}{g} [7] [ERROR] Worker (pid:18) exited with code 3"),
        format!("{p}{g} [7] [ERROR] \u{1b}[31mShutting down: Master\u{1b}[0m"),
        format!("{p}{g} [7] [ERROR] \u{1b}[1;31mReason: Worker failed to boot.\u{1b}[0m"),
    ];
    out.extend(lines.into_iter().map(|l| (at, l)));
}

fn shutdown_lines(t: &Timeline, at: i64, out: &mut Vec<(i64, String)>) {
    for pod in t.pods() {
        let p = pfx(&pod);
        let g = gunicorn_ts(at);
        out.push((at, format!("{p}{g} [7] [INFO] Handling signal: term")));
        out.push((at, format!("{p}{g} [19] [INFO] Worker exiting (pid: 19)")));
        out.push((at, format!("{p}{g} [18] [INFO] Worker exiting (pid: 18)")));
        out.push((at, format!("{p}{g} [7] [INFO] Shutting down: Master")));
    }
}

fn ip(r: &mut Rng) -> String {
    format!("10.0.{}.{}", r.below(8), 2 + r.below(250))
}

/// The lines of server-log tick `k` at `at` (one to a few lines).
fn tick_lines(t: &Timeline, k: u64, at: i64, out: &mut Vec<(i64, String)>) {
    let mut r = Rng(t.seed() ^ k.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let pods = t.pods();
    let p = pfx(&pods[(r.next_u64() % 2) as usize]);
    let py = py_ts(at);
    let roll = r.below(1000);
    if t.recovering && k % 40 == 17 {
        let g = gunicorn_ts(at);
        out.push((
            at,
            format!("{p}{g} [7] [ERROR] Worker (pid:19) was sent SIGKILL! Perhaps out of memory?"),
        ));
        out.push((
            at,
            format!(
                "{p}{g} [7] [WARNING] \u{1b}[33mMemory usage 15.7 GiB of 16 GiB limit\u{1b}[0m"
            ),
        ));
        out.push((
            at,
            format!(
                "{p}{g} [{}] [INFO] Booting worker with pid: {}",
                20 + k % 900,
                20 + k % 900
            ),
        ));
        return;
    }
    match k % 150 {
        // Hostile content: markup and terminal escape tricks a client sent; shown as text.
        77 => {
            out.push((
                at,
                format!(
                    "{p}{py} WARNING model: rejected input field \"comment\": \"<img src=x onerror=alert(1)><script>window.__pwned=1</script>\""
                ),
            ));
            return;
        }
        78 => {
            out.push((
                at,
                format!(
                    "{p}{py} INFO model: client id \u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]8;;https://evil.example/\u{1b}\\click-me\u{1b}]8;;\u{1b}\\ done"
                ),
            ));
            return;
        }
        _ => {}
    }
    let ms = 8 + r.below(180);
    let status_ok = r.below(100) < 97;
    match roll {
        0..=449 => {
            let n = 1 << r.below(7);
            out.push((
                at,
                format!("{p}{py} INFO model: scored batch of {n} records in {ms} ms"),
            ));
        }
        450..=649 => {
            let status = if status_ok { 200 } else { 400 };
            let bytes = 200 + r.below(4000);
            let agent = r.pick(AGENTS);
            out.push((
                at,
                format!(
                    "{p}{} - - [{}] \"POST /invocations HTTP/1.1\" {status} {bytes} \"-\" \"{agent}\"",
                    ip(&mut r),
                    access_ts(at)
                ),
            ));
        }
        650..=699 => {
            // ~5 % of lines: uvicorn-style ANSI colour.
            let (c, text) = if status_ok {
                (32, "200 OK")
            } else {
                (31, "422 Unprocessable Entity")
            };
            out.push((
                at,
                format!(
                    "{p}\u{1b}[32mINFO\u{1b}[0m:     {}:{} - \"POST /invocations HTTP/1.1\" \u{1b}[{c}m{text}\u{1b}[0m",
                    ip(&mut r),
                    30_000 + r.below(30_000)
                ),
            ));
        }
        700..=769 => {
            let f = r.pick(FEATURES);
            let n = 1 + r.below(6);
            out.push((
                at,
                format!(
                    "{p}{py} WARNING model: {n} records missing feature '{f}'; imputed with median"
                ),
            ));
        }
        770..=789 => {
            let u = r.pick(UNICODE);
            out.push((at, format!("{p}{py} INFO model: {u}")));
        }
        790..=797 => {
            // An occasional very long line: a request payload dumped at DEBUG.
            let rows = 40 + r.below(120);
            let mut payload = String::from("{\"dataframe_split\": {\"columns\": [\"amount\", \"merchant\", \"ts\"], \"data\": [");
            for i in 0..rows {
                if i > 0 {
                    payload.push_str(", ");
                }
                payload.push_str(&format!(
                    "[{}.{:02}, \"m-{:05}\", {}]",
                    r.below(5000),
                    r.below(100),
                    r.below(100_000),
                    at / 1000 - i as i64
                ));
            }
            payload.push_str("]}}");
            out.push((
                at,
                format!("{p}{py} DEBUG mlflow.pyfunc.scoring_server: request payload: {payload}"),
            ));
        }
        798..=804 => {
            let g = gunicorn_ts(at);
            out.push((
                at,
                format!("{p}{g} [19] [ERROR] Exception on /invocations [POST]"),
            ));
            out.push((at, format!("{p}Traceback (most recent call last):")));
            out.push((
                at,
                format!("{p}  File \"/opt/conda/envs/mlflow-env/lib/python3.11/site-packages/mlflow/pyfunc/scoring_server/__init__.py\", line 469, in transformation"),
            ));
            out.push((
                at,
                format!("{p}    data = infer_and_parse_data(request.data, input_schema)"),
            ));
            out.push((
                at,
                format!("{p}mlflow.exceptions.MlflowException: Failed to enforce schema of data: column 'amount' expected double, got string"),
            ));
        }
        805..=899 => {
            for _ in 0..2 {
                out.push((
                    at,
                    format!(
                        "{p}{} - - [{}] \"POST /invocations HTTP/1.1\" 200 {} \"-\" \"{}\"",
                        ip(&mut r),
                        access_ts(at),
                        200 + r.below(4000),
                        r.pick(AGENTS)
                    ),
                ));
            }
        }
        _ => {
            let c = 1 + r.below(8);
            out.push((
                at,
                format!("{p}{py} INFO autoscaler: in-flight requests {c}/8, replicas 2/2"),
            ));
        }
    }
}

/// The server log of `t` as of `now_ms`: start-up, then the last [`WINDOW_TICKS`] ticks.
pub fn server_log(t: &Timeline, now_ms: i64) -> String {
    let server_start = t.build_end() + 1_000;
    let mut lines: Vec<(i64, String)> = Vec::new();
    match t.outcome {
        Outcome::BuildFails | Outcome::Aborted => return String::new(),
        Outcome::ServerFails => {
            startup_lines(t, server_start, &mut lines);
            crash_lines(t, t.end_ms, &mut lines);
        }
        Outcome::Succeeds => {
            let until = t.stopped_at.map_or(now_ms, |s| s.min(now_ms));
            let ticks = if until >= t.end_ms {
                u64::try_from((until - t.end_ms) / TICK_MS).unwrap_or(0)
            } else {
                0
            };
            let first = ticks.saturating_sub(WINDOW_TICKS);
            if first == 0 {
                startup_lines(t, server_start, &mut lines);
                ready_lines(t, t.end_ms, &mut lines);
            }
            for k in first..ticks {
                let at = t.end_ms + (k as i64 + 1) * TICK_MS - 1 - (k as i64 * 7919) % 3000;
                tick_lines(t, k, at, &mut lines);
            }
            if let Some(s) = t.stopped_at {
                shutdown_lines(t, s.max(t.end_ms), &mut lines);
            }
        }
    }
    lines.sort_by_key(|(at, _)| *at);
    let mut out = String::new();
    for (at, l) in lines {
        if at > now_ms {
            break;
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}
