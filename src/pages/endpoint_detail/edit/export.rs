//! Export the served config as the JSON `databricks serving-endpoints update-config NAME
//! --json` takes (copy or download), and import such a JSON (paste or upload) into a plan;
//! errors beside the text box with their line and column (`config_plan::export`).

use super::Editor;
use crate::context::{ToastKind, Toasts};
use crate::model::config_plan::export::{export, file_name, import};
use crate::model::config_plan::EditForm;
use crate::model::format::api_text;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Offer `text` as a file download named `name`.
fn download(text: &str, name: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&text.into());
    let bag = web_sys::BlobPropertyBag::new();
    bag.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &bag)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

/// Read the first file of a file input as text.
async fn read_file(input: web_sys::EventTarget) -> Option<String> {
    let files = js_sys::Reflect::get(&input, &"files".into()).ok()?;
    let file = js_sys::Reflect::get(&files, &0.into()).ok()?;
    if file.is_undefined() || file.is_null() {
        return None;
    }
    let text = js_sys::Reflect::get(&file, &"text".into()).ok()?;
    let f: js_sys::Function = text.dyn_into().ok()?;
    let promise: js_sys::Promise = f.call0(&file).ok()?.dyn_into().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()?
        .as_string()
}

/// Export and import.
#[component]
pub(super) fn ExportImport(ed: Editor) -> impl IntoView {
    let toasts = Toasts::expect();
    let name = ed.name.get_value();
    let (json, file) = ed
        .base
        .with_untracked(|b| {
            b.as_ref()
                .map(|b| (export(&b.desired), file_name(&name, b.config_version)))
        })
        .unwrap_or_default();
    let copy_text = json.clone();
    let copy = move |_| {
        let promise = window().navigator().clipboard().write_text(&copy_text);
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => toasts.push(ToastKind::Info, "Copied the config JSON.".to_string()),
                Err(_) => toasts.push(
                    ToastKind::Error,
                    "Could not copy (the browser refused); select the text instead.".to_string(),
                ),
            }
        });
    };
    let dl_text = json.clone();
    let dl = move |_| {
        if download(&dl_text, &file).is_err() {
            toasts.push(
                ToastKind::Error,
                "Could not download; copy the text instead.".to_string(),
            );
        }
    };
    let pasted = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let plan_it = move || {
        let Some(base) = ed.base.get_untracked() else {
            return;
        };
        match import(&pasted.get_untracked(), &base.desired) {
            Err(e) => error.set(Some(e.to_string())),
            Ok(imp) => {
                error.set(None);
                ed.form.set(EditForm::from_desired(&imp.desired));
                if ed.messages.get_untracked().is_empty() {
                    ed.review(imp.warnings);
                } else {
                    error.set(Some(format!(
                        "Imported into the form above, but some fields need fixing before a plan can be made.{}",
                        imp.warnings.iter().map(|w| format!(" {}", api_text(w))).collect::<String>()
                    )));
                }
            }
        }
    };
    let on_file = move |ev: web_sys::Event| {
        let Some(t) = ev.target() else { return };
        leptos::task::spawn_local(async move {
            match read_file(t).await {
                Some(text) => {
                    pasted.set(text);
                    error.set(None);
                }
                None => error.set(Some("The file could not be read.".into())),
            }
        });
    };
    view! {
        <section class="edit__section" aria-labelledby="export-h" data-testid="export-import">
            <h2 id="export-h">"Export / import"</h2>
            <div class="field">
                <label class="field__label" for="export-json">"The served config, as update-config --json takes it"</label>
                <textarea class="input edit__json" id="export-json" readonly rows="8" spellcheck="false" prop:value=json></textarea>
            </div>
            <div class="edit__actions">
                <button type="button" class="button button--ghost" id="export-copy" on:click=copy>"Copy"</button>
                <button type="button" class="button button--ghost" id="export-download" on:click=dl>"Download"</button>
            </div>
            <div class="field">
                <label class="field__label" for="import-json">"Paste a config JSON to plan it"</label>
                <textarea class="input edit__json" id="import-json" rows="8" spellcheck="false"
                    prop:value=move || pasted.get()
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then_some("import-msg")
                    on:input=move |ev| { pasted.set(event_target_value(&ev)); error.set(None); }></textarea>
                <p class="field__msg" id="import-msg" data-testid="import-msg" hidden=move || error.with(Option::is_none)>
                    {move || error.get().unwrap_or_default()}
                </p>
            </div>
            <div class="edit__actions">
                <label class="field__label" for="import-file">"Or upload a file"</label>
                <input type="file" id="import-file" accept=".json,application/json" on:change=on_file/>
                <button type="button" class="button" id="import-plan" on:click=move |_| plan_it()>"Plan from this JSON"</button>
            </div>
        </section>
    }
}
