//! Property / fuzz tests of the console's decode paths and models that take data from the network
//! (issue #9): error bodies and HTML error pages, `Retry-After`, Prometheus text, log text and
//! ANSI, JSON and OpenAPI documents (deep nesting, `$ref` cycles), schema validation, snippets,
//! permissions, tokens, and everything derived from an endpoint in an arbitrary state.
//! Each gives a typed error or a tolerant value: never a panic, a stack overflow or a hang.
//! Host only (the wasm test runner has no file system and far less time).
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use api_types::*;
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use serving_console::api::{decode_json, ApiError, HttpResponse};
use serving_console::model::json_doc::Doc;
use serving_console::model::openapi::Spec;
use serving_console::model::{
    actions, ansi, display_state, events, json_validate, lifecycle, list_view, log_index, log_view,
    metrics, permissions, retry, snippets, time_fmt, token,
};

fn fixture_text(name: &str) -> &'static str {
    api_fixtures::get(name)
}

fn fixture(name: &str) -> Value {
    serde_json::from_str(api_fixtures::get(name)).unwrap()
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text built mostly from the characters that matter to the parsers under test.
fn text_from(alphabet: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::collection::vec(prop::sample::select(alphabet.to_vec()), 0..max)
            .prop_map(|v| v.concat()),
        1 => any::<String>(),
    ]
}

fn wire_string() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "READY",
            "NOT_READY",
            "IN_PROGRESS",
            "NOT_UPDATING",
            "UPDATE_FAILED",
            "UPDATE_CANCELED",
            "DEPLOYMENT_READY",
            "DEPLOYMENT_FAILED",
            "DEPLOYMENT_CREATING",
            "DEPLOYMENT_STOPPED",
            "DEPLOYMENT_ABORTED",
            "DEPLOYMENT_RECOVERING",
            "STOPPED",
            "CAN_MANAGE",
            "CAN_QUERY",
            "CAN_VIEW",
            "CPU",
            "GPU_SMALL",
            "FOUNDATION_MODEL",
            "EXTERNAL_MODEL",
            "",
            " ",
            "\u{202e}x",
            "Served entity is stopped.",
            "build failed",
        ])
        .prop_map(str::to_string),
        "[A-Z_]{1,16}",
        any::<String>(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        prop::sample::select(vec![0.5, -0.0, 1e308, -1e308, 5e-324, 1.5e19]).prop_map(Value::from),
        wire_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((wire_string(), inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Replace the value reached by following `path` (each step picks a child) with `new`.
fn replace_at(v: &mut Value, path: &[Index], new: Value) {
    let mut cur = v;
    for ix in path {
        let key = match &*cur {
            Value::Array(a) if !a.is_empty() => ix.index(a.len()).to_string(),
            Value::Object(o) if !o.is_empty() => o.keys().nth(ix.index(o.len())).cloned().unwrap(),
            _ => break,
        };
        cur = match cur {
            Value::Array(a) => &mut a[key.parse::<usize>().unwrap()],
            other => other.get_mut(&key).unwrap(),
        };
    }
    *cur = new;
}

fn nested(depth: usize, open: &str, leaf: &str, close: &str) -> String {
    format!("{}{leaf}{}", open.repeat(depth), close.repeat(depth))
}

// ---------------------------------------------------------------------------------------------
// src/api: decoding bodies, error bodies and HTML error pages

proptest! {
    #![proptest_config(config(256))]

    /// A 2xx body that is not the expected JSON is `ApiError::Decode` with the status.
    #[test]
    fn decode_json_is_ok_or_decode_error(v in json_value(), cut in any::<Index>(), status in 200u16..300) {
        let text = v.to_string();
        let cut = cut.index(text.len() + 1);
        let text = if text.is_char_boundary(cut) { &text[..cut] } else { &text[..] };
        for r in [
            decode_json::<ServingEndpointDetailed>(text, status).map(|_| ()),
            decode_json::<ListEndpointsResponse>(text, status).map(|_| ()),
            decode_json::<ScimMe>(text, status).map(|_| ()),
            decode_json::<ObjectPermissions>(text, status).map(|_| ()),
        ] {
            match r {
                Ok(()) => {}
                Err(ApiError::Decode { status: s, message }) => {
                    prop_assert_eq!(s, status);
                    prop_assert!(!message.is_empty());
                }
                Err(other) => prop_assert!(false, "unexpected {:?}", other),
            }
        }
    }

    /// Any non-2xx answer becomes `ApiError::Http` with its status; its message and title are
    /// plain text; an HTML page gives a bounded excerpt without markup.
    #[test]
    fn error_answers_are_typed(
        status in prop_oneof![100u16..200, 300u16..600, any::<u16>()],
        body in prop_oneof![
            json_value().prop_map(|v| v.to_string()),
            text_from(&["<", ">", "</", "<head>", "</head>", "<style", "</style>", "<script>",
                        "</script>", "<b>", "x", " ", "\n", "é", "{", "\"message\":\"m\"", "}",
                        "&amp;", "<!--", "-->"], 40),
        ],
        retry_after in proptest::option::of(".{0,12}"),
    ) {
        let resp = HttpResponse { status, body: body.clone(), retry_after: retry_after.clone() };
        match ApiError::check_status(resp) {
            Ok(r) => prop_assert!((200..300).contains(&r.status)),
            Err(e) => {
                prop_assert!(!(200..300).contains(&status));
                prop_assert_eq!(e.status(), Some(status));
                let ApiError::Http { text, retry_after: ra, .. } = &e else {
                    return Err(TestCaseError::fail(format!("{e:?}")));
                };
                prop_assert_eq!(ra, &retry_after);
                if let Some(t) = text {
                    prop_assert!(!t.contains('<'), "{}", t);
                    prop_assert!(t.chars().count() <= 201);
                    prop_assert!(!t.trim().is_empty());
                }
                prop_assert!(!e.title().is_empty());
                prop_assert!(!e.message().is_empty());
                let _ = (e.error_code(), e.request_id(), e.retryable());
            }
        }
    }
}

/// A Databricks error body cut anywhere is no longer read as one: it is shown as a text excerpt.
#[test]
fn truncated_error_bodies_become_text() {
    let text = fixture_text("error_429_request_limit_exceeded.json");
    let text = text.trim_end();
    for cut in (1..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let e = ApiError::check_status(HttpResponse {
            status: 429,
            body: text[..cut].to_string(),
            retry_after: None,
        })
        .unwrap_err();
        assert_eq!(e.error_code(), None, "cut at {cut}");
        assert!(!e.message().is_empty());
    }
}

/// Hostile HTML error pages: many unclosed `<style`/`<script` openers and a 10 MB page.
#[test]
fn hostile_error_pages_are_cut_short() {
    for body in [
        "<style".repeat(20_000),
        "<script<head<".repeat(10_000),
        format!("<p>{}</p>", "a<b>".repeat(2_500_000)),
        "<".repeat(100_000),
    ] {
        let e = ApiError::check_status(HttpResponse {
            status: 502,
            body,
            retry_after: None,
        })
        .unwrap_err();
        assert!(e.message().chars().count() < 400);
    }
}

// ---------------------------------------------------------------------------------------------
// src/model/retry.rs: Retry-After

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

proptest! {
    #![proptest_config(config(512))]

    /// Any header value and any clock: `None` or a delay, never a panic or an overflow.
    #[test]
    fn retry_after_never_panics(
        value in text_from(&["1", "9", "0", " ", ",", ":", "-", "GMT", "Sun", "Sunday", "Nov",
                             "99", "1994", "08:49:37", "99999999999999999999", "+"], 10),
        now in prop_oneof![any::<i64>(), Just(i64::MIN), Just(i64::MAX), Just(0)],
        attempt in any::<u32>(),
        status in any::<u16>(),
    ) {
        let _ = retry::parse_retry_after(&value, now);
        let _ = retry::parse_http_date(&value, now);
        let f = retry::Failure::Http { status, retry_after: Some(value.clone()) };
        if let Some(ms) = retry::next_delay(&retry::RetryPolicy::default(), attempt, &f, now, 0.5) {
            prop_assert!(ms <= retry::MAX_RETRY_AFTER_MS.max(retry::RetryPolicy::default().cap_ms));
        }
        if let Some(until) = retry::rate_limited_until(&f, now) {
            prop_assert!(until >= now);
        }
    }

    /// Delta-seconds come back in ms (saturating); the three HTTP-date forms of one instant
    /// agree, and a date in the past asks for no wait.
    #[test]
    fn retry_after_forms_agree(
        secs in any::<u64>(),
        y in 1i64..=9999, m in 1u32..=12, d in 1u32..=28, h in 0i64..24, mi in 0i64..60, s in 0i64..60,
        now in any::<i64>(),
    ) {
        prop_assert_eq!(retry::parse_retry_after(&format!(" {secs} "), now), Some(secs.saturating_mul(1000)));
        let mon = MONTHS[(m - 1) as usize];
        let at = (time_fmt::days_from_civil(y, m, d) * 86_400 + h * 3_600 + mi * 60 + s) * 1_000;
        let imf = format!("Sun, {d:02} {mon} {y:04} {h:02}:{mi:02}:{s:02} GMT");
        let asc = format!("Sun {mon} {d:2} {h:02}:{mi:02}:{s:02} {y:04}");
        prop_assert_eq!(retry::parse_http_date(&imf, now), Some(at));
        prop_assert_eq!(retry::parse_http_date(&asc, now), Some(at));
        let want = u64::try_from((i128::from(at) - i128::from(now)).max(0)).unwrap();
        prop_assert_eq!(retry::parse_retry_after(&imf, now), Some(want));
    }
}

// ---------------------------------------------------------------------------------------------
// src/model/metrics.rs: Prometheus text

const PROM: &[&str] = &[
    "request_latency_ms_bucket",
    "request_count_total",
    "cpu_usage_percentage",
    "x",
    "{",
    "}",
    "le=",
    "quantile=",
    "\"",
    "\\",
    "\\\"",
    "\\n",
    ",",
    "=",
    " ",
    "\t",
    "\n",
    "\r\n",
    "#",
    "1",
    "0.5",
    "-",
    "+Inf",
    "-Inf",
    "NaN",
    "1e308",
    "1e999",
    "9223372036854775808",
    "é",
    "\u{0}",
];

proptest! {
    #![proptest_config(config(512))]

    /// Any text: every non-comment line is a sample or is counted as skipped.
    #[test]
    fn prometheus_text_never_panics(text in text_from(PROM, 60), now in any::<i64>()) {
        let (samples, skipped) = metrics::parse(&text);
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).count();
        prop_assert_eq!(samples.len() + skipped, lines);
        let snap = metrics::snapshot(&samples, now);
        let mut w = metrics::Window::new(3);
        w.push(snap.clone());
        w.push(snap);
        let series = w.series(|s| s.latency_p99);
        let values: Vec<f64> = samples.iter().map(|s| s.value).chain(series.iter().map(|p| p.1)).collect();
        let _ = metrics::sparkline_points(&values, 120.0, 24.0);
        for v in values {
            prop_assert!(!metrics::fmt_value(v).is_empty());
        }
    }

    /// A well-formed sample line parses back to its name, labels (escapes undone) and value.
    #[test]
    fn prometheus_lines_round_trip(
        name in "[a-zA-Z_:][a-zA-Z0-9_:]{0,20}",
        labels in prop::collection::vec(("[a-zA-Z_][a-zA-Z0-9_]{0,8}", ".{0,10}"), 0..4),
        value in any::<f64>(),
        ts in proptest::option::of(-1_000_000_000_000_000i64..1_000_000_000_000_000),
    ) {
        let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
        let body: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{}\"", esc(v))).collect();
        let mut line = name.clone();
        if !labels.is_empty() {
            line.push_str(&format!("{{{}}}", body.join(",")));
        }
        line.push_str(&format!(" {value:?}"));
        if let Some(t) = ts {
            line.push_str(&format!(" {t}"));
        }
        let s = metrics::parse_line(&line).unwrap();
        prop_assert_eq!(&s.name, &name);
        let want: Vec<(String, String)> = labels.iter().map(|(k, v)| (k.clone(), v.trim_end_matches('\r').to_string())).collect();
        if labels.iter().all(|(_, v)| !v.contains('\r') && !v.contains('\u{85}')) {
            prop_assert_eq!(&s.labels, &want);
        }
        prop_assert!(s.value == value || (s.value.is_nan() && value.is_nan()));
        prop_assert_eq!(s.ts_ms, ts);
    }

    /// Histogram quantiles of arbitrary buckets: `None` or a finite value, never a panic.
    #[test]
    fn histogram_quantile_never_panics(
        buckets in prop::collection::vec((any::<f64>(), any::<f64>()), 0..12),
        q in any::<f64>(),
    ) {
        let _ = metrics::histogram_quantile(q, &buckets);
    }
}

// ---------------------------------------------------------------------------------------------
// src/model/ansi.rs and log_index.rs: log text

const LOG: &[&str] = &[
    "\u{1b}",
    "[",
    "]",
    "0",
    "1",
    "31",
    "38;5;",
    "48;2;",
    ";",
    "m",
    "K",
    "\u{7}",
    "\\",
    "\u{9b}",
    "\u{9d}",
    "\u{90}",
    "\u{85}",
    "\u{202e}",
    "\u{2066}",
    "\r",
    "\n",
    "\t",
    "\u{0}",
    "\u{7f}",
    "a",
    "ERROR",
    "WARN",
    " ",
    "é",
    "😀",
    "P",
    "8;;http://x",
    "\u{1b}\\",
];

fn check_styled(s: &ansi::Styled) -> Result<(), TestCaseError> {
    let mut at = 0;
    for sp in &s.spans {
        prop_assert_eq!(sp.start, at);
        prop_assert!(sp.end > sp.start);
        prop_assert!(s.text.is_char_boundary(sp.start) && s.text.is_char_boundary(sp.end));
        at = sp.end;
    }
    prop_assert_eq!(at, s.text.len());
    prop_assert!(!s.text.chars().any(ansi::is_special_char), "{:?}", s.text);
    Ok(())
}

proptest! {
    #![proptest_config(config(512))]

    /// Any line: display text without escapes, controls or bidi overrides, covered by its runs.
    #[test]
    fn ansi_parse_is_total(line in text_from(LOG, 40), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let s = ansi::parse(&line);
        check_styled(&s)?;
        prop_assert_eq!(ansi::strip(&line), s.text.clone());
        if !ansi::may_be_special(line.as_bytes()) {
            prop_assert_eq!(&s.text, &line);
        }
        check_styled(&ansi::parse_bytes(&bytes))?;
    }

    /// A log indexed whole, or appended in arbitrary pieces, has the same lines; merging a fresh
    /// copy of a grown log keeps exactly the fresh text; search hits are real matches.
    #[test]
    fn log_index_is_consistent(
        text in text_from(LOG, 60),
        cuts in prop::collection::vec(any::<Index>(), 0..4),
        more in text_from(LOG, 20),
        fresh in text_from(LOG, 40),
        query in text_from(&["a", "A", "e", "é", "[", "ERROR", "\u{1b}"], 3),
    ) {
        let whole = log_index::LogIndex::new(text.clone());
        let want: Vec<&str> = if text.is_empty() {
            Vec::new()
        } else {
            text.strip_suffix('\n').unwrap_or(&text).split('\n').collect()
        };
        prop_assert_eq!(whole.len(), want.len());
        for (i, l) in want.iter().enumerate() {
            prop_assert_eq!(whole.line(i), l.strip_suffix('\r').unwrap_or(l));
            check_styled(&whole.styled(i))?;
        }
        // Appending in pieces.
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(text.len() + 1)).filter(|&c| text.is_char_boundary(c)).collect();
        points.sort_unstable();
        let mut pieces = log_index::LogIndex::default();
        let mut from = 0;
        for p in points.into_iter().chain([text.len()]) {
            pieces.append(&text[from..p]);
            from = p;
        }
        same_lines(&pieces, &whole)?;
        // Merging: a grown log appends; anything else still yields a consistent index.
        let grown = format!("{text}{more}");
        let mut ix = whole.clone();
        ix.merge(grown.clone());
        if text.is_empty() || text.ends_with('\n') {
            prop_assert_eq!(ix.text(), grown.as_str());
        }
        same_lines(&ix, &log_index::LogIndex::new(ix.text().to_string()))?;
        let mut ix2 = whole.clone();
        ix2.merge(fresh);
        same_lines(&ix2, &log_index::LogIndex::new(ix2.text().to_string()))?;
        let _ = ix2.plain_text();
        // Search.
        if let Some(n) = log_index::Needle::new(&query) {
            let mut out = Vec::new();
            let found = log_index::search_range(&whole, &n, 0..usize::MAX, &mut out);
            prop_assert_eq!(found, out.len());
            for m in &out {
                let d = whole.display(m.line as usize);
                let hit = d.as_bytes().get(m.start as usize..m.end as usize).unwrap();
                prop_assert!(hit.eq_ignore_ascii_case(query.as_bytes()));
            }
            for i in 0..whole.len() {
                let d = whole.display(i);
                let st = whole.styled(i);
                let marks: Vec<(usize, usize, bool)> = log_index::matches_in_line(&out, i)
                    .iter().map(|m| (m.start as usize, m.end as usize, false)).collect();
                let segs = log_index::segments(&d, &st.spans, &marks, log_index::DISPLAY_LIMIT);
                let _ = log_index::level(&d);
                let mut at = 0;
                for s in segs {
                    prop_assert_eq!(s.start, at);
                    at = s.end;
                }
            }
        }
    }
}

fn same_lines(a: &log_index::LogIndex, b: &log_index::LogIndex) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.text(), b.text());
    prop_assert_eq!(a.len(), b.len());
    prop_assert_eq!(a.is_partial(), b.is_partial());
    for i in 0..a.len() {
        prop_assert_eq!(a.line(i), b.line(i));
        prop_assert_eq!(
            a.is_special(i) || !b.is_special(i),
            true,
            "line {} special",
            i
        );
        prop_assert_eq!(a.display(i), b.display(i));
    }
    Ok(())
}

/// Log lines of 1 MB, a million lines, and nothing but escapes.
#[test]
fn huge_logs_index_and_search() {
    let mut ix = log_index::LogIndex::new("x".repeat(1 << 20));
    assert_eq!(ix.len(), 1);
    ix.append(&"\u{1b}[31m\n".repeat(200_000));
    assert_eq!(ix.len(), 200_000);
    assert!(ix.styled(5).text.is_empty());
    let n = log_index::Needle::new("x").unwrap();
    let mut out = Vec::new();
    let found = log_index::search_range(&ix, &n, 0..ix.len(), &mut out);
    assert_eq!(found, 1 << 20);
    assert_eq!(out.len(), log_index::MAX_MATCHES);
}

// ---------------------------------------------------------------------------------------------
// src/model/json_doc.rs: JSON documents

proptest! {
    #![proptest_config(config(384))]

    /// JSON text parses, and its compact and pretty forms mean the same value.
    #[test]
    fn json_doc_round_trips(v in json_value()) {
        let text = serde_json::to_string_pretty(&v).unwrap();
        let d = Doc::parse(&text).unwrap();
        for pretty in [false, true] {
            let out = d.to_json(d.root(), pretty);
            let back: Value = serde_json::from_str(&out).unwrap();
            prop_assert_eq!(&back, &v);
        }
    }

    /// Arbitrary text: an error with an in-range offset, or a document that re-prints stably.
    /// serde_json accepting the text implies this parser does.
    #[test]
    fn json_doc_parse_is_total(
        text in text_from(&["{", "}", "[", "]", "\"", ":", ",", " ", "\n", "0", "-", "1.5e3",
                            "true", "nul", "null", "\\", "\\u", "00e9", "d83d", "\\ud83d\\ude00",
                            "+", "a", "é", "\u{1}"], 40),
    ) {
        match Doc::parse(&text) {
            Ok(d) => {
                let once = d.to_json(d.root(), false);
                let d2 = Doc::parse(&once).unwrap();
                prop_assert_eq!(d2.to_json(d2.root(), false), once);
            }
            Err(e) => {
                prop_assert!(e.offset <= text.len());
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&text).is_err(), "{}", e);
            }
        }
    }

    /// `\u` escapes need exactly four hex digits, as in JSON.
    #[test]
    fn json_doc_unicode_escapes_need_hex(h in "[0-9a-fA-F+\\- ]{4}") {
        let text = format!("\"\\u{h}\"");
        let ok = h.bytes().all(|b| b.is_ascii_hexdigit());
        prop_assert_eq!(Doc::parse(&text).is_ok(), ok, "{}", text);
    }
}

/// 100,000-deep nesting parses and prints (the parser and printer are iterative); every strict
/// prefix of a real document is an error.
#[test]
fn json_doc_deep_and_truncated() {
    for deep in [
        nested(100_000, "[", "1", "]"),
        nested(100_000, "{\"a\":", "null", "}"),
    ] {
        let d = Doc::parse(&deep).unwrap();
        assert_eq!(d.to_json(d.root(), false), deep);
        assert!(Doc::parse(&deep[..deep.len() - 1]).is_err());
    }
    // Pretty text indents at most 64 levels: linear in the depth, not quadratic (gigabytes).
    let d = Doc::parse(&nested(20_000, "{\"a\":", "[]", "}")).unwrap();
    let pretty = d.to_json(d.root(), true);
    assert_eq!(pretty.lines().count(), 40_001);
    assert!(pretty.len() < 40_001 * 140, "{} bytes", pretty.len());
    let back = Doc::parse(&pretty).unwrap();
    assert_eq!(back.to_json(back.root(), false), d.to_json(d.root(), false));
    let text = fixture_text("openapi.json");
    let text = text.trim_end();
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        assert!(Doc::parse(&text[..cut]).is_err(), "cut at {cut}");
    }
}

// ---------------------------------------------------------------------------------------------
// src/model/openapi.rs and json_validate.rs: schema documents

/// A schema-ish JSON value: the keywords the console reads, `$ref`s to S0..S3 (cycles likely).
fn schema_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        (0..4usize).prop_map(|i| json!({"$ref": format!("#/components/schemas/S{i}")})),
        prop::sample::select(vec![
            "string", "integer", "number", "boolean", "null", "array", "object", "x"
        ])
        .prop_map(|t| json!({"type": t})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "string", "format": "date", "minLength": 2})),
        Just(json!({"type": "integer", "format": "int32", "minimum": -1e308, "multipleOf": 0.5})),
        Just(json!({"enum": ["a", 1, null, [1], {"b": 2}]})),
        Just(json!({"const": {"a": [1, 2]}})),
        Just(json!({"$ref": "#/nowhere"})),
        Just(json!({"$ref": "http://remote/x.json"})),
        Just(json!(true)),
        Just(json!(false)),
        json_value(),
    ];
    leaf.prop_recursive(4, 48, 4, |inner| {
        prop_oneof![
            prop::collection::vec(("[a-c]", inner.clone()), 0..4).prop_map(|kv| {
                let props: serde_json::Map<String, Value> = kv.into_iter().collect();
                let req: Vec<String> = props.keys().take(1).cloned().collect();
                json!({"type": "object", "properties": props, "required": req})
            }),
            inner.clone().prop_map(
                |i| json!({"type": "array", "items": i, "minItems": 3, "uniqueItems": true})
            ),
            prop::collection::vec(inner.clone(), 0..3).prop_map(|v| json!({"prefixItems": v})),
            (
                prop::sample::select(vec!["oneOf", "anyOf", "allOf"]),
                prop::collection::vec(inner.clone(), 0..3)
            )
                .prop_map(|(k, v)| json!({ k: v })),
            inner.clone().prop_map(|i| json!({"not": i})),
            inner
                .clone()
                .prop_map(|i| json!({"type": "object", "additionalProperties": i})),
            (inner.clone(), json_value())
                .prop_map(|(i, ex)| json!({"allOf": [i], "example": ex, "default": ex})),
        ]
    })
}

fn spec_text(schemas: &[Value], root: &Value) -> String {
    let mut comps = serde_json::Map::new();
    for (i, s) in schemas.iter().enumerate() {
        comps.insert(format!("S{i}"), s.clone());
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/invocations": {"post": {
            "requestBody": {"content": {"application/json": {"schema": root}}},
            "responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/S1"}}}}}
        }}},
        "components": {"schemas": comps}
    })
    .to_string()
}

/// Everything the Schema tab does with a document, on `spec`; bounded outputs.
fn exercise_spec(spec: &Spec, body: &Value) -> Result<(), TestCaseError> {
    let _ = (
        spec.title(),
        spec.version(),
        spec.openapi_version(),
        spec.servers(),
    );
    let inst = Doc::parse(&body.to_string()).unwrap();
    for op in spec.operations() {
        let mut roots = Vec::new();
        if let Some((_media, prefix, schema)) = spec.request_schema(op.node) {
            roots.push((prefix.clone(), schema));
            let variants = spec
                .variants(schema)
                .map(|v| v.1)
                .unwrap_or_else(|| vec![(String::new(), schema)]);
            for (_, v) in variants {
                let body_text = spec.example_body(v);
                prop_assert!(body_text.len() < 50_000_000);
                let issues = json_validate::validate(spec, v, &inst);
                prop_assert!(issues.len() <= json_validate::MAX_ISSUES + 1);
                let _ = json_validate::serving_checks(spec, v, &inst);
                if let Ok(d) = Doc::parse(&body_text) {
                    let _ = json_validate::validate(spec, v, &d);
                    let _ = snippets::python_requests("https://h/x", &body_text);
                    let _ = snippets::databricks_sdk("https://h", "e", "/x", &body_text);
                }
            }
            let open = spec.expand_all(&prefix, schema, 500);
            let rows = spec.flatten(&prefix, schema, &open, 500);
            prop_assert!(rows.len() <= 500);
            for r in rows.iter().take(50) {
                let _ = spec.type_label(r.node, 3);
                let _ = spec.examples(r.node);
                let _ = spec.walk(op.node, &r.path);
            }
        }
        for (_status, _desc, schema) in spec.responses(op.node) {
            if let Some((p, s)) = schema {
                roots.push((p, s));
            }
        }
        let (hits, _) = spec.search(&roots, "a", 20);
        prop_assert!(hits.len() <= 20);
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(160))]

    /// Generated documents with `$ref` cycles, dangling and remote references, wrong types:
    /// every walk of the Schema tab and validation of arbitrary bodies ends, without a panic.
    #[test]
    fn schema_documents_never_panic_or_hang(
        schemas in prop::collection::vec(schema_value(), 4),
        root in schema_value(),
        body in json_value(),
    ) {
        let text = spec_text(&schemas, &root);
        let spec = Spec::parse(&text).unwrap();
        exercise_spec(&spec, &body)?;
    }

    /// The real document with one value replaced by arbitrary JSON.
    #[test]
    fn mutated_openapi_never_panics(
        path in prop::collection::vec(any::<Index>(), 0..10),
        new in prop_oneof![json_value(), schema_value()],
        body in json_value(),
    ) {
        let mut v = fixture("openapi.json");
        replace_at(&mut v, &path, new);
        if let Ok(spec) = Spec::parse(&v.to_string()) {
            exercise_spec(&spec, &body)?;
        }
    }
}

/// `Spec::parse` rejects what is not an OpenAPI document with a typed error.
#[test]
fn non_documents_are_spec_errors() {
    for t in [
        "",
        "[]",
        "{}",
        "{\"paths\": 1}",
        "<html>",
        "{\"paths\": {}",
        "null",
    ] {
        assert!(Spec::parse(t).is_err(), "{t}");
    }
}

/// Deep and cyclic documents: 5,000-deep schemas, a 1,000-long `$ref` chain, self references.
#[test]
fn deep_and_cyclic_documents_end() {
    let deep_schema = nested(
        5_000,
        "{\"type\":\"object\",\"properties\":{\"a\":",
        "{\"type\":\"string\"}",
        "}}",
    );
    let chain: Vec<Value> = (0..1000)
        .map(|i| json!({"$ref": format!("#/components/schemas/S{}", (i + 1) % 1000)}))
        .collect();
    let self_ref = json!({"oneOf": [{"$ref": "#/components/schemas/S0"}, {"$ref": "#/components/schemas/S0"}],
                          "items": {"$ref": "#/components/schemas/S0"},
                          "properties": {"a": {"$ref": "#/components/schemas/S0"}}});
    let deep_body: Value = serde_json::from_str(&nested(100, "[", "1", "]")).unwrap();
    for (schemas, root) in [
        (
            vec![serde_json::from_str::<Value>(&nested(100, "{\"items\":", "{}", "}")).unwrap()],
            json!({"$ref": "#/components/schemas/S0"}),
        ),
        (chain, json!({"$ref": "#/components/schemas/S0"})),
        (
            vec![self_ref.clone(), self_ref],
            json!({"$ref": "#/components/schemas/S0"}),
        ),
    ] {
        let spec = Spec::parse(&spec_text(&schemas, &root)).unwrap();
        exercise_spec(&spec, &deep_body).unwrap();
    }
    // The 5,000-deep schema is beyond serde_json: splice the text in.
    let text = spec_text(
        &[json!("__DEEP__")],
        &json!({"$ref": "#/components/schemas/S0"}),
    )
    .replace("\"__DEEP__\"", &deep_schema);
    let spec = Spec::parse(&text).unwrap();
    exercise_spec(&spec, &json!({"a": {"a": {"a": 1}}})).unwrap();
}

// ---------------------------------------------------------------------------------------------
// Endpoints in arbitrary states: display state, actions, events, lifecycle, logs, list rows

const DETAILED: &[&str] = &[
    "get_custom_ready.json",
    "get_custom_creating.json",
    "get_custom_ready_updating.json",
    "get_custom_stopped.json",
    "get_custom_stopped_variant_suspend.json",
    "get_custom_update_failed.json",
    "get_custom_not_ready_update_failed.json",
    "get_external_model_ai_gateway.json",
    "get_foundation_model.json",
    "get_route_optimized.json",
];

/// A state field: absent, null, a known or an unknown value.
fn state_field() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        wire_string().prop_map(|s| Some(Value::String(s))),
    ]
}

fn set(v: &mut Value, ptr: &str, new: Option<Value>) {
    let (parent, key) = ptr.rsplit_once('/').unwrap();
    if let Some(Value::Object(o)) = v.pointer_mut(parent) {
        match new {
            Some(x) => {
                o.insert(key.to_string(), x);
            }
            None => {
                o.remove(key);
            }
        }
    }
}

fn endpoint_in_any_state() -> impl Strategy<Value = ServingEndpointDetailed> {
    (
        prop::sample::select(DETAILED.to_vec()),
        prop::collection::vec(state_field(), 8),
        prop::collection::vec(
            prop_oneof![Just(None), any::<i64>().prop_map(|t| Some(json!(t)))],
            4,
        ),
        prop::collection::vec(any::<Index>(), 0..6),
        json_value(),
    )
        .prop_map(|(name, fields, times, path, junk)| {
            let mut v = fixture(name);
            for (ptr, f) in [
                "/state/ready",
                "/state/config_update",
                "/state/update_state",
                "/state/suspend",
                "/config/served_entities/0/state/deployment",
                "/config/served_entities/0/state/deployment_state_message",
                "/pending_config/served_entities/0/state/deployment",
                "/permission_level",
            ]
            .iter()
            .zip(fields)
            {
                set(&mut v, ptr, f);
            }
            for (ptr, t) in [
                "/creation_timestamp",
                "/last_updated_timestamp",
                "/pending_config/start_time",
                "/config/served_entities/0/creation_timestamp",
            ]
            .iter()
            .zip(times)
            {
                set(&mut v, ptr, t);
            }
            let mut mutated = v.clone();
            replace_at(&mut mutated, &path, junk);
            serde_json::from_value(mutated)
                .or_else(|_| serde_json::from_value(v))
                .unwrap()
        })
}

proptest! {
    #![proptest_config(config(384))]

    /// Whatever state an endpoint reports, everything derived from it is total.
    #[test]
    fn endpoint_models_are_total(
        e in endpoint_in_any_state(),
        prev in endpoint_in_any_state(),
        now in any::<i64>(),
        typed in ".{0,8}",
    ) {
        let view = display_state::derive_detailed(&e);
        prop_assert!(!view.state.label().is_empty());
        let key = view.state.key();
        prop_assert_eq!(display_state::DisplayState::from_key(key).map(|s| s.key()), Some(key));
        let _ = (view.state.tone(), view.state.is_transitioning(), view.state.is_serving(), view.state.rank());
        if let Some(step) = &view.next_step {
            let _ = (step.label(), step.entity(), step.log_kind());
        }
        if let Some(t) = view.since_ms {
            let _ = (time_fmt::relative(t, now), time_fmt::iso_utc(t), time_fmt::duration(now.wrapping_sub(t)));
        }
        let summary = e.summary();
        let listed = display_state::derive_summary(&summary);
        prop_assert!(!listed.label().is_empty());
        let _ = display_state::is_stopped(&e);
        let _ = (actions::can_stop(&e), actions::can_start(&e), actions::can_delete(&e));
        let _ = (actions::endpoint_kind(&e).label(), actions::lifecycle_rules(&e));
        let _ = actions::delete_confirmed(&typed, &e.name);
        let _ = events::diff(&prev, &e, now);
        for action in [lifecycle::Lifecycle::Stop, lifecycle::Lifecycle::Start] {
            let mut f = lifecycle::Follow::new(action);
            let _ = f.observe(&prev);
            let _ = f.observe(&e);
        }
        let entities = log_view::log_entities(&e);
        for kind in [log_view::LogKind::Server, log_view::LogKind::Build] {
            let q = log_view::LogQuery::from_params(None, Some(kind.as_str().into()), None, None);
            if let Some(sel) = log_view::resolve(&q, &entities, &view) {
                let sit = log_view::situation(&e, &entities, &sel);
                let _ = (log_view::empty_state(kind, sit), log_view::notice(kind, sit));
                let _ = log_view::download_name(&e.name, &sel);
            }
        }
        let rows = list_view::rows_from(&[summary, prev.summary()]);
        let q = list_view::Query::from_params(typed.as_str(), "", "", "", "-updated");
        let order = list_view::apply(&rows, &q, Some("alice.chen@contoso.com"));
        prop_assert!(order.iter().all(|&i| i < rows.len()));
        let _ = list_view::facet_values(&rows);
    }

    /// Time formatting of any timestamp the API may send.
    #[test]
    fn time_formatting_is_total(t in any::<i64>(), now in any::<i64>()) {
        prop_assert!(!time_fmt::relative(t, now).is_empty());
        prop_assert!(time_fmt::iso_utc(t).ends_with(" UTC"));
        prop_assert!(!time_fmt::duration(t).is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Permissions, tokens, snippets

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary ACLs (unknown levels, entries naming no or several principals, inherited
    /// grants from anywhere): the editor's model is total and a plan against itself is empty.
    #[test]
    fn permission_models_are_total(
        path in prop::collection::vec(any::<Index>(), 0..6),
        new in json_value(),
        me in json_value(),
        level in wire_string(),
        levels in json_value(),
    ) {
        let mut v = fixture("permissions_get.json");
        replace_at(&mut v, &path, new);
        let Ok(r) = serde_json::from_value::<ObjectPermissions>(v) else { return Ok(()) };
        let acl = permissions::Acl::from_response(&r);
        let _ = permissions::rows_of(&acl);
        let mut draft = permissions::Draft::new(acl.clone());
        let lvl = PermissionLevel::parse(&level);
        for e in r.access_control_list.iter().filter_map(|a| a.principal()) {
            draft.set_level(&e, lvl.clone());
            let _ = permissions::describe(&e);
            let _ = permissions::slug(&e);
        }
        let _ = (draft.changes(), draft.rows(), draft.is_dirty(), draft.has_removals());
        let _ = permissions::plan(&draft, &acl);
        let me = serde_json::from_value::<ScimMe>(me).ok().map(|m| permissions::Me::from_scim(&m));
        let _ = permissions::lockout(&draft, me.as_ref());
        let _ = permissions::lockout(&draft, None);
        let levels = serde_json::from_value::<PermissionLevelsResponse>(levels).ok();
        let _ = permissions::offered_levels(levels.as_ref());
        let clean = permissions::Draft::new(acl.clone());
        prop_assert!(!clean.is_dirty());
        prop_assert!(clean.changes().is_empty());
    }

    /// A pasted token is accepted only as trimmed printable ASCII of bounded length.
    #[test]
    fn token_check_is_total(input in prop_oneof![any::<String>(), "[ -~\t\n]{0,40}", "Bearer .{0,10}"]) {
        if let Ok(t) = token::check(&input) {
            prop_assert_eq!(t.as_str(), input.trim());
            prop_assert!(!t.is_empty() && t.len() <= token::MAX_TOKEN_LEN);
            prop_assert!(t.bytes().all(|b| b.is_ascii_graphic()));
            prop_assert!(!t.to_ascii_lowercase().starts_with("bearer "));
        }
    }

    /// Snippets of any body text: curl always, Python only for valid JSON.
    #[test]
    fn snippets_are_total(body in prop_oneof![json_value().prop_map(|v| v.to_string()), any::<String>()]) {
        let _ = snippets::curl("https://h/serving-endpoints/e/invocations", &body);
        let valid = Doc::parse(&body).is_ok();
        prop_assert_eq!(snippets::python_requests("https://h/x", &body).is_some(), valid);
        prop_assert_eq!(snippets::databricks_sdk("https://h", "e", "/x", &body).is_some(), valid);
    }
}

/// Snippets and validation of a 20,000-deep body end without a stack overflow.
#[test]
fn deep_bodies_do_not_overflow() {
    for body in [
        nested(20_000, "[", "1", "]"),
        nested(20_000, "{\"a\":", "1", "}"),
        nested(
            20_000,
            "[",
            "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25]",
            "]",
        ),
    ] {
        assert!(snippets::python_requests("https://h/x", &body).is_some());
        assert!(snippets::databricks_sdk("https://h", "e", "/x", &body).is_some());
        let inst = Doc::parse(&body).unwrap();
        // Equality of deep values: `enum`/`const` against a deep body, `uniqueItems` over deep items.
        let schema = json!({"enum": ["__DEEP__"], "uniqueItems": true});
        let text = spec_text(&[schema], &json!({"$ref": "#/components/schemas/S0"}))
            .replace("\"__DEEP__\"", &body);
        let spec = Spec::parse(&text).unwrap();
        let op = spec.operations()[0].node;
        let (_, _, s) = spec.request_schema(op).unwrap();
        assert!(json_validate::validate(&spec, s, &inst).is_empty());
        assert!(json_validate::json_eq(
            &inst,
            inst.root(),
            &inst,
            inst.root()
        ));
        let twice = Doc::parse(&format!("[{body},{body}]")).unwrap();
        let (a, b) = (twice.index(0, 0).unwrap(), twice.index(0, 1).unwrap());
        assert!(json_validate::json_eq(&twice, a, &twice, b));
    }
}

/// `format: date-time` / `date` on strings with multi-byte characters where digits are expected.
#[test]
fn date_formats_with_multibyte_text() {
    let spec = Spec::parse(&spec_text(
        &[json!({"type": "string", "format": "date-time"}), json!({"type": "string", "format": "date"})],
        &json!({"type": "array", "prefixItems": [{"$ref": "#/components/schemas/S0"}, {"$ref": "#/components/schemas/S1"}]}),
    ))
    .unwrap();
    let op = spec.operations()[0].node;
    let (_, _, s) = spec.request_schema(op).unwrap();
    for t in [
        "2024-01-3é",
        "2024-01-31Té0:00:00Z",
        "2024-01-31T00:00:0éZ",
        "ééééééééééé",
        "2024-01-31T00:00:00+0é:00",
        "2024-01-31T00:00:00é",
    ] {
        let inst = Doc::parse(&json!([t, t]).to_string()).unwrap();
        let issues = json_validate::validate(&spec, s, &inst);
        assert_eq!(issues.len(), 2, "{t}: {issues:?}");
    }
    let inst = Doc::parse(&json!(["2024-01-31T00:00:00Z", "2024-01-31"]).to_string()).unwrap();
    assert!(json_validate::validate(&spec, s, &inst).is_empty());
}

/// Alternatives that refer back to themselves, or branch at every level, are checked in bounded
/// time: `S = oneOf [S, S]` against a nested body, or 40 levels of two-way `anyOf`, would
/// otherwise try 2^40 paths. What cannot be checked fully says so.
#[test]
fn branching_self_references_validate_in_bounded_time() {
    let r = |i: usize| json!({"$ref": format!("#/components/schemas/S{i}")});
    let s0 = json!({"oneOf": [r(0), r(0)], "items": r(0), "properties": {"a": r(0)}});
    let s1 = json!({"anyOf": [r(1), {"type": "string"}, r(1)], "items": r(1)});
    let levels: Vec<Value> = (0..40)
        .map(|i| json!({"anyOf": [r(i + 1), r(i + 1)]}))
        .chain([json!({"type": "integer"})])
        .collect();
    let deep: Value = serde_json::from_str(&nested(60, "[", "{\"a\": 1}", "]")).unwrap();
    for (schemas, body, complete) in [
        (vec![s0], deep.clone(), false),
        (vec![json!({}), s1], deep, true),
        (levels, json!(1), false),
    ] {
        let spec = Spec::parse(&spec_text(&schemas, &r(0))).unwrap();
        let op = spec.operations()[0].node;
        let (_, _, s) = spec.request_schema(op).unwrap();
        let inst = Doc::parse(&body.to_string()).unwrap();
        let issues = json_validate::validate(&spec, s, &inst);
        assert!(issues.len() <= json_validate::MAX_ISSUES);
        let notice = issues.iter().any(|i| i.message.contains("completely"));
        assert_eq!(notice, !complete, "{issues:?}");
    }
}

/// The schema's sample body stays bounded when a large default is reached through many paths.
#[test]
fn sample_bodies_stay_bounded() {
    let big = "x".repeat(100_000);
    let fan: serde_json::Map<String, Value> = (0..64)
        .map(|i| (format!("p{i}"), json!({"$ref": "#/components/schemas/S1"})))
        .collect();
    let s0 = json!({"type": "object", "properties": fan});
    let s1 = json!({"type": "object", "properties": {"a": {"$ref": "#/components/schemas/S2"}, "b": {"$ref": "#/components/schemas/S2"}}});
    let s2 = json!({"type": "array", "minItems": 16, "items": {"$ref": "#/components/schemas/S3"}});
    let s3 = json!({"type": "string", "default": big});
    let spec = Spec::parse(&spec_text(
        &[s0, s1, s2, s3],
        &json!({"$ref": "#/components/schemas/S0"}),
    ))
    .unwrap();
    let op = spec.operations()[0].node;
    let (_, _, s) = spec.request_schema(op).unwrap();
    let sample = spec.sample(s);
    assert!(sample.len() < 4 * 1024 * 1024, "{} bytes", sample.len());
    assert!(Doc::parse(&sample).is_ok(), "the sample is still JSON");
}

/// Each parser shown truncated input of a real fixture: metrics lose lines, never panic.
#[test]
fn truncated_metrics_and_logs() {
    let text = fixture_text("metrics.txt");
    for cut in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
        let (samples, _) = metrics::parse(&text[..cut]);
        let _ = metrics::snapshot(&samples, 0);
    }
    let logs: LogsResponse = serde_json::from_str(fixture_text("build_logs.json")).unwrap();
    let mut ix = log_index::LogIndex::default();
    for cut in (0..logs.logs.len()).filter(|&i| logs.logs.is_char_boundary(i)) {
        ix.merge(logs.logs[..cut].to_string());
        assert_eq!(ix.text(), &logs.logs[..cut]);
    }
}
