//! A small SVG sparkline with its current value, unit, and a text alternative.

use crate::model::metrics::{fmt_value, sparkline_points};
use leptos::prelude::*;

const W: f64 = 120.0;
const H: f64 = 32.0;

/// The words a screen reader hears for a series.
pub fn describe(label: &str, unit: &str, series: &[(i64, f64)]) -> String {
    let Some(&(first_t, _)) = series.iter().find(|p| p.1.is_finite()) else {
        return format!("{label}: no data yet");
    };
    let (last_t, now) = series[series.len() - 1];
    let finite = || series.iter().map(|p| p.1).filter(|v| v.is_finite());
    let min = finite().fold(f64::INFINITY, f64::min);
    let max = finite().fold(f64::NEG_INFINITY, f64::max);
    if !now.is_finite() {
        return format!(
            "{label}: no current value; earlier min {}, max {}",
            fmt_value(min),
            fmt_value(max)
        );
    }
    let minutes = ((last_t - first_t) as f64 / 60_000.0).round() as i64;
    let span = if minutes >= 1 {
        format!(" over the last {minutes} min")
    } else {
        String::new()
    };
    format!(
        "{label}: now {} {unit}; min {}, max {}{span}",
        fmt_value(now),
        fmt_value(min),
        fmt_value(max)
    )
}

/// A sparkline of `series` (oldest first) with the current value.
#[component]
pub fn Sparkline(
    /// What is drawn ("Requests per second").
    label: &'static str,
    /// Unit after the value ("req/s", "ms", "%").
    unit: &'static str,
    /// The points, oldest first.
    #[prop(into)]
    series: Signal<Vec<(i64, f64)>>,
) -> impl IntoView {
    let text = move || series.with(|s| describe(label, unit, s));
    let points =
        move || series.with(|s| sparkline_points(&s.iter().map(|p| p.1).collect::<Vec<_>>(), W, H));
    let current = move || {
        series.with(|s| {
            s.last()
                .filter(|p| p.1.is_finite())
                .map(|p| format!("{} {unit}", fmt_value(p.1)))
                .unwrap_or_else(|| "—".into())
        })
    };
    view! {
        <figure class="spark" data-testid="sparkline">
            <figcaption class="spark__label">{label}</figcaption>
            <p class="spark__value" aria-hidden="true">{current}</p>
            <svg class="spark__chart" viewBox=format!("0 0 {W} {H}") width=W height=H role="img" aria-label=text>
                <polyline points=points fill="none" stroke="currentColor" stroke-width="1.5"></polyline>
            </svg>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::describe;

    #[test]
    fn text_alternative() {
        assert_eq!(describe("CPU", "%", &[]), "CPU: no data yet");
        let s = [(0, 10.0), (60_000, 30.0), (120_000, 20.0)];
        assert_eq!(
            describe("CPU", "%", &s),
            "CPU: now 20.0 %; min 10.0, max 30.0 over the last 2 min"
        );
    }
}
