//! The config editor at `/endpoints/{name}/edit` (issue #15), loaded from its own chunk:
//! the form ([`form`]), the reviewed plan ([`plan_view`]), apply and follow ([`apply`]), roll
//! back ([`rollback`]) and export / import ([`export`]). Every change is a plan the operator
//! reads before anything is written; the logic is `model::config_plan`.
//!
//! The edit in progress is kept in [`ConfigDrafts`] (the console's store) so that it survives
//! switching tabs; the leave guard (`components::PermissionsGuard`) asks before leaving the
//! endpoint with it unsaved.

mod apply;
mod export;
mod form;
mod plan_view;
mod rollback;

use super::DetailPage;
use crate::context::ConfigDrafts;
use crate::links::{self, Tab};
use crate::model::actions::can_edit;
use crate::model::config_plan::rollback::Replaced;
use crate::model::config_plan::validate::{validate, Messages};
use crate::model::config_plan::versions::VersionChoice;
use crate::model::config_plan::{plan, EditForm, Plan, Snapshot};
use crate::model::format::api_text;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use std::collections::HashMap;
use std::sync::Arc;

/// The edit kept in [`ConfigDrafts`]: the read it began from and the form as typed.
#[derive(Debug, Clone)]
struct Session {
    base: Snapshot,
    form: EditForm,
}

/// Where a plan came from (what "keep my edits" means on a conflict).
#[derive(Debug, Clone)]
enum Origin {
    /// The form (or an import or a shortcut, which fill the form).
    Form,
    /// A roll back to a replaced config.
    Rollback(Replaced),
}

/// What the page shows.
#[derive(Clone)]
enum Stage {
    /// The form.
    Form,
    /// The plan, not sent; notes (import warnings, what a shortcut did).
    Review(Arc<Plan>, Origin, Vec<String>),
    /// The plan being sent or sent (see [`apply::RunLog`]).
    Run(Arc<Plan>),
    /// The endpoint changed since the edit began: nothing was written.
    Conflict(Arc<Plan>, Origin, Vec<String>, Arc<Snapshot>),
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct Editor {
    detail: DetailPage,
    name: StoredValue<String>,
    /// The endpoint as read when the edit began.
    base: RwSignal<Option<Snapshot>>,
    form: RwSignal<EditForm>,
    messages: Memo<Messages>,
    stage: RwSignal<Stage>,
    run: RwSignal<apply::RunLog>,
    /// Versions offered per Unity Catalog model (`None`: not readable, free entry).
    versions: RwSignal<HashMap<String, Option<Vec<VersionChoice>>>>,
    drafts: ConfigDrafts,
}

impl Editor {
    /// Start over from the endpoint as last read (drops the draft).
    fn restart(&self) {
        let Some(d) = self.detail.endpoint_untracked() else {
            return;
        };
        let snap = Snapshot::from_endpoint(&d.0);
        self.form.set(EditForm::from_desired(&snap.desired));
        self.base.set(Some(snap));
        self.drafts.discard(&self.name.get_value());
        self.stage.set(Stage::Form);
    }

    /// Plan the form against the base and show the plan (only a form without messages).
    fn review(&self, notes: Vec<String>) {
        if !self.messages.get_untracked().is_empty() {
            return;
        }
        let Some(base) = self.base.get_untracked() else {
            return;
        };
        let p = plan(&base, &self.form.with_untracked(EditForm::to_desired));
        self.stage
            .set(Stage::Review(Arc::new(p), Origin::Form, notes));
        focus_heading("plan-h");
    }
}

/// Move focus to a stage's heading (after the stage changed, so that a screen reader hears it).
fn focus_heading(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// The config editor of the endpoint of the enclosing detail page.
#[component]
pub fn EditPage() -> impl IntoView {
    let detail = DetailPage::expect();
    let name = detail.name.get_value();
    let allowed = Memo::new(move |_| {
        detail
            .poller
            .data
            .with(|d| d.as_ref().map(|d| can_edit(&d.0).map_err(|b| b.reason())))
    });
    view! {
        <section class="edit" aria-labelledby="edit-h" data-testid="config-editor">
            <h2 id="edit-h">"Edit " {name.clone()}</h2>
            {move || match allowed.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(reason)) => view! {
                    <p data-testid="edit-read-only">{format!("Read only: {reason}")}</p>
                    <p><a href=links::endpoint(&detail.name.get_value(), Tab::Overview)>"Back to the overview"</a></p>
                }.into_any(),
                Some(Ok(())) => view! { <Editing/> }.into_any(),
            }}
        </section>
    }
}

/// The editor proper (a Can Manage caller, the endpoint loaded).
#[component]
fn Editing() -> impl IntoView {
    let detail = DetailPage::expect();
    let drafts = ConfigDrafts::expect();
    let name = detail.name.get_value();
    let query = use_query_map().get_untracked();
    let current = detail
        .endpoint_untracked()
        .map(|d| Snapshot::from_endpoint(&d.0));
    // A shortcut starts from what is served; otherwise the kept draft, if any.
    let shortcut_traffic = query.get("send_all_to").filter(|s| !s.is_empty());
    let shortcut_scale = query.get("scale_to_zero").filter(|s| !s.is_empty());
    let shortcut = shortcut_traffic.is_some() || shortcut_scale.is_some();
    let kept = drafts
        .draft(&name)
        .and_then(|k| k.downcast_ref::<Session>().cloned())
        .filter(|_| !shortcut);
    let (base, form) = match (kept, current) {
        (Some(s), _) => (Some(s.base), s.form),
        (None, Some(c)) => {
            let f = EditForm::from_desired(&c.desired);
            (Some(c), f)
        }
        (None, None) => (None, EditForm::default()),
    };
    let base = RwSignal::new(base);
    let form = RwSignal::new(form);
    let messages = Memo::new(move |_| {
        let b = base.get();
        form.with(|f| match &b {
            Some(b) => validate(f, &b.desired),
            None => Messages::new(),
        })
    });
    let ed = Editor {
        detail,
        name: StoredValue::new(name.clone()),
        base,
        form,
        messages,
        stage: RwSignal::new(Stage::Form),
        run: RwSignal::new(apply::RunLog::default()),
        versions: RwSignal::new(HashMap::new()),
        drafts,
    };
    // Keep the draft in the console's store at every change (dirty: differs from its base).
    let keep_name = name.clone();
    Effect::new(move |_| {
        let f = form.get();
        let Some(b) = base.get() else { return };
        let dirty = EditForm::from_desired(&b.desired) != f;
        let s: crate::context::Kept = Arc::new(Session { base: b, form: f });
        drafts.set_draft(&keep_name, Some(s), dirty);
    });
    if shortcut {
        let mut notes = Vec::new();
        form.update(|f| {
            if let Some(t) = &shortcut_traffic {
                if f.send_all_traffic_to(t) {
                    notes.push(format!(
                        "Shortcut: send all traffic to {}; the other entities keep serving with 0 %.",
                        api_text(t)
                    ));
                } else {
                    notes.push(format!("There is no served entity named {}.", api_text(t)));
                }
            }
            if let Some(s) = &shortcut_scale {
                let on = s == "on";
                let n = f.set_scale_to_zero(None, on);
                notes.push(format!(
                    "Shortcut: scale to zero {} for {n} served entit{}.",
                    if on { "on" } else { "off" },
                    if n == 1 { "y" } else { "ies" }
                ));
            }
        });
        ed.review(notes);
    }
    let back = links::endpoint(&name, Tab::Overview);
    view! {
        {move || match ed.stage.get() {
            Stage::Form => view! {
                <rollback::Offers ed=ed/>
                <form::FormView ed=ed/>
                <export::ExportImport ed=ed/>
            }.into_any(),
            Stage::Review(p, origin, notes) => view! {
                <plan_view::PlanView ed=ed plan=p origin=origin notes=notes/>
            }.into_any(),
            Stage::Run(p) => view! { <apply::RunView ed=ed plan=p/> }.into_any(),
            Stage::Conflict(p, origin, lines, fresh) => view! {
                <apply::ConflictView ed=ed plan=p origin=origin lines=lines fresh=fresh/>
            }.into_any(),
        }}
        <p class="edit__back"><a href=back>"Back to the overview"</a></p>
    }
}
