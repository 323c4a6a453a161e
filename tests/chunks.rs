//! Browser tests of lazily loaded views (src/chunks.rs): a chunk that cannot be fetched shows a
//! clear error with Retry, and Retry loads it.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{container, until};
use leptos::prelude::*;
use serving_console::chunks::{lazy_view, ChunkError, ChunkView};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_chunk_that_fails_to_load_shows_an_error_and_retry_loads_it() {
    let el = container();
    let fetches = Arc::new(AtomicU32::new(0));
    let online = Arc::new(AtomicBool::new(false));
    let (f, o) = (fetches.clone(), online.clone());
    // Fetching the code fails while the network is down.
    let preload = move || {
        f.fetch_add(1, Ordering::SeqCst);
        let up = o.load(Ordering::SeqCst);
        async move {
            if up {
                Ok(())
            } else {
                Err(ChunkError)
            }
        }
    };
    let load =
        || async { Ok(view! { <p data-testid="loaded">"The tab"</p> }.into_any()) as ChunkView };
    let _handle = mount_to(el.clone(), move || lazy_view(preload.clone(), load));

    until("the chunk error", || {
        el.text_content()
            .unwrap_or_default()
            .contains("could not be loaded")
    })
    .await;
    let alert = el
        .query_selector("[data-testid=chunk-error]")
        .unwrap()
        .unwrap();
    assert_eq!(alert.get_attribute("role").as_deref(), Some("alert"));
    assert!(el.query_selector("[data-testid=loaded]").unwrap().is_none());

    let retry: web_sys::HtmlElement = alert
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(retry.text_content().unwrap_or_default(), "Retry");
    let before = fetches.load(Ordering::SeqCst);
    online.store(true, Ordering::SeqCst);
    retry.click();
    until("the tab after Retry", || {
        el.query_selector("[data-testid=loaded]").unwrap().is_some()
    })
    .await;
    assert!(el
        .query_selector("[data-testid=chunk-error]")
        .unwrap()
        .is_none());
    assert_eq!(
        fetches.load(Ordering::SeqCst),
        before + 1,
        "Retry fetched the chunk again, once"
    );
}
