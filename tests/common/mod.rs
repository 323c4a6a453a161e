//! Helpers shared by the browser test files (`mod common;` in each).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use leptos::prelude::{document, window};
use wasm_bindgen::JsCast;

/// A fresh element appended to the body, to mount into.
pub fn container() -> web_sys::HtmlElement {
    let doc = document();
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

/// Wait `ms` milliseconds (setTimeout).
pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |r, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&r, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// Wait until `f` holds (up to 4 s), else fail naming `what`.
pub async fn until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..200 {
        if f() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for: {what}");
}

/// Replace the URL (for the router to start from).
pub fn go(path: &str) {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path))
        .unwrap();
}
