//! A compact JSON document: parsed once into an arena of nodes that keeps object key order and
//! the byte offset of every value in the source text.
//!
//! Why not `serde_json::Value`: its maps sort keys (columns must stay in order), it recurses
//! (serde_json stops at depth 128; generated schemas nest deeper), it knows no positions
//! (validation errors point at the field in the editor), and a 10 MB OpenAPI document as a
//! `Value` tree costs several times the memory of this arena (16 bytes per node plus the
//! unescaped strings). The parser is iterative, so depth only costs heap.

use std::fmt::Write as _;

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
struct Node {
    kind: Kind,
    /// Bool: 0/1; Num/Str: start in `text`; Arr/Obj: start in `kids`.
    a: u32,
    /// Num/Str: byte length in `text`; Arr: item count; Obj: member count.
    b: u32,
    /// Byte offset of the value in the source.
    pos: u32,
}

/// A parse failure: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset in the source.
    pub offset: usize,
    /// What was wrong, in plain words.
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.offset)
    }
}

/// A parsed JSON document.
#[derive(Debug, Clone)]
pub struct Doc {
    nodes: Vec<Node>,
    /// Array items; object members as (key string node, value node) pairs.
    kids: Vec<NodeId>,
    /// Unescaped strings and raw number text.
    text: String,
}

/// 1-based line and column (in characters) of byte `offset` in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(src.len());
    while !src.is_char_boundary(end) {
        end -= 1;
    }
    let before = &src[..end];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Frame {
    node: NodeId,
    is_obj: bool,
    start: usize,
}

struct Parser<'a> {
    src: &'a [u8],
    s: &'a str,
    i: usize,
    doc: Doc,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, msg: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.i,
            message: msg.into(),
        })
    }

    fn ws(&mut self) {
        while let Some(&c) = self.src.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn push(&mut self, kind: Kind, a: u32, b: u32, pos: usize) -> Result<NodeId, ParseError> {
        let id = u32::try_from(self.doc.nodes.len()).or_else(|_| self.err("document too large"))?;
        self.doc.nodes.push(Node {
            kind,
            a,
            b,
            pos: u32::try_from(pos).unwrap_or(u32::MAX),
        });
        Ok(id)
    }

    fn text_pos(&self) -> Result<u32, ParseError> {
        u32::try_from(self.doc.text.len()).or_else(|_| self.err("document too large"))
    }

    fn string(&mut self) -> Result<NodeId, ParseError> {
        let pos = self.i;
        self.i += 1; // opening quote
        let start = self.text_pos()?;
        loop {
            let run = self.i;
            while let Some(&c) = self.src.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            self.doc.text.push_str(&self.s[run..self.i]);
            match self.src.get(self.i) {
                None => return self.err("unterminated string"),
                Some(b'"') => {
                    self.i += 1;
                    break;
                }
                Some(b'\\') => self.escape()?,
                Some(_) => return self.err("control character in a string (escape it, e.g. \\n)"),
            }
        }
        let len = self.text_pos()? - start;
        self.push(Kind::Str, start, len, pos)
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        // Exactly four hex digits (`from_str_radix` alone would also take a sign: `\u+04A`).
        let h = self
            .s
            .get(self.i..self.i + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match h {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => self.err("invalid \\u escape (needs 4 hex digits)"),
        }
    }

    fn escape(&mut self) -> Result<(), ParseError> {
        self.i += 1; // backslash
        let Some(&c) = self.src.get(self.i) else {
            return self.err("unterminated string");
        };
        self.i += 1;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi)
                    && self.src.get(self.i..self.i + 2) == Some(b"\\u")
                {
                    let save = self.i;
                    self.i += 2;
                    let lo = self.hex4()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                            .unwrap_or('\u{FFFD}')
                    } else {
                        self.i = save;
                        '\u{FFFD}'
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                }
            }
            _ => {
                self.i -= 1;
                return self.err(format!("invalid escape \\{}", c as char));
            }
        };
        self.doc.text.push(ch);
        Ok(())
    }

    fn number(&mut self) -> Result<NodeId, ParseError> {
        let pos = self.i;
        let digits = |p: &mut Self| {
            let s = p.i;
            while p.src.get(p.i).is_some_and(u8::is_ascii_digit) {
                p.i += 1;
            }
            p.i - s
        };
        if self.src.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        match self.src.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return self.err("invalid number"),
        }
        if self.src.get(self.i) == Some(&b'.') {
            self.i += 1;
            if digits(self) == 0 {
                return self.err("invalid number: digits expected after the decimal point");
            }
        }
        if matches!(self.src.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.src.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if digits(self) == 0 {
                return self.err("invalid number: digits expected in the exponent");
            }
        }
        let start = self.text_pos()?;
        self.doc.text.push_str(&self.s[pos..self.i]);
        self.push(Kind::Num, start, (self.i - pos) as u32, pos)
    }

    fn literal(&mut self, word: &str, kind: Kind, a: u32) -> Result<NodeId, ParseError> {
        if self.s[self.i..].starts_with(word) {
            let pos = self.i;
            self.i += word.len();
            self.push(kind, a, 0, pos)
        } else {
            self.err("unexpected character")
        }
    }

    /// Expect `"key"` then `:`; push the key node on the scratch stack.
    fn key(&mut self, scratch: &mut Vec<NodeId>) -> Result<(), ParseError> {
        self.ws();
        if self.src.get(self.i) != Some(&b'"') {
            return self.err("expected a property name in double quotes");
        }
        let k = self.string()?;
        scratch.push(k);
        self.ws();
        if self.src.get(self.i) != Some(&b':') {
            return self.err("expected ':' after the property name");
        }
        self.i += 1;
        Ok(())
    }

    fn close(&mut self, frame: Frame, scratch: &mut Vec<NodeId>) -> Result<(), ParseError> {
        let start =
            u32::try_from(self.doc.kids.len()).or_else(|_| self.err("document too large"))?;
        let n = scratch.len() - frame.start;
        self.doc.kids.extend(scratch.drain(frame.start..));
        let node = &mut self.doc.nodes[frame.node as usize];
        node.a = start;
        node.b = if frame.is_obj { n / 2 } else { n } as u32;
        Ok(())
    }

    fn parse(mut self) -> Result<Doc, ParseError> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut scratch: Vec<NodeId> = Vec::new();
        'value: loop {
            self.ws();
            let pos = self.i;
            let Some(&c) = self.src.get(self.i) else {
                return self.err(if stack.is_empty() {
                    "empty document"
                } else {
                    "unexpected end of the document"
                });
            };
            let id = match c {
                b'{' | b'[' => {
                    let is_obj = c == b'{';
                    let id = self.push(if is_obj { Kind::Obj } else { Kind::Arr }, 0, 0, pos)?;
                    self.i += 1;
                    if !stack.is_empty() {
                        scratch.push(id);
                    }
                    let frame = Frame {
                        node: id,
                        is_obj,
                        start: scratch.len(),
                    };
                    self.ws();
                    let closer = if is_obj { b'}' } else { b']' };
                    if self.src.get(self.i) == Some(&closer) {
                        self.i += 1;
                        self.close(frame, &mut scratch)?;
                    } else {
                        stack.push(frame);
                        if is_obj {
                            self.key(&mut scratch)?;
                        }
                        continue 'value;
                    }
                    None
                }
                b'"' => Some(self.string()?),
                b't' => Some(self.literal("true", Kind::Bool, 1)?),
                b'f' => Some(self.literal("false", Kind::Bool, 0)?),
                b'n' => Some(self.literal("null", Kind::Null, 0)?),
                b'-' | b'0'..=b'9' => Some(self.number()?),
                _ => {
                    return self.err(format!(
                        "unexpected character '{}'",
                        self.s[self.i..].chars().next().unwrap_or('?')
                    ))
                }
            };
            if let (Some(id), false) = (id, stack.is_empty()) {
                scratch.push(id);
            }
            // A value is complete: continue or close the enclosing containers.
            loop {
                let Some(top) = stack.last() else {
                    self.ws();
                    if self.i < self.src.len() {
                        return self.err("unexpected text after the end of the document");
                    }
                    return Ok(self.doc);
                };
                let is_obj = top.is_obj;
                self.ws();
                match self.src.get(self.i) {
                    Some(b',') => {
                        self.i += 1;
                        if is_obj {
                            self.key(&mut scratch)?;
                        }
                        continue 'value;
                    }
                    Some(b'}') if is_obj => {
                        self.i += 1;
                        if let Some(f) = stack.pop() {
                            self.close(f, &mut scratch)?;
                        }
                    }
                    Some(b']') if !is_obj => {
                        self.i += 1;
                        if let Some(f) = stack.pop() {
                            self.close(f, &mut scratch)?;
                        }
                    }
                    None => return self.err("unexpected end of the document"),
                    _ => {
                        return self.err(if is_obj {
                            "expected ',' or '}' after a property value"
                        } else {
                            "expected ',' or ']' after an array item"
                        })
                    }
                }
            }
        }
    }
}

impl Doc {
    /// Parse JSON text.
    pub fn parse(src: &str) -> Result<Doc, ParseError> {
        let doc = Doc {
            nodes: Vec::with_capacity(src.len() / 12 + 4),
            kids: Vec::with_capacity(src.len() / 12 + 4),
            text: String::with_capacity(src.len() / 2 + 16),
        };
        let mut d = Parser {
            src: src.as_bytes(),
            s: src,
            i: 0,
            doc,
        }
        .parse()?;
        d.nodes.shrink_to_fit();
        d.kids.shrink_to_fit();
        d.text.shrink_to_fit();
        Ok(d)
    }

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
}

impl Doc {
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
    use super::*;

    fn p(s: &str) -> Doc {
        Doc::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

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

    #[test]
    fn numbers_keep_their_text() {
        let d = p("[0, -1.50, 1e3, 12345678901234567890]");
        let raw: Vec<&str> = d.items(0).filter_map(|n| d.raw_num(n)).collect();
        assert_eq!(raw, ["0", "-1.50", "1e3", "12345678901234567890"]);
        assert!(d.is_integer(d.index(0, 2).unwrap_or(0)));
        assert!(!d.is_integer(d.index(0, 1).unwrap_or(0)));
    }

    #[test]
    fn errors_say_what_and_where() {
        let cases = [
            ("", "empty document", 0),
            ("{\"a\" 1}", "expected ':'", 5),
            ("[1, 2", "unexpected end", 5),
            ("[1 2]", "expected ',' or ']'", 3),
            ("{\"a\": 1,}", "property name", 8),
            ("\"abc", "unterminated", 4),
            ("01", "unexpected text after", 1),
            ("[1.]", "decimal point", 3),
            ("\"\\x\"", "invalid escape", 2),
            ("{'a': 1}", "property name", 1),
            ("[1] x", "after the end", 4),
            ("\"a\u{1}\"", "control character", 2),
            ("tru", "unexpected character", 0),
        ];
        for (src, msg, at) in cases {
            let e = Doc::parse(src)
                .err()
                .unwrap_or_else(|| panic!("{src} parsed"));
            assert!(e.message.contains(msg), "{src}: {}", e.message);
            assert_eq!(e.offset, at, "{src}: {}", e.message);
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let depth = 100_000;
        let src = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let d = p(&src);
        assert_eq!(d.node_count(), depth);
        let out = d.to_json(d.root(), false);
        assert_eq!(out.len(), src.len());
    }

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

    #[test]
    fn pointers_with_escapes() {
        let d = p(r#"{"paths": {"/a/b": {"x~y": [10, 20]}}}"#);
        let n = d.pointer("#/paths/~1a~1b/x~0y/1").unwrap_or(0);
        assert_eq!(d.raw_num(n), Some("20"));
        assert_eq!(d.pointer("#/paths/%7E1a~1b"), d.pointer("#/paths/~1a~1b"));
        assert!(d.pointer("#/nope").is_none());
        assert_eq!(d.pointer("#"), Some(0));
    }

    #[test]
    fn line_and_column() {
        let src = "{\n  \"é\": x\n}";
        assert_eq!(line_col(src, src.find('x').unwrap_or(0)), (2, 8));
        assert_eq!(line_col(src, 0), (1, 1));
    }
}
