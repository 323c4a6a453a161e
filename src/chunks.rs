//! Code loaded on first use: the mechanics. Which views are loaded lazily is declared by the app
//! (`app::detail_tabs`: the endpoint detail page and its tabs); this module names no page. Here:
//! the [`split_view!`] declaration, [`lazy_view`] that renders a lazily loaded view, the
//! background preloading ([`set_preloader`], [`preload_later`]), and the one split point that is
//! not a view: the endpoints list's refinement of ambiguous rows ([`refine_state`], the detailed
//! endpoint decoder).
//!
//! In the shipped build (`--features split`, set by index.html for trunk) each split point is a
//! function of `wasm_split_helpers`: scripts/trunk-post-build.sh runs `wasm-split-cli` on the
//! linked wasm, which moves the code reachable only from a split point into its own `.wasm` file,
//! fetched the first time the function is called. The first screen (the endpoints list) then
//! loads only the code it needs (budgets.md P1 counts what `index.html` loads before the first
//! interaction). Without the feature (tests, `cargo check`) they are plain async functions with
//! the same signature, so callers and tests do not change.
//!
//! A chunk that fails to load (network down, a deploy replaced the files) becomes a
//! [`ChunkError`] shown by [`lazy_view`] with a Retry button: never a panic (`fallible`).

use crate::api::{ApiClient, ApiError};
use crate::components::SkeletonRows;
use crate::model::display_state::{derive_detailed, DisplayState};
use futures::FutureExt;
use leptos::prelude::*;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;

/// A chunk of the console could not be loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for ChunkError {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// The result of a chunk: its view, or why it could not be loaded.
pub type ChunkView = Result<AnyView, ChunkError>;

/// Declare a view loaded from its own chunk:
/// `split_view!(/// doc, view_fn, preload_fn, chunk_name, || view! { <Page/> })`. `preload_fn`
/// fetches the chunk without rendering; views that name the same chunk share it.
#[macro_export]
macro_rules! split_view {
    ($(#[$doc:meta])* $name:ident, $preload:ident, $module:ident, $body:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, fallible, preload($preload))]
        pub fn $name() -> $crate::chunks::ChunkView {
            Ok(($body)().into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> $crate::chunks::ChunkView {
            Ok(($body)().into_any())
        }

        /// Fetch the chunk without rendering (nothing to fetch without the `split` feature).
        #[cfg(not(feature = "split"))]
        pub async fn $preload() -> Result<(), $crate::chunks::ChunkError> {
            Ok(())
        }
    };
}

/// The state of an endpoint the list shows as plain "Not ready": read the endpoint (one GET)
/// and derive its display state. A split point of its own, so that the detailed endpoint's
/// decoder is not part of the first screen; callers treat a [`ChunkError`] like a failed read.
pub type RefineFuture = Pin<Box<dyn Future<Output = Result<DisplayState, ApiError>>>>;

/// See [`RefineFuture`].
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(refine, fallible)]
pub fn refine_state(
    api: ApiClient,
    name: String,
    signal: Option<web_sys::AbortSignal>,
) -> Result<RefineFuture, ChunkError> {
    Ok(refine_future(api, name, signal))
}

/// See [`RefineFuture`].
#[cfg(not(feature = "split"))]
pub async fn refine_state(
    api: ApiClient,
    name: String,
    signal: Option<web_sys::AbortSignal>,
) -> Result<RefineFuture, ChunkError> {
    Ok(refine_future(api, name, signal))
}

fn refine_future(
    api: ApiClient,
    name: String,
    signal: Option<web_sys::AbortSignal>,
) -> RefineFuture {
    Box::pin(async move {
        let e = api.get_endpoint(&name, signal).await?;
        Ok(derive_detailed(&e).state)
    })
}

thread_local! {
    /// What [`preload_later`] runs (set once by the app, which knows the lazily loaded views).
    static PRELOADER: Cell<Option<fn()>> = const { Cell::new(None) };
}

/// Set what [`preload_later`] runs: a function that fetches the lazily loaded chunks.
pub fn set_preloader(preload: fn()) {
    PRELOADER.with(|p| p.set(Some(preload)));
}

/// In a second (the browser is idle once a page has rendered), fetch the lazily loaded chunks
/// in the background, so that opening an endpoint or switching tabs does not wait for the
/// network. Failures are ignored: the view that needs a chunk loads it again and shows an error.
pub fn preload_later() {
    set_timeout(
        || {
            if let Some(preload) = PRELOADER.with(Cell::get) {
                preload();
            }
        },
        std::time::Duration::from_secs(1),
    );
}

/// Where a lazily loaded view is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
    Fetching,
    Ready,
    Failed,
}

/// Render a chunk's view: skeleton rows while its code is fetched (`preload`), then the view
/// (`load`, ready at once by then), or a clear error with Retry if the code cannot be fetched.
///
/// Not a `<Suspense>`: the router's outlets suspend on every navigation, and the detail page
/// (whose chunk holds the tabs' outlet) would fall back to the skeleton on each tab switch,
/// taking the focused tab link with it.
pub fn lazy_view<P, PF, PE, L, LF>(preload: P, load: L) -> impl IntoView
where
    P: Fn() -> PF + Clone + Send + Sync + 'static,
    PF: Future<Output = Result<(), PE>> + 'static,
    L: Fn() -> LF + Send + Sync + 'static,
    LF: Future<Output = ChunkView> + 'static,
{
    // Already fetched (a prefetch, or an earlier visit): render at once, no skeleton flash.
    let fetched = preload().now_or_never().is_some_and(|r| r.is_ok());
    let state = RwSignal::new(if fetched { Load::Ready } else { Load::Fetching });
    let fetch = move || {
        state.set(Load::Fetching);
        let preload = preload.clone();
        leptos::task::spawn_local(async move {
            let ok = preload().await.is_ok();
            state.try_set(if ok { Load::Ready } else { Load::Failed });
        });
    };
    if !fetched {
        fetch();
    }
    let retry = Callback::new(move |_| fetch());
    move || match state.get() {
        Load::Fetching => view! { <SkeletonRows rows=4/> }.into_any(),
        Load::Failed => view! { <ChunkFailed retry/> }.into_any(),
        // Fetched: the split function's own load check is ready, so the view is too.
        Load::Ready => match load().now_or_never() {
            Some(Ok(v)) => v,
            _ => view! { <ChunkFailed retry/> }.into_any(),
        },
    }
}

/// The console could not fetch part of itself.
#[component]
fn ChunkFailed(retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="error-view" role="alert" data-testid="chunk-error">
            <h2>"This part of the console could not be loaded"</h2>
            <p>"Check your connection, then retry. If the console was just updated, reload the page."</p>
            <button class="btn" on:click=move |_| retry.run(())>"Retry"</button>
        </div>
    }
}
