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

/// Every element under `root` matching `sel`.
pub fn all(root: &web_sys::Element, sel: &str) -> Vec<web_sys::HtmlElement> {
    let list = root.query_selector_all(sel).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i))
        .map(|n| n.unchecked_into())
        .collect()
}

/// The first element under `root` matching `sel`, if any.
pub fn one(root: &web_sys::Element, sel: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(sel)
        .unwrap()
        .map(|e| e.unchecked_into())
}

/// The first element under `root` matching `sel`; fails the test when there is none.
pub fn find(root: &web_sys::Element, sel: &str) -> web_sys::HtmlElement {
    one(root, sel).unwrap_or_else(|| panic!("no {sel}"))
}

/// The text content of `el`.
pub fn text(el: &web_sys::Element) -> String {
    el.text_content().unwrap_or_default()
}

/// Set the value of an input, textarea or select and fire `input`, as typing does.
pub fn type_into(el: &web_sys::HtmlElement, value: &str) {
    js_sys::Reflect::set(el, &"value".into(), &value.into()).unwrap();
    let fire = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
    );
    fire.call1(&wasm_bindgen::JsValue::NULL, el).unwrap();
}

/// Dispatch a keydown (bubbling, cancelable) on `el`; returns whether the default was prevented.
pub fn key(el: &web_sys::Element, k: &str, shift: bool) -> bool {
    let f = js_sys::Function::new_with_args(
        "el, key, shift",
        "const e = new KeyboardEvent('keydown', {key, shiftKey: shift, bubbles: true, cancelable: true}); \
         el.dispatchEvent(e); return e.defaultPrevented;",
    );
    f.call3(&wasm_bindgen::JsValue::NULL, el, &k.into(), &shift.into())
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

/// Mount the console with `config` over `fake` in a fresh container; keep the handle alive for
/// as long as the console should stay mounted.
pub fn mount_console(
    config: serving_console::config::Config,
    fake: &serving_console::api::FakeTransport,
) -> (web_sys::HtmlElement, impl Drop) {
    use leptos::prelude::*;
    use serving_console::app::Console;
    let el = container();
    let f = fake.clone();
    let handle = leptos::mount::mount_to(el.clone(), move || {
        view! { <Console config=config.clone() transport=std::sync::Arc::new(f.clone())/> }
    });
    (el, handle)
}
