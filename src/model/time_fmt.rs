//! Time formatting without a date library: relative ages ("5 min ago"), durations
//! ("2 h 5 min") and exact UTC timestamps ("2025-08-12 14:03:00 UTC").
//!
//! All inputs are milliseconds since the Unix epoch (the API's timestamp unit).

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// Differences smaller than this (in either direction) read as "just now".
pub const JUST_NOW_MS: i64 = 10 * SECOND;

/// How long ago `then_ms` was, seen at `now_ms`: "just now", "45 s ago", "5 min ago",
/// "3 h ago", "1 day ago", "2 days ago", "3 months ago", "2 years ago".
///
/// Future-safe: a timestamp slightly ahead of the local clock (skew) reads "just now",
/// one clearly ahead reads "in 5 min".
pub fn relative(then_ms: i64, now_ms: i64) -> String {
    let diff = i128::from(now_ms) - i128::from(then_ms);
    let abs = i64::try_from(diff.unsigned_abs()).unwrap_or(i64::MAX);
    if abs < JUST_NOW_MS {
        return "just now".to_string();
    }
    let amount = coarse(abs);
    if diff >= 0 {
        format!("{amount} ago")
    } else {
        format!("in {amount}")
    }
}

/// One-unit coarse rendering of a non-negative span: "45 s", "5 min", "3 h", "2 days",
/// "3 months", "1 year".
fn coarse(ms: i64) -> String {
    if ms < MINUTE {
        format!("{} s", ms / SECOND)
    } else if ms < HOUR {
        format!("{} min", ms / MINUTE)
    } else if ms < DAY {
        format!("{} h", ms / HOUR)
    } else if ms < 60 * DAY {
        plural(ms / DAY, "day")
    } else if ms < 365 * DAY {
        plural(ms / (30 * DAY), "month")
    } else {
        plural(ms / (365 * DAY), "year")
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A span in at most two units, truncated (never rounded up): "45 s", "4 min" (seconds are
/// dropped from minutes), "2 h", "2 h 5 min", "1 day 3 h", "3 days". Negative spans read
/// as "0 s".
pub fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < MINUTE {
        format!("{} s", ms / SECOND)
    } else if ms < HOUR {
        format!("{} min", ms / MINUTE)
    } else if ms < DAY {
        let h = ms / HOUR;
        let m = (ms % HOUR) / MINUTE;
        if m == 0 {
            format!("{h} h")
        } else {
            format!("{h} h {m} min")
        }
    } else {
        let d = ms / DAY;
        let h = (ms % DAY) / HOUR;
        let days = plural(d, "day");
        if h == 0 {
            days
        } else {
            format!("{days} {h} h")
        }
    }
}

/// The exact UTC time, "2025-08-12 14:03:00 UTC" (sub-second part dropped).
pub fn iso_utc(ms: i64) -> String {
    let secs = ms.div_euclid(SECOND);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        sod / 3_600,
        (sod % 3_600) / 60,
        sod % 60
    )
}

/// Days since 1970-01-01 of the proleptic Gregorian date `y-m-d`
/// (H. Hinnant's `days_from_civil`). `m` is 1..=12, `d` 1..=31; not validated.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // [0, 11], March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month 1..=12, day 1..=31)` of a day count since
/// 1970-01-01 (H. Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // Both values are in range by construction; the fallbacks are unreachable.
    (
        y,
        u32::try_from(m).unwrap_or(1),
        u32::try_from(d).unwrap_or(1),
    )
}

/// Is `y` a Gregorian leap year?
pub fn is_leap_year(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Number of days in month `m` (1..=12) of year `y`; 0 for an invalid month.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_755_000_000_000;

    #[test]
    fn relative_past() {
        assert_eq!(relative(NOW, NOW), "just now");
        assert_eq!(relative(NOW - 9_999, NOW), "just now");
        assert_eq!(relative(NOW - 10_000, NOW), "10 s ago");
        assert_eq!(relative(NOW - 45_000, NOW), "45 s ago");
        assert_eq!(relative(NOW - 59_999, NOW), "59 s ago");
        assert_eq!(relative(NOW - 60_000, NOW), "1 min ago");
        assert_eq!(relative(NOW - 5 * MINUTE - 30_000, NOW), "5 min ago");
        assert_eq!(relative(NOW - 59 * MINUTE, NOW), "59 min ago");
        assert_eq!(relative(NOW - 3 * HOUR - 59 * MINUTE, NOW), "3 h ago");
        assert_eq!(relative(NOW - 23 * HOUR, NOW), "23 h ago");
        assert_eq!(relative(NOW - DAY, NOW), "1 day ago");
        assert_eq!(relative(NOW - 2 * DAY - HOUR, NOW), "2 days ago");
        assert_eq!(relative(NOW - 59 * DAY, NOW), "59 days ago");
        assert_eq!(relative(NOW - 90 * DAY, NOW), "3 months ago");
        assert_eq!(relative(NOW - 365 * DAY, NOW), "1 year ago");
        assert_eq!(relative(NOW - 800 * DAY, NOW), "2 years ago");
    }

    #[test]
    fn relative_future_and_extremes() {
        assert_eq!(relative(NOW + 3_000, NOW), "just now");
        assert_eq!(relative(NOW + 45_000, NOW), "in 45 s");
        assert_eq!(relative(NOW + 5 * MINUTE, NOW), "in 5 min");
        assert_eq!(relative(NOW + 2 * DAY, NOW), "in 2 days");
        // No overflow or panic at the ends of the range.
        assert!(relative(i64::MIN, i64::MAX).ends_with("years ago"));
        assert!(relative(i64::MAX, i64::MIN).starts_with("in "));
        assert_eq!(relative(0, 0), "just now");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(-5), "0 s");
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(45_000), "45 s");
        assert_eq!(duration(4 * MINUTE + 59_000), "4 min");
        assert_eq!(duration(2 * HOUR), "2 h");
        assert_eq!(duration(2 * HOUR + 5 * MINUTE + 59_000), "2 h 5 min");
        assert_eq!(duration(DAY), "1 day");
        assert_eq!(duration(DAY + 3 * HOUR), "1 day 3 h");
        assert_eq!(duration(3 * DAY + 30 * MINUTE), "3 days");
        assert!(!duration(i64::MAX).is_empty());
    }

    #[test]
    fn iso_utc_known_values() {
        assert_eq!(iso_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(iso_utc(1_755_007_380_000), "2025-08-12 14:03:00 UTC");
        assert_eq!(iso_utc(1_755_007_380_999), "2025-08-12 14:03:00 UTC");
        assert_eq!(iso_utc(951_782_400_000), "2000-02-29 00:00:00 UTC");
        assert_eq!(iso_utc(-1_000), "1969-12-31 23:59:59 UTC");
        assert_eq!(iso_utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(iso_utc(784_111_777_000), "1994-11-06 08:49:37 UTC");
        assert_eq!(iso_utc(4_102_444_800_000), "2100-01-01 00:00:00 UTC");
        // Extremes do not panic.
        assert!(iso_utc(i64::MAX).ends_with("UTC"));
        assert!(iso_utc(i64::MIN).ends_with("UTC"));
    }

    #[test]
    fn civil_round_trip() {
        // Every day from 1600 to 2400 round-trips and advances by exactly one.
        let start = days_from_civil(1600, 1, 1);
        let end = days_from_civil(2400, 12, 31);
        let mut prev = civil_from_days(start - 1);
        for day in start..=end {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
            assert!((1..=12).contains(&m));
            assert!(d >= 1 && d <= days_in_month(y, m));
            let next_expected = if prev.2 < days_in_month(prev.0, prev.1) {
                (prev.0, prev.1, prev.2 + 1)
            } else if prev.1 < 12 {
                (prev.0, prev.1 + 1, 1)
            } else {
                (prev.0 + 1, 1, 1)
            };
            assert_eq!((y, m, d), next_expected);
            prev = (y, m, d);
        }
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2025));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2025, 13), 0);
    }
}
