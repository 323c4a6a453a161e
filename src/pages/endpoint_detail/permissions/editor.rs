//! The permissions editor: the ACL as a table, edits into the draft, the save bar, the add form
//! and the dialogs. The save sequence itself is [`SaveSequence`].

use super::add_form::AddPrincipal;
use super::dialogs::{ConflictDialog, LockoutDialog, PreviewDialog};
use super::focus_later;
use super::rows::row_view;
use super::save::{save_failure_text, SaveSequence, Step};
use crate::api::ApiError;
use crate::components::{ErrorView, SkeletonRows, UpdatedAgo};
use crate::context::{PermissionDrafts, Workspace};
use crate::hooks::use_polling::use_polling;
use crate::model::format::api_text;
use crate::model::permissions::{
    describe, highest, key, level_of, levels_label, offered_levels, overwritten, rows_of, Acl,
    Draft, Levels, Me, Saved,
};
use api_types::{PermissionLevel, PermissionLevelsResponse};
use leptos::prelude::*;

/// The permissions of endpoint `id` (called `name`), editable with Can Manage.
#[component]
pub fn PermissionsEditor(
    /// The endpoint id (the Permissions API key).
    id: String,
    /// The endpoint name.
    name: String,
    /// The caller's level on the endpoint (from GET endpoint).
    my_level: Signal<Option<PermissionLevel>>,
) -> impl IntoView {
    let workspace = Workspace::expect();
    let drafts = PermissionDrafts::expect();
    let id = StoredValue::new(id);
    let name = StoredValue::new(name);

    // The ACL, refreshed like the detail page (and after every save).
    let poll_ms = workspace.config.detail_poll_ms;
    let api = workspace.api.clone();
    let poller = use_polling(
        move |signal| {
            let api = api.clone();
            let id = id.get_value();
            async move {
                let r = api.get_permissions(&id, Some(signal)).await?;
                Ok(Acl::from_response(&r))
            }
        },
        move |_, _| poll_ms,
    );

    // The levels to offer.
    let levels: RwSignal<Option<Result<PermissionLevelsResponse, ApiError>>> = RwSignal::new(None);
    {
        let api = workspace.api.clone();
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            let r = api.get_permission_levels(&id, None).await;
            levels.try_set(Some(r));
        });
    }
    let offered = Memo::new(move |_| {
        levels.with(|l| offered_levels(l.as_ref().and_then(|r| r.as_ref().ok())))
    });

    let state = Memo::new(move |_| drafts.get(&id.get_value()));
    let draft = Memo::new(move |_| state.with(|s| s.draft.clone()));
    let me_signal = workspace.me;
    let me = Memo::new(move |_| me_signal.get().map(|m| Me::from_scim(&m)));
    // The level the API reports for me; when it reports none, what the ACL says for who I am.
    let api_level = my_level;
    let my_level = Memo::new(move |_| {
        api_level.get().or_else(|| {
            let me = me.get()?;
            poller.data.with(|a| {
                a.as_ref()
                    .and_then(|a| level_of(&me, a, |e| e.direct.clone()))
            })
        })
    });
    let can_manage = Memo::new(move |_| my_level.get() == Some(PermissionLevel::CanManage));
    let announce = RwSignal::new(String::new());
    let saver = SaveSequence::new(id, name, poller, announce);
    let (saving, save_error, blocked, step) =
        (saver.saving, saver.error, saver.blocked, saver.step);
    let lost: RwSignal<Vec<(Saved, Levels)>> = RwSignal::new(Vec::new());

    // Every read: did something saved here get changed since?
    Effect::new(move |_| {
        let Some(acl) = poller.data.get() else {
            return;
        };
        let ledger = drafts.get_untracked(&id.get_value()).ledger;
        let gone = overwritten(&ledger, &acl);
        if !gone.is_empty() {
            drafts.update(&id.get_value(), &name.get_value(), |s| {
                s.ledger.retain(|x| {
                    gone.iter()
                        .all(|(g, _)| key(&g.principal) != key(&x.principal))
                });
            });
            lost.update(|l| l.extend(gone));
        }
    });

    let edit = move |f: &dyn Fn(&mut Draft)| {
        let Some(server) = poller.data.get_untracked() else {
            return;
        };
        drafts.update(&id.get_value(), &name.get_value(), |s| {
            let mut d = s.draft.take().unwrap_or_else(|| Draft::new(server));
            f(&mut d);
            s.draft = d.is_dirty().then_some(d);
        });
    };

    let rows = Memo::new(move |_| match draft.get() {
        Some(d) => Some(d.rows()),
        None => poller.data.with(|a| a.as_ref().map(rows_of)),
    });
    let changes =
        Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| d.changes()).unwrap_or_default()));
    let server_moved = Memo::new(move |_| {
        draft.with(|d| {
            d.as_ref().is_some_and(|d| {
                poller
                    .data
                    .with(|a| a.as_ref().is_some_and(|a| !a.same_direct(d.base())))
            })
        })
    });

    let confirm_preview = move |_| saver.confirm_preview(draft.get_untracked(), me.get_untracked());

    // ---- view ----
    let me_line = move || {
        let who = me_signal.get().map(|m| {
            let label = m.label().to_string();
            let user = m.user_name.clone().filter(|u| *u != label);
            (label, user)
        });
        let level = my_level
            .get()
            .map(|l| l.label().to_string())
            .unwrap_or_else(|| "unknown".into());
        view! {
            <p class="perm__me" data-testid="perm-me">
                {match who {
                    Some((label, user)) => view! {
                        "Signed in as " <strong>{label}</strong>
                        {user.map(|u| view! { " (" {u} ")" })}
                    }.into_any(),
                    None => view! { "Signed in (who you are could not be read)" }.into_any(),
                }}
                " · Your permission on this endpoint: " <strong data-testid="perm-my-level">{level}</strong>
            </p>
        }
    };

    let read_only_note = move || {
        (!can_manage.get()).then(|| {
            let level = my_level.get().map(|l| l.label().to_string());
            view! {
                <p class="perm__readonly" data-testid="perm-readonly" role="note">
                    {match level {
                        Some(l) => format!("You have {} on this endpoint: you can view these permissions but not change them. Changing them needs Can Manage; ask someone who has it.", api_text(&l)),
                        None => "You can view these permissions but not change them: changing them needs Can Manage.".to_string(),
                    }}
                </p>
            }
        })
    };

    let table = move || {
        let editable = can_manage.get() && !saving.get();
        let me_now = me.get();
        let offered_now = offered.get();
        match rows.get() {
            None => match poller.error.get() {
                Some(e) => {
                    view! { <ErrorView error=e on_retry=Callback::new(move |_| poller.refresh())/> }
                        .into_any()
                }
                None => view! { <SkeletonRows rows=4/> }.into_any(),
            },
            Some(rows) if rows.is_empty() => {
                view! { <p class="muted">"Nobody has access to this endpoint."</p> }.into_any()
            }
            Some(rows) => {
                let body = rows
                    .into_iter()
                    .map(|r| row_view(r, editable, me_now.as_ref(), &offered_now, edit))
                    .collect_view();
                view! {
                    // Focusable: it scrolls sideways on narrow screens.
                    <div class="table-scroll" tabindex="0" role="region" aria-label="Who can access this endpoint">
                        <table class="data-table perm-table" data-testid="perm-table">
                            <caption class="visually-hidden">{format!("Who can access {}", api_text(&name.get_value()))}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Principal"</th>
                                    <th scope="col">"Type"</th>
                                    <th scope="col">"Permission"</th>
                                    <th scope="col">"Granted"</th>
                                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                                </tr>
                            </thead>
                            <tbody>{body}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }
        }
    };

    let save_bar = move || {
        let n = changes.with(Vec::len);
        (can_manage.get() && n > 0).then(|| {
            let busy = saving.get();
            view! {
                <div class="perm-savebar" data-testid="perm-savebar">
                    <p class="perm-savebar__count">
                        <strong>{format!("{n} unsaved change{}", if n == 1 { "" } else { "s" })}</strong>
                        " — nothing is written until you save."
                    </p>
                    <button type="button" id="perm-save" class="button" disabled=busy
                        on:click=move |_| { save_error.set(None); step.set(Step::Preview) }>
                        {if busy { "Saving…" } else { "Review and save…" }}
                    </button>
                    <button type="button" class="button button--ghost" disabled=busy
                        on:click=move |_| {
                            drafts.update(&id.get_value(), &name.get_value(), |s| s.draft = None);
                            save_error.set(None);
                            blocked.set(None);
                            announce.set("Unsaved changes discarded.".into());
                        }>
                        "Discard changes"
                    </button>
                </div>
            }
        })
    };

    let errors = move || {
        view! {
            {move || save_error.get().map(|e| view! {
                <div class="perm-save-error" data-testid="perm-save-error">
                    <ErrorView error=e.clone()/>
                    <p>{save_failure_text(&e)}</p>
                </div>
            })}
            {move || blocked.get().map(|t| view! {
                <p class="perm-alert" role="alert" data-testid="perm-blocked">{t}</p>
            })}
            {move || {
                let l = lost.get();
                (!l.is_empty()).then(|| view! {
                    <div class="perm-alert" role="alert" data-testid="perm-overwritten">
                        <p><strong>"Someone else changed permissions you saved:"</strong></p>
                        <ul>
                            {l.into_iter().map(|(s, now)| view! {
                                <li>{format!("{}: you saved {}; now {}.", api_text(&describe(&s.principal)), api_text(&levels_label(&s.levels)), api_text(&levels_label(&now)))}</li>
                            }).collect_view()}
                        </ul>
                        <div class="perm-alert__actions">
                            {move || can_manage.get().then(|| view! {
                                <button type="button" class="button" data-testid="perm-restore"
                                    on:click=move |_| {
                                        let gone = lost.get_untracked();
                                        edit(&move |d: &mut Draft| {
                                            for (s, _) in &gone {
                                                match highest(&s.levels) {
                                                    Some(l) => d.set_level(&s.principal, l.clone()),
                                                    None => d.remove(&s.principal),
                                                }
                                            }
                                        });
                                        lost.set(Vec::new());
                                        announce.set("Your earlier changes are back as unsaved edits: review and save them.".into());
                                    }>"Put my changes back as edits"</button>
                            })}
                            <button type="button" class="button button--ghost" on:click=move |_| lost.set(Vec::new())>"Dismiss"</button>
                        </div>
                    </div>
                })
            }}
            {move || server_moved.get().then(|| view! {
                <p class="perm-note" role="status" data-testid="perm-server-moved">
                    "These permissions changed on the server since you started editing. When you save, the list is checked again and nothing is written over someone else's change."
                </p>
            })}
        }
    };

    view! {
        <section class="perm" aria-labelledby="perm-h" data-testid="permissions">
            <div class="perm__head">
                <h2 id="perm-h" tabindex="-1">"Permissions"</h2>
                <UpdatedAgo at=poller.updated_at failures=poller.failures/>
            </div>
            {me_line}
            {read_only_note}
            {errors}
            {table}
            {move || poller.error.get().filter(|_| poller.data.with(Option::is_some)).map(|e| view! {
                <p class="inline-error" role="alert">{format!("Refresh failed: {} ({})", e.title(), api_text(&e.message()))}</p>
            })}
            {save_bar}
            <Show when=move || can_manage.get()>
                <AddPrincipal id=id name=name draft=draft server=poller.data offered=offered
                    levels_failed=Signal::derive(move || levels.with(|l| matches!(l, Some(Err(_)))))
                    disabled=Signal::derive(move || saving.get() || poller.data.with(Option::is_none))
                    edit=edit announce=announce/>
            </Show>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
            <PreviewDialog step=step changes=changes draft=draft me=me name=name on_confirm=Callback::new(confirm_preview)/>
            <LockoutDialog step=step name=name on_confirm=Callback::new(move |_| saver.save())/>
            <ConflictDialog step=step name=name
                on_rebase=Callback::new(move |fresh: Acl| {
                    drafts.update(&id.get_value(), &name.get_value(), |s| {
                        s.draft = s.draft.take().map(|d| d.rebase(fresh)).filter(Draft::is_dirty);
                    });
                    step.set(Step::Closed);
                    announce.set("Your edits now apply to the current list. Review them and save again.".into());
                    focus_later("perm-save".into(), "perm-h");
                })
                on_discard=Callback::new(move |_| {
                    drafts.update(&id.get_value(), &name.get_value(), |s| s.draft = None);
                    step.set(Step::Closed);
                    announce.set("Your edits were discarded; the current list is shown.".into());
                })/>
        </section>
    }
}
