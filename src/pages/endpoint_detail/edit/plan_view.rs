//! The reviewed plan: one step per call (tags → AI gateway → config → notifications), each
//! marked "applies at once" or "redeploys", its changes, and its exact request; what cannot be
//! changed here and why. Nothing is written until "Apply" is pressed.

use super::{apply, Editor, Origin, Stage};
use crate::model::config_plan::plan::{Call, Change, Effect, Step};
use crate::model::config_plan::Plan;
use crate::model::format::api_text;
use leptos::prelude::*;
use std::sync::Arc;

/// The request of a step as text: method, path, then the body as sent (pretty).
pub(super) fn request_text(step: &Step) -> String {
    let body = serde_json::to_string_pretty(&step.request.body)
        .unwrap_or_else(|_| step.request.body_text());
    format!("{} {}\n{body}", step.request.method, step.request.path)
}

fn call_key(c: Call) -> &'static str {
    match c {
        Call::Tags => "tags",
        Call::AiGateway => "ai-gateway",
        Call::Config => "config",
        Call::Notifications => "notifications",
    }
}

fn change_row(c: &Change) -> impl IntoView {
    let shown = |v: &Option<String>| {
        v.as_deref()
            .map(|v| api_text(v).into_owned())
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <tr>
            <td>{api_text(&c.subject).into_owned()}</td>
            <td>{c.field.clone()}</td>
            <td>{shown(&c.before)}</td>
            <td>{shown(&c.after)}</td>
        </tr>
    }
}

/// One step of a plan (also used by the conflict view).
pub(super) fn step_view(i: usize, step: &Step) -> impl IntoView {
    let effect = step.effect.label();
    let redeploys = matches!(step.effect, Effect::Redeploys { .. });
    view! {
        <li class="plan__step" data-testid="plan-step" data-call=call_key(step.call)>
            <h3>{format!("{}. {}", i + 1, step.call.label())}</h3>
            <p class=if redeploys { "plan__effect plan__effect--redeploy" } else { "plan__effect" } data-testid="plan-effect">
                {effect}
            </p>
            <div class="table-scroll" tabindex="0" role="region" aria-label=format!("Changes of step {}", i + 1)>
                <table class="data-table">
                    <thead><tr><th scope="col">"What"</th><th scope="col">"Field"</th><th scope="col">"Now"</th><th scope="col">"After"</th></tr></thead>
                    <tbody>{step.changes.iter().map(change_row).collect_view()}</tbody>
                </table>
            </div>
            <details class="plan__request">
                <summary>"Exact request"</summary>
                <pre data-testid="plan-request">{request_text(step)}</pre>
            </details>
        </li>
    }
}

/// The plan, "Back to edit" and "Apply".
#[component]
pub(super) fn PlanView(
    ed: Editor,
    plan: Arc<Plan>,
    origin: Origin,
    notes: Vec<String>,
) -> impl IntoView {
    let steps = plan.steps.len();
    let redeploys = plan.redeploys();
    let go = {
        let plan = plan.clone();
        move |_| apply::start(ed, plan.clone(), origin.clone())
    };
    view! {
        <section class="plan" aria-labelledby="plan-h" data-testid="plan">
            <h2 id="plan-h" tabindex="-1">"Review the plan"</h2>
            {(!notes.is_empty()).then(|| view! {
                <ul class="plan__notes" data-testid="plan-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
            })}
            {if plan.is_empty() {
                view! { <p data-testid="plan-empty">"Nothing to change: the edit is what the endpoint has now. Nothing would be sent."</p> }.into_any()
            } else {
                view! {
                    <p>{format!(
                        "{steps} call{}, sent one at a time in this order; a failed call stops the rest.{}",
                        if steps == 1 { "" } else { "s" },
                        if redeploys { " The config call builds and deploys a new config version, which takes minutes; the current one keeps serving meanwhile." } else { "" }
                    )}</p>
                    <ol class="plan__steps">{plan.steps.iter().enumerate().map(|(i, s)| step_view(i, s)).collect_view()}</ol>
                }.into_any()
            }}
            {(!plan.not_applied.is_empty()).then(|| view! {
                <section aria-labelledby="not-applied-h" data-testid="not-applied">
                    <h3 id="not-applied-h">"Not changed here"</h3>
                    <ul>{plan.not_applied.iter().map(|n| view! { <li>{api_text(&n.what).into_owned()} " — " {n.why.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
            <div class="edit__actions">
                <button type="button" class="button button--ghost" id="plan-back"
                    on:click=move |_| ed.stage.set(Stage::Form)>"Back to edit"</button>
                {(!plan.is_empty()).then(|| view! {
                    <button type="button" class="button" id="plan-apply" on:click=go>
                        {format!("Apply {steps} call{}", if steps == 1 { "" } else { "s" })}
                    </button>
                })}
            </div>
        </section>
    }
}
