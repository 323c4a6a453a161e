//! Validation of a request body against one input format's schema, with every problem located
//! at its field (instance path and byte offset in the editor's text).
//!
//! Hand-written for the JSON Schema subset OpenAPI documents of serving endpoints use: `type`
//! (incl. `integer`, lists, OpenAPI 3.0 `nullable`), `enum`, `const`, `properties`, `required`,
//! `additionalProperties`, `items`, `prefixItems` (and 3.0 tuple `items`), `min/maxItems`,
//! `uniqueItems`, `min/maxProperties`, `minimum`/`maximum`/`exclusive*` (both forms),
//! `multipleOf`, `min/maxLength`, `format` (`int32`, `int64`, `date-time`, `date`, `byte`),
//! `oneOf`/`anyOf`/`allOf`/`not`, local `$ref`s. `pattern`/`patternProperties` are not checked:
//! that needs a regex engine, and the maintained JSON Schema crates (`jsonschema`,
//! `boon`, `valico`) pull in `regex`/`fancy-regex` and URL/IDN crates — hundreds of KB of wasm,
//! far over the console's size budget — for keywords these documents do not use.

use super::json_doc::{escape_segment, Doc, Kind, NodeId};
use super::openapi::Spec;
use std::collections::HashSet;

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
enum Seg {
    Key(String),
    Index(usize),
}

fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", escape_segment(k)),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn field(path: &[Seg]) -> String {
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

struct V<'a> {
    spec: &'a Spec,
    inst: &'a Doc,
    out: Vec<Issue>,
    /// Checks made so far (see [`MAX_STEPS`]).
    steps: usize,
    /// (schema, value) pairs being checked, outermost first.
    active: Vec<(NodeId, NodeId)>,
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

fn preview(d: &Doc, n: NodeId) -> String {
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

/// Structural equality of two values (possibly of different documents). Iterative: values
/// nest as deep as the text does (the parser has no depth limit), so no recursion here.
pub fn json_eq(a: &Doc, x: NodeId, b: &Doc, y: NodeId) -> bool {
    let mut todo = vec![(x, y)];
    while let Some((x, y)) = todo.pop() {
        let same = match (a.kind(x), b.kind(y)) {
            (Kind::Num, Kind::Num) => a.as_f64(x) == b.as_f64(y),
            (Kind::Str, Kind::Str) => a.as_str(x) == b.as_str(y),
            (Kind::Bool, Kind::Bool) => a.as_bool(x) == b.as_bool(y),
            (Kind::Null, Kind::Null) => true,
            (Kind::Arr, Kind::Arr) => {
                todo.extend(a.items(x).zip(b.items(y)));
                a.len(x) == b.len(y)
            }
            (Kind::Obj, Kind::Obj) => {
                for (k, p) in a.members(x) {
                    match b.get(y, k) {
                        Some(q) => todo.push((p, q)),
                        None => return false,
                    }
                }
                a.len(x) == b.len(y)
            }
            _ => false,
        };
        if !same {
            return false;
        }
    }
    true
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    // The date and time are ASCII: checked first, so the slices below cut at char boundaries.
    if b.len() < 20
        || !b[..19].is_ascii()
        || !is_date(&s[..10])
        || !matches!(b[10], b'T' | b't' | b' ')
    {
        return false;
    }
    let time = &b[11..19];
    let time_ok = time.iter().enumerate().all(|(i, c)| match i {
        2 | 5 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &frac[digits..];
    }
    let zone_ok = matches!(rest, "Z" | "z")
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3]
                .bytes()
                .chain(rest[4..6].bytes())
                .all(|c| c.is_ascii_digit()));
    time_ok && zone_ok
}

fn is_base64(s: &str) -> bool {
    s.len().is_multiple_of(4)
        && s.trim_end_matches('=')
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        && s.len() - s.trim_end_matches('=').len() <= 2
}

impl V<'_> {
    fn issue(&mut self, path: &[Seg], at: NodeId, message: String) {
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
    fn check(&mut self, schema: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
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

    fn num(&self, s: NodeId, k: &str) -> Option<f64> {
        self.spec
            .doc
            .get(s, k)
            .and_then(|v| self.spec.doc.as_f64(v))
    }

    fn flag(&self, s: NodeId, k: &str) -> bool {
        self.spec
            .doc
            .get(s, k)
            .and_then(|v| self.spec.doc.as_bool(v))
            == Some(true)
    }

    fn check_number(&mut self, s: NodeId, n: NodeId, path: &[Seg]) {
        let Some(x) = self.inst.as_f64(n) else { return };
        let raw = self.inst.raw_num(n).unwrap_or("");
        if let Some(m) = self.num(s, "minimum") {
            if x < m || (x == m && self.flag(s, "exclusiveMinimum")) {
                let op = if self.flag(s, "exclusiveMinimum") {
                    ">"
                } else {
                    "≥"
                };
                self.issue(path, n, format!("Must be {op} {m}; got {raw}."));
            }
        }
        if let Some(m) = self.num(s, "exclusiveMinimum") {
            if x <= m {
                self.issue(path, n, format!("Must be > {m}; got {raw}."));
            }
        }
        if let Some(m) = self.num(s, "maximum") {
            if x > m || (x == m && self.flag(s, "exclusiveMaximum")) {
                let op = if self.flag(s, "exclusiveMaximum") {
                    "<"
                } else {
                    "≤"
                };
                self.issue(path, n, format!("Must be {op} {m}; got {raw}."));
            }
        }
        if let Some(m) = self.num(s, "exclusiveMaximum") {
            if x >= m {
                self.issue(path, n, format!("Must be < {m}; got {raw}."));
            }
        }
        if let Some(m) = self.num(s, "multipleOf").filter(|m| *m > 0.0) {
            let q = x / m;
            if (q - q.round()).abs() > 1e-9 {
                self.issue(path, n, format!("Must be a multiple of {m}; got {raw}."));
            }
        }
        match self.spec.doc.get_str(s, "format") {
            Some("int32")
                if self.inst.is_integer(n)
                    && !(-2_147_483_648.0..=2_147_483_647.0).contains(&x) =>
            {
                self.issue(
                    path,
                    n,
                    format!("{raw} does not fit in a 32-bit integer (int32)."),
                );
            }
            Some("int64")
                if self.inst.is_integer(n)
                    && !raw.contains(['.', 'e', 'E'])
                    && raw.parse::<i64>().is_err() =>
            {
                self.issue(
                    path,
                    n,
                    format!("{raw} does not fit in a 64-bit integer (int64)."),
                );
            }
            _ => {}
        }
    }

    fn check_string(&mut self, s: NodeId, n: NodeId, path: &[Seg]) {
        let text = self.inst.as_str(n).unwrap_or("");
        let len = text.chars().count() as f64;
        if let Some(m) = self.num(s, "minLength") {
            if len < m {
                self.issue(
                    path,
                    n,
                    format!("Must have at least {m} characters (has {len})."),
                );
            }
        }
        if let Some(m) = self.num(s, "maxLength") {
            if len > m {
                self.issue(
                    path,
                    n,
                    format!("Must have at most {m} characters (has {len})."),
                );
            }
        }
        let bad = match self.spec.doc.get_str(s, "format") {
            Some("date-time") if !is_date_time(text) => {
                Some("a date-time like 2024-01-31T12:00:00Z")
            }
            Some("date") if !is_date(text) => Some("a date like 2024-01-31"),
            Some("byte") if !is_base64(text) => {
                Some("base64 text (A–Z, a–z, 0–9, +, /, padded with =)")
            }
            _ => None,
        };
        if let Some(want) = bad {
            self.issue(
                path,
                n,
                format!("Expected {want}; got {}.", preview(self.inst, n)),
            );
        }
    }

    fn check_array(&mut self, s: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
        let d = &self.spec.doc;
        let inst = self.inst;
        let len = inst.len(n) as f64;
        if let Some(m) = self.num(s, "minItems") {
            if len < m {
                self.issue(
                    path,
                    n,
                    format!("Must have at least {m} items (has {len})."),
                );
            }
        }
        if let Some(m) = self.num(s, "maxItems") {
            if len > m {
                self.issue(path, n, format!("Must have at most {m} items (has {len})."));
            }
        }
        if self.flag(s, "uniqueItems") {
            let items: Vec<NodeId> = inst.items(n).collect();
            'outer: for (i, a) in items.iter().enumerate() {
                for b in &items[..i] {
                    if json_eq(inst, *a, inst, *b) {
                        path.push(Seg::Index(i));
                        self.issue(path, *a, "Duplicate item; items must be unique.".into());
                        path.pop();
                        break 'outer;
                    }
                }
            }
        }
        let tuple: Vec<NodeId> = d
            .get(s, "prefixItems")
            .or_else(|| d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr))
            .map(|p| d.items(p).collect())
            .unwrap_or_default();
        let rest = d.get(s, "items").filter(|i| d.kind(*i) != Kind::Arr);
        for (i, item) in inst.items(n).enumerate() {
            if self.out.len() >= MAX_ISSUES * 4 {
                return;
            }
            let schema = tuple.get(i).copied().or(rest);
            if let Some(sc) = schema {
                path.push(Seg::Index(i));
                self.check(sc, item, path, depth + 1);
                path.pop();
            }
        }
    }

    fn check_object(&mut self, s: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
        let spec = self.spec;
        let d = &spec.doc;
        let inst = self.inst;
        let props = d.get(s, "properties");
        if let Some(req) = d.get(s, "required") {
            for k in d.items(req).filter_map(|x| d.as_str(x)) {
                if inst.get(n, k).is_none() {
                    self.issue(path, n, format!("Missing required property “{k}”."));
                }
            }
        }
        let count = inst.len(n) as f64;
        if let Some(m) = self.num(s, "minProperties") {
            if count < m {
                self.issue(
                    path,
                    n,
                    format!("Must have at least {m} properties (has {count})."),
                );
            }
        }
        if let Some(m) = self.num(s, "maxProperties") {
            if count > m {
                self.issue(
                    path,
                    n,
                    format!("Must have at most {m} properties (has {count})."),
                );
            }
        }
        let additional = d.get(s, "additionalProperties");
        let patterns = d.get(s, "patternProperties").is_some();
        let mut seen: HashSet<&str> = HashSet::new();
        for (key_node, value) in inst.member_nodes(n) {
            if self.out.len() >= MAX_ISSUES * 4 {
                return;
            }
            let k = inst.as_str(key_node).unwrap_or("");
            if !seen.insert(k) {
                path.push(Seg::Key(k.to_string()));
                self.issue(path, key_node, format!("“{k}” is given more than once."));
                path.pop();
            }
            path.push(Seg::Key(k.to_string()));
            match props.and_then(|p| d.get(p, k)) {
                Some(ps) => self.check(ps, value, path, depth + 1),
                None if patterns => {}
                None => match additional {
                    Some(a) if d.as_bool(a) == Some(false) => {
                        let known: Vec<&str> = props
                            .map(|p| d.members(p).map(|(k, _)| k).take(8).collect())
                            .unwrap_or_default();
                        let hint = if known.is_empty() {
                            String::new()
                        } else {
                            format!(" Allowed: {}.", known.join(", "))
                        };
                        self.issue(
                            path,
                            key_node,
                            format!("Property “{k}” is not allowed.{hint}"),
                        );
                    }
                    Some(a) if d.kind(a) == Kind::Obj => self.check(a, value, path, depth + 1),
                    _ => {}
                },
            }
            path.pop();
        }
    }
}

/// Checks of a serving request beyond its schema: the body carries the alternative's input
/// format (the documented schemas do not mark it required), and `dataframe_split` rows have one
/// value per column.
pub fn serving_checks(spec: &Spec, variant: NodeId, inst: &Doc) -> Vec<Issue> {
    let mut out = Vec::new();
    let d = &spec.doc;
    let s = spec.resolve(variant).node;
    let root = inst.root();
    if inst.kind(root) != Kind::Obj {
        return out;
    }
    let formats: Vec<&str> = d
        .get(s, "properties")
        .map(|p| {
            d.members(p)
                .map(|(k, _)| k)
                .filter(|k| *k != "params")
                .collect()
        })
        .unwrap_or_default();
    if let [format] = formats.as_slice() {
        if inst.get(root, format).is_none() {
            out.push(Issue {
                pointer: String::new(),
                field: "body".into(),
                offset: inst.pos(root),
                message: format!("This input format needs the key “{format}”."),
            });
        }
    }
    if let Some(split) = inst.get(root, "dataframe_split") {
        if let (Some(cols), Some(data)) = (inst.get(split, "columns"), inst.get(split, "data")) {
            let ncols = inst.len(cols);
            if inst.kind(cols) == Kind::Arr {
                for (i, row) in inst.items(data).enumerate() {
                    if inst.kind(row) == Kind::Arr && inst.len(row) != ncols {
                        out.push(Issue {
                            pointer: format!("/dataframe_split/data/{i}"),
                            field: format!("dataframe_split.data[{i}]"),
                            offset: inst.pos(row),
                            message: format!(
                                "This row has {} values but there are {ncols} columns.",
                                inst.len(row)
                            ),
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = api_fixtures::get("openapi.json");

    fn variant(spec: &Spec, i: usize) -> NodeId {
        let op = spec.operations()[0].node;
        let (_, _, schema) = spec.request_schema(op).unwrap_or_default();
        spec.variants(schema).map(|(_, v)| v[i].1).unwrap_or(0)
    }

    fn issues(spec: &Spec, schema: NodeId, body: &str) -> Vec<Issue> {
        let d = Doc::parse(body).unwrap_or_else(|e| panic!("{e}"));
        let mut v = validate(spec, schema, &d);
        v.extend(serving_checks(spec, schema, &d));
        v
    }

    #[test]
    fn the_example_body_is_valid() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        for i in 0..2 {
            let v = variant(&spec, i);
            let body = spec.example_body(v);
            assert_eq!(issues(&spec, v, &body), [], "variant {i}: {body}");
        }
    }

    #[test]
    fn errors_point_at_the_field() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        let v = variant(&spec, 0);
        let body = "{\"dataframe_split\": {\"columns\": [\"int_col\", \"bogus\"],\n \"data\": [[1, 2.5, \"a\"], [\"x\", 1.5, \"b\"], [1.5, 2]]}}";
        let found = issues(&spec, v, body);
        let by_field: Vec<(&str, &str)> = found
            .iter()
            .map(|i| (i.field.as_str(), i.message.as_str()))
            .collect();
        assert!(
            by_field.contains(&(
                "dataframe_split.columns[1]",
                "string \"bogus\" is not one of: \"int_col\", \"float_col\", \"string_col\"."
            )),
            "{by_field:?}"
        );
        assert!(
            by_field.contains(&(
                "dataframe_split.data[1][0]",
                "Expected integer, got string \"x\"."
            )),
            "{by_field:?}"
        );
        assert!(
            by_field.contains(&(
                "dataframe_split.data[2][0]",
                "Expected integer (no decimals), got number 1.5."
            )),
            "{by_field:?}"
        );
        let x = found
            .iter()
            .find(|i| i.field == "dataframe_split.data[1][0]")
            .map(|i| i.offset)
            .unwrap_or(0);
        assert_eq!(&body[x..x + 3], "\"x\"");
        assert_eq!(
            found
                .iter()
                .find(|i| i.field == "dataframe_split.data[1][0]")
                .map(|i| i.pointer.as_str()),
            Some("/dataframe_split/data/1/0")
        );
        // Rows must have one value per column.
        assert!(found.iter().any(|i| i.field == "dataframe_split.data[0]"
            && i.message.contains("3 values but there are 2 columns")));
    }

    #[test]
    fn records_required_and_missing_format() {
        let spec = Spec::parse(FIXTURE).unwrap_or_else(|e| panic!("{e}"));
        let v = variant(&spec, 1);
        let found = issues(
            &spec,
            v,
            r#"{"dataframe_records": [{"int_col": 1, "float_col": 1}]}"#,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].field, "dataframe_records[0]");
        assert_eq!(found[0].message, "Missing required property “string_col”.");
        let found = issues(&spec, v, r#"{"params": {"sentiment": "high"}}"#);
        let msgs: Vec<&str> = found.iter().map(|i| i.message.as_str()).collect();
        assert!(
            msgs.contains(&"This input format needs the key “dataframe_records”."),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"Expected number, got string \"high\"."),
            "{msgs:?}"
        );
        let found = issues(&spec, v, "[]");
        assert_eq!(found[0].message, "Expected object, got an array of 0.");
    }

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
