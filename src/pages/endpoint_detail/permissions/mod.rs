//! Permissions tab at `/endpoints/{name}/permissions`: who may view, query or manage the
//! endpoint, and (with Can Manage) an editor that never loses an edit and never locks its user
//! out without asking twice. The logic lives in [`crate::model::permissions`]; this folder is the
//! view ([`editor`], [`rows`], [`add_form`], [`dialogs`]) and the save sequence ([`save`]):
//!
//! 1. edits go into a draft kept in [`PermissionDrafts`] (a context of the whole console,
//!    keyed by endpoint id), so they survive a failed save, a switch to another tab and a
//!    remount; leaving the endpoint or the page with unsaved edits asks first
//!    ([`PermissionsGuard`](crate::components::PermissionsGuard));
//! 2. Save shows the exact changes; a change that takes away the user's own Can Manage asks a
//!    second time;
//! 3. the ACL is re-read and the save planned against it ([`plan`]): a conflict writes nothing
//!    and shows the three-way view; otherwise one PATCH (additions and changes) or one PUT
//!    (removals: exactly the intended direct grants);
//! 4. afterwards every read of the ACL checks that what was saved still holds, and says so when
//!    someone else changed it.

mod add_form;
mod dialogs;
mod editor;
mod rows;
mod save;

use super::DetailPage;
use crate::components::SkeletonRows;
use api_types::Principal;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use editor::PermissionsEditor;

fn focus_later(id: String, fallback: &'static str) {
    set_timeout(
        move || {
            let doc = document();
            let el = doc
                .get_element_by_id(&id)
                .or_else(|| doc.get_element_by_id(fallback));
            if let Some(h) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = h.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

fn principal_text(p: &Principal, display: Option<&str>) -> (String, Option<String>) {
    match display.filter(|d| *d != p.name()) {
        Some(d) => (d.to_string(), Some(p.name().to_string())),
        None => (p.name().to_string(), None),
    }
}

/// The Permissions tab as a route: the editor for the endpoint of the detail page.
#[component]
pub fn PermissionsTab() -> impl IntoView {
    let detail = DetailPage::expect();
    let ident = Memo::new(move |_| {
        detail
            .endpoint()
            .map(|d| (d.0.id.clone(), d.0.name.clone()))
    });
    let my_level = Memo::new(move |_| detail.endpoint().and_then(|d| d.0.permission_level.clone()));
    move || {
        match ident.get() {
        None => view! { <SkeletonRows rows=3/> }.into_any(),
        Some((Some(id), name)) => view! {
            <PermissionsEditor id=id name=name my_level=Signal::from(my_level)/>
        }
        .into_any(),
        Some((None, _)) => view! {
            <section class="perm" aria-labelledby="perm-h">
                <h2 id="perm-h">"Permissions"</h2>
                <p>"The API did not give this endpoint an id, and the Permissions API is keyed by id, so its permissions cannot be shown."</p>
            </section>
        }
        .into_any(),
    }
    }
}
