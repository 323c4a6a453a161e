//! Checks of a serving request beyond its schema.

use super::Issue;
use crate::model::json_doc::{Doc, Kind, NodeId};
use crate::model::openapi::Spec;

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
