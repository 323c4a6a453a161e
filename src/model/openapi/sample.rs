//! Request examples: the examples a schema gives, and a value made up from the schema when
//! it gives none.

use super::{Spec, ENUM_SHOWN};
use crate::model::json_doc::{write_json_string, Doc, Kind, NodeId};

impl Spec {
    /// The examples given on a schema (`examples` items, then `example`).
    pub fn examples(&self, schema: NodeId) -> Vec<NodeId> {
        let s = self.resolve(schema).node;
        let d = &self.doc;
        let mut out: Vec<NodeId> = match d.get(s, "examples") {
            Some(e) if d.kind(e) == Kind::Arr => d.items(e).collect(),
            // OpenAPI media-type style `examples: {name: {value}}`.
            Some(e) if d.kind(e) == Kind::Obj => d
                .members(e)
                .map(|(_, x)| d.get(x, "value").unwrap_or(x))
                .collect(),
            _ => Vec::new(),
        };
        out.extend(d.get(s, "example"));
        out
    }

    /// The request body to start the builder from, for one alternative: its example — wrapped
    /// in the alternative's one input-format key when the example is that key's value (the
    /// documented form gives `{"columns", "data"}` for `dataframe_split`) — or a value made up
    /// from the schema.
    pub fn example_body(&self, variant: NodeId) -> String {
        let s = self.resolve(variant).node;
        let d = &self.doc;
        let keys: Vec<&str> = d
            .get(s, "properties")
            .map(|p| d.members(p).map(|(k, _)| k).collect())
            .unwrap_or_default();
        let formats: Vec<&str> = keys.iter().copied().filter(|k| *k != "params").collect();
        if let Some(&ex) = self.examples(variant).first() {
            let is_body = d.kind(ex) == Kind::Obj && d.members(ex).any(|(k, _)| keys.contains(&k));
            let text = d.to_json(ex, true);
            if is_body || formats.len() != 1 {
                return text;
            }
            // Wrap: {"<format>": <example>} (and the params' defaults, if any).
            let mut out = String::from("{\n  ");
            write_json_string(&mut out, formats[0]);
            out.push_str(": ");
            out.push_str(&indent(&text, 1));
            if let Some(p) = d.get(s, "properties").and_then(|p| d.get(p, "params")) {
                let params = self.sample(p);
                out.push_str(",\n  \"params\": ");
                out.push_str(&indent(&params, 1));
            }
            out.push_str("\n}");
            return out;
        }
        self.sample(variant)
    }

    /// A value valid for `schema` as far as we can tell (defaults, first enum values, typed
    /// placeholders; every enum value for arrays of enum strings such as `columns`), pretty.
    pub fn sample(&self, schema: NodeId) -> String {
        let mut out = String::new();
        let mut cx = SampleCtx {
            budget: SAMPLE_BUDGET,
            bytes: 0,
            path: Vec::new(),
        };
        self.write_sample(schema, 0, 0, &mut out, &mut cx);
        out
    }

    /// One value of a sample; a schema already being sampled further up (a cycle) or a spent
    /// budget gives `null`, so generated documents with cyclic, branching `$ref`s stay cheap.
    fn write_sample(
        &self,
        schema: NodeId,
        depth: usize,
        indent_level: usize,
        out: &mut String,
        cx: &mut SampleCtx,
    ) {
        let r = self.resolve(schema);
        if cx.budget == 0
            || cx.bytes > SAMPLE_BYTES
            || depth > 12
            || r.error.is_some()
            || cx.path.contains(&r.node)
        {
            out.push_str("null");
            return;
        }
        cx.budget -= 1;
        cx.path.push(r.node);
        let (start, before) = (cx.bytes, out.len());
        self.write_sample_of(r.node, depth, indent_level, out, cx);
        // Exact running total: this value's text, its parts counted once.
        cx.bytes = start + (out.len() - before);
        cx.path.pop();
    }

    fn write_sample_of(
        &self,
        s: NodeId,
        depth: usize,
        indent_level: usize,
        out: &mut String,
        cx: &mut SampleCtx,
    ) {
        let d = &self.doc;
        let pad = |out: &mut String, l: usize| {
            out.push('\n');
            for _ in 0..l {
                out.push_str("  ");
            }
        };
        let types = self.types(s);
        let ty = types.iter().find(|t| *t != "null").map(String::as_str);
        if let Some(v) = d.get(s, "default") {
            // Documented params give defaults as strings ("0.5") for numbers.
            let text = d.as_str(v).unwrap_or("");
            let as_num = matches!(ty, Some("number" | "integer")) && text.parse::<f64>().is_ok();
            let as_bool = ty == Some("boolean") && matches!(text, "true" | "false");
            let as_json = matches!(ty, Some("array" | "object"))
                && Doc::parse(text).is_ok_and(|x| Some(x.kind(x.root()).name()) == ty);
            if d.kind(v) == Kind::Str && (as_num || as_bool || as_json) {
                out.push_str(text);
            } else {
                out.push_str(&indent(&d.to_json(v, true), indent_level));
            }
            return;
        }
        if let Some(v) = d
            .get(s, "const")
            .or_else(|| d.get(s, "enum").and_then(|e| d.index(e, 0)))
        {
            out.push_str(&indent(&d.to_json(v, true), indent_level));
            return;
        }
        for kw in ["oneOf", "anyOf", "allOf"] {
            if let Some(first) = d.get(s, kw).and_then(|l| d.index(l, 0)) {
                if ty.is_none() {
                    self.write_sample(first, depth + 1, indent_level, out, cx);
                    return;
                }
            }
        }
        let fmt = d.get_str(s, "format").unwrap_or("");
        match ty {
            Some("object") | None if d.get(s, "properties").is_some() => {
                // The required properties when some are listed, else all of them.
                let required: Vec<&str> = d
                    .get(s, "required")
                    .map(|r| d.items(r).filter_map(|x| d.as_str(x)).collect())
                    .unwrap_or_default();
                let props: Vec<(&str, NodeId)> = d
                    .get(s, "properties")
                    .map(|p| {
                        d.members(p)
                            .filter(|(k, _)| required.is_empty() || required.contains(k))
                            .collect()
                    })
                    .unwrap_or_default();
                if props.is_empty() {
                    out.push_str("{}");
                    return;
                }
                out.push('{');
                for (i, (k, v)) in props.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    pad(out, indent_level + 1);
                    write_json_string(out, k);
                    out.push_str(": ");
                    self.write_sample(*v, depth + 1, indent_level + 1, out, cx);
                }
                pad(out, indent_level);
                out.push('}');
            }
            Some("object") => {
                if let Some(a) = d
                    .get(s, "additionalProperties")
                    .filter(|a| d.kind(*a) == Kind::Obj)
                {
                    out.push('{');
                    pad(out, indent_level + 1);
                    out.push_str("\"key\": ");
                    self.write_sample(a, depth + 1, indent_level + 1, out, cx);
                    pad(out, indent_level);
                    out.push('}');
                } else {
                    out.push_str("{}");
                }
            }
            Some("array") => {
                let tuple = d
                    .get(s, "prefixItems")
                    .or_else(|| d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr));
                let items: Vec<NodeId> = if let Some(t) = tuple {
                    d.items(t).collect()
                } else if let Some(it) = d.get(s, "items") {
                    let inner = self.resolve(it).node;
                    if let Some(e) = d
                        .get(inner, "enum")
                        .filter(|_| self.types(inner).iter().any(|t| t == "string"))
                    {
                        // An array of enum strings (dataframe_split `columns`): all of them.
                        let vals: Vec<String> = d
                            .items(e)
                            .take(ENUM_SHOWN * 20)
                            .map(|v| d.to_json(v, false))
                            .collect();
                        out.push('[');
                        out.push_str(&vals.join(", "));
                        out.push(']');
                        return;
                    }
                    let n = d
                        .get(s, "minItems")
                        .and_then(|m| d.as_f64(m))
                        .map_or(1, |m| (m as usize).clamp(1, 16));
                    vec![it; n]
                } else {
                    Vec::new()
                };
                if items.is_empty() {
                    out.push_str("[]");
                    return;
                }
                // Each item once; short scalar rows on one line, the rest one item a line.
                let parts: Vec<String> = items
                    .iter()
                    .map(|it| {
                        let mut one = String::new();
                        self.write_sample(*it, depth + 1, indent_level + 1, &mut one, cx);
                        one
                    })
                    .collect();
                let flat = parts.iter().all(|p| !p.contains('\n'));
                let inline = parts.join(", ");
                if flat && inline.len() < 100 {
                    out.push('[');
                    out.push_str(&inline);
                    out.push(']');
                } else {
                    out.push('[');
                    for (i, p) in parts.iter().enumerate() {
                        if i > 0 {
                            out.push(',');
                        }
                        pad(out, indent_level + 1);
                        out.push_str(p);
                    }
                    pad(out, indent_level);
                    out.push(']');
                }
            }
            Some("integer") => out.push('0'),
            Some("number") => out.push_str("0.0"),
            Some("boolean") => out.push_str("false"),
            Some("null") => out.push_str("null"),
            Some("string") => out.push_str(match fmt {
                "date-time" => "\"2024-01-01T00:00:00Z\"",
                "date" => "\"2024-01-01\"",
                "byte" => "\"YWJj\"",
                "uuid" => "\"00000000-0000-0000-0000-000000000000\"",
                _ => "\"string\"",
            }),
            _ => out.push_str("null"),
        }
    }
}

/// How many schema nodes one sample may visit.
const SAMPLE_BUDGET: usize = 20_000;

/// Text one sample may grow to before further values become `null`: a large `default` reached
/// through many paths would otherwise be copied into hundreds of megabytes.
const SAMPLE_BYTES: usize = 1 << 20;

struct SampleCtx {
    budget: usize,
    /// Bytes of sample text written so far.
    bytes: usize,
    path: Vec<NodeId>,
}

/// Indent every line but the first by `level` steps of two spaces.
fn indent(text: &str, level: usize) -> String {
    if level == 0 || !text.contains('\n') {
        return text.to_string();
    }
    let pad = "  ".repeat(level);
    text.replace('\n', &format!("\n{pad}"))
}

#[cfg(test)]
mod tests {
    use crate::model::json_doc::Doc;
    use crate::model::openapi::test_docs::*;

    #[test]
    fn example_bodies_wrap_the_documented_inner_example() {
        let s = spec(FIXTURE);
        let op = s.operations()[0].node;
        let (_, _, schema) = s.request_schema(op).unwrap_or_default();
        let (_, vs) = s.variants(schema).unwrap_or(("", Vec::new()));
        let body = s.example_body(vs[0].1);
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let split = d.get(d.root(), "dataframe_split").unwrap_or(0);
        assert_eq!(
            d.to_json(d.get(split, "columns").unwrap_or(0), false),
            r#"["int_col","float_col","string_col"]"#
        );
        let params = d.get(d.root(), "params").unwrap_or(0);
        assert_eq!(
            d.raw_num(d.get(params, "sentiment").unwrap_or(0)),
            Some("0.5"),
            "string default as number: {body}"
        );
        let listy = spec(
            r#"{"paths": {}, "x": {"type": "array", "items": {"type": "string"}, "default": "[\"velocity\"]"}}"#,
        );
        let x = listy.doc.get(listy.doc.root(), "x").unwrap_or(0);
        assert_eq!(listy.sample(x), "[\"velocity\"]");
        // No example: made up from the schema.
        let body = s.example_body(vs[1].1);
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        let rec = d
            .get(d.root(), "dataframe_records")
            .and_then(|r| d.index(r, 0))
            .unwrap_or(0);
        assert_eq!(d.raw_num(d.get(rec, "int_col").unwrap_or(0)), Some("0"));
        assert_eq!(
            d.as_str(d.get(rec, "string_col").unwrap_or(0)),
            Some("string")
        );
    }
}
