//! Search across every schema reachable from the roots: names, `$ref` names, descriptions and
//! enum values, each schema visited once.

use super::tree::kw_static;
use super::Spec;
use crate::model::json_doc::{escape_segment, Kind, NodeId};

/// A child of a schema, borrowed from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seg<'a> {
    Prop(&'a str),
    Pattern(&'a str),
    Additional,
    /// `prefixItems`/`items` tuple position.
    Tuple(&'static str, usize),
    Items,
    Variant(&'static str, usize),
    Not,
}

impl Seg<'_> {
    /// The escaped pointer segments from the parent.
    fn path(&self) -> String {
        match self {
            Seg::Prop(k) => format!("properties/{}", escape_segment(k)),
            Seg::Pattern(k) => format!("patternProperties/{}", escape_segment(k)),
            Seg::Additional => "additionalProperties".into(),
            Seg::Tuple(kw, i) => format!("{kw}/{i}"),
            Seg::Items => "items".into(),
            Seg::Variant(kw, i) => format!("{kw}/{i}"),
            Seg::Not => "not".into(),
        }
    }

    /// The name the tree shows (`parent`: the resolved parent schema, for `[items]`/`[more]`).
    fn label(&self, spec: &Spec, node: NodeId, parent: Option<NodeId>) -> String {
        match self {
            Seg::Prop(k) => k.to_string(),
            Seg::Pattern(k) => format!("/{k}/"),
            Seg::Additional => "{any key}".into(),
            Seg::Tuple(_, i) => format!("[{i}]"),
            Seg::Items => {
                let tuple = parent.is_some_and(|p| spec.doc.get(p, "prefixItems").is_some());
                if tuple { "[more]" } else { "[items]" }.into()
            }
            Seg::Variant(kw, i) => {
                let word = match *kw {
                    "oneOf" => "one of",
                    "anyOf" => "any of",
                    _ => "all of",
                };
                format!("{word} #{}: {}", i + 1, spec.variant_label(node, *i))
            }
            Seg::Not => "not".into(),
        }
    }
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The row path to reveal.
    pub path: String,
    /// Where it is, as names: `dataframe_split › data › [0]`.
    pub trail: String,
    /// What matched: `name`, `type`, `description` or `enum value`.
    pub what: &'static str,
}

/// Case-insensitive (ASCII) substring test without allocating; `needle` is lower case.
pub fn contains_ci(hay: &str, needle: &str) -> bool {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return true;
    }
    if n.len() > h.len() {
        return false;
    }
    h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

impl Spec {
    /// The children of a (resolved) schema as borrowed segments, without allocating.
    fn each_child<'a>(&'a self, s: NodeId, f: &mut dyn FnMut(Seg<'a>, NodeId)) {
        let d = &self.doc;
        if let Some(props) = d.get(s, "properties") {
            for (k, v) in d.members(props) {
                f(Seg::Prop(k), v);
            }
        }
        if let Some(pp) = d.get(s, "patternProperties") {
            for (k, v) in d.members(pp) {
                f(Seg::Pattern(k), v);
            }
        }
        if let Some(a) = d
            .get(s, "additionalProperties")
            .filter(|a| d.kind(*a) == Kind::Obj)
        {
            f(Seg::Additional, a);
        }
        let (tuple_kw, tuple) = match d.get(s, "prefixItems") {
            Some(p) => ("prefixItems", Some(p)),
            None => (
                "items",
                d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr),
            ),
        };
        if let Some(p) = tuple {
            for (i, v) in d.items(p).enumerate() {
                f(Seg::Tuple(tuple_kw, i), v);
            }
        }
        if let Some(items) = d.get(s, "items").filter(|i| d.kind(*i) == Kind::Obj) {
            f(Seg::Items, items);
        }
        for kw in ["oneOf", "anyOf", "allOf"] {
            if let Some(list) = d.get(s, kw) {
                for (i, v) in d.items(list).enumerate() {
                    f(Seg::Variant(kw_static(kw), i), v);
                }
            }
        }
        if let Some(n) = d.get(s, "not").filter(|n| d.kind(*n) == Kind::Obj) {
            f(Seg::Not, n);
        }
    }

    /// Search names, `$ref` names, descriptions and enum values of every schema reachable from
    /// `roots` ((pointer, schema) pairs), each resolved schema visited once (breadth first, so
    /// each hit has its shortest path). Name matches come first; at most `limit` hits; `true`
    /// when there were more. Nothing is allocated per schema visited but the queue entry.
    pub fn search(
        &self,
        roots: &[(String, NodeId)],
        query: &str,
        limit: usize,
    ) -> (Vec<Hit>, bool) {
        let q = query.trim().to_ascii_lowercase();
        if q.is_empty() {
            return (Vec::new(), false);
        }
        const ROOT: u32 = u32::MAX;
        struct Entry<'a> {
            parent: u32,
            /// For roots: the index into `roots`.
            seg: Seg<'a>,
            node: NodeId,
        }
        let d = &self.doc;
        let mut entries: Vec<Entry> = Vec::new();
        for (i, (_, n)) in roots.iter().enumerate() {
            entries.push(Entry {
                parent: ROOT,
                seg: Seg::Tuple("root", i),
                node: *n,
            });
        }
        let mut visited = vec![0u64; d.node_count() / 64 + 1];
        let mut names: Vec<(usize, &'static str)> = Vec::new();
        let mut others: Vec<(usize, &'static str)> = Vec::new();
        let mut more = false;
        let mut next = 0usize;
        while next < entries.len() {
            let idx = next;
            next += 1;
            if names.len() >= limit {
                more = true;
                break;
            }
            let (node, parent, seg) = (entries[idx].node, entries[idx].parent, entries[idx].seg);
            let Some((target, last_ref)) = self.resolve_fast(node) else {
                continue;
            };
            if parent != ROOT {
                let name = match seg {
                    Seg::Prop(k) | Seg::Pattern(k) => Some(k),
                    _ => None,
                };
                if name.is_some_and(|k| contains_ci(k, &q)) {
                    names.push((idx, "name"));
                } else if last_ref.is_some_and(|n| contains_ci(n, &q)) {
                    names.push((idx, "type"));
                } else if others.len() < limit {
                    let desc = d
                        .get_str(node, "description")
                        .or_else(|| d.get_str(target, "description"));
                    if desc.is_some_and(|t| contains_ci(t, &q)) {
                        others.push((idx, "description"));
                    } else if d.get(target, "enum").is_some_and(|e| {
                        d.items(e)
                            .any(|v| d.as_str(v).is_some_and(|s| contains_ci(s, &q)))
                    }) {
                        others.push((idx, "enum value"));
                    }
                }
            }
            let (word, bit) = (target as usize / 64, 1u64 << (target % 64));
            if visited.get(word).is_none_or(|w| w & bit != 0) {
                continue;
            }
            visited[word] |= bit;
            let parent = idx as u32;
            self.each_child(target, &mut |seg, node| {
                entries.push(Entry { parent, seg, node });
            });
        }
        let hit = |(idx, what): (usize, &'static str)| {
            let mut chain = Vec::new();
            let mut i = idx as u32;
            while i != ROOT {
                chain.push(i as usize);
                i = entries[i as usize].parent;
            }
            chain.reverse();
            let mut path = String::new();
            let mut labels = Vec::new();
            let mut parent_node = None;
            for i in chain {
                let e = &entries[i];
                match (e.parent, e.seg) {
                    (ROOT, Seg::Tuple(_, r)) => {
                        path.push_str(roots.get(r).map_or("", |x| x.0.as_str()));
                    }
                    (_, seg) => {
                        if !path.is_empty() {
                            path.push('/');
                        }
                        path.push_str(&seg.path());
                        labels.push(seg.label(self, e.node, parent_node));
                    }
                }
                parent_node = self.resolve_fast(e.node).map(|x| x.0);
            }
            Hit {
                path,
                trail: labels.join(" › "),
                what,
            }
        };
        let total = names.len() + others.len();
        let mut hits: Vec<Hit> = names
            .into_iter()
            .chain(others)
            .take(limit)
            .map(hit)
            .collect();
        hits.dedup_by(|a, b| a.path == b.path);
        (hits, more || total > limit)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::json_doc::{Doc, Kind};
    use crate::model::openapi::test_docs::*;

    #[test]
    fn search_finds_names_descriptions_and_enum_values_once_each() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let roots = vec![(prefix.clone(), schema)];
        let (hits, more) = s.search(&roots, "CHILD", 50);
        assert!(!more);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(hits[0].path, format!("{prefix}/properties/children"));
        assert_eq!(hits[0].trail, "children");
        let (hits, _) = s.search(&roots, "leaf", 50);
        assert_eq!(hits[0].what, "enum value");
        assert_eq!(hits[0].trail, "name");
        let (hits, _) = s.search(&roots, "meta", 50);
        assert_eq!(hits[0].what, "name");
        let (hits, more) = s.search(&roots, "e", 2);
        assert_eq!(hits.len(), 2);
        assert!(more);
        assert!(s.search(&roots, "  ", 5).0.is_empty());
    }

    /// A document like the benchmark generator's: every component refers to four others
    /// (a chain, its head, a oneOf and an allOf), so naive recursion is exponential.
    fn branching(k: usize) -> String {
        let comps: Vec<String> = (0..k)
            .map(|i| {
                format!(
                    r##""C{i}": {{"type": "object", "required": ["id"], "properties": {{
                        "id": {{"type": "integer"}},
                        "next": {{"$ref": "#/components/schemas/C{}"}},
                        "head": {{"$ref": "#/components/schemas/C{}"}},
                        "choice": {{"oneOf": [{{"$ref": "#/components/schemas/C{}"}}, {{"type": "null"}}]}},
                        "mixin": {{"allOf": [{{"$ref": "#/components/schemas/C{}"}}]}}}}}}"##,
                    (i + 1) % k,
                    i - i % 10,
                    (i * 7 + 3) % k,
                    (i * 13 + 5) % k
                )
            })
            .collect();
        format!(
            r##"{{"openapi": "3.1.0", "paths": {{"/p": {{"post": {{"requestBody": {{"content": {{"application/json":
              {{"schema": {{"type": "object", "properties": {{"all": {{"type": "array", "items": {{"$ref": "#/components/schemas/C0"}}}},
              "open": {{"type": "object", "properties": {{"c": {{"$ref": "#/components/schemas/C1"}}}}}}}}}}}}}}}}}}}}}},
              "components": {{"schemas": {{{}}}}}}}"##,
            comps.join(",")
        )
    }

    #[test]
    fn branching_cyclic_references_stay_bounded() {
        let s = spec(&branching(400));
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        // The sample visits each schema at most once per path and within a budget.
        let body = s.sample(schema);
        assert!(body.len() < 2_000_000, "{}", body.len());
        let d = Doc::parse(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
        assert_eq!(d.kind(d.root()), Kind::Obj);
        // Expand all stops at the cap; search visits each schema once.
        let open = s.expand_all(&prefix, schema, 2_000);
        let rows = s.flatten(&prefix, schema, &open, 100_000);
        assert!(rows.len() <= 2_000 + 10, "{}", rows.len());
        assert!(rows.iter().any(|r| r.cycle_to.is_some()));
        let (hits, _) = s.search(&[(prefix.clone(), schema)], "mixin", 1_000);
        assert!(hits.len() >= 100, "{}", hits.len());
        let (none, more) = s.search(&[(prefix, schema)], "no-such-name", 10);
        assert!(none.is_empty() && !more);
    }
}
