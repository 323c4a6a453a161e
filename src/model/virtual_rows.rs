//! Which rows of a fixed-row-height virtualised list are rendered: the rows in view plus an
//! overscan above and below (the endpoints table and the schema tree share this).

/// `(first, end)` — rows `first..end` of `n` are rendered for a viewport scrolled to
/// `scroll_top` px and `viewport_h` px high, with rows `row_h` px high.
pub fn visible_range(
    scroll_top: f64,
    viewport_h: f64,
    row_h: f64,
    n: usize,
    overscan: usize,
) -> (usize, usize) {
    if row_h <= 0.0 || !scroll_top.is_finite() || !viewport_h.is_finite() {
        return (0, n.min(2 * overscan));
    }
    let first = ((scroll_top.max(0.0) / row_h) as usize)
        .saturating_sub(overscan)
        .min(n);
    let count = (viewport_h.max(0.0) / row_h).ceil() as usize + 2 * overscan;
    (first, first.saturating_add(count).min(n))
}

#[cfg(test)]
mod tests {
    use super::visible_range;

    #[test]
    fn rows_in_view_plus_overscan() {
        assert_eq!(visible_range(0.0, 440.0, 44.0, 10_000, 8), (0, 26));
        assert_eq!(visible_range(44_000.0, 440.0, 44.0, 10_000, 8), (992, 1018));
        assert_eq!(visible_range(1e9, 440.0, 44.0, 100, 8), (100, 100));
        assert_eq!(visible_range(0.0, 440.0, 44.0, 5, 8), (0, 5));
        assert_eq!(visible_range(f64::NAN, 440.0, 44.0, 50, 8), (0, 16));
    }
}
