//! The log text and its line index: offsets, not one `String` per line; a bit per line for
//! lines that may hold escape sequences or control characters; a partial last line; line access,
//! display text and styled runs; appending.

use crate::model::ansi::{self, Span, Style};
use std::ops::Range;

/// Lines longer than this (bytes of display text) are shown truncated, with "show more".
pub const DISPLAY_LIMIT: usize = 16 * 1024;

/// The log text and its line index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogIndex {
    pub(super) text: String,
    /// Byte offset of the start of each line.
    pub(super) starts: Vec<u32>,
    /// Bit per line: may hold escape sequences / control characters.
    pub(super) special: Vec<u64>,
    /// The last line has no terminating `\n`.
    pub(super) partial: bool,
}

/// Which bytes may make a line need ANSI/control processing (see [`ansi::may_be_special`]).
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xd8] = true;
    t[0xe2] = true;
    t
}

static SPECIAL: [bool; 256] = special_table();

pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl LogIndex {
    /// Index `text` (one pass over its bytes).
    pub fn new(text: String) -> Self {
        // Takes the text as is (no copy: a log can be 100 MB, budgets.md P6 memory).
        let mut ix = LogIndex {
            text,
            ..LogIndex::default()
        };
        if !ix.text.is_empty() {
            ix.index_from(0);
        }
        ix
    }

    /// The whole text, as received.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Number of lines (a partial last line counts).
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// No lines?
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// Bytes of text.
    pub fn byte_len(&self) -> usize {
        self.text.len()
    }

    /// Is the last line unterminated?
    pub fn is_partial(&self) -> bool {
        self.partial
    }

    pub(super) fn range(&self, i: usize) -> Range<usize> {
        let Some(&start) = self.starts.get(i) else {
            return 0..0;
        };
        let start = start as usize;
        let mut end = match self.starts.get(i + 1) {
            Some(&next) => (next as usize).saturating_sub(1),
            None if self.partial => self.text.len(),
            None => self.text.len().saturating_sub(1),
        };
        end = end.max(start);
        if end > start && self.text.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// Byte offset where line `i` starts (the text length past the end).
    pub fn line_start(&self, i: usize) -> usize {
        self.starts.get(i).map_or(self.text.len(), |&s| s as usize)
    }

    /// The line holding byte `b` (the last line past the end; 0 when empty).
    pub fn line_at_byte(&self, b: usize) -> usize {
        self.starts
            .partition_point(|&s| (s as usize) <= b)
            .saturating_sub(1)
    }

    /// Line `i` (0-based) as received, without its line ending; `""` out of range.
    pub fn line(&self, i: usize) -> &str {
        self.text.get(self.range(i)).unwrap_or("")
    }

    /// May line `i` hold escape sequences or control characters?
    pub fn is_special(&self, i: usize) -> bool {
        self.special
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }

    fn set_special(&mut self, i: usize) {
        let w = i / 64;
        if self.special.len() <= w {
            self.special.resize(w + 1, 0);
        }
        self.special[w] |= 1u64 << (i % 64);
    }

    /// What line `i` shows: escape sequences removed, controls visible.
    pub fn display(&self, i: usize) -> std::borrow::Cow<'_, str> {
        let raw = self.line(i);
        if self.is_special(i) {
            std::borrow::Cow::Owned(ansi::parse(raw).text)
        } else {
            std::borrow::Cow::Borrowed(raw)
        }
    }

    /// Line `i` parsed for display: text and styled runs.
    pub fn styled(&self, i: usize) -> ansi::Styled {
        let raw = self.line(i);
        if self.is_special(i) {
            ansi::parse(raw)
        } else {
            ansi::Styled {
                text: raw.to_string(),
                spans: if raw.is_empty() {
                    Vec::new()
                } else {
                    vec![Span {
                        start: 0,
                        end: raw.len(),
                        style: Style::default(),
                    }]
                },
            }
        }
    }

    /// Append `more` (a partial last line is continued). Returns how many lines are new.
    pub fn append(&mut self, more: &str) -> usize {
        if more.is_empty() {
            return 0;
        }
        let before = self.len();
        let from = self.text.len();
        self.text.push_str(more);
        self.index_from(from);
        self.len() - before
    }

    /// Index the text from byte `from` (the start of what was just added) to its end.
    fn index_from(&mut self, from: usize) {
        if !self.partial {
            self.starts.push(to_u32(from));
        }
        let mut line = self.starts.len() - 1;
        let bytes = self.text.as_bytes();
        let total = bytes.len();
        let mut new_starts: Vec<u32> = Vec::new();
        let mut specials: Vec<usize> = Vec::new();
        let mut marked = false;
        for (k, &b) in bytes[from..].iter().enumerate() {
            if b == b'\n' {
                let next = from + k + 1;
                if next < total {
                    new_starts.push(to_u32(next));
                    line += 1;
                    marked = false;
                }
            } else if !marked && SPECIAL[b as usize] {
                specials.push(line);
                marked = true;
            }
        }
        self.starts.extend(new_starts);
        for l in specials {
            self.set_special(l);
        }
        self.partial = !self.text.ends_with('\n');
    }

    /// Drop a partial last line (before appending its completed form).
    pub(super) fn drop_partial(&mut self) {
        if !self.partial {
            return;
        }
        if let Some(start) = self.starts.pop() {
            let i = self.starts.len();
            if let Some(w) = self.special.get_mut(i / 64) {
                *w &= !(1u64 << (i % 64));
            }
            self.text.truncate(start as usize);
        }
        self.partial = false;
    }

    /// The complete lines (partial last line excluded) count.
    pub(super) fn complete(&self) -> usize {
        self.len() - usize::from(self.partial)
    }

    /// The whole log as display text (escape sequences removed), for "Copy".
    pub fn plain_text(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        for i in 0..self.len() {
            out.push_str(&self.display(i));
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::log_index::test_support::lines;

    #[test]
    fn indexes_lines_with_offsets() {
        assert_eq!(LogIndex::new(String::new()).len(), 0);
        let ix = LogIndex::new("a\nbb\n\nccc\n".into());
        assert_eq!(lines(&ix), ["a", "bb", "", "ccc"]);
        assert!(!ix.is_partial());
        let ix = LogIndex::new("a\r\nb".into());
        assert_eq!(lines(&ix), ["a", "b"]);
        assert!(ix.is_partial());
        assert_eq!(LogIndex::new("\n".into()).len(), 1);
        assert_eq!(ix.line(99), "");
    }

    #[test]
    fn marks_only_lines_that_need_parsing() {
        let ix = LogIndex::new("plain\n\u{1b}[31mred\u{1b}[0m\ntab\tok\nü\n✓ check\n".into());
        let special: Vec<bool> = (0..ix.len()).map(|i| ix.is_special(i)).collect();
        assert_eq!(special, [false, true, false, false, true]);
        assert_eq!(ix.display(1), "red");
        assert_eq!(
            ix.display(4),
            "✓ check",
            "a harmless special line shows the same"
        );
    }

    #[test]
    fn byte_positions() {
        let ix = LogIndex::new("ab\ncd\nef".into());
        assert_eq!(ix.line_start(1), 3);
        assert_eq!(ix.line_start(9), 8);
        assert_eq!(ix.line_at_byte(0), 0);
        assert_eq!(ix.line_at_byte(4), 1);
        assert_eq!(ix.line_at_byte(999), 2);
        assert_eq!(LogIndex::default().line_at_byte(5), 0);
    }

    #[test]
    fn append_continues_a_partial_line() {
        let mut ix = LogIndex::new("one\ntw".into());
        assert_eq!(ix.append("o\nthree\n"), 1);
        assert_eq!(lines(&ix), ["one", "two", "three"]);
        assert_eq!(ix.append(""), 0);
        let mut many = LogIndex::default();
        for i in 0..200 {
            many.append(&format!("line {i}\u{1b}[0m\n"));
        }
        assert_eq!(many.len(), 200);
        assert!((0..200).all(|i| many.is_special(i)));
    }
}
