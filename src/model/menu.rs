//! Keyboard movement inside a menu (WAI-ARIA menu pattern), pure so it is tested natively.

/// Where focus goes among the items after a key (pure; `None` = no move).
pub fn next_index(key: &str, current: Option<usize>, len: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let last = len - 1;
    match key {
        "ArrowDown" => Some(match current {
            Some(i) if i < last => i + 1,
            _ => 0,
        }),
        "ArrowUp" => Some(match current {
            Some(i) if i > 0 => i - 1,
            _ => last,
        }),
        "Home" | "PageUp" => Some(0),
        "End" | "PageDown" => Some(last),
        _ => None,
    }
}

/// Type-ahead: the next item after `current` whose label starts with `ch` (case-insensitive),
/// wrapping around.
pub fn typeahead(labels: &[String], current: Option<usize>, ch: &str) -> Option<usize> {
    let ch = ch.to_lowercase();
    if ch.chars().count() != 1 || ch.trim().is_empty() {
        return None;
    }
    let n = labels.len();
    let start = current.map_or(0, |c| c + 1);
    (0..n)
        .map(|k| (start + k) % n)
        .find(|&i| labels[i].trim_start().to_lowercase().starts_with(&ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrows_wrap_and_home_end_jump() {
        assert_eq!(next_index("ArrowDown", Some(0), 3), Some(1));
        assert_eq!(next_index("ArrowDown", Some(2), 3), Some(0));
        assert_eq!(next_index("ArrowUp", Some(0), 3), Some(2));
        assert_eq!(next_index("ArrowUp", Some(2), 3), Some(1));
        assert_eq!(next_index("ArrowDown", None, 3), Some(0));
        assert_eq!(next_index("ArrowUp", None, 3), Some(2));
        assert_eq!(next_index("Home", Some(2), 3), Some(0));
        assert_eq!(next_index("End", Some(0), 3), Some(2));
        assert_eq!(next_index("x", Some(0), 3), None);
        assert_eq!(next_index("ArrowDown", None, 0), None);
    }

    #[test]
    fn typeahead_finds_the_next_match_and_wraps() {
        let l = vec![
            "Delete".to_string(),
            "Copy name".to_string(),
            "Copy id".to_string(),
        ];
        assert_eq!(typeahead(&l, Some(0), "c"), Some(1));
        assert_eq!(typeahead(&l, Some(1), "C"), Some(2));
        assert_eq!(typeahead(&l, Some(2), "c"), Some(1));
        assert_eq!(typeahead(&l, Some(2), "d"), Some(0));
        assert_eq!(typeahead(&l, None, "z"), None);
        assert_eq!(typeahead(&l, None, "ArrowLeft"), None);
        assert_eq!(typeahead(&l, None, " "), None);
    }
}
