//! Number and label formatting shared by the views.

use crate::model::ansi::is_bidi_control;
use std::borrow::Cow;

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

/// Text from the API as the console shows it inside its own strings (`format!("Stop {name}?")`,
/// labels, messages): each bidirectional formatting character (U+202E RIGHT-TO-LEFT OVERRIDE,
/// U+2066 LEFT-TO-RIGHT ISOLATE, …) becomes a visible `⟨U+202E⟩`, as in the log viewer, so that
/// it can neither reorder the console's own words around it nor hide what the text says.
/// Borrowed when there is none (the usual case).
pub fn api_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_bidi_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_bidi_control(c) {
            // Every bidi control is in U+0000..=U+FFFF: four hex digits.
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            let u = c as u32;
            out.push_str("⟨U+");
            for shift in [12, 8, 4, 0] {
                out.push(char::from(HEX[((u >> shift) & 0xf) as usize]));
            }
            out.push('⟩');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{api_text, clip, thousands, OPTION_LABEL_CHARS};
    use std::borrow::Cow;

    #[test]
    fn bidi_controls_in_api_text_show_as_symbols() {
        // A name that would read "exe.gnp" backwards and swallow the console's own "?".
        let name = "invoice\u{202e}gnp.exe\u{2066}";
        let title = format!("Stop {}?", api_text(name));
        assert_eq!(title, "Stop invoice⟨U+202E⟩gnp.exe⟨U+2066⟩?");
        for c in ['\u{061c}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{2069}'] {
            assert!(!api_text(&format!("a{c}b")).contains(c), "{c:?}");
        }
        // Other text, right-to-left scripts included, is left exactly as it is, unallocated.
        assert!(matches!(
            api_text("מודל-ערבית ü/x"),
            Cow::Borrowed("מודל-ערבית ü/x")
        ));
    }

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
