//! `use_polling`: fetch now, then again after an interval computed from the last result.
//!
//! Discipline (budgets P8): one request in flight at most (the loop is sequential); the next poll
//! is scheduled only after the previous one completes; nothing is sent while the tab is hidden or
//! the browser offline (an immediate refresh follows when it becomes visible or online again);
//! the in-flight request is aborted when the owning view goes away. A [`REFRESH_EVENT`] on the
//! window wakes every poller (e.g. after a new token in token mode).

use crate::api::ApiError;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use wasm_bindgen::{closure::Closure, JsCast};

/// A window event that makes every poller refresh now.
pub const REFRESH_EVENT: &str = "serving-console-refresh";

/// Ask every poller on the page to refresh now.
pub fn refresh_all() {
    if let Ok(ev) = web_sys::Event::new(REFRESH_EVENT) {
        let _ = window().dispatch_event(&ev);
    }
}

/// What a poller exposes to its view.
pub struct Poller<T: Send + Sync + 'static> {
    /// The last successful result (kept while later polls fail).
    pub data: RwSignal<Option<T>>,
    /// The last error, cleared by the next success.
    pub error: RwSignal<Option<ApiError>>,
    /// A request is in flight.
    pub loading: RwSignal<bool>,
    /// When the last success arrived (ms since epoch).
    pub updated_at: RwSignal<Option<i64>>,
    /// Consecutive failures since the last success.
    pub failures: RwSignal<u32>,
    wake: StoredValue<SendWrapper<Rc<Waker>>>,
}

impl<T: Send + Sync + 'static> Clone for Poller<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Poller<T> {}

impl<T: Send + Sync + 'static> Poller<T> {
    /// Ask for a refresh now (ignored while a request is in flight: its answer is fresh).
    pub fn refresh(&self) {
        self.wake.with_value(|w| w.wake());
    }
}

/// Wakes the polling loop's sleep early.
#[derive(Default)]
struct Waker {
    resolve: RefCell<Option<js_sys::Function>>,
    pending: Cell<bool>,
}

impl Waker {
    fn wake(&self) {
        self.pending.set(true);
        if let Some(f) = self.resolve.borrow_mut().take() {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    }

    /// Sleep `ms` (None = until woken), returning early when woken.
    async fn sleep(&self, ms: Option<u64>) {
        if self.pending.replace(false) {
            return;
        }
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let (Some(ms), Some(w)) = (ms, web_sys::window()) {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    ms.min(i32::MAX as u64) as i32,
                );
            }
            *self.resolve.borrow_mut() = Some(resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        self.resolve.borrow_mut().take();
        self.pending.set(false);
    }
}

fn page_visible() -> bool {
    document().visibility_state() != web_sys::VisibilityState::Hidden
}

fn online() -> bool {
    window().navigator().on_line()
}

/// The type-erased fetch of the polling loop: runs one request and stores its data itself.
type ErasedFetch =
    Rc<dyn Fn(web_sys::AbortSignal) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>>>;

/// Start polling. `fetch` gets an `AbortSignal` to pass to the API client; `interval` gets the
/// last data (if any) and the count of consecutive failures, and returns the delay in ms.
///
/// Only this thin wrapper is generic: the loop itself ([`run_loop`]) is compiled once, whatever
/// the data type (it was a large share of the wasm when monomorphised per poller).
pub fn use_polling<T, F, Fut, I>(fetch: F, interval: I) -> Poller<T>
where
    T: Send + Sync + 'static,
    F: Fn(web_sys::AbortSignal) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
    I: Fn(Option<&T>, u32) -> u64 + 'static,
{
    let waker = Rc::new(Waker::default());
    let poller = Poller {
        data: RwSignal::new(None),
        error: RwSignal::new(None),
        loading: RwSignal::new(false),
        updated_at: RwSignal::new(None),
        failures: RwSignal::new(0),
        wake: StoredValue::new(SendWrapper::new(waker.clone())),
    };
    let data = poller.data;
    let erased_fetch: ErasedFetch = Rc::new(move |signal| {
        let fut = fetch(signal);
        Box::pin(async move {
            let v = fut.await?;
            data.try_set(Some(v));
            Ok(())
        })
    });
    let erased_interval: Rc<dyn Fn(u32) -> u64> = Rc::new(move |fails| {
        data.try_with_untracked(|d| interval(d.as_ref(), fails))
            .unwrap_or(30_000)
    });
    run_loop(
        erased_fetch,
        erased_interval,
        LoopSignals {
            error: poller.error,
            loading: poller.loading,
            updated_at: poller.updated_at,
            failures: poller.failures,
        },
        waker,
    );
    poller
}

/// The non-generic signals the loop writes.
#[derive(Clone, Copy)]
struct LoopSignals {
    error: RwSignal<Option<ApiError>>,
    loading: RwSignal<bool>,
    updated_at: RwSignal<Option<i64>>,
    failures: RwSignal<u32>,
}

fn run_loop(
    fetch: ErasedFetch,
    interval: Rc<dyn Fn(u32) -> u64>,
    sig: LoopSignals,
    waker: Rc<Waker>,
) {
    let disposed = Rc::new(Cell::new(false));
    let current: Rc<RefCell<Option<web_sys::AbortController>>> = Rc::new(RefCell::new(None));

    // Visibility and connectivity changes wake the loop (it re-checks both before sending).
    let wake_cb = {
        let w = waker.clone();
        Closure::<dyn FnMut()>::new(move || w.wake())
    };
    let doc = document();
    let _ =
        doc.add_event_listener_with_callback("visibilitychange", wake_cb.as_ref().unchecked_ref());
    let _ = window().add_event_listener_with_callback("online", wake_cb.as_ref().unchecked_ref());
    let _ =
        window().add_event_listener_with_callback(REFRESH_EVENT, wake_cb.as_ref().unchecked_ref());

    {
        let disposed = disposed.clone();
        let current = current.clone();
        let waker = waker.clone();
        leptos::task::spawn_local(async move {
            loop {
                if disposed.get() {
                    break;
                }
                if !page_visible() || !online() {
                    waker.sleep(None).await;
                    continue;
                }
                let controller = match web_sys::AbortController::new() {
                    Ok(c) => c,
                    Err(_) => break,
                };
                let signal = controller.signal();
                *current.borrow_mut() = Some(controller);
                sig.loading.try_set(true);
                let result = fetch(signal).await;
                current.borrow_mut().take();
                if disposed.get() {
                    break;
                }
                let mut retry_after = None;
                let fails = match result {
                    Ok(()) => {
                        sig.error.try_set(None);
                        sig.updated_at.try_set(Some(crate::api::js_now_ms()));
                        sig.failures.try_set(0);
                        0
                    }
                    Err(ApiError::Aborted) => break,
                    Err(e) => {
                        if let ApiError::Http {
                            retry_after: ra, ..
                        } = &e
                        {
                            retry_after = ra.clone();
                        }
                        sig.error.try_set(Some(e));
                        let n = sig.failures.try_get_untracked().unwrap_or(0) + 1;
                        sig.failures.try_set(n);
                        n
                    }
                };
                sig.loading.try_set(false);
                let delay = crate::model::retry::poll_delay_after(
                    interval(fails),
                    retry_after.as_deref(),
                    crate::api::js_now_ms(),
                );
                waker.sleep(Some(delay)).await;
            }
        });
    }

    let cleanup = SendWrapper::new((disposed, current, waker, wake_cb));
    on_cleanup(move || {
        let (disposed, current, waker, wake_cb) = cleanup.take();
        disposed.set(true);
        if let Some(c) = current.borrow_mut().take() {
            c.abort();
        }
        let _ = document().remove_event_listener_with_callback(
            "visibilitychange",
            wake_cb.as_ref().unchecked_ref(),
        );
        let _ = window()
            .remove_event_listener_with_callback("online", wake_cb.as_ref().unchecked_ref());
        let _ = window()
            .remove_event_listener_with_callback(REFRESH_EVENT, wake_cb.as_ref().unchecked_ref());
        waker.wake();
    });
}
