//! The document: an arena of nodes, each with its kind and source position, and the ways to
//! read it (kinds, scalars, items, members in order, lookups).

/// Index of a node in a [`Doc`].
pub type NodeId = u32;

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Null,
    Bool,
    Num,
    Str,
    Arr,
    Obj,
}

impl Kind {
    /// The JSON Schema type name of this kind (`integer` is decided by the caller).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "boolean",
            Kind::Num => "number",
            Kind::Str => "string",
            Kind::Arr => "array",
            Kind::Obj => "object",
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Node {
    pub(super) kind: Kind,
    /// Bool: 0/1; Num/Str: start in `text`; Arr/Obj: start in `kids`.
    pub(super) a: u32,
    /// Num/Str: byte length in `text`; Arr: item count; Obj: member count.
    pub(super) b: u32,
    /// Byte offset of the value in the source.
    pub(super) pos: u32,
}

/// A parsed JSON document.
#[derive(Debug, Clone)]
pub struct Doc {
    pub(super) nodes: Vec<Node>,
    /// Array items; object members as (key string node, value node) pairs.
    pub(super) kids: Vec<NodeId>,
    /// Unescaped strings and raw number text.
    pub(super) text: String,
}

impl Doc {
    /// The root value.
    pub fn root(&self) -> NodeId {
        0
    }

    /// Number of values.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    fn node(&self, n: NodeId) -> Node {
        self.nodes.get(n as usize).copied().unwrap_or(Node {
            kind: Kind::Null,
            a: 0,
            b: 0,
            pos: 0,
        })
    }

    /// The kind of `n`.
    pub fn kind(&self, n: NodeId) -> Kind {
        self.node(n).kind
    }

    /// Byte offset of `n` in the source.
    pub fn pos(&self, n: NodeId) -> usize {
        self.node(n).pos as usize
    }

    fn slice(&self, n: Node) -> &str {
        self.text
            .get(n.a as usize..(n.a + n.b) as usize)
            .unwrap_or("")
    }

    /// The string value of `n`.
    pub fn as_str(&self, n: NodeId) -> Option<&str> {
        let node = self.node(n);
        (node.kind == Kind::Str).then(|| self.slice(node))
    }

    /// The boolean value of `n`.
    pub fn as_bool(&self, n: NodeId) -> Option<bool> {
        let node = self.node(n);
        (node.kind == Kind::Bool).then_some(node.a == 1)
    }

    /// The number text of `n`, as written.
    pub fn raw_num(&self, n: NodeId) -> Option<&str> {
        let node = self.node(n);
        (node.kind == Kind::Num).then(|| self.slice(node))
    }

    /// The numeric value of `n`.
    pub fn as_f64(&self, n: NodeId) -> Option<f64> {
        self.raw_num(n).and_then(|t| t.parse().ok())
    }

    /// Is `n` a number without a fractional part (JSON Schema `integer`)?
    pub fn is_integer(&self, n: NodeId) -> bool {
        self.as_f64(n)
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
    }

    /// Items of an array or members of an object (0 otherwise).
    pub fn len(&self, n: NodeId) -> usize {
        let node = self.node(n);
        match node.kind {
            Kind::Arr | Kind::Obj => node.b as usize,
            _ => 0,
        }
    }

    /// Is `n` an empty container (or not a container)?
    pub fn is_empty(&self, n: NodeId) -> bool {
        self.len(n) == 0
    }

    /// The items of an array (none for other kinds).
    pub fn items(&self, n: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        let node = self.node(n);
        let range = if node.kind == Kind::Arr {
            node.a as usize..(node.a + node.b) as usize
        } else {
            0..0
        };
        self.kids.get(range).unwrap_or(&[]).iter().copied()
    }

    /// The `i`-th item of an array.
    pub fn index(&self, n: NodeId, i: usize) -> Option<NodeId> {
        let node = self.node(n);
        (node.kind == Kind::Arr && i < node.b as usize)
            .then(|| self.kids.get(node.a as usize + i).copied())
            .flatten()
    }

    /// The members of an object, in document order (none for other kinds).
    pub fn members(&self, n: NodeId) -> impl Iterator<Item = (&str, NodeId)> + '_ {
        let node = self.node(n);
        let range = if node.kind == Kind::Obj {
            node.a as usize..(node.a + 2 * node.b) as usize
        } else {
            0..0
        };
        self.kids
            .get(range)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|kv| (self.as_str(kv[0]).unwrap_or(""), kv[1]))
    }

    /// The members of an object as (key node, value node), for positions of keys.
    pub fn member_nodes(&self, n: NodeId) -> impl Iterator<Item = (NodeId, NodeId)> + '_ {
        let node = self.node(n);
        let range = if node.kind == Kind::Obj {
            node.a as usize..(node.a + 2 * node.b) as usize
        } else {
            0..0
        };
        self.kids
            .get(range)
            .unwrap_or(&[])
            .chunks_exact(2)
            .map(|kv| (kv[0], kv[1]))
    }

    /// The value of `key` in object `n` (the last one if repeated, as JSON parsers do).
    pub fn get(&self, n: NodeId, key: &str) -> Option<NodeId> {
        let mut found = None;
        for (k, v) in self.members(n) {
            if k == key {
                found = Some(v);
            }
        }
        found
    }

    /// The string value of `key` in object `n`.
    pub fn get_str(&self, n: NodeId, key: &str) -> Option<&str> {
        self.get(n, key).and_then(|v| self.as_str(v))
    }

    /// Follow one JSON-pointer segment (already unescaped) from `n`.
    pub fn child(&self, n: NodeId, seg: &str) -> Option<NodeId> {
        match self.kind(n) {
            Kind::Obj => self.get(n, seg),
            Kind::Arr => seg.parse::<usize>().ok().and_then(|i| self.index(n, i)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::json_doc::test_docs::p;

    #[test]
    fn keeps_key_order_and_positions() {
        let src = r#"{"z": 1, "a": [true, null, "x\n\u00e9\ud83d\ude00"], "m": {}}"#;
        let d = p(src);
        let keys: Vec<&str> = d.members(d.root()).map(|(k, _)| k).collect();
        assert_eq!(keys, ["z", "a", "m"]);
        let a = d.get(d.root(), "a").unwrap_or(0);
        assert_eq!(d.pos(a), src.find('[').unwrap_or(0));
        let s = d.index(a, 2).unwrap_or(0);
        assert_eq!(d.as_str(s), Some("x\né😀"));
        assert_eq!(d.as_bool(d.index(a, 0).unwrap_or(0)), Some(true));
        assert_eq!(d.kind(d.index(a, 1).unwrap_or(0)), Kind::Null);
        assert_eq!(d.len(d.get(d.root(), "m").unwrap_or(0)), 0);
    }
}
