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

use crate::components::toast::{ToastKind, Toasts};
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

/// The log as the viewer reads it: the index (held once), a revision bumped on every change,
/// and what the last change was.
#[derive(Clone, Copy)]
pub struct LogBuffer {
    /// The text and its line index.
    pub index: StoredValue<LogIndex>,
    /// Bumped on every change.
    pub rev: RwSignal<u64>,
    /// What the last change did.
    pub last: RwSignal<MergeOutcome>,
}

impl Default for LogBuffer {
    fn default() -> Self {
        Self::new()
    }
}

impl LogBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        LogBuffer {
            index: StoredValue::new(LogIndex::default()),
            rev: RwSignal::new(0),
            last: RwSignal::new(MergeOutcome::Unchanged),
        }
    }

    /// Merge a fresh answer in (append only new lines, or replace); bumps the revision if
    /// anything changed.
    pub fn merge(&self, fresh: String) -> MergeOutcome {
        let outcome = self
            .index
            .try_update_value(|ix| ix.merge(fresh))
            .unwrap_or(MergeOutcome::Unchanged);
        if outcome != MergeOutcome::Unchanged {
            self.last.try_set(outcome);
            self.rev.try_update(|r| *r += 1);
        }
        outcome
    }

    /// Line count (tracks the revision).
    pub fn len(&self) -> usize {
        self.rev.track();
        self.index.with_value(LogIndex::len)
    }

    /// No lines (tracks the revision)?
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Search progress and results.
#[derive(Default)]
struct SearchState {
    /// Bumped per new query or restart; a running slice loop stops when it changes.
    gen: u64,
    needle: Option<Needle>,
    matches: Vec<Match>,
    total: usize,
    /// Lines searched so far.
    scanned: usize,
    done: bool,
    running: bool,
    /// Jump to the first hit once one is found (a new query).
    auto_jump: bool,
}

/// What the search shows in the count.
#[derive(Clone, PartialEq, Eq, Debug)]
struct SearchSummary {
    active: bool,
    done: bool,
    total: usize,
    kept: usize,
    gen: u64,
}

/// Handles shared by the viewer's parts (all `Copy`).
#[derive(Clone, Copy)]
struct Viewer {
    buffer: LogBuffer,
    search: StoredValue<SearchState>,
    /// Bumped when search results change.
    search_rev: RwSignal<u64>,
    /// Index into the kept matches.
    current: RwSignal<Option<usize>>,
    /// 1-based line of `#L…`.
    target: RwSignal<Option<usize>>,
    /// Per-line display limit (bytes) after "show more".
    expanded: RwSignal<Vec<(usize, usize)>>,
    scroller: NodeRef<leptos::html::Div>,
    scroll_top: RwSignal<f64>,
    view_h: RwSignal<f64>,
    wrap: RwSignal<bool>,
}

impl Viewer {
    fn len_untracked(&self) -> usize {
        self.buffer.index.with_value(LogIndex::len)
    }

    /// Pixels of scroll range per line (ROW_H unless the log is very long).
    fn px_per_line(&self, n: usize) -> f64 {
        if n as f64 * ROW_H <= MAX_SCROLL_PX || n == 0 {
            ROW_H
        } else {
            MAX_SCROLL_PX / n as f64
        }
    }

    fn rows_visible(&self) -> f64 {
        (self.view_h.get_untracked() / ROW_H).max(1.0)
    }

    /// Scroll so that 0-based `line` is in view (a third down from the top); `if_needed`
    /// leaves the position alone when the line is already fully visible.
    fn scroll_to_line(&self, line: usize, if_needed: bool) {
        let Some(el) = self.scroller.get_untracked() else {
            return;
        };
        let n = self.len_untracked();
        let pxl = self.px_per_line(n);
        let rows = self.rows_visible();
        let top = self.scroll_top.get_untracked() / pxl;
        if if_needed && (line as f64) >= top.ceil() && (line as f64) + 1.0 <= top + rows - 1.0 {
            return;
        }
        let lead = if self.wrap.get_untracked() {
            1.0
        } else {
            (rows / 3.0).floor()
        };
        let first = (line as f64 - lead).max(0.0);
        el.set_scroll_top((first * pxl).round() as i32);
        self.scroll_top.set(f64::from(el.scroll_top()));
    }

    /// Bring the current match into view horizontally (no wrapping: long lines scroll).
    fn reveal_current_horizontally(&self) {
        let scroller = self.scroller;
        request_animation_frame(move || {
            let Some(el) = scroller.get_untracked() else {
                return;
            };
            let Ok(Some(mark)) = el.query_selector(".log-match--current") else {
                return;
            };
            let r = mark.get_bounding_client_rect();
            let s = el.get_bounding_client_rect();
            let gutter = el
                .query_selector(".log-row__num")
                .ok()
                .flatten()
                .map(|g| g.get_bounding_client_rect().width())
                .unwrap_or(0.0);
            let left_edge = s.left() + gutter + 8.0;
            if r.left() < left_edge || r.right() > s.right() - 8.0 {
                let delta = r.left() - (s.left() + gutter + s.width() / 3.0);
                el.set_scroll_left(el.scroll_left() + delta.round() as i32);
            }
        });
    }

    fn go_to_match(&self, i: usize) {
        let line = self
            .search
            .with_value(|s| s.matches.get(i).map(|m| m.line as usize));
        if let Some(line) = line {
            self.current.set(Some(i));
            let limit = self
                .search
                .with_value(|s| s.matches.get(i).map(|m| m.end as usize))
                .unwrap_or(0);
            if limit > DISPLAY_LIMIT {
                self.expanded.update(|m| set_limit(m, line, limit + 256));
            }
            self.scroll_to_line(line, true);
            self.reveal_current_horizontally();
        }
    }

    fn step_match(&self, forward: bool) {
        let kept = self.search.with_value(|s| s.matches.len());
        if kept == 0 {
            return;
        }
        let next = match self.current.get_untracked() {
            None => {
                let top = (self.scroll_top.get_untracked() / self.px_per_line(self.len_untracked()))
                    as usize;
                self.search
                    .with_value(|s| first_match_from(&s.matches, top))
                    .unwrap_or(0)
            }
            Some(c) if forward => (c + 1) % kept,
            Some(c) => (c + kept - 1) % kept,
        };
        self.go_to_match(next);
    }

    /// Start (or continue) searching in slices; `restart` begins a new query from line 0.
    fn run_search(&self, restart: Option<Option<Needle>>) {
        let this = *self;
        let restarting = restart.is_some();
        let start = self.search.try_update_value(|s| {
            if let Some(needle) = restart {
                s.gen += 1;
                s.needle = needle;
                s.matches.clear();
                s.total = 0;
                s.scanned = 0;
                s.done = s.needle.is_none();
                s.auto_jump = true;
                s.running = false;
            }
            if s.running || s.needle.is_none() {
                return None;
            }
            s.done = false;
            s.running = true;
            Some(s.gen)
        });
        if restarting {
            self.current.set(None);
            self.search_rev.update(|r| *r += 1);
        }
        let Some(Some(gen)) = start else {
            return;
        };
        leptos::task::spawn_local(async move {
            loop {
                let step = this.search.try_update_value(|s| {
                    if s.gen != gen {
                        return None;
                    }
                    let needle = s.needle.clone()?;
                    let (found_before, scanned) = (s.matches.len(), s.scanned);
                    let n = this
                        .buffer
                        .index
                        .try_with_value(|ix| {
                            let n = ix.len();
                            if scanned < n {
                                let end_byte = ix.line_start(scanned) + SEARCH_SLICE_BYTES;
                                let end = (ix.line_at_byte(end_byte) + 1).clamp(scanned + 1, n);
                                s.total += search_range(ix, &needle, scanned..end, &mut s.matches);
                                s.scanned = end;
                            }
                            n
                        })
                        .unwrap_or(0);
                    let finished = s.scanned >= n;
                    if finished {
                        s.done = true;
                        s.running = false;
                    }
                    let jump = s.auto_jump && found_before == 0 && !s.matches.is_empty();
                    if jump {
                        s.auto_jump = false;
                    }
                    Some((finished, jump))
                });
                let Some(Some((finished, jump))) = step else {
                    // Superseded or disposed.
                    this.search.try_update_value(|s| {
                        if s.gen == gen {
                            s.running = false;
                        }
                    });
                    return;
                };
                this.search_rev.try_update(|r| *r += 1);
                if jump && this.current.try_get_untracked().flatten().is_none() {
                    let top = (this.scroll_top.get_untracked()
                        / this.px_per_line(this.len_untracked()))
                        as usize;
                    if let Some(i) = this
                        .search
                        .try_with_value(|s| first_match_from(&s.matches, top))
                        .flatten()
                    {
                        this.go_to_match(i);
                    }
                }
                if finished {
                    return;
                }
                yield_to_browser().await;
            }
        });
    }
}

/// The display limit of `line` ("show more" raises it).
fn limit_of(expanded: &[(usize, usize)], line: usize) -> usize {
    expanded
        .iter()
        .find(|(l, _)| *l == line)
        .map_or(DISPLAY_LIMIT, |(_, n)| *n)
}

/// Raise the display limit of `line` to at least `limit`.
fn set_limit(expanded: &mut Vec<(usize, usize)>, line: usize, limit: usize) {
    match expanded.iter_mut().find(|(l, _)| *l == line) {
        Some((_, n)) => *n = (*n).max(limit),
        None => expanded.push((line, limit.max(DISPLAY_LIMIT))),
    }
}

/// Let the browser run (paint, input) before the next slice of work.
async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn mark_performance(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Replace the URL's fragment with `#L{n}` (no navigation, no history entry).
fn set_line_hash(n: Option<usize>) {
    let w = window();
    let loc = w.location();
    let path = loc.pathname().unwrap_or_default();
    let search = loc.search().unwrap_or_default();
    let url = match n {
        Some(n) => format!("{path}{search}#L{n}"),
        None => format!("{path}{search}"),
    };
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Save `text` as a file called `name` (a Blob and a temporary link).
fn download(text: &str, name: &str) -> Result<(), String> {
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "the browser refused to create the file".to_string())?;
    let doc = document();
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "cannot create a link".to_string())?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_hidden(true);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    // Revoke after the download has started.
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000);
    Ok(())
}

/// Rows rendered beyond the visible ones (natural placement), above and below.
const OVERSCAN: usize = 10;
/// The first rendered row moves in steps of this many rows (fewer DOM updates while scrolling).
const SNAP: usize = 10;

/// Where the rows go (see the geometry memo in [`LogViewer`]).
#[derive(Clone, Copy, PartialEq, Debug)]
struct Geometry {
    /// Rows at their own position in a full-height box (else: a sticky window).
    natural: bool,
    /// First rendered line.
    first: usize,
    /// One past the last rendered line.
    last: usize,
    /// Sticky window: how far the rows are shifted up (smooth scrolling without wrapping).
    offset: f64,
    /// Natural: the box height; sticky: the sizer height.
    extent: f64,
    /// Sticky (wrapping or a scaled range), scrolled to the very end: rows aligned to the bottom.
    bottom: bool,
}

/// The key of a rendered row: it re-renders only when one of these changes.
#[derive(Clone, PartialEq, Eq, Hash)]
struct RowKey {
    line: usize,
    bytes: usize,
    /// The search generation when the line has matches (0 otherwise).
    marks: u64,
    /// The current match's start, when it is on this line.
    current: Option<u32>,
    target: bool,
    limit: usize,
}

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
        scroller: NodeRef::new(),
        scroll_top: RwSignal::new(0.0),
        view_h: RwSignal::new(600.0),
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

    let measure = move || {
        if let Some(el) = v.scroller.get_untracked() {
            v.scroll_top.set(f64::from(el.scroll_top()));
            let h = f64::from(el.client_height());
            if h > 0.0 && (h - v.view_h.get_untracked()).abs() > 0.5 {
                v.view_h.set(h);
            }
        }
    };
    let at_bottom = move || {
        v.scroller
            .get_untracked()
            .is_some_and(|el| el.scroll_top() + el.client_height() >= el.scroll_height() - 2)
    };
    let scroll_to_end = move || {
        if let Some(el) = v.scroller.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            v.scroll_top.set(f64::from(el.scroll_top()));
        }
    };
    Effect::new(move |_| {
        if v.scroller.get().is_some() {
            measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Geometry. Two ways of placing rows:
    // - natural (no wrapping, up to MAX_SCROLL_PX of rows): a box as tall as all rows, the
    //   rendered rows at their own position with overscan, snapped so that most scroll events
    //   change nothing and the compositor scrolls pixels it already painted;
    // - sticky (wrapping, or a log too long for the browser's height limit): a window stuck to
    //   the top of the scroll area shows the rows for the position; a sizer gives the range.
    let geometry = Memo::new(move |_| {
        let n = n.get();
        let pxl = v.px_per_line(n);
        let h = v.view_h.get();
        let top = v.scroll_top.get();
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
        let ready = v.scroller.get().is_some() && count > 0;
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
        if let Some(el) = v.scroller.get_untracked() {
            v.scroll_top.set(f64::from(el.scroll_top()));
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
            <div class="log-viewer__scroller" node_ref=v.scroller on:scroll=on_scroll tabindex="0"
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
                        <div class="log-viewer__window" style:height=move || format!("{}px", v.view_h.get())
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

/// One row: line number link, then the line's segments.
#[component]
fn LogRow(k: RowKey, v: Viewer, gutter: Memo<String>) -> impl IntoView {
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
