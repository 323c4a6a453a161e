//! The not-found page for unknown URLs.

use leptos::prelude::*;

/// "Page not found", with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <main class="page" id="main">
            <h1>"Page not found"</h1>
            <p>"This address does not match any page of the console."</p>
            <p><a href=crate::links::home()>"Go to the serving endpoints"</a></p>
        </main>
    }
}
