//! Writing JSON text back: compact or pretty (two-space indentation, short scalar rows on one
//! line, indentation capped so any depth stays linear), and string literals.

use super::doc::{Doc, Kind, NodeId};
use std::fmt::Write as _;

impl Doc {
    /// `n` as JSON text: compact, or pretty with two-space indentation.
    pub fn to_json(&self, n: NodeId, pretty: bool) -> String {
        let mut out = String::new();
        self.write_json(n, pretty, &mut out);
        out
    }

    /// Append `n` as JSON text to `out` (iterative: any depth). Pretty text indents at most
    /// [`MAX_INDENT_LEVELS`] levels, so it stays linear in the size of the value.
    pub fn write_json(&self, n: NodeId, pretty: bool, out: &mut String) {
        enum Step<'a> {
            Value(NodeId, usize),
            Text(&'a str),
            Key(&'a str),
            Indent(usize),
        }
        let mut todo = vec![Step::Value(n, 0)];
        while let Some(step) = todo.pop() {
            match step {
                Step::Text(t) => out.push_str(t),
                Step::Key(k) => write_json_string(out, k),
                Step::Indent(d) => {
                    if pretty {
                        out.push('\n');
                        for _ in 0..d.min(MAX_INDENT_LEVELS) {
                            out.push_str("  ");
                        }
                    }
                }
                Step::Value(v, depth) => match self.kind(v) {
                    Kind::Null => out.push_str("null"),
                    Kind::Bool => out.push_str(if self.as_bool(v) == Some(true) {
                        "true"
                    } else {
                        "false"
                    }),
                    Kind::Num => out.push_str(self.raw_num(v).unwrap_or("0")),
                    Kind::Str => write_json_string(out, self.as_str(v).unwrap_or("")),
                    Kind::Arr if pretty && self.short_row(v) => {
                        // Rows of scalars stay on one line: `[3, 10.4, "abc"]`.
                        out.push('[');
                        for (i, x) in self.items(v).enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            self.write_json(x, false, out);
                        }
                        out.push(']');
                    }
                    Kind::Arr | Kind::Obj => {
                        let is_obj = self.kind(v) == Kind::Obj;
                        let (open, close) = if is_obj { ("{", "}") } else { ("[", "]") };
                        if self.is_empty(v) {
                            out.push_str(open);
                            out.push_str(close);
                            continue;
                        }
                        out.push_str(open);
                        // Push in reverse: close, then items last-to-first.
                        todo.push(Step::Text(close));
                        todo.push(Step::Indent(depth));
                        let kids: Vec<(Option<&str>, NodeId)> = if is_obj {
                            self.members(v).map(|(k, x)| (Some(k), x)).collect()
                        } else {
                            self.items(v).map(|x| (None, x)).collect()
                        };
                        for (i, (k, x)) in kids.into_iter().enumerate().rev() {
                            todo.push(Step::Value(x, depth + 1));
                            if let Some(k) = k {
                                todo.push(Step::Text(if pretty { ": " } else { ":" }));
                                todo.push(Step::Key(k));
                            }
                            todo.push(Step::Indent(depth + 1));
                            if i > 0 {
                                todo.push(Step::Text(","));
                            }
                        }
                    }
                },
            }
        }
    }

    /// A non-empty array of at most 16 scalars whose compact text is short.
    fn short_row(&self, n: NodeId) -> bool {
        let len = self.len(n);
        if len == 0 || len > 16 {
            return false;
        }
        let mut size = 0;
        for x in self.items(n) {
            size += match self.kind(x) {
                Kind::Arr | Kind::Obj => return false,
                Kind::Str => self.as_str(x).map_or(0, str::len) + 4,
                Kind::Num => self.raw_num(x).map_or(0, str::len) + 2,
                _ => 7,
            };
        }
        size <= 72
    }
}

/// Deeper levels of pretty text share the deepest indentation: a 100,000-deep value would
/// otherwise print as gigabytes of spaces.
pub const MAX_INDENT_LEVELS: usize = 64;

/// Append `s` as a JSON string literal.
pub fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use crate::model::json_doc::test_docs::p;

    #[test]
    fn round_trips_compact_and_pretty() {
        let src = r#"{"a":[1,{"b":"q\"\\/"},[]],"c":{},"d":null,"k\"ey":false}"#;
        let d = p(src);
        assert_eq!(
            d.to_json(d.root(), false),
            r#"{"a":[1,{"b":"q\"\\/"},[]],"c":{},"d":null,"k\"ey":false}"#
        );
        let pretty = d.to_json(d.root(), true);
        assert!(
            pretty.starts_with("{\n  \"a\": [\n    1,\n    {\n      \"b\""),
            "{pretty}"
        );
        assert_eq!(
            p("[[1, \"x\", null], []]").to_json(0, true),
            "[\n  [1, \"x\", null],\n  []\n]"
        );
        let again = p(&pretty);
        assert_eq!(
            again.to_json(again.root(), false),
            d.to_json(d.root(), false)
        );
    }
}
