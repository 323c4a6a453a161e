//! The log viewer: a virtualised view of a [`LogIndex`] that stays fast at 200,000 lines.
//!
//! - Only the visible rows are in the DOM: a sticky window at the top of the scroll area shows
//!   the rows for the current scroll position; a sizer below gives the scroll range (rows have a
//!   fixed height when not wrapping; with wrapping, scrolling moves line by line). Very long logs
//!   scale the scroll range so it stays under the browsers' element-height limits.
//! - Line numbers link to the line (`#L120`); a deep link scrolls to the line and marks it.
//! - Search: ASCII-case-insensitive over the display text, in slices of a few MB with a yield
//!   between them (the main thread is never blocked for long), with highlights, a match count,
//!   next/previous (Enter / Shift+Enter), and incremental search of appended lines.
//! - Level colouring (error / warn rows, also marked by their own text), ANSI SGR colours as a
//!   fixed set of classes, wrap toggle, "jump to first error", download (the raw log), copy (the
//!   display text).
//! - Follow: when the log grows, keep the last line in view; scrolling up pauses that and offers
//!   "Jump to latest"; scrolling back to the bottom resumes it.
//!
//! Everything is text: no `inner_html`; escape sequences are parsed by [`crate::model::ansi`].

mod browser;
mod buffer;
mod rows;
mod viewer;

use browser::{download, human_bytes, mark_performance, set_line_hash};
pub use buffer::LogBuffer;
use rows::{Geometry, LogRow, RowKey, OVERSCAN, SNAP};
use viewer::{limit_of, set_limit, SearchState, SearchSummary, Viewer};

use crate::context::{ToastKind, Toasts};
use crate::hooks::use_viewport::{use_viewport, Viewport};
use crate::model::ansi::Style;
use crate::model::format::thousands;
use crate::model::log_index::{
    first_match_from, floor_boundary, level, matches_in_line, search_range, segments, Level,
    LogIndex, Mark, Match, MergeOutcome, Needle, DISPLAY_LIMIT, MAX_MATCHES,
};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one row in px when not wrapping (the CSS uses the same value).
pub const ROW_H: f64 = 20.0;
/// Largest scroll range used; longer logs scale (about 400,000 rows at full height).
const MAX_SCROLL_PX: f64 = 8_000_000.0;
/// Bytes searched per slice before yielding to the browser.
const SEARCH_SLICE_BYTES: usize = 3 * 1024 * 1024;
/// Typing pause before a search starts (Enter starts it at once).
const SEARCH_DEBOUNCE_MS: u64 = 200;

/// The log viewer.
#[component]
pub fn LogViewer(
    /// The log.
    buffer: LogBuffer,
    /// What the log is (accessible name of the scroll area), e.g. "Build log of m-1".
    label: String,
    /// Download file name.
    file_name: String,
    /// The search text (kept in the URL by the page).
    query: RwSignal<String>,
    /// The linked line (1-based), from `#L…`.
    target: RwSignal<Option<usize>>,
    /// Keep the last line in view as lines arrive.
    follow: RwSignal<bool>,
    /// Open scrolled to the first error line (a failed deployment's log), unless following or
    /// linked to a line.
    #[prop(optional)]
    start_at_first_error: bool,
) -> impl IntoView {
    let toasts = Toasts::expect();
    let v = Viewer {
        buffer,
        search: StoredValue::new(SearchState::default()),
        search_rev: RwSignal::new(0),
        current: RwSignal::new(None),
        target,
        expanded: RwSignal::new(Vec::new()),
        viewport: use_viewport(600.0),
        wrap: RwSignal::new(false),
    };
    let paused = RwSignal::new(false);
    let unseen = RwSignal::new(0usize);
    let goto_text = RwSignal::new(String::new());
    let goto_error = RwSignal::new(None::<String>);
    let error_note = RwSignal::new(None::<String>);

    let n = Memo::new(move |_| buffer.len());
    let bytes = Memo::new(move |_| {
        buffer.rev.track();
        buffer.index.with_value(LogIndex::byte_len)
    });

    let measure = move || v.viewport.measure();
    let at_bottom = move || v.viewport.at_end();
    let scroll_to_end = move || v.viewport.scroll_to_end();

    // Geometry. Two ways of placing rows:
    // - natural (no wrapping, up to MAX_SCROLL_PX of rows): a box as tall as all rows, the
    //   rendered rows at their own position with overscan, snapped so that most scroll events
    //   change nothing and the compositor scrolls pixels it already painted;
    // - sticky (wrapping, or a log too long for the browser's height limit): a window stuck to
    //   the top of the scroll area shows the rows for the position; a sizer gives the range.
    let geometry = Memo::new(move |_| {
        let n = n.get();
        let pxl = v.px_per_line(n);
        let h = v.viewport.height.get();
        let top = v.viewport.scroll_top.get();
        let rows = (h / ROW_H).ceil() as usize + 1;
        let wrap = v.wrap.get();
        let natural = !wrap && pxl >= ROW_H;
        if natural {
            let at = (top / ROW_H).floor() as usize;
            let first = (at.saturating_sub(OVERSCAN) / SNAP * SNAP).min(n);
            let last = (first + rows + 3 * OVERSCAN).min(n);
            return Geometry {
                natural,
                first,
                last,
                offset: 0.0,
                extent: n as f64 * ROW_H,
                bottom: false,
            };
        }
        let sizer = (n as f64 * pxl - h).max(0.0);
        let pos = top / pxl;
        // With wrapping, or a scaled range (a line is less than a row of scroll range, so the
        // last scroll position would otherwise stop short of the last lines), the very bottom
        // aligns the last lines to the bottom of the view.
        let bottom = (wrap || pxl < ROW_H) && n > 0 && top >= sizer - 1.0 && sizer > 0.0;
        let first = if bottom {
            n.saturating_sub(rows)
        } else {
            (pos.floor() as usize).min(n.saturating_sub(1))
        };
        let offset = if wrap || pxl < ROW_H {
            0.0
        } else {
            ((pos - pos.floor()) * ROW_H).round()
        };
        Geometry {
            natural,
            first,
            last: (first + rows).min(n),
            offset,
            extent: sizer,
            bottom,
        }
    });
    let natural = Memo::new(move |_| geometry.get().natural);

    let gutter = Memo::new(move |_| format!("{}ch", thousands(n.get()).len().max(3) + 2));

    let keys = move || {
        let Geometry { first, last, .. } = geometry.get();
        v.search_rev.track();
        let target = v.target.get().map(|t| t.saturating_sub(1));
        let expanded = v.expanded.get();
        let current = v.current.get();
        v.search.with_value(|s| {
            let cur = current.and_then(|i| s.matches.get(i)).copied();
            buffer.index.with_value(|ix| {
                (first..last)
                    .map(|line| {
                        let has = !matches_in_line(&s.matches, line).is_empty();
                        RowKey {
                            line,
                            bytes: ix.line(line).len(),
                            marks: if has { s.gen } else { 0 },
                            current: cur.filter(|m| m.line as usize == line).map(|m| m.start),
                            target: target == Some(line),
                            limit: limit_of(&expanded, line),
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    };

    // Mark the first screen for the benchmarks.
    let first_screen = StoredValue::new(false);
    Effect::new(move |_| {
        if n.get() > 0 && !first_screen.get_value() {
            first_screen.set_value(true);
            request_animation_frame(|| mark_performance("logs:first-screen"));
        }
    });

    // Follow: keep the end in view as lines arrive; count what arrives while paused.
    Effect::new(move |prev: Option<u64>| {
        let Some(rev) = buffer.rev.try_get() else {
            return prev.unwrap_or(0);
        };
        let last = buffer.last.get_untracked();
        if prev.is_none() {
            // Mounted with the log already loaded.
            if v.target.get_untracked().is_none() {
                if follow.get_untracked() {
                    request_animation_frame(scroll_to_end);
                } else if start_at_first_error {
                    let first = buffer.index.with_value(|ix| {
                        (0..ix.len()).find(|&i| level(&ix.display(i)) == Level::Error)
                    });
                    if let Some(i) = first {
                        request_animation_frame(move || v.scroll_to_line(i, true));
                    }
                }
            }
            return rev;
        }
        if prev == Some(rev) {
            return rev;
        }
        match last {
            MergeOutcome::Replaced => {
                let needle = v.search.with_value(|s| s.needle.clone());
                v.run_search(Some(needle));
                v.expanded.set(Vec::new());
            }
            MergeOutcome::Appended { new_lines, .. } => {
                if paused.get_untracked() {
                    unseen.update(|u| *u += new_lines);
                }
                v.run_search(None);
            }
            MergeOutcome::Unchanged => {}
        }
        if follow.get_untracked() && !paused.get_untracked() && v.target.get_untracked().is_none() {
            request_animation_frame(scroll_to_end);
        }
        rev
    });
    // Turning follow on jumps to the end.
    Effect::new(move |prev: Option<bool>| {
        let Some(f) = follow.try_get() else {
            return prev.unwrap_or(false);
        };
        if f && prev == Some(false) {
            paused.set(false);
            unseen.set(0);
            v.target.set(None);
            request_animation_frame(scroll_to_end);
        }
        f
    });

    // A linked line: scroll to it when it changes, or once the rows exist (not on every poll).
    Effect::new(move |prev: Option<(Option<usize>, bool)>| {
        let (Some(t), Some(count)) = (v.target.try_get(), n.try_get()) else {
            return prev.unwrap_or((None, false));
        };
        let ready = v.viewport.node.get().is_some() && count > 0;
        let state = (t, ready);
        if !ready || prev == Some(state) {
            return state;
        }
        if let Some(t) = t {
            if t > count {
                error_note.set(Some(format!(
                    "Line {} is not in this log ({} lines).",
                    thousands(t),
                    thousands(count)
                )));
            } else {
                error_note.set(None);
                request_animation_frame(move || v.scroll_to_line(t - 1, false));
            }
        }
        state
    });

    // Search: debounce typing; Enter searches at once (or steps to the next match).
    let applied = StoredValue::new(String::new());
    let apply = move |q: String| {
        if applied.get_value() == q {
            return false;
        }
        applied.set_value(q.clone());
        v.run_search(Some(Needle::new(&q)));
        true
    };
    let debounce = StoredValue::new(0u32);
    Effect::new(move |prev: Option<()>| {
        let q = query.get();
        let ticket = debounce.get_value().wrapping_add(1);
        debounce.set_value(ticket);
        // The query from the URL, and clearing, apply at once; typing waits for a pause.
        if prev.is_none() || q.is_empty() {
            apply(q);
            return;
        }
        set_timeout(
            move || {
                if debounce.try_get_value() == Some(ticket) {
                    apply(q);
                }
            },
            std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS),
        );
    });

    let summary = Memo::new(move |_| {
        v.search_rev.track();
        v.search.with_value(|s| SearchSummary {
            active: s.needle.is_some(),
            done: s.done,
            total: s.total,
            kept: s.matches.len(),
            gen: s.gen,
        })
    });
    let count_text = move || {
        let s = summary.get();
        if !s.active {
            return String::new();
        }
        if !s.done {
            return format!("Searching… {} so far", thousands(s.total));
        }
        if s.total == 0 {
            return "No matches".to_string();
        }
        let pos = v
            .current
            .get()
            .map(|c| thousands(c + 1))
            .unwrap_or_else(|| "–".into());
        let more = if s.total > s.kept {
            format!(" (first {} navigable)", thousands(MAX_MATCHES))
        } else {
            String::new()
        };
        format!("{pos} of {} matches{more}", thousands(s.total))
    };
    let has_matches = move || summary.get().kept > 0;

    let on_scroll = move |_| {
        if let Some(el) = v.viewport.node.get_untracked() {
            v.viewport.scroll_top.set(f64::from(el.scroll_top()));
        }
        if follow.get_untracked() {
            if at_bottom() {
                paused.set(false);
                unseen.set(0);
            } else {
                paused.set(true);
            }
        }
    };

    let first_error = move |_| {
        let found = buffer
            .index
            .with_value(|ix| (0..ix.len()).find(|&i| level(&ix.display(i)) == Level::Error));
        match found {
            Some(i) => {
                v.target.set(Some(i + 1));
                set_line_hash(Some(i + 1));
                v.scroll_to_line(i, false);
            }
            None => error_note.set(Some("No error lines in this log.".into())),
        }
    };

    let goto_id = "log-goto-error";
    let on_goto = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let count = v.len_untracked();
        let text = goto_text.get_untracked();
        match text.trim().replace(',', "").parse::<usize>() {
            Ok(line) if (1..=count).contains(&line) => {
                goto_error.set(None);
                v.target.set(Some(line));
                set_line_hash(Some(line));
                v.scroll_to_line(line - 1, false);
            }
            _ => goto_error.set(Some(format!(
                "Enter a line number from 1 to {}.",
                thousands(count)
            ))),
        }
    };

    let on_search_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            let q = query.get_untracked();
            if !apply(q) {
                v.step_match(!ev.shift_key());
            }
        }
    };

    let file = StoredValue::new(file_name);
    let on_download = move |_| {
        let name = file.get_value();
        let r = buffer.index.with_value(|ix| download(ix.text(), &name));
        if let Err(e) = r {
            toasts.push(ToastKind::Error, format!("Download failed: {e}"));
        }
    };
    let on_copy = move |_| {
        let (text, lines) = buffer.index.with_value(|ix| (ix.plain_text(), ix.len()));
        // Only in a secure context (https or localhost) is there a clipboard.
        let navigator = window().navigator();
        let available = js_sys::Reflect::get(&navigator, &"clipboard".into())
            .map(|c| !c.is_undefined() && !c.is_null())
            .unwrap_or(false);
        if !available {
            toasts.push(
                ToastKind::Error,
                "Copy failed: this browser offers no clipboard here (it needs https).",
            );
            return;
        }
        let promise = navigator.clipboard().write_text(&text);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => toasts.push(
                    ToastKind::Info,
                    format!("Copied {} lines to the clipboard.", thousands(lines)),
                ),
                Err(_) => toasts.push(
                    ToastKind::Error,
                    "Copy failed: the browser did not allow access to the clipboard.",
                ),
            }
        });
    };

    let row_view = move |k: RowKey| view! { <LogRow k=k v=v gutter=gutter/> };

    view! {
        <section class="log-viewer" class:log-viewer--wrap=move || v.wrap.get() data-testid="log-viewer">
            <div class="log-viewer__toolbar">
                <form class="log-search" role="search" on:submit=move |ev| ev.prevent_default()>
                    <label class="field">
                        <span class="field__label">"Search log"</span>
                        <input type="search" class="input" data-testid="log-search"
                            prop:value=move || query.get()
                            on:input=move |ev| query.set(event_target_value(&ev))
                            on:keydown=on_search_key/>
                    </label>
                    <span class="log-search__count" aria-live="polite" data-testid="log-count"
                        data-state=move || { let s = summary.get(); if !s.active { "idle" } else if s.done { "done" } else { "searching" } }>
                        {count_text}
                    </span>
                    <button type="button" class="button button--ghost" disabled=move || !has_matches()
                        on:click=move |_| v.step_match(false)>"Previous"</button>
                    <button type="button" class="button button--ghost" disabled=move || !has_matches()
                        on:click=move |_| v.step_match(true)>"Next"</button>
                </form>
                <form class="log-goto" on:submit=on_goto novalidate=true>
                    <label class="field">
                        <span class="field__label">"Go to line"</span>
                        <input type="text" inputmode="numeric" class="input input--narrow" data-testid="log-goto"
                            aria-invalid=move || goto_error.get().is_some().then_some("true")
                            aria-describedby=move || goto_error.get().is_some().then_some(goto_id)
                            prop:value=move || goto_text.get()
                            on:input=move |ev| goto_text.set(event_target_value(&ev))/>
                    </label>
                    <button type="submit" class="button button--ghost">"Go"</button>
                    {move || goto_error.get().map(|e| view! { <p class="log-field-error" id=goto_id>{e}</p> })}
                </form>
                <div class="log-viewer__actions">
                    <label class="log-check">
                        <input type="checkbox" data-testid="log-wrap" prop:checked=move || v.wrap.get()
                            on:change=move |ev| { v.wrap.set(event_target_checked(&ev)); measure(); }/>
                        "Wrap lines"
                    </label>
                    <button type="button" class="button button--ghost" on:click=first_error>"First error"</button>
                    <button type="button" class="button button--ghost" data-testid="log-download" on:click=on_download>"Download"</button>
                    <button type="button" class="button button--ghost" on:click=on_copy>"Copy"</button>
                </div>
            </div>
            <div class="log-viewer__scroller" node_ref=v.viewport.node on:scroll=on_scroll tabindex="0"
                role="region" aria-label=label data-testid="log-scroller">
                {move || if natural.get() {
                    view! {
                        <div class="log-viewer__content" style:height=move || format!("{}px", geometry.get().extent)>
                            <div class="log-viewer__rows log-viewer__rows--placed"
                                style:transform=move || format!("translateY({}px)", geometry.get().first as f64 * ROW_H)>
                                <For each=keys key=|k| k.clone() children=row_view/>
                            </div>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <div class="log-viewer__window" style:height=move || format!("{}px", v.viewport.height.get())
                            class:log-viewer__window--bottom=move || geometry.get().bottom>
                            <div class="log-viewer__rows" style:transform=move || format!("translateY(-{}px)", geometry.get().offset)>
                                <For each=keys key=|k| k.clone() children=row_view/>
                            </div>
                        </div>
                        <div class="log-viewer__sizer" aria-hidden="true" style:height=move || format!("{}px", geometry.get().extent)></div>
                    }.into_any()
                }}
            </div>
            <div class="log-viewer__status">
                <span data-testid="log-lines">{move || format!("{} lines · {}", thousands(n.get()), human_bytes(bytes.get()))}</span>
                {move || error_note.get().map(|e| view! { <span class="log-viewer__note" role="status">{e}</span> })}
                {move || (follow.get() && paused.get()).then(|| view! {
                    <button type="button" class="button" data-testid="log-jump-latest"
                        on:click=move |_| { paused.set(false); unseen.set(0); v.target.set(None); set_line_hash(None); scroll_to_end(); }>
                        {move || match unseen.get() { 0 => "Jump to latest".to_string(), u => format!("Jump to latest ({} new)", thousands(u)) }}
                    </button>
                })}
            </div>
        </section>
    }
}
