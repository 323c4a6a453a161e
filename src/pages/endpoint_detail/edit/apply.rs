//! Apply a reviewed plan and follow it: re-read the endpoint first (changed since the edit
//! began → nothing is written, keep / discard is offered), then one request per step, one at a
//! time, each result shown; a failed or refused call stops the rest and the report says what
//! was and was not applied. A config step is then followed on the page from GET to GET
//! (`config_plan::rollout`) until it is served or has failed; done is decided by re-reads.

use super::plan_view::step_view;
use super::{rollback, Editor, Origin, Stage};
use crate::context::Workspace;
use crate::links;
use crate::model::config_plan::apply::{Outcome, Progress};
use crate::model::config_plan::conflict::{check, rebase, refusal, Freshness};
use crate::model::config_plan::rollback::{rollback_plan, Replaced};
use crate::model::config_plan::rollout::{follow, EntityProgress, Rollout};
use crate::model::config_plan::{plan, EditForm, Plan, Snapshot};
use crate::model::format::api_text;
use leptos::prelude::*;
use std::sync::Arc;

/// What the run did so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct RunLog {
    /// Re-reading the endpoint before the first write.
    pub checking: bool,
    /// The step being sent.
    pub sending: Option<usize>,
    /// Result per step sent: `Ok(summary)` or `Err(why)`.
    pub results: Vec<Result<String, String>>,
    /// Why nothing was sent (the re-read failed, the server would refuse).
    pub not_started: Option<String>,
    /// The report, once the run ended.
    pub report: Option<String>,
    /// The config step was applied (follow the rollout).
    pub config_applied: bool,
}

/// Apply `plan`: one run at a time (a second click while one runs does nothing).
pub(super) fn start(ed: Editor, plan: Arc<Plan>, origin: Origin) {
    if ed.run.with_untracked(|r| r.checking || r.sending.is_some()) {
        return;
    }
    let api = Workspace::expect().api;
    ed.run.set(RunLog {
        checking: true,
        ..RunLog::default()
    });
    ed.stage.set(Stage::Run(plan.clone()));
    let name = ed.name.get_value();
    leptos::task::spawn_local(async move {
        // Before the first write: is the endpoint still what the plan was made against?
        let fresh = match api.get_endpoint(&name, None).await {
            Ok(e) => Snapshot::from_endpoint(&e),
            Err(e) => {
                ed.run.try_set(RunLog {
                    not_started: Some(format!(
                        "Could not re-read the endpoint before applying: {}. Nothing was sent.",
                        api_text(&e.message())
                    )),
                    ..RunLog::default()
                });
                return;
            }
        };
        if let Freshness::Changed(lines) = check(&plan.base, &fresh) {
            ed.run.try_set(RunLog::default());
            ed.stage
                .try_set(Stage::Conflict(plan, origin, lines, Arc::new(fresh)));
            super::focus_heading("conflict-h");
            return;
        }
        if let Some(why) = refusal(&plan, &fresh) {
            ed.run.try_set(RunLog {
                not_started: Some(why),
                ..RunLog::default()
            });
            return;
        }
        ed.run.try_update(|r| r.checking = false);
        let mut progress = Progress::new(&plan);
        while let Some(i) = progress.next() {
            let Some(step) = plan.steps.get(i) else { break };
            ed.run.try_update(|r| r.sending = Some(i));
            let outcome = match api.send_step(step).await {
                Ok(_) => {
                    ed.run.try_update(|r| {
                        r.results.push(Ok(format!(
                            "{} {}: done ({}).",
                            step.request.method,
                            step.call.label(),
                            step.effect.label()
                        )))
                    });
                    Outcome::Applied
                }
                Err(e) => {
                    let code = match (e.status(), e.error_code()) {
                        (Some(s), Some(c)) => format!("HTTP {s} {}: ", api_text(c)),
                        (Some(s), None) => format!("HTTP {s}: "),
                        _ => String::new(),
                    };
                    let why = format!("{code}{}", api_text(&e.message()));
                    ed.run.try_update(|r| r.results.push(Err(why.clone())));
                    Outcome::Failed(why)
                }
            };
            if progress.record(i, outcome).is_err() {
                break;
            }
        }
        let report = progress.report();
        let config_applied = report
            .applied
            .contains(&crate::model::config_plan::Call::Config);
        if config_applied {
            if let Some(r) = Replaced::by(&plan) {
                ed.drafts
                    .set_replaced(&name, Some(Arc::new(r) as crate::context::Kept));
            }
        }
        if report.failed.is_none() {
            // Everything was sent: the edit is done; what the endpoint has now is re-read.
            ed.drafts.discard(&name);
        }
        ed.run.try_update(|r| {
            r.sending = None;
            r.report = Some(report.sentence());
            r.config_applied = config_applied;
        });
        ed.detail.follow_transition();
    });
}

/// Logs links of a failing entity (build and server logs, Logs tab).
fn logs_links(endpoint: &str, e: &EntityProgress) -> impl IntoView {
    let link = |kind: &str| {
        links::endpoint_logs(
            endpoint,
            &[
                ("entity".to_string(), e.name.clone()),
                ("kind".to_string(), kind.to_string()),
            ],
            None,
        )
    };
    view! {
        " " <a href=link("build") data-testid="build-logs-link">{format!("Build logs of {}", api_text(&e.name))}</a>
        " · " <a href=link("server") data-testid="server-logs-link">{format!("Server logs of {}", api_text(&e.name))}</a>
    }
}

fn entity_list(endpoint: &str, entities: &[EntityProgress]) -> impl IntoView {
    let endpoint = endpoint.to_string();
    view! {
        <ul class="rollout__entities" data-testid="rollout-entities">
            {entities.iter().map(|e| view! {
                <li data-entity=e.name.clone()>
                    <strong>{api_text(&e.name).into_owned()}</strong> ": " {super::super::overview::pretty_deployment(&e.deployment)}
                    {e.message.clone().filter(|m| !m.is_empty()).map(|m| view! { " — " {api_text(&m).into_owned()} })}
                    {e.failed.then(|| logs_links(&endpoint, e))}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The run: each step's result, the report, then the rollout followed on the page.
#[component]
pub(super) fn RunView(ed: Editor, plan: Arc<Plan>) -> impl IntoView {
    let name = ed.name.get_value();
    let base_version = plan.base.config_version;
    let follows = plan.redeploys();
    let labels: Vec<&'static str> = plan.steps.iter().map(|s| s.call.label()).collect();
    let rollout = Memo::new(move |_| {
        ed.detail
            .poller
            .data
            .with(|d| d.as_ref().map(|d| follow(&d.0)))
    });
    let rollout_name = name.clone();
    let follow_view = move || {
        let r = ed.run.get();
        if !(follows && r.config_applied) {
            return None;
        }
        let n = rollout_name.clone();
        Some(match rollout.get() {
            None => view! { <p>"Re-reading the endpoint…"</p> }.into_any(),
            Some(Rollout::InProgress { pending_version, serving_version, entities }) => view! {
                <p data-testid="rollout-state">{format!(
                    "Rolling out config version {}; version {} keeps serving meanwhile. This page re-reads the endpoint until it settles.",
                    pending_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
                    serving_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
                )}</p>
                {entity_list(&n, &entities)}
            }.into_any(),
            Some(Rollout::Served { version }) if version.is_some() && version > base_version => view! {
                <p data-testid="rollout-state" class="rollout--ok">{format!(
                    "Served: config version {} is live (confirmed by re-reading the endpoint).",
                    version.map(|v| v.to_string()).unwrap_or_default()
                )}</p>
                <rollback::AfterApply ed=ed/>
            }.into_any(),
            Some(Rollout::Served { .. }) => view! {
                <p data-testid="rollout-state">"Waiting for the endpoint to report the update…"</p>
            }.into_any(),
            Some(Rollout::Failed { canceled, pending_version, serving_version, entities }) => view! {
                <p data-testid="rollout-state" class="rollout--failed" role="alert">{format!(
                    "The update to config version {} {}; version {} keeps serving, unchanged.",
                    pending_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into()),
                    if canceled { "was canceled" } else { "failed" },
                    serving_version.map(|v| v.to_string()).unwrap_or_else(|| "?".into())
                )}</p>
                {entity_list(&n, &entities)}
                <rollback::FromFailure ed=ed/>
            }.into_any(),
            Some(Rollout::Unknown(s)) => view! {
                <p data-testid="rollout-state">{format!("The endpoint reports config update state {}.", api_text(&s))}</p>
            }.into_any(),
        })
    };
    // Confirm by re-read: which steps the endpoint as re-read does not show yet.
    let edit = (*plan).clone();
    let confirm = move || {
        let r = ed.run.get();
        r.report.as_ref()?;
        let d = ed.detail.poller.data.get()?;
        let now = Snapshot::from_endpoint(&d.0);
        let rest = plan_rest(&now, &edit);
        Some(if rest.is_empty() {
            "The endpoint as re-read has every change of this plan.".to_string()
        } else {
            format!("Not yet in the endpoint as re-read: {}.", rest.join(", "))
        })
    };
    let status = move || {
        let r = ed.run.get();
        if r.checking {
            Some(
                "Re-reading the endpoint to check that nothing changed since the edit began…"
                    .to_string(),
            )
        } else {
            r.sending
                .and_then(|i| labels.get(i))
                .map(|l| format!("Sending: {l}…"))
        }
    };
    view! {
        <section class="run" aria-labelledby="run-h" data-testid="run">
            <h2 id="run-h" tabindex="-1">"Applying the plan"</h2>
            <p role="status" data-testid="run-status">{status}</p>
            <ol class="run__steps">
                {plan.steps.iter().enumerate().map(|(i, s)| {
                    let label = s.call.label();
                    let line = move || ed.run.with(|r| match r.results.get(i) {
                        Some(Ok(t)) => ("run__ok", format!("✓ {t}")),
                        Some(Err(e)) => ("run__failed", format!("✗ {label}: failed — {e}")),
                        None if r.sending == Some(i) => ("", format!("{label}: sending…")),
                        None => ("muted", format!("{label}: not sent")),
                    });
                    view! { <li class=move || line().0 data-testid="run-step">{move || line().1}</li> }
                }).collect_view()}
            </ol>
            {move || ed.run.with(|r| r.not_started.clone()).map(|t| view! { <p role="alert" data-testid="run-not-started">{t}</p> })}
            {move || ed.run.with(|r| r.report.clone()).map(|t| view! { <p role="status" data-testid="run-report"><strong>{t}</strong></p> })}
            <p data-testid="run-confirm">{confirm}</p>
            {follow_view}
            <div class="edit__actions">
                <button type="button" class="button button--ghost" id="edit-again"
                    aria-disabled=move || ed.run.with(|r| r.checking || r.sending.is_some()).then_some("true")
                    on:click=move |_| if ed.run.with_untracked(|r| !r.checking && r.sending.is_none()) { ed.restart() }>
                    "Edit again from what is served"
                </button>
            </div>
        </section>
    }
}

/// The steps of `p` whose change the endpoint as read (`now`) does not show yet.
fn plan_rest(now: &Snapshot, p: &Plan) -> Vec<&'static str> {
    // The plan's target per call, compared with the re-read one call at a time.
    let Ok(target) = crate::model::config_plan::plan::simulate(&p.base.desired, p) else {
        return Vec::new();
    };
    plan(now, &target)
        .steps
        .iter()
        .filter(|s| p.step(s.call).is_some())
        .map(|s| s.call.label())
        .collect()
}

/// The endpoint changed since the edit began: nothing was written. What changed, and
/// "keep my edits on the current config" or "discard".
#[component]
pub(super) fn ConflictView(
    ed: Editor,
    plan: Arc<Plan>,
    origin: Origin,
    lines: Vec<String>,
    fresh: Arc<Snapshot>,
) -> impl IntoView {
    let keep = {
        let (plan, origin, fresh) = (plan.clone(), origin.clone(), fresh.clone());
        move |_| {
            let next = match &origin {
                Origin::Form => {
                    let mine = ed.form.with_untracked(EditForm::to_desired);
                    let merged = rebase(&plan.base.desired, &mine, &fresh.desired);
                    ed.form.set(EditForm::from_desired(&merged));
                    ed.base.set(Some((*fresh).clone()));
                    crate::model::config_plan::plan(&fresh, &merged)
                }
                Origin::Rollback(r) => {
                    ed.base.set(Some((*fresh).clone()));
                    rollback_plan(&fresh, r)
                }
            };
            ed.stage.set(Stage::Review(
                Arc::new(next),
                origin.clone(),
                vec![
                    "Your edits, on the endpoint as it is now: review again before applying."
                        .into(),
                ],
            ));
            super::focus_heading("plan-h");
        }
    };
    let discard = move |_| ed.restart();
    view! {
        <section class="conflict" aria-labelledby="conflict-h" data-testid="conflict" role="alert">
            <h2 id="conflict-h" tabindex="-1">"The endpoint changed since you began editing"</h2>
            <p>"Nothing was written. Someone (or something) changed it meanwhile:"</p>
            <ul data-testid="conflict-lines">{lines.into_iter().map(|l| view! { <li>{api_text(&l).into_owned()}</li> }).collect_view()}</ul>
            <details>
                <summary>"The plan that was not sent"</summary>
                <ol class="plan__steps">{plan.steps.iter().enumerate().map(|(i, s)| step_view(i, s)).collect_view()}</ol>
            </details>
            <div class="edit__actions">
                <button type="button" class="button" id="conflict-keep" on:click=keep>"Keep my edits on the current config"</button>
                <button type="button" class="button button--ghost" id="conflict-discard" on:click=discard>"Discard my edits"</button>
            </div>
        </section>
    }
}
