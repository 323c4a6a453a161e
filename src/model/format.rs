//! Number and label formatting shared by the views.

/// Longest label shown in a `<select>` option (an option cannot wrap: a longer one would make
/// the select, and the page, as wide as the text).
pub const OPTION_LABEL_CHARS: usize = 80;

/// `s` cut to `max` characters with an ellipsis (the full text stays in the option's value).
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

/// `1234567` → `"1,234,567"`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{clip, thousands, OPTION_LABEL_CHARS};

    #[test]
    fn counts_have_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3480), "3,480");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn long_labels_are_clipped_on_a_character_boundary() {
        assert_eq!(clip("short", OPTION_LABEL_CHARS), "short");
        let long = "é".repeat(100 * 1024);
        let c = clip(&long, OPTION_LABEL_CHARS);
        assert_eq!(c.chars().count(), OPTION_LABEL_CHARS + 1);
        assert!(c.ends_with('…'));
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("abc", 3), "abc");
    }
}
