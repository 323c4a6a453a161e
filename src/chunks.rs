//! Code loaded on first use: the endpoint detail page and its Logs, Permissions and Schema tabs.
//!
//! In the shipped build (`--features split`, set by index.html for trunk) each function below is a
//! split point of `wasm_split_helpers`: scripts/trunk-post-build.sh runs `wasm-split-cli` on the
//! linked wasm, which moves the code reachable only from a split point into its own `.wasm` file,
//! fetched the first time the function is called. The first screen (the endpoints list) then
//! loads only the code it needs (budgets.md P1 counts what `index.html` loads before the first
//! interaction). Without the feature (tests, `cargo check`) they are plain async functions with
//! the same signature, so callers and tests do not change.
//!
//! A chunk that fails to load (network down, a deploy replaced the files) becomes a
//! [`ChunkError`] shown by [`lazy_view`] with a Retry button: never a panic (`fallible`).

use crate::components::SkeletonRows;
use crate::pages::endpoint_detail::permissions::PermissionsTab;
use crate::pages::endpoint_detail::{EndpointDetail, LogsTab, OverviewTab, SchemaTab};
use leptos::prelude::*;
use std::future::Future;

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

/// Declare a view loaded from its own chunk: `chunk!(fn_name, module_name, || view)`.
macro_rules! chunk {
    ($(#[$doc:meta])* $name:ident, $module:ident, $body:expr) => {
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, fallible)]
        pub fn $name() -> ChunkView {
            Ok(($body)().into_any())
        }

        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> ChunkView {
            Ok(($body)().into_any())
        }
    };
}

chunk!(
    /// The endpoint detail page (header, actions, Overview).
    detail_page,
    detail,
    || view! { <EndpointDetail/> }
);
chunk!(
    /// The Overview tab (same chunk as the page it opens with).
    overview_tab,
    detail,
    || view! { <OverviewTab/> }
);
chunk!(
    /// The Logs tab and the log viewer.
    logs_tab,
    logs,
    || view! { <LogsTab/> }
);
chunk!(
    /// The Permissions tab (editor, confirm dialog).
    permissions_tab,
    permissions,
    || view! { <PermissionsTab/> }
);
chunk!(
    /// The Schema tab (OpenAPI explorer, request builder).
    schema_tab,
    schema,
    || view! { <SchemaTab/> }
);

/// Render a chunk's view: skeleton rows while it loads, a clear error with Retry if it cannot.
pub fn lazy_view<F, Fut>(load: F) -> impl IntoView
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = ChunkView> + 'static,
{
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let load = load.clone();
        view! {
            <Suspense fallback=|| view! { <SkeletonRows rows=4/> }>
                // The browser has one thread: the chunk's future never leaves it.
                {Suspend::new(send_wrapper::SendWrapper::new(async move {
                    match load().await {
                        Ok(v) => v,
                        Err(ChunkError) => view! { <ChunkFailed retry=attempt/> }.into_any(),
                    }
                }))}
            </Suspense>
        }
    }
}

/// The console could not fetch part of itself.
#[component]
fn ChunkFailed(retry: RwSignal<u32>) -> impl IntoView {
    view! {
        <div class="error-view" role="alert" data-testid="chunk-error">
            <h2>"This part of the console could not be loaded"</h2>
            <p>"Check your connection, then retry. If the console was just updated, reload the page."</p>
            <button class="btn" on:click=move |_| retry.update(|n| *n += 1)>"Retry"</button>
        </div>
    }
}
