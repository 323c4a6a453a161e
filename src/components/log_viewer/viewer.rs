//! [`Viewer`]: the viewer's state shared by its parts, and what it does with it: scroll to a
//! line, step through matches, search in slices.

use super::*;

/// Search progress and results.
#[derive(Default)]
pub(super) struct SearchState {
    /// Bumped per new query or restart; a running slice loop stops when it changes.
    pub(super) gen: u64,
    pub(super) needle: Option<Needle>,
    pub(super) matches: Vec<Match>,
    pub(super) total: usize,
    /// Lines searched so far.
    pub(super) scanned: usize,
    pub(super) done: bool,
    pub(super) running: bool,
    /// Jump to the first hit once one is found (a new query).
    pub(super) auto_jump: bool,
}

/// What the search shows in the count.
#[derive(Clone, PartialEq, Eq, Debug)]
pub(super) struct SearchSummary {
    pub(super) active: bool,
    pub(super) done: bool,
    pub(super) total: usize,
    pub(super) kept: usize,
    pub(super) gen: u64,
}

/// Handles shared by the viewer's parts (all `Copy`).
#[derive(Clone, Copy)]
pub(super) struct Viewer {
    pub(super) buffer: LogBuffer,
    pub(super) search: StoredValue<SearchState>,
    /// Bumped when search results change.
    pub(super) search_rev: RwSignal<u64>,
    /// Index into the kept matches.
    pub(super) current: RwSignal<Option<usize>>,
    /// 1-based line of `#L…`.
    pub(super) target: RwSignal<Option<usize>>,
    /// Per-line display limit (bytes) after "show more".
    pub(super) expanded: RwSignal<Vec<(usize, usize)>>,
    /// The scrolling area.
    pub(super) viewport: Viewport,
    pub(super) wrap: RwSignal<bool>,
}

impl Viewer {
    pub(super) fn len_untracked(&self) -> usize {
        self.buffer.index.with_value(LogIndex::len)
    }

    /// Pixels of scroll range per line (ROW_H unless the log is very long).
    pub(super) fn px_per_line(&self, n: usize) -> f64 {
        if n as f64 * ROW_H <= MAX_SCROLL_PX || n == 0 {
            ROW_H
        } else {
            MAX_SCROLL_PX / n as f64
        }
    }

    pub(super) fn rows_visible(&self) -> f64 {
        (self.viewport.height.get_untracked() / ROW_H).max(1.0)
    }

    /// Scroll so that 0-based `line` is in view (a third down from the top); `if_needed`
    /// leaves the position alone when the line is already fully visible.
    pub(super) fn scroll_to_line(&self, line: usize, if_needed: bool) {
        if self.viewport.node.get_untracked().is_none() {
            return;
        }
        let n = self.len_untracked();
        let pxl = self.px_per_line(n);
        let rows = self.rows_visible();
        let top = self.viewport.scroll_top.get_untracked() / pxl;
        if if_needed && (line as f64) >= top.ceil() && (line as f64) + 1.0 <= top + rows - 1.0 {
            return;
        }
        let lead = if self.wrap.get_untracked() {
            1.0
        } else {
            (rows / 3.0).floor()
        };
        let first = (line as f64 - lead).max(0.0);
        self.viewport.scroll_to(first * pxl);
    }

    /// Bring the current match into view horizontally (no wrapping: long lines scroll).
    pub(super) fn reveal_current_horizontally(&self) {
        let scroller = self.viewport.node;
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

    pub(super) fn go_to_match(&self, i: usize) {
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

    pub(super) fn step_match(&self, forward: bool) {
        let kept = self.search.with_value(|s| s.matches.len());
        if kept == 0 {
            return;
        }
        let next = match self.current.get_untracked() {
            None => {
                let top = (self.viewport.scroll_top.get_untracked()
                    / self.px_per_line(self.len_untracked())) as usize;
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
    pub(super) fn run_search(&self, restart: Option<Option<Needle>>) {
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
                    let top = (this.viewport.scroll_top.get_untracked()
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
pub(super) fn limit_of(expanded: &[(usize, usize)], line: usize) -> usize {
    expanded
        .iter()
        .find(|(l, _)| *l == line)
        .map_or(DISPLAY_LIMIT, |(_, n)| *n)
}

/// Raise the display limit of `line` to at least `limit`.
pub(super) fn set_limit(expanded: &mut Vec<(usize, usize)>, line: usize, limit: usize) {
    match expanded.iter_mut().find(|(l, _)| *l == line) {
        Some((_, n)) => *n = (*n).max(limit),
        None => expanded.push((line, limit.max(DISPLAY_LIMIT))),
    }
}

/// Let the browser run (paint, input) before the next slice of work.
pub(super) async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}
