//! The one error view: HTTP status, Databricks `error_code`, message, request id, Retry.

use crate::api::ApiError;
use leptos::prelude::*;
use stylers_macro::style;

/// Shows an [`ApiError`] as text; Retry when retrying makes sense and a handler is given.
#[component]
pub fn ErrorView(
    /// The error to show.
    error: ApiError,
    /// Called when the user presses Retry.
    #[prop(optional)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let status = error.status();
    let code = error.error_code().map(str::to_string);
    let request_id = error.request_id().map(str::to_string);
    let retry = on_retry.filter(|_| error.retryable());
    let scoped = style! {
        .error-view {
            padding: 1rem 1.25rem;
            border: 1px solid var(--error);
            border-left: 6px solid var(--error);
            border-radius: var(--radius);
            background: var(--error-bg);
            margin: 1rem 0;
            overflow-wrap: anywhere;
        }
        .error-view__title {
            margin-top: 0;
            color: var(--error);
        }
        .error-view__facts {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: 0.2rem 1rem;
        }
        dd {
            margin: 0;
        }
    };
    view! { class = scoped,
        <section class="error-view" role="alert" data-testid="error-view">
            <h2 class="error-view__title">{error.title()}</h2>
            <p class="error-view__message">{error.message()}</p>
            <dl class="error-view__facts">
                {status.map(|s| view! { <dt>"HTTP status"</dt><dd data-testid="error-status">{s}</dd> })}
                {code.map(|c| view! { <dt>"Error code"</dt><dd data-testid="error-code"><code>{c}</code></dd> })}
                {request_id.map(|r| view! { <dt>"Request ID"</dt><dd><code>{r}</code></dd> })}
            </dl>
            {retry.map(|cb| view! {
                <button type="button" class="button" on:click=move |_| cb.run(())>"Retry"</button>
            })}
        </section>
    }
}
