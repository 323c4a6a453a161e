//! Local `$ref` resolution: memoised, loops detected, never remote; and walking a pointer
//! path through references.

use super::Spec;
use crate::model::json_doc::{unescape_segment, NodeId};

/// How far a `$ref` chain is followed before it is called a loop.
const MAX_REF_HOPS: usize = 32;

/// A resolved schema: the node reached after following `$ref`s.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The schema (the original node when resolution failed).
    pub node: NodeId,
    /// The name of the last `$ref` followed (its last pointer segment).
    pub ref_name: Option<String>,
    /// Why a `$ref` could not be followed.
    pub error: Option<String>,
}

impl Spec {
    /// Follow `$ref`s from `n`: only local (`#…`) references; memoised; loops detected.
    pub fn resolve(&self, n: NodeId) -> Resolved {
        let mut cur = n;
        let mut ref_name = None;
        for _ in 0..MAX_REF_HOPS {
            let Some(r) = self.doc.get_str(cur, "$ref") else {
                return Resolved {
                    node: cur,
                    ref_name,
                    error: None,
                };
            };
            if !r.starts_with('#') {
                return Resolved {
                    node: cur,
                    ref_name: Some(r.to_string()),
                    error: Some(format!(
                        "External reference {r} is not loaded (the console never fetches remote schemas)."
                    )),
                };
            }
            match self.target_of(r) {
                Some(t) => {
                    ref_name = Some(unescape_segment(r.rsplit('/').next().unwrap_or(r)));
                    cur = t;
                }
                None => {
                    return Resolved {
                        node: cur,
                        ref_name: Some(r.to_string()),
                        error: Some(format!("Reference {r} points to nothing in this document.")),
                    }
                }
            }
        }
        Resolved {
            node: cur,
            ref_name,
            error: Some("The reference chain loops without reaching a schema.".into()),
        }
    }

    /// The node a local reference points to: `#/components/schemas/X` from an index built on
    /// first use (documents have thousands of components), anything else through a memo.
    fn target_of(&self, r: &str) -> Option<NodeId> {
        if let Some(name) = r.strip_prefix("#/components/schemas/") {
            if !name.contains(['/', '~', '%']) {
                let index = self.schemas.get_or_init(|| {
                    let d = &self.doc;
                    d.get(d.root(), "components")
                        .and_then(|c| d.get(c, "schemas"))
                        .map(|s| d.members(s).map(|(k, v)| (k.to_string(), v)).collect())
                        .unwrap_or_default()
                });
                return index.get(name).copied();
            }
        }
        match self.refs.lock() {
            Ok(mut cache) => {
                if let Some(t) = cache.get(r) {
                    return *t;
                }
                let t = self.doc.pointer(r);
                cache.insert(r.to_string(), t);
                t
            }
            Err(_) => self.doc.pointer(r),
        }
    }

    /// Walk a path (escaped segments joined by `/`) from `from`, following `$ref`s on the way.
    pub fn walk(&self, from: NodeId, path: &str) -> Option<NodeId> {
        let mut n = from;
        if path.is_empty() {
            return Some(n);
        }
        for seg in path.split('/') {
            n = self.resolve(n).node;
            n = self.doc.child(n, &unescape_segment(seg))?;
        }
        Some(n)
    }

    /// Follow `$ref`s quickly: the target, and the raw last segment of the last reference;
    /// `None` when a reference cannot be followed.
    pub(super) fn resolve_fast(&self, n: NodeId) -> Option<(NodeId, Option<&str>)> {
        let mut cur = n;
        let mut last = None;
        for _ in 0..MAX_REF_HOPS {
            let Some(r) = self.doc.get_str(cur, "$ref") else {
                return Some((cur, last));
            };
            if !r.starts_with('#') {
                return None;
            }
            cur = self.target_of(r)?;
            last = r.rsplit('/').next();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::model::openapi::test_docs::*;
    use crate::model::openapi::*;

    #[test]
    fn walk_follows_refs_and_escapes() {
        let s = spec(CYCLIC);
        let op = s.operations()[0].node;
        let n = s.walk(op, "requestBody/content/application~1json/schema/properties/children/items/properties/name");
        assert_eq!(n.and_then(|n| s.doc.get_str(n, "type")), Some("string"));
        assert!(s.walk(op, "requestBody/nope").is_none());
        assert_eq!(ancestors("a/b/c"), ["a", "a/b"]);
        assert!(contains_ci("DataFrame_Split", "frame_s"));
    }
}
