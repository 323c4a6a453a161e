//! Follow's "only new lines" merge. The API returns the whole recent log each time: the fresh
//! text's longest prefix of complete lines that is also a suffix of the complete lines held is the
//! overlap (KMP over line hashes, then verified by comparing the lines), and only what follows
//! it is appended. No overlap (the log was replaced, or moved on by more than a window) → replace.

use super::LogIndex;

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

impl LogIndex {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::log_index::test_support::lines;

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
}
