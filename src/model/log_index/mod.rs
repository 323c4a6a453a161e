//! A log held once as one `String` with a line index (offsets, not one `String` per line), and
//! what the viewer does with it: line access, case-insensitive search, level detection, row
//! segments (ANSI runs × search marks), and follow's "only new lines" merge.
//!
//! - Lines end at `\n` (a trailing `\r` is not shown); a last line without `\n` is *partial*: the
//!   next poll may complete it.
//! - The index keeps, per line, whether it may hold escape sequences or control characters
//!   ([`ansi::may_be_special`](crate::model::ansi::may_be_special)); other lines are shown and
//!   searched as they are, with no parsing.
//! - Search is ASCII-case-insensitive over the *display* text (what the viewer shows, escape
//!   sequences removed), runs over a range of lines so the caller can do it in slices without
//!   blocking, and reports byte offsets into the display text of each line.
//! - Merge: the API returns the whole (recent) log each time. The fresh text's longest prefix of
//!   complete lines that is also a suffix of the complete lines shown is the overlap (KMP over
//!   line hashes, then verified by comparing the lines); only what follows it is appended. No
//!   overlap (the log was replaced, or moved on by more than a whole window) → replace.

mod index;
mod level;
mod merge;
mod search;
mod segments;

pub use index::{LogIndex, DISPLAY_LIMIT};
pub use level::{level, Level};
pub use merge::{kmp_suffix_prefix, Merge, MergeOutcome};
pub use search::{first_match_from, matches_in_line, search_range, Match, Needle, MAX_MATCHES};
pub use segments::{floor_boundary, segments, Mark, Segment};

/// Helpers of this module's tests.
#[cfg(test)]
mod test_support {
    use super::LogIndex;

    pub(super) fn lines(ix: &LogIndex) -> Vec<String> {
        (0..ix.len()).map(|i| ix.line(i).to_string()).collect()
    }
}
