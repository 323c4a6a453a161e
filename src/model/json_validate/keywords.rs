//! The checks of each kind of value: numbers (bounds, `multipleOf`, integer formats), strings
//! (length, formats), arrays (items, tuples, uniqueness) and objects (properties, `required`,
//! `additionalProperties`).

use super::validator::{preview, Seg, MAX_ISSUES, V};
use super::values::{is_base64, is_date, is_date_time, json_eq};
use crate::model::json_doc::{Kind, NodeId};
use std::collections::HashSet;

impl V<'_> {
    pub(super) fn check_number(&mut self, s: NodeId, n: NodeId, path: &[Seg]) {
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

    pub(super) fn check_string(&mut self, s: NodeId, n: NodeId, path: &[Seg]) {
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

    pub(super) fn check_array(&mut self, s: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
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

    pub(super) fn check_object(&mut self, s: NodeId, n: NodeId, path: &mut Vec<Seg>, depth: usize) {
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
