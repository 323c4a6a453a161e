//! JSON pointers: resolving one from the root, and escaping, unescaping and percent-decoding
//! its segments.

use super::doc::{Doc, NodeId};

impl Doc {
    /// Resolve a JSON pointer (`""`, `"/a/b"`, or a fragment `"#/a/b"`) from the root.
    pub fn pointer(&self, ptr: &str) -> Option<NodeId> {
        let p = ptr.strip_prefix('#').unwrap_or(ptr);
        if p.is_empty() {
            return Some(self.root());
        }
        let p = p.strip_prefix('/')?;
        let mut n = self.root();
        for raw in p.split('/') {
            n = self.child(n, &unescape_segment(&percent_decode(raw)))?;
        }
        Some(n)
    }
}

/// Escape one JSON-pointer segment (`~` → `~0`, `/` → `~1`).
pub fn escape_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Unescape one JSON-pointer segment.
pub fn unescape_segment(s: &str) -> String {
    s.replace("~1", "/").replace("~0", "~")
}

/// Decode `%XX` escapes (URI fragments); invalid escapes stay as they are.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use crate::model::json_doc::test_docs::p;

    #[test]
    fn pointers_with_escapes() {
        let d = p(r#"{"paths": {"/a/b": {"x~y": [10, 20]}}}"#);
        let n = d.pointer("#/paths/~1a~1b/x~0y/1").unwrap_or(0);
        assert_eq!(d.raw_num(n), Some("20"));
        assert_eq!(d.pointer("#/paths/%7E1a~1b"), d.pointer("#/paths/~1a~1b"));
        assert!(d.pointer("#/nope").is_none());
        assert_eq!(d.pointer("#"), Some(0));
    }
}
