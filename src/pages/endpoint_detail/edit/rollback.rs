//! "Roll back to version N": a plan back to the config an applied update replaced (kept in
//! [`crate::context::ConfigDrafts`] while the console is open), or, after a failed update,
//! back to the config that kept serving. Either opens the plan; nothing is sent before Apply.

use super::{focus_heading, Editor, Origin, Stage};
use crate::model::config_plan::rollback::{rollback_plan, Replaced};
use crate::model::config_plan::Snapshot;
use leptos::prelude::*;
use std::sync::Arc;

/// Open the roll-back plan to `r` against the endpoint as last read.
fn open(ed: Editor, r: Replaced) {
    let Some(d) = ed.detail.endpoint_untracked() else {
        return;
    };
    let fresh = Snapshot::from_endpoint(&d.0);
    let p = rollback_plan(&fresh, &r);
    ed.base.set(Some(fresh));
    ed.stage.set(Stage::Review(
        Arc::new(p),
        Origin::Rollback(r.clone()),
        vec![format!(
            "{}: the served entities and traffic go back to that config; tags, AI gateway and \
             e-mails stay as they are.",
            r.label()
        )],
    ));
    focus_heading("plan-h");
}

/// The replaced config kept for this endpoint, if any (tracked).
fn kept(ed: Editor) -> Option<Replaced> {
    ed.drafts
        .replaced(&ed.name.get_value())
        .and_then(|k| k.downcast_ref::<Replaced>().cloned())
}

/// The failed update's roll back, from the endpoint as last read (tracked).
fn from_failure(ed: Editor) -> Option<Replaced> {
    ed.detail
        .poller
        .data
        .with(|d| d.as_ref().map(|d| Snapshot::from_endpoint(&d.0)))
        .and_then(|s| Replaced::from_failure(&s))
}

fn button(ed: Editor, r: Replaced, testid: &'static str) -> impl IntoView {
    let label = r.label();
    view! {
        <button type="button" class="button" data-testid=testid on:click=move |_| open(ed, r.clone())>
            {label}
        </button>
    }
}

/// After an applied config change: roll back to the config it replaced.
#[component]
pub(super) fn AfterApply(ed: Editor) -> impl IntoView {
    move || kept(ed).map(|r| button(ed, r, "rollback"))
}

/// In the failure view of an update: roll back to the config that kept serving.
#[component]
pub(super) fn FromFailure(ed: Editor) -> impl IntoView {
    move || {
        from_failure(ed).map(|r| {
            view! {
                <p>"The failed config is still pending. Rolling back sends the serving config again, so the endpoint stops trying the failed one."</p>
                {button(ed, r, "rollback-failed")}
            }
        })
    }
}

/// Above the form: the last update failed, or an update applied here can be rolled back.
#[component]
pub(super) fn Offers(ed: Editor) -> impl IntoView {
    move || {
        if let Some(r) = from_failure(ed) {
            return Some(
                view! {
                    <div class="edit__offer" role="note" data-testid="failed-offer">
                        <p>"The endpoint's last config update failed; the previous config keeps serving."</p>
                        {button(ed, r, "rollback-failed")}
                    </div>
                }
                .into_any(),
            );
        }
        kept(ed).map(|r| {
            view! {
                <div class="edit__offer" role="note" data-testid="rollback-offer">
                    <p>"A config update was applied from this console."</p>
                    {button(ed, r, "rollback")}
                </div>
            }
            .into_any()
        })
    }
}
