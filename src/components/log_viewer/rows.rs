//! The rendered rows: where they go ([`Geometry`]), when one re-renders ([`RowKey`]), and
//! one row ([`LogRow`]).

use super::*;

/// Rows rendered beyond the visible ones (natural placement), above and below.
pub(super) const OVERSCAN: usize = 10;
/// The first rendered row moves in steps of this many rows (fewer DOM updates while scrolling).
pub(super) const SNAP: usize = 10;

/// Where the rows go (see the geometry memo in [`LogViewer`]).
#[derive(Clone, Copy, PartialEq, Debug)]
pub(super) struct Geometry {
    /// Rows at their own position in a full-height box (else: a sticky window).
    pub(super) natural: bool,
    /// First rendered line.
    pub(super) first: usize,
    /// One past the last rendered line.
    pub(super) last: usize,
    /// Sticky window: how far the rows are shifted up (smooth scrolling without wrapping).
    pub(super) offset: f64,
    /// Natural: the box height; sticky: the sizer height.
    pub(super) extent: f64,
    /// Sticky (wrapping or a scaled range), scrolled to the very end: rows aligned to the bottom.
    pub(super) bottom: bool,
}

/// The key of a rendered row: it re-renders only when one of these changes.
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct RowKey {
    pub(super) line: usize,
    pub(super) bytes: usize,
    /// The search generation when the line has matches (0 otherwise).
    pub(super) marks: u64,
    /// The current match's start, when it is on this line.
    pub(super) current: Option<u32>,
    pub(super) target: bool,
    pub(super) limit: usize,
}

/// One row: line number link, then the line's segments.
#[component]
pub(super) fn LogRow(k: RowKey, v: Viewer, gutter: Memo<String>) -> impl IntoView {
    let line = k.line;
    let number = line + 1;
    let styled = v.buffer.index.with_value(|ix| ix.styled(line));
    let marks: Vec<(usize, usize, bool)> = v.search.with_value(|s| {
        matches_in_line(&s.matches, line)
            .iter()
            .map(|m| (m.start as usize, m.end as usize, Some(m.start) == k.current))
            .collect()
    });
    let lvl = level(&styled.text);
    let limit = floor_boundary(&styled.text, k.limit);
    let hidden = styled.text.len() - limit;
    let segs = segments(&styled.text, &styled.spans, &marks, limit);
    let pieces = segs
        .into_iter()
        .map(|s| {
            let t = styled.text.get(s.start..s.end).unwrap_or("").to_string();
            match s.mark {
                Mark::None if s.style.is_plain() => t.into_any(),
                Mark::None => view! { <span class=s.style.classes()>{t}</span> }.into_any(),
                m => {
                    // Inside a highlight, colours give way to the highlight's (contrast).
                    let attrs = Style {
                        fg: None,
                        bg: None,
                        ..s.style
                    }
                    .classes();
                    let cls = if m == Mark::Current {
                        format!("log-match log-match--current {attrs}")
                    } else {
                        format!("log-match {attrs}")
                    };
                    view! { <mark class=cls>{t}</mark> }.into_any()
                }
            }
        })
        .collect_view();
    let mut class = String::from("log-row");
    if lvl != Level::None {
        class.push_str(" log-row--");
        class.push_str(lvl.as_str());
    }
    if k.target {
        class.push_str(" log-row--target");
    }
    let on_number = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        v.target.set(Some(number));
        set_line_hash(Some(number));
    };
    view! {
        <div class=class data-testid="log-row" data-line=number aria-current=k.target.then_some("location")>
            <a class="log-row__num" href=format!("#L{number}") tabindex="-1" aria-label=format!("Line {number}")
                style:width=move || gutter.get() on:click=on_number>{number}</a>
            <span class="log-row__text">
                {pieces}
                {(hidden > 0).then(|| view! {
                    <button type="button" class="log-row__more"
                        on:click=move |_| v.expanded.update(|m| set_limit(m, line, limit + DISPLAY_LIMIT))>
                        {format!("… show more ({} more bytes)", thousands(hidden))}
                    </button>
                })}
            </span>
        </div>
    }
}
