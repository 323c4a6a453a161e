//! Comparing JSON values (for `enum`, `const`, `uniqueItems`) and recognising the string
//! formats the documents use (`date`, `date-time`, `byte`).

use crate::model::json_doc::{Doc, Kind, NodeId};

/// Structural equality of two values (possibly of different documents). Iterative: values
/// nest as deep as the text does (the parser has no depth limit), so no recursion here.
pub fn json_eq(a: &Doc, x: NodeId, b: &Doc, y: NodeId) -> bool {
    let mut todo = vec![(x, y)];
    while let Some((x, y)) = todo.pop() {
        let same = match (a.kind(x), b.kind(y)) {
            (Kind::Num, Kind::Num) => a.as_f64(x) == b.as_f64(y),
            (Kind::Str, Kind::Str) => a.as_str(x) == b.as_str(y),
            (Kind::Bool, Kind::Bool) => a.as_bool(x) == b.as_bool(y),
            (Kind::Null, Kind::Null) => true,
            (Kind::Arr, Kind::Arr) => {
                todo.extend(a.items(x).zip(b.items(y)));
                a.len(x) == b.len(y)
            }
            (Kind::Obj, Kind::Obj) => {
                for (k, p) in a.members(x) {
                    match b.get(y, k) {
                        Some(q) => todo.push((p, q)),
                        None => return false,
                    }
                }
                a.len(x) == b.len(y)
            }
            _ => false,
        };
        if !same {
            return false;
        }
    }
    true
}

pub(super) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && (1..=12).contains(&s[5..7].parse::<u8>().unwrap_or(0))
        && (1..=31).contains(&s[8..10].parse::<u8>().unwrap_or(0))
}

pub(super) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    // The date and time are ASCII: checked first, so the slices below cut at char boundaries.
    if b.len() < 20
        || !b[..19].is_ascii()
        || !is_date(&s[..10])
        || !matches!(b[10], b'T' | b't' | b' ')
    {
        return false;
    }
    let time = &b[11..19];
    let time_ok = time.iter().enumerate().all(|(i, c)| match i {
        2 | 5 => *c == b':',
        _ => c.is_ascii_digit(),
    });
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return false;
        }
        rest = &frac[digits..];
    }
    let zone_ok = matches!(rest, "Z" | "z")
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3]
                .bytes()
                .chain(rest[4..6].bytes())
                .all(|c| c.is_ascii_digit()));
    time_ok && zone_ok
}

pub(super) fn is_base64(s: &str) -> bool {
    s.len().is_multiple_of(4)
        && s.trim_end_matches('=')
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
        && s.len() - s.trim_end_matches('=').len() <= 2
}
