//! The header: title (link to the list), who I am, the light/dark switch.

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
    view! {
        <header class="app-header">
            <a class="app-header__title" href=crate::links::home()>{title}</a>
            <nav aria-label="Main" class="app-header__nav">
                <a href=crate::links::home()>"Serving endpoints"</a>
            </nav>
            <span class="app-header__spacer"></span>
            <span class="app-header__me" data-testid="me">
                {move || workspace.me.get().map(|m| {
                    let label = m.label().to_string();
                    let user = m.user_name.clone().unwrap_or_default();
                    view! { <span title=user><span class="visually-hidden">"Signed in as "</span>{label}</span> }
                })}
            </span>
            <button type="button" class="button button--ghost" on:click=cycle
                aria-label=move || format!("Colour theme: {} (change)", theme.get())>
                {move || match theme.get().as_str() { "light" => "☀ Light", "dark" => "☾ Dark", _ => "◑ System" }}
            </button>
        </header>
    }
}
