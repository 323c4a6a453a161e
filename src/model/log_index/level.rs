//! A line's level (error, warning, info, debug), for colouring.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
