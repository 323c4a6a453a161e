//! The command palette's matcher: fuzzy, case-insensitive subsequence matching over endpoint
//! names, tabs and actions, ranked, recent items first. Built once per list response
//! ([`Palette::new`] lowercases every label once); [`Palette::search`] runs per keystroke and
//! allocates only its hits (10,000 names: see BENCHMARKS.md, "Fleet").
//!
//! Score (higher is better), fzf-v1 style: the leftmost match is tightened from its end
//! backwards to the shortest window; each matched character scores, with bonuses at the start
//! of the label, after a separator (`-`, `_`, `.`, `/`, space) or a lower→upper case change,
//! and for consecutive matches; a gap inside the window costs 3, plus 1 per extra character.

/// What an entry does when chosen.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Target {
    /// Open an endpoint.
    Endpoint(String),
    /// Open a tab of an endpoint (`tab` is the route word: `logs`, `permissions` …).
    Tab {
        /// Endpoint name.
        endpoint: String,
        /// Tab route word.
        tab: String,
    },
    /// Run an action (it still opens its confirmation); the id is the caller's.
    Action(String),
}

/// One palette entry.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Entry {
    /// What is shown and matched ("fraud-detector-prod", "fraud-detector-prod › Logs",
    /// "Stop selected endpoints").
    pub label: String,
    /// What choosing it does.
    pub target: Target,
}

/// One hit.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Hit {
    /// Index into the entries.
    pub index: usize,
    /// Score (higher first).
    pub score: i32,
    /// Char indices of the label that matched (for highlighting), ascending.
    pub positions: Vec<usize>,
}

const SCORE_MATCH: i32 = 16;
const BONUS_START: i32 = 12;
const BONUS_BOUNDARY: i32 = 10;
const BONUS_CONSECUTIVE: i32 = 8;
const PENALTY_GAP_START: i32 = 3;
const PENALTY_GAP_EXTENSION: i32 = 1;

struct Prepared {
    lower: Vec<char>,
    bonus: Vec<i32>,
}

fn prepare(label: &str) -> Prepared {
    let chars: Vec<char> = label.chars().collect();
    let mut lower = Vec::with_capacity(chars.len());
    let mut bonus = Vec::with_capacity(chars.len());
    for (i, &c) in chars.iter().enumerate() {
        lower.push(c.to_lowercase().next().unwrap_or(c));
        let b = if i == 0 {
            BONUS_START
        } else {
            let p = chars[i - 1];
            if matches!(p, '-' | '_' | '.' | '/' | ' ' | '›' | ':')
                || (p.is_lowercase() && c.is_uppercase())
                || (!p.is_ascii_digit() && c.is_ascii_digit())
            {
                BONUS_BOUNDARY
            } else {
                0
            }
        };
        bonus.push(b);
    }
    Prepared { lower, bonus }
}

/// The palette's entries, prepared for matching.
pub struct Palette {
    entries: Vec<Entry>,
    prepared: Vec<Prepared>,
}

impl Palette {
    /// Prepare `entries` (once per list response).
    pub fn new(entries: Vec<Entry>) -> Self {
        let prepared = entries.iter().map(|e| prepare(&e.label)).collect();
        Palette { entries, prepared }
    }

    /// The entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The best `limit` hits for `query` (whitespace ignored), recent entries first (`recent`:
    /// labels, most recent first), then by score, shorter label, label. An empty query lists
    /// the recent entries, then the others in order.
    pub fn search(&self, query: &str, recent: &[String], limit: usize) -> Vec<Hit> {
        let needle: Vec<char> = query
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_lowercase().next().unwrap_or(c))
            .collect();
        let recency = |i: usize| {
            recent
                .iter()
                .position(|r| *r == self.entries[i].label)
                .unwrap_or(usize::MAX)
        };
        let mut hits: Vec<Hit> = if needle.is_empty() {
            (0..self.entries.len())
                .map(|index| Hit {
                    index,
                    score: 0,
                    positions: Vec::new(),
                })
                .collect()
        } else {
            self.prepared
                .iter()
                .enumerate()
                .filter_map(|(index, p)| {
                    score(p, &needle).map(|(score, positions)| Hit {
                        index,
                        score,
                        positions,
                    })
                })
                .collect()
        };
        let keyed = |h: &Hit| (recency(h.index), -h.score);
        if needle.is_empty() {
            hits.sort_by_key(|h| (recency(h.index), h.index));
        } else {
            hits.sort_by(|a, b| {
                keyed(a)
                    .cmp(&keyed(b))
                    .then_with(|| {
                        self.prepared[a.index]
                            .lower
                            .len()
                            .cmp(&self.prepared[b.index].lower.len())
                    })
                    .then_with(|| {
                        self.entries[a.index]
                            .label
                            .cmp(&self.entries[b.index].label)
                    })
            });
        }
        hits.truncate(limit);
        hits
    }
}

/// The score and positions of `needle` in `p`, or `None` when it is not a subsequence.
fn score(p: &Prepared, needle: &[char]) -> Option<(i32, Vec<usize>)> {
    let hay = &p.lower;
    if needle.len() > hay.len() {
        return None;
    }
    // Forward: the leftmost end of a match.
    let mut j = 0;
    let mut end = 0;
    for (i, &c) in hay.iter().enumerate() {
        if c == needle[j] {
            j += 1;
            if j == needle.len() {
                end = i;
                break;
            }
        }
    }
    if j < needle.len() {
        return None;
    }
    // Backward from there: the latest start, i.e. the shortest window ending at `end`.
    let mut positions = vec![0; needle.len()];
    let mut k = needle.len();
    let mut i = end + 1;
    while k > 0 {
        i -= 1;
        if hay[i] == needle[k - 1] {
            k -= 1;
            positions[k] = i;
        }
    }
    let mut s = 0;
    for (n, &pos) in positions.iter().enumerate() {
        s += SCORE_MATCH + p.bonus[pos];
        if n > 0 {
            let gap = pos - positions[n - 1] - 1;
            if gap == 0 {
                s += BONUS_CONSECUTIVE;
            } else {
                s -= PENALTY_GAP_START
                    + PENALTY_GAP_EXTENSION * i32::try_from(gap.min(50) - 1).unwrap_or(49);
            }
        }
    }
    Some((s, positions))
}

/// The palette's entries for a list of endpoint names: each endpoint, then its tabs
/// (`tabs`: route word and label, e.g. `("logs", "Logs")`), then the `actions` (id, label).
pub fn entries_for(names: &[&str], tabs: &[(&str, &str)], actions: &[(&str, &str)]) -> Vec<Entry> {
    let mut out = Vec::with_capacity(names.len() * (1 + tabs.len()) + actions.len());
    for n in names {
        out.push(Entry {
            label: (*n).to_string(),
            target: Target::Endpoint((*n).to_string()),
        });
    }
    for n in names {
        for (tab, label) in tabs {
            out.push(Entry {
                label: format!("{n} › {label}"),
                target: Target::Tab {
                    endpoint: (*n).to_string(),
                    tab: (*tab).to_string(),
                },
            });
        }
    }
    for (id, label) in actions {
        out.push(Entry {
            label: (*label).to_string(),
            target: Target::Action((*id).to_string()),
        });
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn pal(names: &[&str]) -> Palette {
        Palette::new(entries_for(names, &[], &[]))
    }

    fn labels(p: &Palette, hits: &[Hit]) -> Vec<String> {
        hits.iter()
            .map(|h| p.entries()[h.index].label.clone())
            .collect()
    }

    #[test]
    fn subsequence_case_insensitive_and_non_matches_dropped() {
        let p = pal(&["fraud-detector-prod", "Fraud-Detector-Dev", "churn-model"]);
        let h = p.search("FDP", &[], 10);
        assert_eq!(labels(&p, &h), vec!["fraud-detector-prod"]);
        assert_eq!(h[0].positions, vec![0, 6, 15]);
        assert!(p.search("xyz", &[], 10).is_empty());
        assert!(p.search("churn-model-extra", &[], 10).is_empty());
    }

    #[test]
    fn boundaries_and_consecutive_rank_higher() {
        let p = pal(&["a-b-c-prod-x", "production", "xprodx", "p-r-o-d"]);
        let l = labels(&p, &p.search("prod", &[], 10));
        assert_eq!(l[0], "production", "{l:?}");
        assert_eq!(l.last().map(String::as_str), Some("xprodx"), "{l:?}");
        assert!(l.iter().position(|x| x == "a-b-c-prod-x") < l.iter().position(|x| x == "xprodx"));
    }

    #[test]
    fn recent_first_and_empty_query_lists_recent_then_all() {
        let p = pal(&["alpha", "alpine", "beta"]);
        let recent = vec!["beta".to_string(), "alpine".to_string()];
        assert_eq!(
            labels(&p, &p.search("", &recent, 10)),
            vec!["beta", "alpine", "alpha"]
        );
        assert_eq!(
            labels(&p, &p.search("al", &recent, 10)),
            vec!["alpine", "alpha"]
        );
        assert_eq!(p.search("", &recent, 2).len(), 2);
    }

    #[test]
    fn tabs_and_actions_are_entries() {
        let p = Palette::new(entries_for(
            &["fraud-prod"],
            &[("logs", "Logs"), ("permissions", "Permissions")],
            &[("stop", "Stop selected endpoints")],
        ));
        let h = p.search("fraud logs", &[], 5);
        assert_eq!(
            p.entries()[h[0].index].target,
            Target::Tab {
                endpoint: "fraud-prod".into(),
                tab: "logs".into()
            }
        );
        let h = p.search("stop", &[], 5);
        assert_eq!(
            p.entries()[h[0].index].target,
            Target::Action("stop".into())
        );
    }

    #[test]
    fn non_ascii_labels_are_safe() {
        let p = pal(&["Ünïcödé-ëndpoint", "İstanbul"]);
        assert_eq!(p.search("ünï", &[], 5).len(), 1);
        assert_eq!(p.search("i̇", &[], 5).len(), 0);
        assert_eq!(p.search("stan", &[], 5).len(), 1);
    }
}
