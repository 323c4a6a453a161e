//! Token mode (`config.json` `"auth": "token"`): the console asks for a personal access token in
//! a modal dialog, keeps it in the [`ApiClient`](crate::api::ApiClient) only — this tab's memory,
//! never Web Storage, a cookie, a URL or a log — and asks again when the workspace answers 401.
//!
//! - Before the first token, the pages are not mounted (nothing could load): a short page says
//!   why and offers the dialog, which opens by itself.
//! - After a 401 the pages stay (no input is lost), the dialog opens again with the reason, and a
//!   banner offers it again if it is dismissed; a new token makes every poller refresh.
//! - The field is a password field (`autocomplete="off"`); its value is cleared as soon as the
//!   token is taken.

use crate::components::Dialog;
use crate::context::{TokenSession, Workspace};
use crate::model::token::{self, TokenProblem};
use leptos::html;
use leptos::prelude::*;

/// The dialog asking for a token (mounted once by the console in token mode).
#[component]
pub fn TokenDialog() -> impl IntoView {
    let session = TokenSession::get();
    let api = StoredValue::new(Workspace::expect().api);
    let problem = RwSignal::new(None::<TokenProblem>);
    let input = NodeRef::<html::Input>::new();
    let close = Callback::new(move |_| {
        problem.set(None);
        session.open.set(false);
    });
    let submit = move |ev: web_sys::SubmitEvent| {
        // Never a real form submission (CSP form-action 'none'; the token must not reach a URL).
        ev.prevent_default();
        let Some(el) = input.get_untracked() else {
            return;
        };
        match token::check(&el.value()) {
            Err(p) => {
                problem.set(Some(p));
                let _ = el.focus();
            }
            Ok(t) => {
                el.set_value("");
                api.with_value(|a| a.set_token(Some(t)));
                problem.set(None);
                session.refused.set(false);
                session.signed_in.set(true);
                let again = session.started.get_untracked();
                session.started.set(true);
                session.open.set(false);
                if again {
                    // Pages already shown (after a 401): refresh them with the new token.
                    crate::hooks::use_polling::refresh_all();
                }
            }
        }
    };
    let description = Signal::derive(move || {
        "The console keeps the token in this tab's memory only and sends it to the workspace API \
         with each request. Reloading or closing the tab forgets it."
            .to_string()
    });
    view! {
        <Dialog id="token-dialog" open=session.open on_close=close
            title="Personal access token" description=description initial_focus="token-input">
            {move || session.refused.get().then(|| view! {
                <p class="dialog__error" role="alert" data-testid="token-refused">
                    "The workspace refused the token (HTTP 401). It may have expired or been revoked; enter a valid one."
                </p>
            })}
            <form on:submit=submit novalidate=true>
                <div class="dialog__field">
                    <label for="token-input">"Token"</label>
                    <input id="token-input" node_ref=input class="input" type="password"
                        autocomplete="off" spellcheck="false" autocapitalize="off"
                        aria-invalid=move || if problem.get().is_some() { "true" } else { "false" }
                        aria-describedby=move || if problem.get().is_some() { "token-hint token-error" } else { "token-hint" }/>
                    <p class="dialog__hint" id="token-hint">
                        "A Databricks personal access token (dapi…) or OAuth access token."
                    </p>
                    {move || problem.get().map(|p| view! {
                        <p class="token-prompt__error" id="token-error">{p.message()}</p>
                    })}
                </div>
                <div class="dialog__actions">
                    <button type="button" class="button button--ghost" on:click=move |_| close.run(())>"Cancel"</button>
                    <button type="submit" class="button">"Use token"</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Instead of the pages, before the first token.
#[component]
pub fn TokenRequired() -> impl IntoView {
    let session = TokenSession::get();
    view! {
        <main class="page" id="main" data-testid="token-required">
            <h1>"Sign in with a token"</h1>
            <p>"This console talks to the workspace API with your personal access token. It is kept in this tab's memory only."</p>
            <p><button type="button" class="button" on:click=move |_| session.open.set(true)>"Enter a token"</button></p>
        </main>
    }
}

/// A banner while the pages are shown without a valid token (after a 401, dialog dismissed).
#[component]
pub fn TokenBanner() -> impl IntoView {
    let session = TokenSession::get();
    let show = move || {
        session.enabled && session.started.get() && !session.signed_in.get() && !session.open.get()
    };
    view! {
        <Show when=show>
            <div class="token-banner" role="status" data-testid="token-banner">
                <span>"The workspace refused the token. Data shown may be out of date."</span>
                <button type="button" class="button" on:click=move |_| session.open.set(true)>"Enter a token"</button>
            </div>
        </Show>
    }
}
