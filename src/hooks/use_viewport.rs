//! `use_viewport`: the scroll position and height of a scrolling element, for virtual scrolling
//! (the endpoints table, the schema tree, the log viewer render only the rows in view).

use leptos::html::Div;
use leptos::prelude::*;

/// A scrolling element and what was last measured of it.
#[derive(Clone, Copy)]
pub struct Viewport {
    /// The scrolling element (`node_ref=viewport.node`).
    pub node: NodeRef<Div>,
    /// Its `scrollTop`, in CSS pixels.
    pub scroll_top: RwSignal<f64>,
    /// Its inner height, in CSS pixels (the initial guess until it is laid out).
    pub height: RwSignal<f64>,
}

impl Viewport {
    /// Read the position and height again (on scroll: `on:scroll=move |_| viewport.measure()`).
    /// A height of 0 (not laid out, hidden) keeps the last one.
    pub fn measure(&self) {
        let Some(el) = self.node.get_untracked() else {
            return;
        };
        self.scroll_top.set(f64::from(el.scroll_top()));
        let h = f64::from(el.client_height());
        if h > 0.0 && (h - self.height.get_untracked()).abs() > 0.5 {
            self.height.set(h);
        }
    }

    /// Scroll to `top` pixels, and record where the browser put it (it clamps).
    pub fn scroll_to(&self, top: f64) {
        if let Some(el) = self.node.get_untracked() {
            el.set_scroll_top(top.round() as i32);
            self.scroll_top.set(f64::from(el.scroll_top()));
        } else {
            self.scroll_top.set(top.max(0.0));
        }
    }

    /// Is it scrolled to the end (within 2 px)?
    pub fn at_end(&self) -> bool {
        self.node
            .get_untracked()
            .is_some_and(|el| el.scroll_top() + el.client_height() >= el.scroll_height() - 2)
    }

    /// Scroll to the end.
    pub fn scroll_to_end(&self) {
        if let Some(el) = self.node.get_untracked() {
            el.set_scroll_top(el.scroll_height());
            self.scroll_top.set(f64::from(el.scroll_top()));
        }
    }
}

/// A viewport measured once its element is mounted and whenever the window is resized;
/// `initial_height` stands in until then.
pub fn use_viewport(initial_height: f64) -> Viewport {
    let v = Viewport {
        node: NodeRef::new(),
        scroll_top: RwSignal::new(0.0),
        height: RwSignal::new(initial_height),
    };
    Effect::new(move |_| {
        if v.node.get().is_some() {
            v.measure();
        }
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| v.measure());
    on_cleanup(move || resize.remove());
    v
}
