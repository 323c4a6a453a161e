//! A log held once as one `String` with a line index (offsets, not one `String` per line), and
//! what the viewer does with it: line access, case-insensitive search, level detection, row
//! segments (ANSI runs × search marks), and follow's "only new lines" merge.
//!
//! - Lines end at `\n` (a trailing `\r` is not shown); a last line without `\n` is *partial*: the
//!   next poll may complete it.
//! - The index keeps, per line, whether it may hold escape sequences or control characters
//!   ([`ansi::may_be_special`]); other lines are shown and searched as they are, with no parsing.
//! - Search is ASCII-case-insensitive over the *display* text (what the viewer shows, escape
//!   sequences removed), runs over a range of lines so the caller can do it in slices without
//!   blocking, and reports byte offsets into the display text of each line.
//! - Merge: the API returns the whole (recent) log each time. The fresh text's longest prefix of
//!   complete lines that is also a suffix of the complete lines shown is the overlap (KMP over
//!   line hashes, then verified by comparing the lines); only what follows it is appended. No
//!   overlap (the log was replaced, or moved on by more than a whole window) → replace.

use super::ansi::{self, Span, Style};
use std::ops::Range;

/// Lines longer than this (bytes of display text) are shown truncated, with "show more".
pub const DISPLAY_LIMIT: usize = 16 * 1024;
/// Matches kept for navigation; more are counted but not kept.
pub const MAX_MATCHES: usize = 100_000;

/// The log text and its line index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogIndex {
    text: String,
    /// Byte offset of the start of each line.
    starts: Vec<u32>,
    /// Bit per line: may hold escape sequences / control characters.
    special: Vec<u64>,
    /// The last line has no terminating `\n`.
    partial: bool,
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

fn to_u32(n: usize) -> u32 {
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

    fn range(&self, i: usize) -> Range<usize> {
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
    fn drop_partial(&mut self) {
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
    fn complete(&self) -> usize {
        self.len() - usize::from(self.partial)
    }

    /// Decide how `fresh` (the whole log as the API returns it now) relates to what is held.
    pub fn plan_merge(&self, fresh: &str) -> Merge {
        if self.text == fresh {
            return Merge::Same;
        }
        let old_complete = self.complete();
        if old_complete == 0 {
            return Merge::Append {
                from: 0,
                drop_partial: self.partial,
            };
        }
        // Complete lines of `fresh`: (start, end without '\n').
        let mut fresh_lines: Vec<(usize, usize)> = Vec::new();
        let mut s = 0;
        for (i, b) in fresh.bytes().enumerate() {
            if b == b'\n' {
                fresh_lines.push((s, i));
                s = i + 1;
            }
        }
        let m = old_complete.min(fresh_lines.len());
        if m == 0 {
            return Merge::Replace;
        }
        let line_of = |(a, b): (usize, usize)| fresh.get(a..b).unwrap_or("");
        let old_line = |i: usize| {
            self.text
                .get({
                    let r = self.range(i);
                    // Compare including a trailing '\r' (range() strips it for display).
                    let end = match self.starts.get(i + 1) {
                        Some(&n) => (n as usize).saturating_sub(1),
                        None => r.end,
                    };
                    r.start..end.max(r.start)
                })
                .unwrap_or("")
        };
        let pattern: Vec<u64> = fresh_lines[..m].iter().map(|&r| hash(line_of(r))).collect();
        let text: Vec<u64> = (old_complete - m..old_complete)
            .map(|i| hash(old_line(i)))
            .collect();
        let q = kmp_suffix_prefix(&text, &pattern);
        if q == 0 {
            return Merge::Replace;
        }
        let verified = (0..q).all(|k| old_line(old_complete - q + k) == line_of(fresh_lines[k]));
        if !verified {
            return Merge::Replace;
        }
        let from = fresh_lines.get(q).map_or(s, |&(a, _)| a);
        let rest = fresh.get(from..).unwrap_or("");
        if rest.is_empty() && !self.partial {
            return Merge::Same;
        }
        if self.partial && rest == self.line_raw_partial() {
            return Merge::Same;
        }
        Merge::Append {
            from,
            drop_partial: self.partial,
        }
    }

    fn line_raw_partial(&self) -> &str {
        if !self.partial {
            return "";
        }
        match self.starts.last() {
            Some(&s) => self.text.get(s as usize..).unwrap_or(""),
            None => "",
        }
    }

    /// Merge `fresh` in: append only the lines not already held, or replace.
    pub fn merge(&mut self, fresh: String) -> MergeOutcome {
        match self.plan_merge(&fresh) {
            Merge::Same => MergeOutcome::Unchanged,
            Merge::Replace => {
                *self = LogIndex::new(fresh);
                MergeOutcome::Replaced
            }
            // Nothing held yet: take the fresh text as it is (no copy).
            Merge::Append { from: 0, .. } if self.is_empty() => {
                *self = LogIndex::new(fresh);
                MergeOutcome::Replaced
            }
            Merge::Append { from, drop_partial } => {
                let before = self.len();
                if drop_partial {
                    self.drop_partial();
                }
                let kept = self.len();
                self.append(fresh.get(from..).unwrap_or(""));
                if before == 0 {
                    MergeOutcome::Replaced
                } else {
                    MergeOutcome::Appended {
                        first_new: kept,
                        new_lines: self.len().saturating_sub(kept),
                    }
                }
            }
        }
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

/// How fresh text relates to what is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Nothing new.
    Same,
    /// Append `fresh[from..]`, after dropping a partial last line if `drop_partial`.
    Append {
        /// Byte offset in the fresh text.
        from: usize,
        /// The held partial last line is re-taken from the fresh text.
        drop_partial: bool,
    },
    /// No overlap: start over with the fresh text.
    Replace,
}

/// What a merge did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeOutcome {
    /// Nothing changed.
    Unchanged,
    /// Lines `first_new..first_new + new_lines` are new (existing rows untouched, except a
    /// completed partial line, which is among the new ones).
    Appended {
        /// Index of the first new line.
        first_new: usize,
        /// How many.
        new_lines: usize,
    },
    /// Everything was replaced (also the first load).
    Replaced,
}

/// FNV-1a, 64 bit.
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Length of the longest prefix of `pattern` that is a suffix of `text` (KMP, O(n + m)).
pub fn kmp_suffix_prefix<T: PartialEq>(text: &[T], pattern: &[T]) -> usize {
    if pattern.is_empty() {
        return 0;
    }
    let mut fail = vec![0usize; pattern.len()];
    let mut k = 0;
    for i in 1..pattern.len() {
        while k > 0 && pattern[i] != pattern[k] {
            k = fail[k - 1];
        }
        if pattern[i] == pattern[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let mut q = 0;
    for t in text {
        while q > 0 && (q == pattern.len() || *t != pattern[q]) {
            q = fail[q - 1];
        }
        if *t == pattern[q] {
            q += 1;
        }
    }
    q
}

// ---------------------------------------------------------------------------------------------
// Search.

/// One match: line, and byte range in that line's display text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    /// 0-based line.
    pub line: u32,
    /// First byte in the display text.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// A search term, ASCII-case-folded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    lower: Vec<u8>,
}

impl Needle {
    /// The needle for `query`; `None` when it is empty.
    pub fn new(query: &str) -> Option<Needle> {
        if query.is_empty() {
            return None;
        }
        Some(Needle {
            lower: query.bytes().map(|b| b.to_ascii_lowercase()).collect(),
        })
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.lower.len()
    }

    /// Always false (an empty query has no needle).
    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// Every non-overlapping match in `hay`, as byte ranges.
    pub fn find_all(&self, hay: &str, mut f: impl FnMut(usize, usize)) {
        let h = hay.as_bytes();
        let n = self.lower.len();
        if n == 0 || h.len() < n {
            return;
        }
        let first = self.lower[0];
        let first_up = first.to_ascii_uppercase();
        let rest = &self.lower[1..];
        let mut i = 0;
        let last = h.len() - n;
        while i <= last {
            let b = h[i];
            if (b == first || b == first_up)
                && h[i + 1..i + n]
                    .iter()
                    .zip(rest)
                    .all(|(x, y)| x.to_ascii_lowercase() == *y)
            {
                f(i, i + n);
                i += n;
            } else {
                i += 1;
            }
        }
    }
}

/// Search lines `lines` of `index`; append matches to `out` (kept up to [`MAX_MATCHES`]) and
/// return how many were found in this range (all of them, kept or not).
pub fn search_range(
    index: &LogIndex,
    needle: &Needle,
    lines: Range<usize>,
    out: &mut Vec<Match>,
) -> usize {
    let mut found = 0;
    let end = lines.end.min(index.len());
    for i in lines.start.min(end)..end {
        let text = index.display(i);
        needle.find_all(&text, |a, b| {
            found += 1;
            if out.len() < MAX_MATCHES {
                out.push(Match {
                    line: to_u32(i),
                    start: to_u32(a),
                    end: to_u32(b),
                });
            }
        });
    }
    found
}

/// The matches on `line` (from matches sorted by line).
pub fn matches_in_line(matches: &[Match], line: usize) -> &[Match] {
    let line = to_u32(line);
    let a = matches.partition_point(|m| m.line < line);
    let b = matches.partition_point(|m| m.line <= line);
    matches.get(a..b).unwrap_or(&[])
}

/// The first match at or after `line` (wrapping to the first), for "search from here".
pub fn first_match_from(matches: &[Match], line: usize) -> Option<usize> {
    if matches.is_empty() {
        return None;
    }
    let line = to_u32(line);
    let i = matches.partition_point(|m| m.line < line);
    Some(if i < matches.len() { i } else { 0 })
}

// ---------------------------------------------------------------------------------------------
// Levels and row segments.

/// A line's level, for colouring (the level word is in the text too: colour is never the only
/// signal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// ERROR, CRITICAL, FATAL, a traceback header or an `…Error:`/`…Exception:` line.
    Error,
    /// WARN, WARNING.
    Warn,
    /// INFO.
    Info,
    /// DEBUG, TRACE.
    Debug,
    /// None found.
    None,
}

impl Level {
    /// CSS modifier (`error`, `warn`, `info`, `debug`, ``).
    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
            Level::None => "",
        }
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The level of a line of display text (looks at its first 240 bytes).
pub fn level(text: &str) -> Level {
    let head = &text.as_bytes()[..text.len().min(240)];
    let mut i = 0;
    while i < head.len() {
        if !head[i].is_ascii_uppercase() || (i > 0 && is_word_byte(head[i - 1])) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < head.len() && is_word_byte(head[j]) {
            j += 1;
        }
        let word = &head[i..j];
        let found = match word {
            b"ERROR" | b"CRITICAL" | b"FATAL" | b"Traceback" => Some(Level::Error),
            b"WARN" | b"WARNING" => Some(Level::Warn),
            b"INFO" => Some(Level::Info),
            b"DEBUG" | b"TRACE" => Some(Level::Debug),
            w if (w.ends_with(b"Error") || w.ends_with(b"Exception"))
                && head.get(j) == Some(&b':') =>
            {
                Some(Level::Error)
            }
            _ => None,
        };
        if let Some(l) = found {
            return l;
        }
        i = j.max(i + 1);
    }
    Level::None
}

/// How a segment is marked by the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Not a match.
    None,
    /// A match.
    Match,
    /// The current match.
    Current,
}

/// A piece of a row: byte range of the display text, its ANSI style, its search mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// ANSI style.
    pub style: Style,
    /// Search mark.
    pub mark: Mark,
}

/// Largest char boundary ≤ `limit` in `text`.
pub fn floor_boundary(text: &str, limit: usize) -> usize {
    if limit >= text.len() {
        return text.len();
    }
    let mut i = limit;
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Split the styled runs of a line at the search marks (`(start, end, current)`, sorted,
/// non-overlapping), up to `limit` bytes. Out-of-range or misaligned marks are clipped, never
/// a panic.
pub fn segments(
    text: &str,
    spans: &[Span],
    marks: &[(usize, usize, bool)],
    limit: usize,
) -> Vec<Segment> {
    let limit = floor_boundary(text, limit);
    let mut cuts: Vec<usize> = Vec::with_capacity(spans.len() + marks.len() * 2 + 2);
    cuts.push(0);
    for s in spans {
        cuts.push(s.start.min(limit));
        cuts.push(s.end.min(limit));
    }
    for &(a, b, _) in marks {
        cuts.push(floor_boundary(text, a.min(limit)));
        cuts.push(floor_boundary(text, b.min(limit)));
    }
    cuts.push(limit);
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::with_capacity(cuts.len());
    // Spans and marks are sorted and non-overlapping: walk them alongside the cuts.
    let (mut si, mut mi) = (0, 0);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a >= b {
            continue;
        }
        while si < spans.len() && spans[si].end <= a {
            si += 1;
        }
        let style = spans
            .get(si)
            .filter(|s| s.start <= a)
            .map(|s| s.style)
            .unwrap_or_default();
        while mi < marks.len() && marks[mi].1 <= a {
            mi += 1;
        }
        let mark = marks
            .get(mi)
            .filter(|(s, _, _)| *s <= a)
            .map_or(
                Mark::None,
                |(_, _, cur)| {
                    if *cur {
                        Mark::Current
                    } else {
                        Mark::Match
                    }
                },
            );
        match out.last_mut() {
            Some(Segment {
                end,
                style: st,
                mark: mk,
                ..
            }) if *end == a && *st == style && *mk == mark => *end = b,
            _ => out.push(Segment {
                start: a,
                end: b,
                style,
                mark,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(ix: &LogIndex) -> Vec<String> {
        (0..ix.len()).map(|i| ix.line(i).to_string()).collect()
    }

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

    #[test]
    fn merge_appends_only_new_lines() {
        let mut ix = LogIndex::new("a\nb\nc\n".into());
        // Growth.
        assert_eq!(
            ix.merge("a\nb\nc\nd\ne\n".into()),
            MergeOutcome::Appended {
                first_new: 3,
                new_lines: 2
            }
        );
        // A sliding window: starts inside what is shown.
        assert_eq!(
            ix.merge("d\ne\nf\n".into()),
            MergeOutcome::Appended {
                first_new: 5,
                new_lines: 1
            }
        );
        assert_eq!(lines(&ix), ["a", "b", "c", "d", "e", "f"]);
        // Nothing new (same text, or a shorter window that is all already shown).
        assert_eq!(ix.merge("e\nf\n".into()), MergeOutcome::Unchanged);
        assert_eq!(ix.merge(ix.text().to_string()), MergeOutcome::Unchanged);
        // No overlap: replaced.
        assert_eq!(ix.merge("x\ny\n".into()), MergeOutcome::Replaced);
        assert_eq!(lines(&ix), ["x", "y"]);
        // Empty answer after content: replaced (cleared).
        assert_eq!(ix.merge(String::new()), MergeOutcome::Replaced);
        assert!(ix.is_empty());
        // First content.
        assert_eq!(ix.merge("p\n".into()), MergeOutcome::Replaced);
    }

    #[test]
    fn merge_takes_the_longest_overlap_with_repeated_lines() {
        let mut ix = LogIndex::new("x\nb\nb\n".into());
        assert_eq!(
            ix.merge("b\nb\nb\nc\n".into()),
            MergeOutcome::Appended {
                first_new: 3,
                new_lines: 2
            }
        );
        assert_eq!(lines(&ix), ["x", "b", "b", "b", "c"]);
    }

    #[test]
    fn merge_completes_a_partial_line() {
        let mut ix = LogIndex::new("a\nhal".into());
        assert_eq!(
            ix.merge("a\nhalf done\nz\n".into()),
            MergeOutcome::Appended {
                first_new: 1,
                new_lines: 2
            }
        );
        assert_eq!(lines(&ix), ["a", "half done", "z"]);
        let mut ix = LogIndex::new("a\nhal".into());
        assert_eq!(ix.merge("a\nhal".into()), MergeOutcome::Unchanged);
    }

    #[test]
    fn merge_property_random_windows() {
        // A growing log served as a sliding window of W lines: merging every answer in turn
        // always ends with exactly the log's lines from the first answer on.
        let log: Vec<String> = (0..400)
            .map(|i| format!("{} line {}", i % 7, i % 13))
            .collect();
        let mut seed: u64 = 7;
        let mut rnd = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..50 {
            let w = 20 + rnd(40) as usize;
            let mut end = 1 + rnd(10) as usize;
            let window = |end: usize| -> String {
                log[end.saturating_sub(w)..end]
                    .iter()
                    .map(|l| format!("{l}\n"))
                    .collect()
            };
            let first_start = end.saturating_sub(w);
            let mut ix = LogIndex::new(window(end));
            while end < log.len() {
                end = (end + 1 + rnd((w / 2) as u64) as usize).min(log.len());
                let outcome = ix.merge(window(end));
                assert!(!matches!(outcome, MergeOutcome::Replaced), "overlap exists");
            }
            assert_eq!(lines(&ix), log[first_start..].to_vec());
        }
    }

    #[test]
    fn kmp_overlap() {
        assert_eq!(kmp_suffix_prefix(&[1, 2, 3], &[2, 3, 4]), 2);
        assert_eq!(kmp_suffix_prefix(&[1, 2, 3], &[4]), 0);
        assert_eq!(kmp_suffix_prefix(&[1, 1, 1], &[1, 1]), 2);
        assert_eq!(kmp_suffix_prefix::<u8>(&[], &[1]), 0);
        assert_eq!(kmp_suffix_prefix(&[1, 2, 1, 2], &[1, 2, 1, 2, 9]), 4);
    }

    #[test]
    fn search_is_case_insensitive_over_display_text() {
        let ix = LogIndex::new(
            "INFO ok\n\u{1b}[31mERROR\u{1b}[0m: Boom boom\nnothing\nboomboom\n".into(),
        );
        let n = Needle::new("boom").unwrap();
        let mut out = Vec::new();
        let found = search_range(&ix, &n, 0..ix.len(), &mut out);
        assert_eq!(found, 4);
        assert_eq!(
            out[0],
            Match {
                line: 1,
                start: 7,
                end: 11
            },
            "offsets in the display text (escapes removed)"
        );
        assert_eq!(&ix.display(1)[7..11], "Boom");
        assert_eq!(matches_in_line(&out, 3).len(), 2);
        assert_eq!(matches_in_line(&out, 0).len(), 0);
        // In slices: the same matches.
        let mut sliced = Vec::new();
        for a in (0..ix.len()).step_by(1) {
            search_range(&ix, &n, a..a + 1, &mut sliced);
        }
        assert_eq!(sliced, out);
        // An escape sequence never matches: "31m" is not in the display text.
        let mut none = Vec::new();
        assert_eq!(
            search_range(&ix, &Needle::new("31m").unwrap(), 0..4, &mut none),
            0
        );
        assert!(Needle::new("").is_none());
        assert_eq!(first_match_from(&out, 2), Some(2));
        assert_eq!(first_match_from(&out, 9), Some(0), "wraps");
    }

    #[test]
    fn search_handles_unicode_and_markup() {
        let ix = LogIndex::new("Très <script>x</script> TRÈS\n".into());
        let mut out = Vec::new();
        search_range(&ix, &Needle::new("<SCRIPT>").unwrap(), 0..1, &mut out);
        assert_eq!(out.len(), 1);
        let mut out = Vec::new();
        search_range(&ix, &Needle::new("très").unwrap(), 0..1, &mut out);
        assert_eq!(out.len(), 1, "ASCII folding only: 'È' is not 'è'");
        assert!(ix.display(0).is_char_boundary(out[0].end as usize));
    }

    #[test]
    fn levels() {
        assert_eq!(
            level("[7] [ERROR] Exception in worker process"),
            Level::Error
        );
        assert_eq!(level("2025/08/12 09:22:03 WARNING model: x"), Level::Warn);
        assert_eq!(level("ERROR: No matching distribution"), Level::Error);
        assert_eq!(
            level("[x] Traceback (most recent call last):"),
            Level::Error
        );
        assert_eq!(level("[x] OSError: Can't load tokenizer"), Level::Error);
        assert_eq!(level("INFO:     10.0.0.1 - \"POST\""), Level::Info);
        assert_eq!(level("DEBUG payload"), Level::Debug);
        assert_eq!(
            level("INFORMATION ERRORS WARNINGS"),
            Level::None,
            "whole words only"
        );
        assert_eq!(level("no level here"), Level::None);
        assert_eq!(level(""), Level::None);
    }

    #[test]
    fn segments_split_styles_at_marks() {
        let text = "abcdef";
        let red = Style {
            fg: Some(1),
            ..Style::default()
        };
        let spans = [
            Span {
                start: 0,
                end: 3,
                style: red,
            },
            Span {
                start: 3,
                end: 6,
                style: Style::default(),
            },
        ];
        let segs = segments(text, &spans, &[(2, 4, true)], usize::MAX);
        let got: Vec<(&str, Option<u8>, Mark)> = segs
            .iter()
            .map(|s| (&text[s.start..s.end], s.style.fg, s.mark))
            .collect();
        assert_eq!(
            got,
            vec![
                ("ab", Some(1), Mark::None),
                ("c", Some(1), Mark::Current),
                ("d", None, Mark::Current),
                ("ef", None, Mark::None),
            ]
        );
        // Truncation and out-of-range marks never panic.
        let segs = segments("héllo", &[], &[(1, 99, false)], 2);
        assert_eq!(segs.len(), 1);
        assert_eq!(
            (segs[0].start, segs[0].end, segs[0].mark),
            (0, 1, Mark::None)
        );
        assert_eq!(segments("", &[], &[], 10), vec![]);
    }
}
