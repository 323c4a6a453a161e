//! What the viewer asks of the browser: performance marks, the URL's `#L…`, downloads.

use super::*;

pub(super) fn mark_performance(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

pub(super) fn human_bytes(n: usize) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Replace the URL's fragment with `#L{n}` (no navigation, no history entry).
pub(super) fn set_line_hash(n: Option<usize>) {
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
pub(super) fn download(text: &str, name: &str) -> Result<(), String> {
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
