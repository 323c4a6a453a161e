//! The walk: a value checked against a schema, `$ref`s and `oneOf`/`anyOf`/`allOf`/`not`
//! followed, every problem recorded with its instance path and offset, bounded in issues, depth
//! and steps.

use super::values::json_eq;
use crate::model::json_doc::{escape_segment, Doc, Kind, NodeId};
use crate::model::openapi::Spec;

/// One problem, at a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// JSON pointer of the field in the body (`/dataframe_split/data/1/0`; `""` = the body).
    pub pointer: String,
    /// The same as people read it (`dataframe_split.data[1][0]`; `body` for the whole body).
    pub field: String,
    /// Byte offset of the field in the text.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// How many problems are reported at most.
pub const MAX_ISSUES: usize = 50;

const MAX_DEPTH: usize = 200;

/// Work one validation may do (schema checks, plus the path length of each issue written).
/// Alternatives (`oneOf`/`anyOf`/`not`) check a value against every branch, so a schema that
/// branches back into itself at every level (from a hostile or generated document) would
/// otherwise take exponential time; real bodies need about one check per value.
const MAX_STEPS: usize = 500_000;

#[derive(Clone)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

pub(super) fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", escape_segment(k)),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

pub(super) fn field(path: &[Seg]) -> String {
    if path.is_empty() {
        return "body".into();
    }
    let mut out = String::new();
    for s in path {
        match s {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

pub(super) struct V<'a> {
    pub(super) spec: &'a Spec,
    pub(super) inst: &'a Doc,
    pub(super) out: Vec<Issue>,
    /// Checks made so far (see [`MAX_STEPS`]).
    pub(super) steps: usize,
    /// (schema, value) pairs being checked, outermost first.
    pub(super) active: Vec<(NodeId, NodeId)>,
}

/// Validate `inst` (the parsed body) against `schema` (a node of `spec`).
pub fn validate(spec: &Spec, schema: NodeId, inst: &Doc) -> Vec<Issue> {
    let mut v = V {
        spec,
        inst,
        out: Vec::new(),
        steps: 0,
        active: Vec::new(),
    };
    let mut path = Vec::new();
    v.check(schema, inst.root(), &mut path, 0);
    v.out.truncate(MAX_ISSUES);
    if v.steps >= MAX_STEPS {
        v.out.truncate(MAX_ISSUES - 1);
        v.out.push(Issue {
            pointer: String::new(),
            field: "body".into(),
            offset: inst.pos(inst.root()),
            message: "The schema is too intricate to check this body completely; some problems may not be shown.".into(),
        });
    }
    v.out
}

pub(super) fn preview(d: &Doc, n: NodeId) -> String {
    match d.kind(n) {
        Kind::Str => {
            let s = d.as_str(n).unwrap_or("");
            if s.chars().count() > 30 {
                format!("string \"{}…\"", s.chars().take(29).collect::<String>())
            } else {
                format!("string \"{s}\"")
            }
        }
        Kind::Num => format!("number {}", d.raw_num(n).unwrap_or("")),
        Kind::Bool => format!("{}", d.as_bool(n).unwrap_or(false)),
        Kind::Null => "null".into(),
        Kind::Arr => format!("an array of {}", d.len(n)),
        Kind::Obj => "an object".into(),
    }
}

impl V<'_> {
    pub(super) fn issue(&mut self, path: &[Seg], at: NodeId, message: String) {
        if self.out.len() < MAX_ISSUES * 4 {
            // Its pointer and field cost as much as its depth: counted against MAX_STEPS too.
            self.steps = self.steps.saturating_add(path.len());
            self.out.push(Issue {
                pointer: pointer(path),
                field: field(path),
                offset: self.inst.pos(at),
                message,
            });
        }
    }

    fn types_of(&self, s: NodeId) -> Vec<String> {
        let d = &self.spec.doc;
        let mut t: Vec<String> = match d.get(s, "type") {
            Some(n) if d.kind(n) == Kind::Str => {
                d.as_str(n).map(str::to_string).into_iter().collect()
            }
            Some(n) => d
                .items(n)
                .filter_map(|x| d.as_str(x).map(str::to_string))
                .collect(),
            None => Vec::new(),
        };
        if !t.is_empty() && d.get(s, "nullable").and_then(|n| d.as_bool(n)) == Some(true) {
            t.push("null".into());
        }
        t
    }

    fn type_ok(&self, t: &str, n: NodeId) -> bool {
        let k = self.inst.kind(n);
        match t {
            "integer" => k == Kind::Num && self.inst.is_integer(n),
            "number" => k == Kind::Num,
            "string" => k == Kind::Str,
            "boolean" => k == Kind::Bool,
            "null" => k == Kind::Null,
            "array" => k == Kind::Arr,
            "object" => k == Kind::Obj,
            _ => true,
        }
    }

    /// Issues of `n` against `schema` into a fresh list (for alternatives).
    fn trial(
        &mut self,
        schema: NodeId,
        n: NodeId,
        path: &mut Vec<Seg>,
        depth: usize,
    ) -> Vec<Issue> {
        let saved = std::mem::take(&mut self.out);
        self.check(schema, n, path, depth + 1);
        std::mem::replace(&mut self.out, saved)
    }

    /// Check `n` against `schema`. A schema that comes back to itself for the same value
    /// (`S = oneOf [S, …]` through `$ref`s, without descending into the value) adds nothing
    /// there: that branch is skipped, not followed around the loop.
    pub(super) fn check(&mut self, schema: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
        if self.steps >= MAX_STEPS || self.active.contains(&(schema, n)) {
            return; // Running out of steps is reported once by `validate`.
        }
        self.steps += 1;
        self.active.push((schema, n));
        self.check_value(schema, n, path, depth);
        self.active.pop();
    }

    fn check_value(&mut self, schema: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
        if depth > MAX_DEPTH {
            self.issue(
                path,
                n,
                "The schema nests too deeply to check this value.".into(),
            );
            return;
        }
        let r = self.spec.resolve(schema);
        if r.error.is_some() {
            return; // Unknown schema: nothing to check against.
        }
        let s = r.node;
        let spec = self.spec;
        let d = &spec.doc;
        if d.kind(s) == Kind::Bool {
            if d.as_bool(s) == Some(false) {
                self.issue(path, n, "No value is allowed here.".into());
            }
            return;
        }
        let inst = self.inst;
        let types = self.types_of(s);
        if !types.is_empty() && !types.iter().any(|t| self.type_ok(t, n)) {
            let want = types.join(" or ");
            let got = preview(inst, n);
            let hint = if types.iter().any(|t| t == "integer") && inst.kind(n) == Kind::Num {
                " (no decimals)"
            } else {
                ""
            };
            self.issue(path, n, format!("Expected {want}{hint}, got {got}."));
            return;
        }
        if let Some(e) = d.get(s, "enum") {
            if !d.items(e).any(|v| json_eq(d, v, inst, n)) {
                let opts: Vec<String> = d.items(e).take(8).map(|v| d.to_json(v, false)).collect();
                let more = if d.len(e) > 8 { ", …" } else { "" };
                self.issue(
                    path,
                    n,
                    format!(
                        "{} is not one of: {}{more}.",
                        preview(inst, n),
                        opts.join(", ")
                    ),
                );
            }
        }
        if let Some(c) = d.get(s, "const") {
            if !json_eq(d, c, inst, n) {
                self.issue(path, n, format!("Must be {}.", d.to_json(c, false)));
            }
        }
        match inst.kind(n) {
            Kind::Num => self.check_number(s, n, path),
            Kind::Str => self.check_string(s, n, path),
            Kind::Arr => self.check_array(s, n, path, depth),
            Kind::Obj => self.check_object(s, n, path, depth),
            _ => {}
        }
        if let Some(list) = d.get(s, "allOf") {
            for alt in d.items(list) {
                self.check(alt, n, path, depth + 1);
            }
        }
        for kw in ["oneOf", "anyOf"] {
            let Some(list) = d.get(s, kw) else { continue };
            let alts: Vec<NodeId> = d.items(list).collect();
            if alts.is_empty() {
                continue;
            }
            let results: Vec<Vec<Issue>> = alts
                .iter()
                .map(|a| self.trial(*a, n, path, depth))
                .collect();
            let ok: Vec<usize> = (0..results.len())
                .filter(|i| results[*i].is_empty())
                .collect();
            if ok.is_empty() {
                let best = (0..results.len())
                    .min_by_key(|i| results[*i].len())
                    .unwrap_or(0);
                let label = spec.variant_label(alts[best], best);
                self.issue(
                    path,
                    n,
                    format!(
                        "Matches none of the {} alternatives; closest: “{label}”.",
                        alts.len()
                    ),
                );
                let best_issues = results.into_iter().nth(best).unwrap_or_default();
                self.out.extend(best_issues);
            } else if kw == "oneOf" && ok.len() > 1 {
                let which: Vec<String> = ok
                    .iter()
                    .map(|i| spec.variant_label(alts[*i], *i))
                    .collect();
                self.issue(
                    path,
                    n,
                    format!(
                        "Matches more than one alternative ({}); exactly one is allowed.",
                        which.join(", ")
                    ),
                );
            }
        }
        if let Some(not) = d.get(s, "not") {
            if self.trial(not, n, path, depth).is_empty() {
                self.issue(path, n, "This value is explicitly not allowed here.".into());
            }
        }
    }

    pub(super) fn num(&self, s: NodeId, k: &str) -> Option<f64> {
        self.spec
            .doc
            .get(s, k)
            .and_then(|v| self.spec.doc.as_f64(v))
    }

    pub(super) fn flag(&self, s: NodeId, k: &str) -> bool {
        self.spec
            .doc
            .get(s, k)
            .and_then(|v| self.spec.doc.as_bool(v))
            == Some(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYWORDS: &str = r##"{"openapi": "3.1.0", "paths": {}, "components": {"schemas": {
        "S": {"type": "object", "additionalProperties": false, "minProperties": 1,
          "properties": {
            "i32": {"type": "integer", "format": "int32", "minimum": 0, "exclusiveMaximum": 10},
            "i64": {"type": "integer", "format": "int64"},
            "m": {"type": "number", "multipleOf": 0.5, "maximum": 5, "exclusiveMaximum": true},
            "s": {"type": "string", "minLength": 2, "maxLength": 3},
            "dt": {"type": "string", "format": "date-time"},
            "b": {"type": "string", "format": "byte"},
            "t": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": {"type": "null"}, "minItems": 2, "maxItems": 3},
            "u": {"type": "array", "uniqueItems": true},
            "c": {"const": "fixed"},
            "n": {"type": "string", "nullable": true},
            "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
            "any": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/S"}]},
            "all": {"allOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]},
            "not": {"not": {"type": "string"}},
            "map": {"type": "object", "additionalProperties": {"type": "integer"}},
            "self": {"$ref": "#/components/schemas/S"},
            "remote": {"$ref": "https://example.com/s.json"}
          }}}}}"##;

    #[test]
    fn every_keyword() {
        let spec = Spec::parse(KEYWORDS).unwrap_or_else(|e| panic!("{e}"));
        let s = spec.doc.pointer("#/components/schemas/S").unwrap_or(0);
        let cases: &[(&str, &str, &str)] = &[
            (
                r#"{"i32": 3000000000}"#,
                "i32",
                "Must be < 10; got 3000000000.",
            ),
            (r#"{"i32": -1}"#, "i32", "Must be ≥ 0; got -1."),
            (
                r#"{"i64": 99999999999999999999}"#,
                "i64",
                "does not fit in a 64-bit integer",
            ),
            (r#"{"m": 0.7}"#, "m", "multiple of 0.5"),
            (r#"{"m": 5}"#, "m", "Must be < 5; got 5."),
            (r#"{"s": "a"}"#, "s", "at least 2 characters"),
            (r#"{"s": "abcd"}"#, "s", "at most 3 characters"),
            (r#"{"dt": "2024-13-01T00:00:00Z"}"#, "dt", "date-time"),
            (r#"{"b": "abc"}"#, "b", "base64"),
            (r#"{"t": ["a"]}"#, "t", "at least 2 items"),
            (
                r#"{"t": ["a", 1]}"#,
                "t[1]",
                "Expected boolean, got number 1.",
            ),
            (r#"{"t": ["a", true, 1]}"#, "t[2]", "Expected null"),
            (r#"{"u": [1, [2], [2]]}"#, "u[2]", "Duplicate"),
            (r#"{"c": "other"}"#, "c", "Must be \"fixed\"."),
            (r#"{"one": 1}"#, "one", "more than one alternative"),
            (
                r#"{"one": "x"}"#,
                "one",
                "Matches none of the 2 alternatives",
            ),
            (r#"{"any": 5}"#, "any", "Matches none"),
            (
                r#"{"all": {"a": 1}}"#,
                "all",
                "Missing required property “b”.",
            ),
            (r#"{"not": "x"}"#, "not", "explicitly not allowed"),
            (r#"{"map": {"k": "v"}}"#, "map.k", "Expected integer"),
            (
                r#"{"self": {"self": {"s": 1}}}"#,
                "self.self.s",
                "Expected string",
            ),
            (
                r#"{"zzz": 1}"#,
                "zzz",
                "Property “zzz” is not allowed. Allowed: i32, i64",
            ),
            (r#"{"s": "ab", "s": "cd"}"#, "s", "more than once"),
            ("{}", "body", "at least 1 properties"),
        ];
        for (body, at, msg) in cases {
            let d = Doc::parse(body).unwrap_or_else(|e| panic!("{e}"));
            let found = validate(&spec, s, &d);
            assert!(
                found
                    .iter()
                    .any(|i| i.field == *at && i.message.contains(msg)),
                "{body}: expected “{msg}” at {at}, got {found:?}"
            );
        }
        let ok = r#"{"i32": 9, "i64": 9223372036854775807, "m": 4.5, "s": "ab", "dt": "2024-01-31T12:00:00.5+01:00",
            "b": "YWJj", "t": ["a", true, null], "u": [1, 2], "c": "fixed", "n": null, "one": 1.5, "any": {"n": "x"},
            "all": {"a": 1, "b": 2}, "not": 3, "map": {"k": 1}, "remote": {"anything": true}}"#;
        let d = Doc::parse(ok).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate(&spec, s, &d), []);
    }

    #[test]
    fn issue_count_is_capped() {
        let spec = Spec::parse(KEYWORDS).unwrap_or_else(|e| panic!("{e}"));
        let s = spec.doc.pointer("#/components/schemas/S").unwrap_or(0);
        let many: Vec<String> = (0..500).map(|i| format!("\"k{i}\": 1")).collect();
        let d = Doc::parse(&format!("{{{}}}", many.join(","))).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(validate(&spec, s, &d).len(), MAX_ISSUES);
    }
}
