//! The tree of a schema: its children, and the flattened rows of the expanded nodes with
//! cycles marked. Rows are named by their JSON pointer relative to the operation object.

use super::{SchemaInfo, Spec};
use crate::model::json_doc::{escape_segment, Kind, NodeId};
use std::collections::{HashSet, VecDeque};

/// What a child of a schema is to its parent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// A named property.
    Property,
    /// A `patternProperties` entry.
    Pattern,
    /// `additionalProperties` (values of a map).
    Additional,
    /// `items` (every item of an array).
    Items,
    /// `prefixItems[i]` (a tuple position).
    Tuple(usize),
    /// `oneOf`/`anyOf`/`allOf` alternative `i`.
    Variant(&'static str, usize),
    /// `not`.
    Not,
}

/// A child schema of a schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    /// Pointer segments from the parent, escaped and joined with `/` (`properties/x`).
    pub segs: String,
    /// What the tree shows as its name.
    pub label: String,
    /// Its role.
    pub role: Role,
    /// Listed in the parent's `required`.
    pub required: bool,
    /// The child schema (unresolved).
    pub node: NodeId,
}

/// One visible row of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Pointer from the operation (the row's identity and deep link).
    pub path: String,
    /// Nesting level, 1 for the root's children.
    pub depth: usize,
    /// The name shown.
    pub label: String,
    /// What it is to its parent.
    pub role: Role,
    /// Required by its parent.
    pub required: bool,
    /// The resolved schema.
    pub node: NodeId,
    /// What the row shows.
    pub info: SchemaInfo,
    /// Has children (and is not a cycle).
    pub expandable: bool,
    /// Is expanded.
    pub expanded: bool,
    /// A `$ref` back to an ancestor: that ancestor's path (the root's is the tree root path).
    pub cycle_to: Option<String>,
    /// 1-based position among its siblings.
    pub pos: usize,
    /// Number of siblings.
    pub size: usize,
}

/// Join a parent path and child segments.
pub fn join(parent: &str, segs: &str) -> String {
    if parent.is_empty() {
        segs.to_string()
    } else {
        format!("{parent}/{segs}")
    }
}

/// Every prefix of `path` at a segment boundary (ancestors to expand when revealing it).
pub fn ancestors(path: &str) -> Vec<String> {
    path.match_indices('/')
        .map(|(i, _)| path[..i].to_string())
        .collect()
}

impl Spec {
    /// The column names of a `dataframe_split`-like object (`columns.items.enum`), which label
    /// the tuple positions of its `data` rows.
    fn column_names(&self, object: NodeId) -> Option<Vec<String>> {
        let props = self.doc.get(object, "properties")?;
        self.doc.get(props, "data")?;
        let cols = self.resolve(self.doc.get(props, "columns")?).node;
        let items = self.resolve(self.doc.get(cols, "items")?).node;
        let e = self.doc.get(items, "enum")?;
        Some(
            self.doc
                .items(e)
                .map(|v| self.doc.as_str(v).unwrap_or("?").to_string())
                .collect(),
        )
    }

    /// The children of a (resolved) schema, in display order. `columns` labels tuple positions.
    pub fn children(&self, s: NodeId, columns: Option<&[String]>) -> Vec<Child> {
        let d = &self.doc;
        let mut out = Vec::new();
        let required: HashSet<&str> = d
            .get(s, "required")
            .map(|r| d.items(r).filter_map(|x| d.as_str(x)).collect())
            .unwrap_or_default();
        if let Some(props) = d.get(s, "properties") {
            for (k, v) in d.members(props) {
                out.push(Child {
                    segs: format!("properties/{}", escape_segment(k)),
                    label: k.to_string(),
                    role: Role::Property,
                    required: required.contains(k),
                    node: v,
                });
            }
        }
        if let Some(pp) = d.get(s, "patternProperties") {
            for (k, v) in d.members(pp) {
                out.push(Child {
                    segs: format!("patternProperties/{}", escape_segment(k)),
                    label: format!("/{k}/"),
                    role: Role::Pattern,
                    required: false,
                    node: v,
                });
            }
        }
        if let Some(a) = d
            .get(s, "additionalProperties")
            .filter(|a| d.kind(*a) == Kind::Obj)
        {
            out.push(Child {
                segs: "additionalProperties".into(),
                label: "{any key}".into(),
                role: Role::Additional,
                required: false,
                node: a,
            });
        }
        let tuple = d
            .get(s, "prefixItems")
            .or_else(|| d.get(s, "items").filter(|i| d.kind(*i) == Kind::Arr));
        if let Some(p) = tuple {
            let kw = if d.get(s, "prefixItems").is_some() {
                "prefixItems"
            } else {
                "items"
            };
            for (i, v) in d.items(p).enumerate() {
                let label = match columns.and_then(|c| c.get(i)) {
                    Some(c) => format!("[{i}] {c}"),
                    None => format!("[{i}]"),
                };
                out.push(Child {
                    segs: format!("{kw}/{i}"),
                    label,
                    role: Role::Tuple(i),
                    required: false,
                    node: v,
                });
            }
        }
        if let Some(items) = d.get(s, "items").filter(|i| d.kind(*i) == Kind::Obj) {
            let label = if tuple.is_some() { "[more]" } else { "[items]" };
            out.push(Child {
                segs: "items".into(),
                label: label.into(),
                role: Role::Items,
                required: false,
                node: items,
            });
        }
        for (kw, word) in [
            ("oneOf", "one of"),
            ("anyOf", "any of"),
            ("allOf", "all of"),
        ] {
            if let Some(list) = d.get(s, kw) {
                for (i, v) in d.items(list).enumerate() {
                    out.push(Child {
                        segs: format!("{kw}/{i}"),
                        label: format!("{word} #{}: {}", i + 1, self.variant_label(v, i)),
                        role: Role::Variant(kw_static(kw), i),
                        required: false,
                        node: v,
                    });
                }
            }
        }
        if let Some(n) = d.get(s, "not").filter(|n| d.kind(*n) == Kind::Obj) {
            out.push(Child {
                segs: "not".into(),
                label: "not".into(),
                role: Role::Not,
                required: false,
                node: n,
            });
        }
        out
    }

    /// The visible rows under `root` (pointer `root_path` from the operation): the root's
    /// children, and the children of every expanded row, depth first; at most `max_rows`.
    /// A `$ref` back to an ancestor is a cycle row, never expanded.
    pub fn flatten(
        &self,
        root_path: &str,
        root: NodeId,
        expanded: &HashSet<String>,
        max_rows: usize,
    ) -> Vec<Row> {
        struct Frame {
            path: String,
            node: NodeId,
            kids: Vec<Child>,
            next: usize,
            columns: Option<Vec<String>>,
        }
        let mut rows = Vec::new();
        let root_r = self.resolve(root).node;
        let mut stack = vec![Frame {
            path: root_path.to_string(),
            node: root_r,
            kids: self.children(root_r, None),
            next: 0,
            columns: self.column_names(root_r),
        }];
        while let Some(top) = stack.last_mut() {
            if rows.len() >= max_rows {
                break;
            }
            if top.next >= top.kids.len() {
                stack.pop();
                continue;
            }
            let i = top.next;
            top.next += 1;
            let size = top.kids.len();
            let child = top.kids[i].clone();
            let parent_cols = top.columns.clone();
            let path = join(&top.path, &child.segs);
            let r = self.resolve(child.node);
            let cycle_to = stack
                .iter()
                .find(|f| f.node == r.node && r.ref_name.is_some())
                .map(|f| f.path.clone());
            // Tuple labels: the `data` of a dataframe_split object, passed down to its rows.
            let cols_here = if (child.label == "data" && child.role == Role::Property)
                || matches!(child.role, Role::Items)
            {
                parent_cols
            } else {
                self.column_names(r.node)
            };
            let kids = if cycle_to.is_none() && r.error.is_none() {
                self.children(r.node, cols_here.as_deref())
            } else {
                Vec::new()
            };
            let expandable = !kids.is_empty();
            let is_open = expandable && expanded.contains(&path);
            rows.push(Row {
                path: path.clone(),
                depth: stack.len(),
                label: child.label.clone(),
                role: child.role.clone(),
                required: child.required,
                node: r.node,
                info: self.info(child.node),
                expandable,
                expanded: is_open,
                cycle_to,
                pos: i + 1,
                size,
            });
            if is_open {
                stack.push(Frame {
                    path,
                    node: r.node,
                    kids,
                    next: 0,
                    columns: cols_here,
                });
            }
        }
        rows
    }

    /// Paths to expand so that the tree under `root` is open everywhere (cycles stay closed),
    /// stopping once about `max_rows` rows would be visible.
    pub fn expand_all(&self, root_path: &str, root: NodeId, max_rows: usize) -> HashSet<String> {
        let mut open = HashSet::new();
        let mut shown = 0usize;
        // Breadth first, so a cap leaves the top levels open.
        let root_r = self.resolve(root).node;
        let mut queue: VecDeque<(String, NodeId, Vec<NodeId>)> = VecDeque::new();
        queue.push_back((root_path.to_string(), root_r, vec![root_r]));
        let mut first = true;
        while let Some((path, node, ancestors)) = queue.pop_front() {
            let kids = self.children(node, None);
            if kids.is_empty() {
                continue;
            }
            if shown + kids.len() > max_rows {
                break;
            }
            shown += kids.len();
            if !first {
                open.insert(path.clone());
            }
            first = false;
            for k in kids {
                let r = self.resolve(k.node);
                if r.error.is_some() || ancestors.contains(&r.node) {
                    continue;
                }
                let mut a = ancestors.clone();
                a.push(r.node);
                queue.push_back((join(&path, &k.segs), r.node, a));
            }
        }
        open
    }
}

pub(super) fn kw_static(kw: &str) -> &'static str {
    match kw {
        "oneOf" => "oneOf",
        "anyOf" => "anyOf",
        _ => "allOf",
    }
}

#[cfg(test)]
mod tests {
    use crate::model::openapi::test_docs::*;
    use std::collections::HashSet;

    #[test]
    fn tree_of_dataframe_split_labels_tuple_columns() {
        let s = spec(FIXTURE);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let root_path = format!("{prefix}/oneOf/0");
        let root = s.walk(op, &root_path).unwrap_or(0);
        assert_eq!(s.resolve(schema).node, s.walk(op, &prefix).unwrap_or(1));
        let mut open = HashSet::new();
        let rows = s.flatten(&root_path, root, &open, 1000);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["dataframe_split", "params"]);
        assert!(rows[0].expandable && !rows[0].expanded);
        open.insert(rows[0].path.clone());
        let data = format!("{root_path}/properties/dataframe_split/properties/data");
        open.insert(data.clone());
        open.insert(format!("{data}/items"));
        let rows = s.flatten(&root_path, root, &open, 1000);
        let labels: Vec<String> = rows
            .iter()
            .map(|r| format!("{}:{}:{}", r.depth, r.label, r.info.type_label))
            .collect();
        assert_eq!(
            labels,
            [
                "1:dataframe_split:object",
                "2:columns:array of string",
                "2:data:array of tuple [3]",
                "3:[items]:tuple [3]",
                "4:[0] int_col:integer (int64)",
                "4:[1] float_col:number (double)",
                "4:[2] string_col:string",
                "1:params:object",
            ]
        );
        let columns = &rows[1];
        assert_eq!(columns.info.enum_count, 0, "the enum is on the items");
        assert_eq!(
            columns.info.description.as_deref(),
            Some("required fields: int_col")
        );
        assert_eq!(rows[4].pos, 1);
        assert_eq!(rows[4].size, 3);
    }

    #[test]
    fn cycles_are_rows_that_point_back_and_never_expand() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let root = s.resolve(schema).node;
        let mut open = HashSet::new();
        open.insert(format!("{prefix}/properties/children"));
        let rows = s.flatten(&prefix, schema, &open, 1000);
        let items = rows
            .iter()
            .find(|r| r.label == "[items]")
            .cloned()
            .unwrap_or_else(|| panic!("{rows:?}"));
        assert_eq!(items.cycle_to.as_deref(), Some(prefix.as_str()));
        assert!(!items.expandable);
        assert_eq!(items.node, root);
        let name = &rows[0];
        assert!(name.required);
        assert_eq!(name.info.enum_values, ["\"root\"", "\"leaf\""]);
        let remote = rows
            .iter()
            .find(|r| r.label == "remote")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(remote
            .info
            .ref_error
            .unwrap_or_default()
            .contains("never fetches"));
        let broken = rows
            .iter()
            .find(|r| r.label == "broken")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(broken
            .info
            .ref_error
            .unwrap_or_default()
            .contains("points to nothing"));
        let lp = rows
            .iter()
            .find(|r| r.label == "loop")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert!(lp.info.ref_error.unwrap_or_default().contains("loops"));
        let meta = rows
            .iter()
            .find(|r| r.label == "meta")
            .cloned()
            .unwrap_or_else(|| panic!());
        assert_eq!(meta.info.type_label, "map of integer (int32)");
        assert_eq!(meta.info.ref_name.as_deref(), Some("Meta"));
    }

    #[test]
    fn expand_all_stops_at_cycles_and_the_cap() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let (_, prefix, schema) = s.request_schema(op).unwrap_or_default();
        let open = s.expand_all(&prefix, schema, 10_000);
        let rows = s.flatten(&prefix, schema, &open, 10_000);
        assert!(rows.len() < 20, "{}", rows.len());
        assert!(rows.iter().any(|r| r.cycle_to.is_some()));
        assert!(rows.iter().filter(|r| r.expandable).all(|r| r.expanded));
        let capped = s.expand_all(&prefix, schema, 3);
        assert!(capped.is_empty());
    }
}
