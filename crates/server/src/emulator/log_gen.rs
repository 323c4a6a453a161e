//! Deterministic, plausible build and server logs of a served entity, as a function of its
//! deployment timeline and the emulated now — so logs grow while an entity builds and serves,
//! and "follow" in the console has something to follow.
//!
//! - **Build logs**: container image build steps spread over the build phase (artifact download,
//!   Python environment, pip installs, image push); a failing build ends in a pip error.
//! - **Server logs**: gunicorn/MLflow start-up, then a few lines per tick (requests, scoring,
//!   warnings, ~5 % with ANSI colour, unicode, an occasional very long payload line, the odd
//!   exception with its traceback), shutdown lines for a stopped endpoint, a Python stack trace
//!   for an entity whose model fails to load, out-of-memory restarts for a recovering one. Like the
//!   real API, only recent lines are returned: the last [`WINDOW_TICKS`] ticks.
//! - **Benchmark logs** ([`bench_server_log`]): N lines of mixed length (20–400 characters, ~5 %
//!   ANSI SGR, a few 100 KB lines, a rare term), for `serving-console demo --log-lines N`.
//!
//! Every line is a pure function of (entity, config version, line position): two requests at the
//! same emulated instant return the same text, and a later request returns the earlier lines
//! (those still in the window) followed by new ones.

use super::seed::splitmix64;

/// Server-log tick: every tick of emulated time adds one to a few lines.
pub const TICK_MS: i64 = 4_000;
/// Ticks of server log returned (the most recent ones), like the API's "recent logs".
pub const WINDOW_TICKS: u64 = 500;
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

/// How an entity's deployment ends, as far as its logs tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The image builds and the model server serves.
    Succeeds,
    /// The image build fails (dependency resolution), with this deployment message.
    BuildFails,
    /// The image builds but the model fails to load: a Python stack trace in the server log.
    ServerFails,
    /// Cancelled because a sibling entity of the same config version failed.
    Aborted,
}

/// Everything the generator needs about one served entity in one config version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// Endpoint name.
    pub endpoint: String,
    /// Served-entity name (`served_entities[].name`).
    pub entity: String,
    /// What it serves, e.g. `main.risk.fraud_xgb`.
    pub model: String,
    /// Model version, e.g. `7`.
    pub model_version: String,
    /// Config version the entity belongs to.
    pub config_version: i64,
    /// GPU workload (CUDA base image, torch wheels).
    pub gpu: bool,
    /// When the deployment of this config version began (ms).
    pub start_ms: i64,
    /// When it ended or will end: ready, or failed (ms).
    pub end_ms: i64,
    /// How it ends.
    pub outcome: Outcome,
    /// The endpoint was stopped at this instant (ms): the server log ends there.
    pub stopped_at: Option<i64>,
    /// An entity in `DEPLOYMENT_RECOVERING`: workers get OOM-killed now and then.
    pub recovering: bool,
}

impl Timeline {
    fn seed(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in self
            .endpoint
            .bytes()
            .chain([0u8])
            .chain(self.entity.bytes())
        {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        splitmix64(h ^ (self.config_version as u64).wrapping_mul(0x9e37_79b9))
    }

    /// End of the image build (the model server starts right after).
    fn build_end(&self) -> i64 {
        let span = (self.end_ms - self.start_ms).max(0);
        match self.outcome {
            Outcome::BuildFails | Outcome::Aborted => self.end_ms,
            // The model server needs a few seconds to start before the deployment ends.
            Outcome::Succeeds | Outcome::ServerFails => self.end_ms - (span * 7 / 20).min(6_000),
        }
    }

    /// Two replica pod ids, `[5f8kq]`-style.
    fn pods(&self) -> [String; 2] {
        let h = self.seed();
        [pod_id(h), pod_id(splitmix64(h))]
    }
}

fn pod_id(h: u64) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..5)
        .map(|i| ALPHABET[((h >> (i * 7)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Time formatting (UTC), without a date crate.

/// (year, month, day, hour, minute, second) of `ms` since the epoch, UTC.
pub fn civil(ms: i64) -> (i64, u32, u32, u32, u32, u32) {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (sod / 3600) as u32,
        ((sod / 60) % 60) as u32,
        (sod % 60) as u32,
    )
}

/// `2025-08-11T08:00:04Z` (build logs).
pub fn iso(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `[2025-08-12 09:14:02 +0000]` (gunicorn).
fn gunicorn_ts(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("[{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} +0000]")
}

/// `2025/08/12 09:14:09` (Python logging in MLflow's scoring server).
fn py_ts(ms: i64) -> String {
    let (y, mo, d, h, mi, s) = civil(ms);
    format!("{y:04}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02}")
}

/// `12/Aug/2025:09:21:47 +0000` (access log).
fn access_ts(ms: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s) = civil(ms);
    let month = MONTHS[(mo.clamp(1, 12) - 1) as usize];
    format!("{d:02}/{month}/{y:04}:{h:02}:{mi:02}:{s:02} +0000")
}

// ---------------------------------------------------------------------------------------------
// Build logs.

struct Pkg {
    name: &'static str,
    version: &'static str,
    size: &'static str,
}

const CPU_PKGS: &[Pkg] = &[
    Pkg {
        name: "mlflow",
        version: "2.22.0",
        size: "29.1 MB",
    },
    Pkg {
        name: "scikit-learn",
        version: "1.5.2",
        size: "13.3 MB",
    },
    Pkg {
        name: "pandas",
        version: "2.2.3",
        size: "12.7 MB",
    },
    Pkg {
        name: "numpy",
        version: "1.26.4",
        size: "18.2 MB",
    },
    Pkg {
        name: "xgboost",
        version: "2.1.3",
        size: "153.9 MB",
    },
    Pkg {
        name: "cloudpickle",
        version: "3.1.0",
        size: "22 kB",
    },
    Pkg {
        name: "pyarrow",
        version: "17.0.0",
        size: "39.9 MB",
    },
];

const GPU_PKGS: &[Pkg] = &[
    Pkg {
        name: "mlflow",
        version: "2.22.0",
        size: "29.1 MB",
    },
    Pkg {
        name: "torch",
        version: "2.4.1+cu121",
        size: "799.0 MB",
    },
    Pkg {
        name: "transformers",
        version: "4.46.3",
        size: "10.0 MB",
    },
    Pkg {
        name: "tokenizers",
        version: "0.20.3",
        size: "3.0 MB",
    },
    Pkg {
        name: "accelerate",
        version: "1.1.1",
        size: "333 kB",
    },
    Pkg {
        name: "sentencepiece",
        version: "0.2.0",
        size: "1.3 MB",
    },
];

/// The private package a failing build cannot find.
fn missing_pkg(t: &Timeline) -> String {
    let base = t
        .model
        .rsplit('.')
        .next()
        .unwrap_or("model")
        .replace('_', "-");
    format!("contoso-{base}-utils==0.{}.1", t.seed() % 9 + 1)
}

/// The build log's steps: (position in the build phase, 0.0–1.0, line text without timestamp).
fn build_steps(t: &Timeline) -> Vec<(f64, String)> {
    let h = t.seed();
    let pkgs = if t.gpu { GPU_PKGS } else { CPU_PKGS };
    let mb = 40 + h % 900;
    let py = if t.gpu { "3.11" } else { "3.10" };
    let image = if t.gpu {
        "databricks/model-serving-runtime:15.4-gpu-py311-cuda12.1"
    } else {
        "databricks/model-serving-runtime:15.4-py310"
    };
    let mut s: Vec<(f64, String)> = vec![
        (
            0.0,
            format!(
                "Building container image for served entity {} (config version {})",
                t.entity, t.config_version
            ),
        ),
        (
            0.02,
            format!(
                "Resolving model artifacts of models:/{}/{}",
                t.model, t.model_version
            ),
        ),
        (
            0.05,
            format!(
                "Downloading model artifacts from models:/{}/{}",
                t.model, t.model_version
            ),
        ),
        (
            0.22,
            format!("Model artifacts downloaded ({mb}.{} MB)", h % 10),
        ),
        (0.23, format!("Step 1/9 : FROM {image}")),
        (0.25, " ---> 3f1c2a9b7d4e".to_string()),
        (0.26, "Step 2/9 : COPY model/requirements.txt /model/".to_string()),
        (
            0.27,
            format!("Step 3/9 : RUN conda create -n mlflow-env python={py} && pip install -r /model/requirements.txt"),
        ),
        (
            0.28,
            format!("Creating Python {py} environment from requirements.txt"),
        ),
    ];
    let n = pkgs.len() as f64;
    for (i, p) in pkgs.iter().enumerate() {
        let f = 0.30 + 0.30 * (i as f64 / n);
        s.push((f, format!("Collecting {}=={}", p.name, p.version)));
        s.push((
            f + 0.01,
            format!(
                "  Downloading {}-{}-py3-none-any.whl ({})",
                p.name.replace('-', "_"),
                p.version,
                p.size
            ),
        ));
        s.push((
            f + 0.015,
            format!(
                "     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ {} {}.{} MB/s eta 0:00:00",
                p.size,
                20 + (h >> i) % 60,
                (h >> (i + 3)) % 10
            ),
        ));
    }
    if t.outcome == Outcome::BuildFails {
        let missing = missing_pkg(t);
        s.push((0.80, format!("Collecting {missing}")));
        s.push((
            0.97,
            format!(
                "ERROR: Could not find a version that satisfies the requirement {missing} (from versions: none)"
            ),
        ));
        let bare = missing.split("==").next().unwrap_or(&missing).to_string();
        s.push((
            0.98,
            format!("ERROR: No matching distribution found for {bare}"),
        ));
        s.push((
            0.99,
            "The command '/bin/sh -c conda create -n mlflow-env && pip install -r /model/requirements.txt' returned a non-zero code: 1".to_string(),
        ));
        s.push((
            1.0,
            "Container image build failed: pip install exited with status 1".to_string(),
        ));
        return s;
    }
    let names: Vec<String> = pkgs
        .iter()
        .map(|p| format!("{}-{}", p.name, p.version))
        .collect();
    s.push((
        0.62,
        format!(
            "Installing collected packages: {}",
            pkgs.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
        ),
    ));
    if t.outcome == Outcome::Aborted {
        s.push((
            1.0,
            format!(
                "Build cancelled: another served entity in config version {} failed.",
                t.config_version
            ),
        ));
        return s;
    }
    s.push((0.80, format!("Successfully installed {}", names.join(" "))));
    s.push((0.82, "Step 7/9 : COPY model /model".to_string()));
    s.push((
        0.84,
        "Step 8/9 : ENV MLFLOW_MODEL_URI=/model GUNICORN_CMD_ARGS=\"--timeout 60 --workers 2\""
            .to_string(),
    ));
    s.push((
        0.86,
        "Step 9/9 : CMD [\"mlflow\", \"models\", \"serve\", \"-m\", \"/model\", \"--port\", \"8080\"]"
            .to_string(),
    ));
    for layer in 1..=4 {
        s.push((
            0.86 + 0.03 * f64::from(layer),
            format!("Pushing image layer {layer}/4"),
        ));
    }
    s.push((
        0.995,
        format!(
            "Image digest sha256:{:016x}{:016x}{:016x}{:016x}",
            splitmix64(h),
            splitmix64(h ^ 1),
            splitmix64(h ^ 2),
            splitmix64(h ^ 3)
        ),
    ));
    let secs = (t.build_end() - t.start_ms).max(0) / 1000;
    s.push((
        1.0,
        format!("Container image built successfully in {secs}s"),
    ));
    s
}

/// The build log of `t` as of `now_ms`: the steps whose time has come.
pub fn build_log(t: &Timeline, now_ms: i64) -> String {
    let start = t.start_ms;
    let span = (t.build_end() - start).max(0) as f64;
    let mut out = String::new();
    for (f, text) in build_steps(t) {
        let at = start + (span * f.clamp(0.0, 1.0)) as i64;
        if at > now_ms {
            break;
        }
        out.push_str(&iso(at));
        out.push(' ');
        out.push_str(&text);
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Server logs.

/// A tiny deterministic generator over splitmix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = splitmix64(self.0);
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

const FEATURES: &[&str] = &[
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
const UNICODE: &[&str] = &[
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
    let p = pfx(&pods[(r.next() % 2) as usize]);
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

// ---------------------------------------------------------------------------------------------
// Benchmark logs.

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

#[cfg(test)]
mod tests {
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
}
