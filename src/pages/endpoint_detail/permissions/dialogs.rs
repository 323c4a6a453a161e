//! The editor's dialogs: the preview of a save, the second question before a lockout, and the
//! three-way view of a conflict.

use super::save::Step;
use crate::components::{Dialog, DialogRole};
use crate::model::format::api_text;
use crate::model::permissions::{describe, highest, lockout, Acl, Draft, Levels, Lockout, Me};
use leptos::prelude::*;

#[component]
pub(super) fn PreviewDialog(
    step: RwSignal<Step>,
    changes: Memo<Vec<crate::model::permissions::Change>>,
    draft: Memo<Option<Draft>>,
    me: Memo<Option<Me>>,
    name: StoredValue<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let open = Signal::derive(move || step.with(|s| *s == Step::Preview));
    let close = Callback::new(move |_| step.set(Step::Closed));
    let title = Signal::derive(move || {
        format!(
            "Save permission changes to {}?",
            api_text(&name.get_value())
        )
    });
    view! {
        <Dialog id="perm-preview" open=open on_close=close title=title described_by="perm-preview-what" return_focus="perm-save">
            <div id="perm-preview-what">
                <p>"Saving makes exactly these changes, and nothing else:"</p>
                <ul class="perm-changes" data-testid="perm-preview-list">
                    {move || changes.get().into_iter().map(|c| view! { <li>{c.to_string()}</li> }).collect_view()}
                </ul>
                <p class="perm-hint">{move || {
                    let removes = draft.with(|d| d.as_ref().is_some_and(Draft::has_removals));
                    if removes {
                        "Removing access replaces the list: it is re-read first, and if anyone changed it since you started, nothing is written and you see what changed. Inherited permissions are never touched."
                    } else {
                        "Additions and changes are sent as one update of just these principals; everyone else stays as they are."
                    }
                }}</p>
                {move || {
                    let v = draft.with(|d| d.as_ref().map(|d| lockout(d, me.get().as_ref())));
                    match v {
                        Some(Lockout::LosesManage(_)) => Some(view! {
                            <p class="perm-alert">"This removes or lowers your own Can Manage. You will be asked to confirm that separately."</p>
                        }),
                        Some(Lockout::Unknown) => Some(view! {
                            <p class="perm-alert">"This removes or lowers a Can Manage grant that may be yours. You will be asked to confirm that separately."</p>
                        }),
                        _ => None,
                    }
                }}
            </div>
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" on:click=move |_| close.run(())>"Cancel"</button>
                <button type="button" class="button" id="perm-confirm" data-testid="perm-confirm"
                    on:click=move |_| on_confirm.run(())>"Save changes"</button>
            </div>
        </Dialog>
    }
}

#[component]
pub(super) fn LockoutDialog(
    step: RwSignal<Step>,
    name: StoredValue<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let open = Signal::derive(move || step.with(|s| matches!(s, Step::Lockout(_))));
    let close = Callback::new(move |_| step.set(Step::Closed));
    let text = Signal::derive(move || {
        let n = api_text(&name.get_value()).into_owned();
        match step.get() {
            Step::Lockout(Lockout::LosesManage(Some(l))) => format!(
                "After this change you will only have {} on {n}: you will not be able to change its permissions (or stop, start or delete it) any more. Only someone else with Can Manage can give it back.",
                api_text(l.label())
            ),
            Step::Lockout(Lockout::LosesManage(None)) => format!(
                "After this change you will have no access to {n} at all. Only someone else with Can Manage can give it back."
            ),
            _ => format!(
                "Who you are could not be read, and this change removes or lowers a Can Manage grant on {n} that may be yours. If it is, only someone else with Can Manage can give it back."
            ),
        }
    });
    view! {
        <Dialog id="perm-lockout" role=DialogRole::AlertDialog open=open on_close=close
            title="Remove your own Can Manage?".to_string() description=text initial_focus="perm-lockout-cancel" return_focus="perm-save">
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" id="perm-lockout-cancel" on:click=move |_| close.run(())>"Cancel"</button>
                <button type="button" class="button button--danger" data-testid="perm-lockout-confirm"
                    on:click=move |_| on_confirm.run(())>"Yes, give up my Can Manage"</button>
            </div>
        </Dialog>
    }
}

#[component]
pub(super) fn ConflictDialog(
    step: RwSignal<Step>,
    name: StoredValue<String>,
    on_rebase: Callback<Acl>,
    on_discard: Callback<()>,
) -> impl IntoView {
    let open = Signal::derive(move || step.with(|s| matches!(s, Step::Conflict(..))));
    let close = Callback::new(move |_| step.set(Step::Closed));
    let cell = |l: &Levels| {
        highest(l)
            .map(|l| l.label().to_string())
            .unwrap_or_else(|| "—".into())
    };
    view! {
        <Dialog id="perm-conflict" role=DialogRole::AlertDialog open=open on_close=close
            title="Someone else changed these permissions".to_string()
            description=Signal::derive(move || format!("Nothing was saved. Since you started editing, the permissions of {} changed on the server:", api_text(&name.get_value())))
            initial_focus="perm-conflict-rebase" return_focus="perm-save">
            <div class="table-scroll" tabindex="0" role="region" aria-label="Changes on the server">
                <table class="data-table" data-testid="perm-conflict-table">
                    <thead><tr>
                        <th scope="col">"Principal"</th>
                        <th scope="col">"When you started"</th>
                        <th scope="col">"Now on the server"</th>
                        <th scope="col">"Your change"</th>
                    </tr></thead>
                    <tbody>
                        {move || match step.get() {
                            Step::Conflict(rows, _) => rows.into_iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{describe(&r.principal)}</th>
                                    <td>{cell(&r.base)}</td>
                                    <td>{cell(&r.theirs)}</td>
                                    <td>{match &r.mine { Some(m) if m.is_empty() => "Remove".to_string(), Some(m) => cell(m), None => "— (not edited by you)".to_string() }}</td>
                                </tr>
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        }}
                    </tbody>
                </table>
            </div>
            <p class="perm-hint">"Keep your edits to apply them to the current list, review, and save again; or discard them."</p>
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" on:click=move |_| on_discard.run(())>"Discard my edits"</button>
                <button type="button" class="button" id="perm-conflict-rebase" data-testid="perm-conflict-rebase"
                    on:click=move |_| {
                        if let Step::Conflict(_, fresh) = step.get_untracked() {
                            on_rebase.run(fresh);
                        }
                    }>"Keep my edits on the current list"</button>
            </div>
        </Dialog>
    }
}
