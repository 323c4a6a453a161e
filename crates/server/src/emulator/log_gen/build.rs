//! Build logs: container image build steps spread over the build phase (artifact download,
//! Python environment, pip installs, image push); a failing build ends in a pip error.

use super::time::iso;
use super::timeline::{Outcome, Timeline};
use crate::emulator::random::splitmix64;

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
