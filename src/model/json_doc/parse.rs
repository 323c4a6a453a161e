//! The parser: iterative (depth costs heap, never stack), keeps key order and positions, and
//! says what is wrong and where.

use super::doc::{Doc, Kind, Node, NodeId};

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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::json_doc::test_docs::p;

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
    fn line_and_column() {
        let src = "{\n  \"é\": x\n}";
        assert_eq!(line_col(src, src.find('x').unwrap_or(0)), (2, 8));
        assert_eq!(line_col(src, 0), (1, 1));
    }
}
