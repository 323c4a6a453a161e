//! The header: title (link to the list), the workspace switcher (when the server serves several),
//! who I am, Sign in / Sign out (`oauth` workspaces), the light/dark switch.

use crate::context::Workspace;
use leptos::prelude::*;

/// localStorage holds only this key: the light/dark/system preference. Nothing from the API and
/// never a token is stored in the browser (token mode keeps the token in `ApiClient` memory).
const THEME_KEY: &str = "serving-console-theme";

fn apply_theme(theme: &str) {
    if let Some(el) = document().document_element() {
        if theme == "system" {
            let _ = el.remove_attribute("data-theme");
        } else {
            let _ = el.set_attribute("data-theme", theme);
        }
    }
}

/// The console header.
#[component]
pub fn AppHeader() -> impl IntoView {
    let workspace = Workspace::expect();
    let storage = window().local_storage().ok().flatten();
    let initial = storage
        .as_ref()
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten())
        .filter(|t| t == "light" || t == "dark")
        .unwrap_or_else(|| "system".to_string());
    apply_theme(&initial);
    let theme = RwSignal::new(initial);
    let cycle = move |_| {
        let next = match theme.get_untracked().as_str() {
            "system" => "light",
            "light" => "dark",
            _ => "system",
        };
        apply_theme(next);
        if let Some(s) = window().local_storage().ok().flatten() {
            let _ = if next == "system" {
                s.remove_item(THEME_KEY)
            } else {
                s.set_item(THEME_KEY, next)
            };
        }
        theme.set(next.to_string());
    };
    let title = workspace.config.title.clone();
    let current = workspace.current.clone();
    let current_id = current.as_ref().map(|c| c.id.clone()).unwrap_or_default();
    // Each workspace is its own console (own base, state and session): switching loads it.
    let switcher = (workspace.config.workspaces.len() > 1).then(|| {
        let items = workspace
            .config
            .workspaces
            .iter()
            .map(|w| {
                let here = w.id == current_id;
                view! {
                    <li>
                        <a href=crate::links::workspace_home(&w.path) rel="external"
                            aria-current=here.then_some("page")>{w.name.clone()}</a>
                    </li>
                }
            })
            .collect_view();
        view! {
            <nav aria-label="Workspaces" class="app-header__workspaces" data-testid="workspaces">
                <ul>{items}</ul>
            </nav>
        }
    });
    let session = current.filter(|c| c.is_oauth()).map(|c| {
        let name = c.name.clone();
        if c.signed_in {
            let id = c.id.clone();
            let sign_out = move |_| {
                let id = id.clone();
                leptos::task::spawn_local(async move {
                    use crate::api::{BrowserTransport, HttpRequest, Transport};
                    // One request (the server removes the session cookie); then this page asks
                    // the server again, which sends the user to sign in.
                    let req = HttpRequest {
                        method: "POST",
                        url: crate::links::sign_out(&id),
                        body: None,
                        bearer: None,
                    };
                    let _ = BrowserTransport.send(req, None, 10_000).await;
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                });
            };
            view! {
                <button type="button" class="button button--ghost" on:click=sign_out
                    aria-label=format!("Sign out of {name}")>"Sign out"</button>
            }
            .into_any()
        } else {
            let (id, name) = (c.id.clone(), c.name.clone());
            let href = crate::links::sign_in(&id, &crate::links::home());
            view! { <a class="button" href=href rel="external" aria-label=format!("Sign in to {name}")>"Sign in"</a> }
                .into_any()
        }
    });
    view! {
        <header class="app-header">
            <a class="app-header__title" href=crate::links::home()>{title}</a>
            <nav aria-label="Main" class="app-header__nav">
                <a href=crate::links::home()>"Serving endpoints"</a>
            </nav>
            {switcher}
            <span class="app-header__spacer"></span>
            <span class="app-header__me" data-testid="me">
                {move || workspace.me.get().map(|m| {
                    let label = m.label().to_string();
                    let user = m.user_name.clone().unwrap_or_default();
                    view! { <span title=user><span class="visually-hidden">"Signed in as "</span>{label}</span> }
                })}
            </span>
            {session}
            <button type="button" class="button button--ghost" on:click=cycle
                aria-label=move || format!("Colour theme: {} (change)", theme.get())>
                {move || match theme.get().as_str() { "light" => "☀ Light", "dark" => "☾ Dark", _ => "◑ System" }}
            </button>
        </header>
    }
}
