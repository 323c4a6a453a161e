//! ANSI escape sequences in one log line → display text plus styled runs.
//!
//! - SGR (`ESC [ … m`) colours and attributes become a [`Style`] drawn from a fixed set: 16
//!   foreground colours, 16 background colours, bold, dim, italic, underline. 256-colour
//!   indexes below 16 map onto the 16; other indexes and RGB are dropped.
//! - Every other sequence is dropped, never interpreted: cursor movement, erase, titles and OSC 8
//!   hyperlinks (OSC), DCS/SOS/PM/APC strings, two-byte escapes, and the 8-bit C1 forms.
//! - A sequence still open at the end of the line (an unterminated OSC, a cut-off CSI) is shown
//!   as text, so a stray `ESC ]` cannot hide the rest of a line.
//! - Control characters outside sequences show as visible symbols (`␛`, `␍`, `␇`, …; tab is
//!   kept), other C1 controls as `�`, and bidirectional overrides as `⟨U+202E⟩`, so no byte
//!   sequence can reorder or hide what the operator reads.
//!
//! The parser is a single pass over the characters with O(1) work per character (the parameter
//! list is capped), so it is linear in its input, and it never panics, whatever the input. Style
//! does not carry from one line to the next (each line is parsed on its own).

/// Text attributes from SGR, mapped onto a fixed set of CSS classes.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug, Hash)]
pub struct Style {
    /// Foreground colour 0–15 (8–15 are the bright ones).
    pub fg: Option<u8>,
    /// Background colour 0–15.
    pub bg: Option<u8>,
    /// SGR 1.
    pub bold: bool,
    /// SGR 2.
    pub dim: bool,
    /// SGR 3.
    pub italic: bool,
    /// SGR 4.
    pub underline: bool,
}

impl Style {
    /// No attribute set.
    pub fn is_plain(&self) -> bool {
        *self == Style::default()
    }

    /// The CSS classes of this style, e.g. `"ansi-fg-1 ansi-bold"` (empty when plain). With a
    /// background colour the foreground is left to the background class, which picks a text
    /// colour readable on it.
    pub fn classes(&self) -> String {
        let mut out = String::new();
        let mut add = |s: &str| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(s);
        };
        match (self.fg, self.bg) {
            (_, Some(b)) => add(&format!("ansi-bg-{b}")),
            (Some(f), None) => add(&format!("ansi-fg-{f}")),
            (None, None) => {}
        }
        if self.bold {
            add("ansi-bold");
        }
        if self.dim {
            add("ansi-dim");
        }
        if self.italic {
            add("ansi-italic");
        }
        if self.underline {
            add("ansi-underline");
        }
        out
    }

    /// Apply one SGR parameter list (already split on `;`/`:`).
    fn apply_sgr(&mut self, params: &[u16]) {
        if params.is_empty() {
            *self = Style::default();
            return;
        }
        let mut i = 0;
        while i < params.len() {
            let p = params[i];
            match p {
                0 => *self = Style::default(),
                1 => self.bold = true,
                2 => self.dim = true,
                3 => self.italic = true,
                4 => self.underline = true,
                21 | 22 => {
                    self.bold = false;
                    self.dim = false;
                }
                23 => self.italic = false,
                24 => self.underline = false,
                30..=37 => self.fg = Some((p - 30) as u8),
                39 => self.fg = None,
                40..=47 => self.bg = Some((p - 40) as u8),
                49 => self.bg = None,
                90..=97 => self.fg = Some((p - 90 + 8) as u8),
                100..=107 => self.bg = Some((p - 100 + 8) as u8),
                38 | 48 => {
                    // 38;5;n (index) or 38;2;r;g;b (RGB): only indexes 0–15 are kept.
                    let colour = match params.get(i + 1) {
                        Some(5) => {
                            let n = params.get(i + 2).copied();
                            i += 2;
                            n.filter(|n| *n < 16).map(|n| n as u8)
                        }
                        Some(2) => {
                            i += 4;
                            None
                        }
                        _ => None,
                    };
                    if let Some(c) = colour {
                        if p == 38 {
                            self.fg = Some(c);
                        } else {
                            self.bg = Some(c);
                        }
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
}

/// A run of display text (byte offsets into [`Styled::text`]) with one style.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Its style.
    pub style: Style,
}

/// A parsed line: what to show, and its styled runs (contiguous, covering the whole text,
/// adjacent runs of equal style merged; empty for an empty text).
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Styled {
    /// The display text: no escape sequences, no control characters except tab.
    pub text: String,
    /// Runs covering `text` from 0 to `text.len()`.
    pub spans: Vec<Span>,
}

/// SGR parameters kept per sequence; more are consumed but ignored.
const MAX_PARAMS: usize = 32;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Ground,
    /// After ESC.
    Escape,
    /// ESC followed by intermediate bytes, waiting for the final byte.
    EscapeIntermediate,
    /// Inside `ESC [` (or C1 CSI).
    Csi,
    /// A string sequence (OSC, DCS, SOS, PM, APC) up to its terminator.
    Str {
        osc: bool,
    },
    /// ESC seen inside a string sequence (ST is `ESC \`).
    StrEscape,
}

/// Does this character need the slow path (escape, control, C1, bidi control)?
pub fn is_special_char(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\t') || (0x7f..=0x9f).contains(&u) || is_bidi_control(c)
}

/// Bidirectional formatting characters (Trojan-Source style reordering).
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// A quick byte test for a whole line: `false` means the line shows exactly as it is (no
/// escape, control, C1 or bidi character). May say `true` for some harmless lines.
pub fn may_be_special(line: &[u8]) -> bool {
    line.iter()
        .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f || b == 0xc2 || b == 0xd8 || b == 0xe2)
}

/// The visible stand-in of a control character outside any sequence.
fn visible(c: char, out: &mut String) {
    let u = c as u32;
    if u < 0x20 {
        // U+2400 CONTROL PICTURE FOR NULL + code.
        out.push(char::from_u32(0x2400 + u).unwrap_or('\u{fffd}'));
    } else if u == 0x7f {
        out.push('\u{2421}');
    } else if is_bidi_control(c) {
        out.push_str(&format!("⟨U+{u:04X}⟩"));
    } else {
        out.push('\u{fffd}');
    }
}

/// Show a raw piece of input (an unfinished sequence) as text: controls as symbols.
fn push_visible_raw(raw: &str, out: &mut String) {
    for c in raw.chars() {
        if is_special_char(c) {
            visible(c, out);
        } else {
            out.push(c);
        }
    }
}

struct Builder {
    text: String,
    spans: Vec<Span>,
    style: Style,
}

impl Builder {
    fn push_str(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(s);
        self.extend(start);
    }

    fn push_visible(&mut self, c: char) {
        let start = self.text.len();
        visible(c, &mut self.text);
        self.extend(start);
    }

    fn push_visible_raw(&mut self, raw: &str) {
        let start = self.text.len();
        push_visible_raw(raw, &mut self.text);
        self.extend(start);
    }

    fn extend(&mut self, start: usize) {
        let end = self.text.len();
        if end == start {
            return;
        }
        match self.spans.last_mut() {
            Some(last) if last.style == self.style && last.end == start => last.end = end,
            _ => self.spans.push(Span {
                start,
                end,
                style: self.style,
            }),
        }
    }
}

/// Parse one line (no newline inside; a `\n` would show as `␊`).
pub fn parse(input: &str) -> Styled {
    let mut b = Builder {
        text: String::with_capacity(input.len()),
        spans: Vec::new(),
        style: Style::default(),
    };
    let mut state = State::Ground;
    // Byte offset where the sequence being read started (to show it if it never ends).
    let mut seq_start = 0usize;
    // Start of the pending run of plain characters (pushed in one go).
    let mut plain_start = 0usize;
    let mut params: Vec<u16> = Vec::new();
    let mut current: Option<u16> = None;
    let mut private = false;
    let mut intermediate = false;

    let mut chars = input.char_indices();
    // A character to look at again in a new state: at most twice per character (a string's
    // ESC hands it to Escape, which may hand it to Ground, which never hands it on).
    let mut again: Option<(usize, char)> = None;
    while let Some((i, c)) = again.take().or_else(|| chars.next()) {
        let next = i + c.len_utf8();
        match state {
            State::Ground => {
                if !is_special_char(c) {
                    continue;
                }
                b.push_str(input.get(plain_start..i).unwrap_or(""));
                plain_start = next;
                seq_start = i;
                match c {
                    '\u{1b}' => state = State::Escape,
                    '\u{9b}' => {
                        state = State::Csi;
                        params.clear();
                        current = None;
                        private = false;
                        intermediate = false;
                    }
                    '\u{9d}' => state = State::Str { osc: true },
                    '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => state = State::Str { osc: false },
                    _ => b.push_visible(c),
                }
            }
            State::Escape => match c {
                '[' => {
                    state = State::Csi;
                    params.clear();
                    current = None;
                    private = false;
                    intermediate = false;
                }
                ']' => state = State::Str { osc: true },
                'P' | 'X' | '^' | '_' => state = State::Str { osc: false },
                ' '..='/' => state = State::EscapeIntermediate,
                '0'..='~' => {
                    state = State::Ground;
                    plain_start = next;
                }
                _ => {
                    // Not a sequence: show the ESC, then this character as in Ground.
                    b.push_visible('\u{1b}');
                    state = State::Ground;
                    plain_start = i;
                    again = Some((i, c));
                }
            },
            State::EscapeIntermediate => match c {
                ' '..='/' => {}
                '0'..='~' => {
                    state = State::Ground;
                    plain_start = next;
                }
                _ => {
                    b.push_visible_raw(input.get(seq_start..i).unwrap_or(""));
                    state = State::Ground;
                    plain_start = i;
                    again = Some((i, c));
                }
            },
            State::Csi => match c {
                '0'..='9' => {
                    let d = c as u16 - '0' as u16;
                    current = Some(
                        current
                            .unwrap_or(0)
                            .saturating_mul(10)
                            .saturating_add(d)
                            .min(9999),
                    );
                }
                ';' | ':' => {
                    if params.len() < MAX_PARAMS {
                        params.push(current.unwrap_or(0));
                    }
                    current = None;
                }
                '<' | '=' | '>' | '?' => private = true,
                ' '..='/' => intermediate = true,
                '@'..='~' => {
                    if let Some(v) = current.take() {
                        if params.len() < MAX_PARAMS {
                            params.push(v);
                        }
                    }
                    if c == 'm' && !private && !intermediate {
                        b.style.apply_sgr(&params);
                    }
                    state = State::Ground;
                    plain_start = next;
                }
                '\u{1b}' => {
                    // Cancelled by a new escape: drop what was read, start over.
                    state = State::Escape;
                    seq_start = i;
                }
                _ => {
                    // Invalid inside CSI: the sequence is abandoned (dropped); the character is
                    // handled as in Ground.
                    state = State::Ground;
                    plain_start = i;
                    again = Some((i, c));
                }
            },
            State::Str { osc } => match c {
                '\u{7}' if osc => {
                    state = State::Ground;
                    plain_start = next;
                }
                '\u{9c}' => {
                    state = State::Ground;
                    plain_start = next;
                }
                '\u{1b}' => state = State::StrEscape,
                _ => {}
            },
            State::StrEscape => {
                if c == '\\' {
                    state = State::Ground;
                    plain_start = next;
                } else {
                    // The ESC ended the string; it starts a new sequence with this character.
                    state = State::Escape;
                    seq_start = i.saturating_sub(1);
                    again = Some((i, c));
                }
            }
        }
    }
    match state {
        State::Ground => b.push_str(input.get(plain_start..).unwrap_or("")),
        // An unfinished sequence is shown, not swallowed.
        _ => b.push_visible_raw(input.get(seq_start..).unwrap_or("")),
    }
    Styled {
        text: b.text,
        spans: b.spans,
    }
}

/// The display text of a line (escape sequences removed, controls made visible).
pub fn strip(input: &str) -> String {
    if !may_be_special(input.as_bytes()) {
        return input.to_string();
    }
    parse(input).text
}

/// Parse arbitrary bytes (invalid UTF-8 shows as `�`).
pub fn parse_bytes(input: &[u8]) -> Styled {
    parse(&String::from_utf8_lossy(input))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(s: &Styled) -> Vec<(String, String)> {
        s.spans
            .iter()
            .map(|sp| (s.text[sp.start..sp.end].to_string(), sp.style.classes()))
            .collect()
    }

    #[test]
    fn plain_text_is_unchanged() {
        let s = parse("hello <b>world</b> \t ünï 日本");
        assert_eq!(s.text, "hello <b>world</b> \t ünï 日本");
        assert_eq!(s.spans.len(), 1);
        assert!(s.spans[0].style.is_plain());
        assert_eq!(parse(""), Styled::default());
    }

    #[test]
    fn sgr_colours_and_attributes_map_to_fixed_classes() {
        let s = parse("\u{1b}[32mINFO\u{1b}[0m: ok \u{1b}[1;31mERR\u{1b}[22m x\u{1b}[m end");
        assert_eq!(s.text, "INFO: ok ERR x end");
        assert_eq!(
            classes(&s),
            vec![
                ("INFO".into(), "ansi-fg-2".into()),
                (": ok ".into(), "".into()),
                ("ERR".into(), "ansi-fg-1 ansi-bold".into()),
                (" x".into(), "ansi-fg-1".into()),
                (" end".into(), "".into()),
            ]
        );
        let s = parse("\u{1b}[91;44;3;4mb\u{1b}[39;49;23;24mc\u{1b}[2md");
        assert_eq!(
            classes(&s),
            vec![
                ("b".into(), "ansi-bg-4 ansi-italic ansi-underline".into()),
                ("c".into(), "".into()),
                ("d".into(), "ansi-dim".into()),
            ]
        );
        let s = parse("\u{1b}[38;5;9ma\u{1b}[38;5;200mb\u{1b}[38;2;1;2;3mc\u{1b}[0;48;5;3md");
        assert_eq!(
            classes(&s),
            vec![
                ("abc".into(), "ansi-fg-9".into()),
                ("d".into(), "ansi-bg-3".into())
            ],
            "256-colour indexes ≥ 16 and RGB are dropped (colour kept from before)"
        );
        let s = parse("\u{1b}[97ma\u{1b}[100mb");
        assert_eq!(s.spans[0].style.fg, Some(15));
        assert_eq!(s.spans[1].style.bg, Some(8));
    }

    #[test]
    fn other_sequences_are_dropped_not_interpreted() {
        // Cursor movement, erase, title (OSC 0 with BEL), OSC 8 hyperlink (ST-terminated),
        // a private mode, a charset escape, DCS.
        let s = parse(
            "a\u{1b}[2J\u{1b}[10;5Hb\u{1b}]0;owned\u{7}c\u{1b}]8;;https://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\d\u{1b}[?25le\u{1b}(Bf\u{1b}P1$r\u{1b}\\g",
        );
        assert_eq!(s.text, "abclinkdefg");
        assert!(s.spans.iter().all(|sp| sp.style.is_plain()));
        // 8-bit C1 CSI and OSC.
        let s = parse("x\u{9b}31my\u{9d}2;t\u{9c}z");
        assert_eq!(s.text, "xyz");
        assert_eq!(s.spans[1].style.fg, Some(1));
        // A private-mode `m` is not SGR.
        let s = parse("\u{1b}[>4;1mq");
        assert!(s.spans[0].style.is_plain());
    }

    #[test]
    fn controls_and_bidi_show_as_visible_symbols() {
        let s = parse("safe\rEVIL\u{7}\u{8}\u{0}\u{7f}");
        assert_eq!(s.text, "safe␍EVIL␇␈␀␡");
        let s = parse("a\u{202e}gnp.exe\u{2066}b");
        assert_eq!(s.text, "a⟨U+202E⟩gnp.exe⟨U+2066⟩b");
        let s = parse("c1\u{85}x");
        assert_eq!(s.text, "c1\u{fffd}x");
        // A lone ESC not starting a sequence.
        let s = parse("a\u{1b}\u{1b}[31mb");
        assert_eq!(s.text, "a␛b");
        let s = parse("a\u{1b}ü");
        assert_eq!(s.text, "a␛ü");
    }

    #[test]
    fn unfinished_sequences_at_the_end_are_shown_not_swallowed() {
        let s = parse("text \u{1b}]0;hidden rest of line");
        assert_eq!(s.text, "text ␛]0;hidden rest of line");
        let s = parse("t \u{1b}[31");
        assert_eq!(s.text, "t ␛[31");
        let s = parse("t \u{1b}");
        assert_eq!(s.text, "t ␛");
        let s = parse("t \u{1b}(");
        assert_eq!(s.text, "t ␛(");
    }

    #[test]
    fn markup_stays_text() {
        let raw = "<img src=x onerror=alert(1)><script>window.__pwned=1</script>&amp;";
        assert_eq!(parse(raw).text, raw);
        assert_eq!(strip(raw), raw);
    }

    #[test]
    fn strip_fast_path_agrees_with_parse() {
        for s in [
            "plain",
            "tab\tok",
            "\u{1b}[1mB\u{1b}[0m",
            "ü — ✓",
            "\u{202e}x",
        ] {
            assert_eq!(strip(s), parse(s).text, "{s:?}");
        }
    }

    /// A small deterministic PRNG (xorshift64*) for the property tests.
    struct Prng(u64);
    impl Prng {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// Bytes biased towards the parser's interesting cases.
    fn random_bytes(r: &mut Prng, max: usize) -> Vec<u8> {
        const ALPHABET: &[u8] = b"\x1b\x1b\x1b[[[]];;;:0123456789mmmHJK?>P\\\x07\x9b\x9c\x9d\xc2\x9b\xc2\x9d\xe2\x80\xae\r\n\t (az~\x7f\x00\xff\xfe";
        let len = r.below(max + 1);
        (0..len)
            .map(|_| {
                if r.below(4) == 0 {
                    (r.next() & 0xff) as u8
                } else {
                    ALPHABET[r.below(ALPHABET.len())]
                }
            })
            .collect()
    }

    fn check_invariants(s: &Styled, input: &[u8]) {
        // No escape, control (but tab), C1 or bidi character survives.
        assert!(
            !s.text.chars().any(is_special_char),
            "special char in {:?} from {:?}",
            s.text,
            input
        );
        // Spans: contiguous, non-empty, on char boundaries, covering the text exactly.
        let mut at = 0;
        for sp in &s.spans {
            assert_eq!(sp.start, at, "{input:?}");
            assert!(sp.end > sp.start, "{input:?}");
            assert!(s.text.is_char_boundary(sp.start) && s.text.is_char_boundary(sp.end));
            at = sp.end;
        }
        assert_eq!(at, s.text.len(), "{input:?}");
        for w in s.spans.windows(2) {
            assert_ne!(w[0].style, w[1].style, "adjacent equal styles are merged");
        }
        for sp in &s.spans {
            assert!(sp.style.fg.is_none_or(|c| c < 16) && sp.style.bg.is_none_or(|c| c < 16));
        }
    }

    #[test]
    fn property_arbitrary_bytes_never_panic_and_keep_invariants() {
        let mut r = Prng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let bytes = random_bytes(&mut r, 64);
            let s = parse_bytes(&bytes);
            check_invariants(&s, &bytes);
            // Parsing is idempotent on its own output.
            assert_eq!(parse(&s.text).text, s.text);
        }
    }

    #[test]
    fn property_plain_text_round_trips() {
        let mut r = Prng(42);
        const PLAIN: &[&str] = &[
            "a", "Z", " ", "\t", "<", ">", "&", "é", "日", "🙂", "[", ";", "m",
        ];
        for _ in 0..2_000 {
            let n = r.below(40);
            let s: String = (0..n).map(|_| PLAIN[r.below(PLAIN.len())]).collect();
            assert_eq!(parse(&s).text, s);
            assert_eq!(strip(&s), s);
        }
    }

    #[test]
    fn adversarial_inputs_are_linear_and_bounded() {
        // A 1 MB SGR parameter list, an unterminated OSC of 1 MB, 100k nested CSI starts:
        // each character is visited once, the parameter list stays capped.
        let mut big = String::from("\u{1b}[");
        for _ in 0..200_000 {
            big.push_str("31;");
        }
        big.push_str("1mX");
        let s = parse(&big);
        assert_eq!(s.text, "X");
        assert_eq!(
            s.spans[0].style.fg,
            Some(1),
            "the first params were applied"
        );

        let osc = format!("\u{1b}]8;;{}", "a".repeat(1_000_000));
        let s = parse(&osc);
        assert_eq!(s.text.len(), osc.len() - 1 + "␛".len(), "shown in full");

        let nested = "\u{1b}[".repeat(100_000);
        let s = parse(&nested);
        check_invariants(&s, nested.as_bytes());

        let pattern: &[u8] = b"\x1b[31;]\x07m";
        let bytes: Vec<u8> = (0..2_000_000).map(|i| pattern[i % pattern.len()]).collect();
        let s = parse_bytes(&bytes);
        check_invariants(&s, b"(2 MB)");
    }
}
