//! `App`: loads the runtime config, provides the app-wide state (`crate::context`), declares
//! every route. The composition root: the only module that names every page.

mod detail_tabs;

use detail_tabs::DetailRoutes;

use crate::api::{BrowserTransport, HttpRequest, Transport};
use crate::components::{
    AppHeader, OfflineBanner, PaletteHost, PermissionsGuard, ToastRegion, TokenBanner, TokenDialog,
    TokenRequired,
};
use crate::config::{Config, ConfigError};
use crate::context::provide_console_state;
use crate::links;
use crate::pages::endpoint_list::EndpointList;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Load `config.json`: 404 → defaults; anything malformed → an error for the error screen.
pub async fn load_config(transport: &dyn Transport) -> Result<Config, ConfigError> {
    let req = HttpRequest {
        method: "GET",
        url: format!("{}/config.json", links::base()),
        body: None,
        bearer: None,
    };
    match transport.send(req, None, 10_000).await {
        Ok(r) if r.status == 404 => Ok(Config::default()),
        Ok(r) if (200..300).contains(&r.status) => {
            // An SPA fallback may answer index.html for a missing config.json.
            if r.body.trim_start().starts_with('<') {
                Ok(Config::default())
            } else {
                Config::parse(&r.body)
            }
        }
        Ok(r) => Err(ConfigError::Malformed(format!(
            "config.json answered HTTP {}",
            r.status
        ))),
        Err(e) => Err(ConfigError::Malformed(format!(
            "config.json could not be loaded: {e:?}"
        ))),
    }
}

/// The entry component: boot (config), then the console.
#[component]
pub fn App() -> impl IntoView {
    links::set_base(&public_url());
    let boot = LocalResource::new(|| async { load_config(&BrowserTransport).await });
    // Not a <Suspense>: the router's outlets suspend on every navigation, and under a Suspense
    // each tab switch would swap the whole console for the fallback and back (losing focus).
    move || match boot.get() {
        None => {
            view! { <p class="boot" aria-busy="true">"Loading Serving Console…"</p> }.into_any()
        }
        Some(Ok(cfg)) => {
            view! { <Console config=cfg transport=Arc::new(BrowserTransport)/> }.into_any()
        }
        Some(Err(e)) => view! { <ConfigErrorScreen error=e/> }.into_any(),
    }
}

/// The public URL the console was built for (`make build BASE=…`), from the `data-base`
/// attribute of the loader script (Trunk.toml `pattern_script`); `/` when there is none.
fn public_url() -> String {
    document()
        .query_selector("script[data-base]")
        .ok()
        .flatten()
        .and_then(|s| s.get_attribute("data-base"))
        .unwrap_or_else(|| "/".to_string())
}

/// Shown when `config.json` is malformed: what is wrong and how to fix it.
#[component]
pub fn ConfigErrorScreen(
    /// What went wrong.
    error: ConfigError,
) -> impl IntoView {
    view! {
        <main class="page" id="main">
            <section class="error-view" role="alert" data-testid="config-error">
                <h1>"The console configuration is invalid"</h1>
                <p>{error.to_string()}</p>
                <p>"Fix config.json next to index.html (or remove it to use the defaults), then reload."</p>
            </section>
        </main>
    }
}

/// The skip link: move focus to the page's `<main>` (the router would only scroll to `#main`,
/// leaving focus, and so the next Tab, at the top of the page).
fn skip_to_main(ev: web_sys::MouseEvent) {
    let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    ev.prevent_default();
    if !main.has_attribute("tabindex") {
        let _ = main.set_attribute("tabindex", "-1");
    }
    let _ = main.focus();
}

/// The console proper, for a given config and transport (browser tests pass a fake transport).
#[component]
pub fn Console(
    /// Runtime configuration.
    config: Config,
    /// The HTTP transport.
    transport: Arc<dyn Transport>,
) -> impl IntoView {
    let title = config.title.clone();
    let (workspace, token) = provide_console_state(config, transport);
    crate::chunks::set_preloader(detail_tabs::preload_all);
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(&title);
    }
    // Who I am: best effort; the header simply shows nothing if it fails. In token mode, asked
    // again for each new token.
    let me = workspace.me;
    let api = workspace.api;
    Effect::new(move |_| {
        if token.enabled && !token.signed_in.get() {
            return;
        }
        let api = api.clone();
        leptos::task::spawn_local(async move {
            if let Ok(m) = api.me(None).await {
                me.try_set(Some(m));
            }
        });
    });
    view! {
        <Router base=links::base()>
            <a class="skip-link" href="#main" on:click=skip_to_main>"Skip to content"</a>
            <AppHeader/>
            <OfflineBanner/>
            <TokenBanner/>
            <Show when=move || token.ready() fallback=|| view! { <TokenRequired/> }>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=|| view! { <Redirect path="/endpoints"/> }/>
                <Route path=path!("/endpoints") view=EndpointList/>
                <Route path=path!("/idle") view=|| crate::chunks::lazy_view(crate::pages::fleet::preload_idle, crate::pages::fleet::idle_view)/>
                <DetailRoutes/>
            </Routes>
            </Show>
            {token.enabled.then(|| view! { <TokenDialog/> })}
            <PermissionsGuard/>
            <PaletteHost/>
            <ToastRegion/>
        </Router>
    }
}
