//! Prometheus / OpenMetrics text from `GET …/metrics`: a tolerant parser (malformed lines are
//! skipped, never fatal), aggregation into the figures the Overview draws, and a rolling window.
//! Hand-written: the crates for this format pull `regex`, far over our wasm size budget.

use std::collections::VecDeque;

/// One sample line: `name{labels} value [timestamp]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Metric name (with `_bucket`/`_sum`/`_count` suffixes as written).
    pub name: String,
    /// Label pairs, unescaped.
    pub labels: Vec<(String, String)>,
    /// The value (`NaN`, `+Inf`, `-Inf` allowed).
    pub value: f64,
    /// Optional timestamp, ms.
    pub ts_ms: Option<i64>,
}

impl Sample {
    /// The value of label `key`.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_value(s: &str) -> Option<f64> {
    match s {
        "+Inf" | "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        "NaN" => Some(f64::NAN),
        _ => s.parse::<f64>().ok(),
    }
}

fn is_name_char(c: char, first: bool) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (!first && c.is_ascii_digit())
}

/// Parse the labels body between `{` and `}`; `None` when malformed.
fn parse_labels(body: &str) -> Option<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut chars = body.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
        if chars.peek().is_none() {
            return Some(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if is_name_char(c, key.is_empty()) {
                key.push(c);
                chars.next();
            } else {
                break;
            }
        }
        if key.is_empty() || chars.next() != Some('=') || chars.next() != Some('"') {
            return None;
        }
        let mut val = String::new();
        loop {
            match chars.next()? {
                '"' => break,
                '\\' => match chars.next()? {
                    'n' => val.push('\n'),
                    other => val.push(other),
                },
                c => val.push(c),
            }
        }
        out.push((key, val));
    }
}

/// Parse one line; `None` for comments, blank and malformed lines.
pub fn parse_line(line: &str) -> Option<Sample> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let name_end = line
        .char_indices()
        .find(|&(i, c)| !is_name_char(c, i == 0))
        .map(|(i, _)| i)
        .unwrap_or(line.len());
    if name_end == 0 {
        return None;
    }
    let name = &line[..name_end];
    let mut rest = &line[name_end..];
    let mut labels = Vec::new();
    if let Some(r) = rest.strip_prefix('{') {
        // Find the closing brace outside quotes.
        let mut in_q = false;
        let mut esc = false;
        let mut close = None;
        for (i, c) in r.char_indices() {
            if esc {
                esc = false;
            } else if c == '\\' {
                esc = true;
            } else if c == '"' {
                in_q = !in_q;
            } else if c == '}' && !in_q {
                close = Some(i);
                break;
            }
        }
        let close = close?;
        labels = parse_labels(&r[..close])?;
        rest = &r[close + 1..];
    }
    let mut parts = rest.split_whitespace();
    let value = parse_value(parts.next()?)?;
    let ts_ms = match parts.next() {
        Some(t) => Some(t.parse::<f64>().ok().filter(|v| v.is_finite())? as i64),
        None => None,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Sample {
        name: name.to_string(),
        labels,
        value,
        ts_ms,
    })
}

/// Parse a whole exposition; malformed lines are skipped. Returns the samples and how many
/// non-comment lines were skipped.
pub fn parse(text: &str) -> (Vec<Sample>, usize) {
    let mut skipped = 0;
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        match parse_line(t) {
            Some(s) => out.push(s),
            None => skipped += 1,
        }
    }
    (out, skipped)
}

/// The figures the Overview draws, aggregated over served entities for one scrape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    /// Timestamp of the figures (from the samples, else the scrape time), ms.
    pub ts_ms: i64,
    /// Median latency, ms.
    pub latency_p50: Option<f64>,
    /// 99th percentile latency, ms.
    pub latency_p99: Option<f64>,
    /// Requests per second (per-minute gauge / 60).
    pub requests_per_s: Option<f64>,
    /// Share of 4xx + 5xx responses, percent.
    pub error_rate: Option<f64>,
    /// Mean CPU %, over entities.
    pub cpu: Option<f64>,
    /// Mean memory %, over entities.
    pub mem: Option<f64>,
}

fn sum_of(samples: &[Sample], name: &str) -> Option<f64> {
    let v: Vec<f64> = samples
        .iter()
        .filter(|s| s.name == name && s.value.is_finite())
        .map(|s| s.value)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum())
}

fn mean_of(samples: &[Sample], name: &str) -> Option<f64> {
    let v: Vec<f64> = samples
        .iter()
        .filter(|s| s.name == name && s.value.is_finite())
        .map(|s| s.value)
        .collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The `q` quantile (0..1) from cumulative histogram buckets `(le, count)`, summed over series,
/// interpolating linearly inside the bucket (as PromQL's `histogram_quantile`).
pub fn histogram_quantile(q: f64, buckets: &[(f64, f64)]) -> Option<f64> {
    let mut b: Vec<(f64, f64)> = buckets.to_vec();
    b.sort_by(|x, y| x.0.total_cmp(&y.0));
    // Merge equal bounds (several entities).
    let mut merged: Vec<(f64, f64)> = Vec::new();
    for (le, c) in b {
        match merged.last_mut() {
            Some(last) if last.0 == le => last.1 += c,
            _ => merged.push((le, c)),
        }
    }
    let total = merged.last().filter(|l| l.0.is_infinite()).map(|l| l.1)?;
    if total <= 0.0 || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let rank = q * total;
    let mut prev_le = 0.0;
    let mut prev_c = 0.0;
    for &(le, c) in &merged {
        if c >= rank {
            if le.is_infinite() {
                return Some(prev_le);
            }
            let width = le - prev_le;
            let inside = c - prev_c;
            return Some(if inside > 0.0 {
                prev_le + width * (rank - prev_c) / inside
            } else {
                le
            });
        }
        prev_le = le;
        prev_c = c;
    }
    None
}

/// Aggregate parsed samples into a [`Snapshot`] (`now_ms` when the samples carry no time).
pub fn snapshot(samples: &[Sample], now_ms: i64) -> Snapshot {
    let ts_ms = samples
        .iter()
        .filter_map(|s| s.ts_ms)
        .max()
        .unwrap_or(now_ms);
    let buckets: Vec<(f64, f64)> = samples
        .iter()
        .filter(|s| s.name == "request_latency_ms_bucket")
        .filter_map(|s| Some((parse_value(s.label("le")?)?, s.value)))
        .collect();
    // A summary (`request_latency_ms{quantile="0.5"}`) is accepted too.
    let summary = |q: &str| {
        samples
            .iter()
            .find(|s| s.name == "request_latency_ms" && s.label("quantile") == Some(q))
            .map(|s| s.value)
            .filter(|v| v.is_finite())
    };
    let requests = sum_of(samples, "request_count_total");
    let errors = match (
        sum_of(samples, "request_4xx_count_total"),
        sum_of(samples, "request_5xx_count_total"),
    ) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0.0) + b.unwrap_or(0.0)),
    };
    Snapshot {
        ts_ms,
        latency_p50: histogram_quantile(0.5, &buckets).or_else(|| summary("0.5")),
        latency_p99: histogram_quantile(0.99, &buckets).or_else(|| summary("0.99")),
        requests_per_s: requests.map(|r| r / 60.0),
        error_rate: match (requests, errors) {
            (Some(r), Some(e)) if r > 0.0 => Some(100.0 * e / r),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        },
        cpu: mean_of(samples, "cpu_usage_percentage"),
        mem: mean_of(samples, "mem_usage_percentage"),
    }
}

/// A rolling window of snapshots, one per sample timestamp, oldest first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Window {
    points: VecDeque<Snapshot>,
    cap: usize,
}

impl Window {
    /// A window keeping at most `cap` snapshots.
    pub fn new(cap: usize) -> Self {
        Window {
            points: VecDeque::new(),
            cap: cap.max(1),
        }
    }

    /// Add a snapshot; a snapshot with the same timestamp as the newest replaces it.
    pub fn push(&mut self, s: Snapshot) {
        if let Some(last) = self.points.back_mut() {
            if last.ts_ms == s.ts_ms {
                *last = s;
                return;
            }
            if s.ts_ms < last.ts_ms {
                return;
            }
        }
        self.points.push_back(s);
        while self.points.len() > self.cap {
            self.points.pop_front();
        }
    }

    /// The series of one figure, oldest first (missing values skipped).
    pub fn series(&self, f: impl Fn(&Snapshot) -> Option<f64>) -> Vec<(i64, f64)> {
        self.points
            .iter()
            .filter_map(|p| f(p).map(|v| (p.ts_ms, v)))
            .collect()
    }

    /// Number of snapshots.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Is the window empty?
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

/// SVG polyline points for `values` in a `w`×`h` box (y grows downwards; flat series centred;
/// non-finite values are left out).
pub fn sparkline_points(values: &[f64], w: f64, h: f64) -> String {
    let finite = || values.iter().copied().filter(|v| v.is_finite());
    if finite().next().is_none() {
        return String::new();
    }
    let min = finite().fold(f64::INFINITY, f64::min);
    let max = finite().fold(f64::NEG_INFINITY, f64::max);
    let span = max - min;
    let n = values.len();
    values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, v)| {
            let x = if n == 1 {
                w
            } else {
                w * i as f64 / (n - 1) as f64
            };
            let y = if span > 0.0 {
                h - (v - min) / span * (h - 2.0) - 1.0
            } else {
                h / 2.0
            };
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A value with a sensible number of decimals.
pub fn fmt_value(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if v.abs() >= 100.0 {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = api_fixtures::get("metrics.txt");

    #[test]
    fn fixture_parses_without_skips() {
        let (samples, skipped) = parse(FIXTURE);
        assert_eq!(skipped, 0);
        assert_eq!(samples.len(), 18);
        let s = &samples[0];
        assert_eq!(s.name, "cpu_usage_percentage");
        assert_eq!(s.label("served_entity_name"), Some("fraud_xgb-7"));
        assert_eq!(s.ts_ms, Some(1_754_985_600_000));
    }

    #[test]
    fn fixture_snapshot_figures() {
        let (samples, _) = parse(FIXTURE);
        let s = snapshot(&samples, 0);
        assert_eq!(s.ts_ms, 1_754_985_600_000);
        assert!((s.requests_per_s.unwrap() - 6015.0 / 60.0).abs() < 1e-9);
        assert!((s.error_rate.unwrap() - 100.0 * 8.0 / 6015.0).abs() < 1e-9);
        assert!((s.cpu.unwrap() - (23.418 + 4.102) / 2.0).abs() < 1e-9);
        let p50 = s.latency_p50.unwrap();
        assert!(p50 > 10.0 && p50 < 50.0, "{p50}");
        let p99 = s.latency_p99.unwrap();
        assert!(p99 > 50.0 && p99 <= 100.0, "{p99}");
    }

    #[test]
    fn malformed_lines_are_skipped_not_fatal() {
        let text = "good 1\nbad{ 2\n{x=\"1\"} 3\nalso_bad abc\nlabels{a=\"x\\\"y\",b=\"z\"} 4 1000\ntoo many fields 1 2 3\n\u{0}\u{ffff}\nok_inf +Inf\n";
        let (samples, skipped) = parse(text);
        let names: Vec<&str> = samples.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, vec!["good", "labels", "ok_inf"]);
        assert_eq!(skipped, 5);
        assert_eq!(samples[1].label("a"), Some("x\"y"));
        assert_eq!(samples[1].ts_ms, Some(1000));
    }

    #[test]
    fn arbitrary_input_never_panics() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..2000 {
            let mut s = String::new();
            for _ in 0..(x % 80) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let alphabet = b"ab_{}=\",\\ 0123456789.+-Inf#\n";
                let c = alphabet[(x % alphabet.len() as u64) as usize] as char;
                s.push(c);
            }
            let (samples, _) = parse(&s);
            let _ = snapshot(&samples, 0);
        }
    }

    #[test]
    fn quantiles_interpolate_and_handle_edges() {
        let b = [(10.0, 50.0), (20.0, 100.0), (f64::INFINITY, 100.0)];
        assert_eq!(histogram_quantile(0.5, &b), Some(10.0));
        assert_eq!(histogram_quantile(0.75, &b), Some(15.0));
        assert_eq!(histogram_quantile(0.5, &[(f64::INFINITY, 0.0)]), None);
        assert_eq!(
            histogram_quantile(0.5, &[(10.0, 5.0)]),
            None,
            "no +Inf bucket"
        );
        let summary = parse(
            "request_latency_ms{quantile=\"0.5\"} 12\nrequest_latency_ms{quantile=\"0.99\"} 80\n",
        )
        .0;
        let s = snapshot(&summary, 5);
        assert_eq!(
            (s.latency_p50, s.latency_p99, s.ts_ms),
            (Some(12.0), Some(80.0), 5)
        );
    }

    #[test]
    fn zero_requests_mean_zero_error_rate() {
        let s = snapshot(
            &parse("request_count_total 0\nrequest_4xx_count_total 0\n").0,
            0,
        );
        assert_eq!(s.requests_per_s, Some(0.0));
        assert_eq!(s.error_rate, Some(0.0));
    }

    #[test]
    fn window_dedupes_and_caps() {
        let mut w = Window::new(3);
        for t in [1, 2, 2, 3, 1, 4] {
            w.push(Snapshot {
                ts_ms: t,
                cpu: Some(t as f64),
                ..Default::default()
            });
        }
        assert_eq!(w.series(|s| s.cpu), vec![(2, 2.0), (3, 3.0), (4, 4.0)]);
        let gaps = w.series(|s| s.mem);
        assert!(gaps.iter().all(|p| p.1.is_nan()));
    }

    #[test]
    fn sparkline_points_fit_the_box() {
        assert_eq!(sparkline_points(&[], 100.0, 20.0), "");
        assert_eq!(
            sparkline_points(&[5.0, 5.0], 100.0, 20.0),
            "0.0,10.0 100.0,10.0"
        );
        let p = sparkline_points(&[0.0, 10.0], 100.0, 20.0);
        assert_eq!(p, "0.0,19.0 100.0,1.0");
        assert_eq!(
            sparkline_points(&[0.0, f64::NAN, 10.0], 100.0, 20.0),
            "0.0,19.0 100.0,1.0"
        );
        assert_eq!(sparkline_points(&[f64::NAN], 100.0, 20.0), "");
        assert_eq!(fmt_value(1234.6), "1235");
        assert_eq!(fmt_value(0.123), "0.12");
    }
}
