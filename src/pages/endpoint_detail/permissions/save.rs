//! The save sequence of the permissions editor (steps 2–4 of the module's list): the preview
//! and lockout questions, then re-read, plan against what was read, one PATCH or one PUT, and
//! check the answer; the draft becomes a record in the ledger only when the answer shows it.

use super::focus_later;
use crate::api::{ApiClient, ApiError};
use crate::context::{PermissionDrafts, ToastKind, Toasts, Workspace};
use crate::hooks::use_polling::Poller;
use crate::model::format::api_text;
use crate::model::permissions::{
    describe, lockout, plan, record, saved_of, unmet, Acl, ConflictRow, Draft, Lockout, Me, Plan,
    PlanError,
};
use crate::pages::endpoint_detail::DetailPage;
use leptos::prelude::*;

/// What the editor's dialogs show.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Step {
    Closed,
    Preview,
    Lockout(Lockout),
    Conflict(Vec<ConflictRow>, Acl),
}

/// The save sequence of one endpoint's editor, and what it shows (all handles: `Copy`).
#[derive(Clone, Copy)]
pub(super) struct SaveSequence {
    id: StoredValue<String>,
    name: StoredValue<String>,
    api: StoredValue<ApiClient>,
    /// The editor's reads of the ACL (a save's answer becomes its data).
    poller: Poller<Acl>,
    drafts: PermissionDrafts,
    toasts: Toasts,
    /// The detail page, re-read after a save (my own level may have changed).
    detail: Option<DetailPage>,
    /// A save is under way.
    pub saving: RwSignal<bool>,
    /// Why the last save failed (the edits are kept).
    pub error: RwSignal<Option<ApiError>>,
    /// Why nothing was written although the server answered.
    pub blocked: RwSignal<Option<String>>,
    /// The dialog shown.
    pub step: RwSignal<Step>,
    /// The polite announcement of the editor.
    announce: RwSignal<String>,
}

impl SaveSequence {
    /// The sequence of endpoint `id` (called `name`), whose ACL `poller` reads.
    pub fn new(
        id: StoredValue<String>,
        name: StoredValue<String>,
        poller: Poller<Acl>,
        announce: RwSignal<String>,
    ) -> Self {
        SaveSequence {
            id,
            name,
            api: StoredValue::new(Workspace::expect().api),
            poller,
            drafts: PermissionDrafts::expect(),
            toasts: Toasts::expect(),
            detail: use_context::<DetailPage>(),
            saving: RwSignal::new(false),
            error: RwSignal::new(None),
            blocked: RwSignal::new(None),
            step: RwSignal::new(Step::Closed),
            announce,
        }
    }

    /// The preview was confirmed: save, unless the draft may take away my own Can Manage —
    /// then ask a second time first.
    pub fn confirm_preview(&self, draft: Option<Draft>, me: Option<Me>) {
        let verdict = draft
            .as_ref()
            .map(|d| lockout(d, me.as_ref()))
            .unwrap_or(Lockout::Safe);
        match verdict {
            Lockout::Safe => self.save(),
            other => self.step.set(Step::Lockout(other)),
        }
    }

    /// Save the draft: one request sequence per click, never two at once.
    pub fn save(&self) {
        let this = *self;
        if self.saving.get_untracked() {
            return;
        }
        let Some(d) = self.drafts.get_untracked(&self.id.get_value()).draft else {
            self.step.set(Step::Closed);
            return;
        };
        self.saving.set(true);
        self.error.set(None);
        self.blocked.set(None);
        self.step.set(Step::Closed);
        let api = self.api.with_value(ApiClient::clone);
        leptos::task::spawn_local(async move {
            let endpoint = this.id.get_value();
            let fresh = match api.get_permissions(&endpoint, None).await {
                Ok(r) => Acl::from_response(&r),
                Err(e) => {
                    this.error.try_set(Some(e));
                    this.saving.try_set(false);
                    return;
                }
            };
            let result = match plan(&d, &fresh) {
                Err(PlanError::Conflict(rows)) => {
                    this.poller.data.try_set(Some(fresh.clone()));
                    this.step.try_set(Step::Conflict(rows, fresh));
                    this.saving.try_set(false);
                    return;
                }
                Err(PlanError::Unreadable(n)) => {
                    this.blocked.try_set(Some(format!(
                        "The list holds {n} entr{} this console cannot read. Removing access here would replace the whole list and drop {}, so nothing was written. Additions and level changes alone can still be saved.",
                        if n == 1 { "y" } else { "ies" },
                        if n == 1 { "it" } else { "them" }
                    )));
                    this.saving.try_set(false);
                    return;
                }
                Ok(Plan::Nothing) => Ok(fresh),
                Ok(Plan::Patch(body)) => api
                    .patch_permissions(&endpoint, body)
                    .await
                    .map(|r| Acl::from_response(&r)),
                Ok(Plan::Put(body)) => api
                    .put_permissions(&endpoint, body)
                    .await
                    .map(|r| Acl::from_response(&r)),
            };
            this.saving.try_set(false);
            match result {
                Ok(after) => this.finish(d, after),
                Err(e) => {
                    this.error.try_set(Some(e));
                }
            }
        });
    }

    /// The server answered `after` to the save of `d`: keep the edits unless it shows them.
    fn finish(&self, d: Draft, after: Acl) {
        let problems = unmet(&d, &after);
        self.poller.data.set(Some(after));
        if !problems.is_empty() {
            let who: Vec<String> = problems
                .iter()
                .map(|p| api_text(&describe(p)).into_owned())
                .collect();
            self.blocked.set(Some(format!(
                "The server answered, but its list does not show your change for {}. Your edits are kept; reload the list and review them.",
                who.join(", ")
            )));
            return;
        }
        let n = d.changes().len();
        self.drafts
            .update(&self.id.get_value(), &self.name.get_value(), |s| {
                record(&mut s.ledger, saved_of(&d));
                s.draft = None;
            });
        self.toasts.push(
            ToastKind::Info,
            format!(
                "Permissions of {} saved ({n} change{}).",
                api_text(&self.name.get_value()),
                if n == 1 { "" } else { "s" }
            ),
        );
        self.announce.set("Permissions saved.".into());
        focus_later("perm-h".into(), "perm-h");
        if let Some(dc) = self.detail {
            dc.poller.refresh();
        }
        // Read again shortly: a concurrent writer's stale PUT (the one window no client can close
        // without an ETag) is then reported within seconds instead of at the next poll.
        let poller = self.poller;
        set_timeout(
            move || {
                if poller.loading.try_get_untracked().is_some() {
                    poller.refresh();
                }
            },
            std::time::Duration::from_secs(3),
        );
    }
}

/// What a failed save means for the edits.
pub(super) fn save_failure_text(e: &ApiError) -> String {
    let may_have_landed = matches!(
        e,
        ApiError::Network(_) | ApiError::Timeout | ApiError::Decode { .. }
    ) || e.status().is_some_and(|s| s >= 500);
    if may_have_landed {
        "Your edits are still here. The change may or may not have reached the server: Save again — the list is re-read first, so nothing is applied twice and nothing else is overwritten.".into()
    } else {
        "Nothing was saved. Your edits are still here; fix the cause and save again.".into()
    }
}
