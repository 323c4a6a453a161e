//! Row segments: a line's styled runs split at the search marks.

use crate::model::ansi::{Span, Style};

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
