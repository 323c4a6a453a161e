//! Search: ASCII-case-insensitive over the display text, over a range of lines so the caller can
//! run it in slices, reporting byte offsets into each line's display text.

use super::index::to_u32;
use super::LogIndex;
use std::ops::Range;

/// Matches kept for navigation; more are counted but not kept.
pub const MAX_MATCHES: usize = 100_000;

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
