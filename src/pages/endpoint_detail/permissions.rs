//! Permissions tab at `/endpoints/{name}/permissions`: who may view, query or manage the
//! endpoint, and (with Can Manage) an editor that never loses an edit and never locks its user
//! out without asking twice. The logic lives in [`crate::model::permissions`]; this file is the
//! view and the save sequence:
//!
//! 1. edits go into a draft kept in [`PermissionDrafts`] (a context of the whole console,
//!    keyed by endpoint id), so they survive a failed save, a switch to another tab and a
//!    remount; leaving the endpoint or the page with unsaved edits asks first
//!    ([`PermissionsGuard`]);
//! 2. Save shows the exact changes; a change that takes away the user's own Can Manage asks a
//!    second time;
//! 3. the ACL is re-read and the save planned against it ([`plan`]): a conflict writes nothing
//!    and shows the three-way view; otherwise one PATCH (additions and changes) or one PUT
//!    (removals: exactly the intended direct grants);
//! 4. afterwards every read of the ACL checks that what was saved still holds, and says so when
//!    someone else changed it.

use super::DetailCtx;
use crate::api::ApiError;
use crate::app::Ctx;
use crate::components::toast::ToastKind;
use crate::components::{Dialog, DialogRole, ErrorView, SkeletonRows, Toasts, UpdatedAgo};
use crate::hooks::use_polling::use_polling;
use crate::model::permissions::{
    describe, highest, inherited_label, key, level_from_value, level_of, levels_label, lockout,
    offered_levels, overwritten, plan, record, rows_of, saved_of, slug, unmet, validate_new, Acl,
    AddError, ConflictRow, Draft, Kind, Levels, Lockout, Me, Plan, PlanError, Row, RowStatus,
    Saved, Source,
};
use crate::routes::{self, Tab};
use api_types::{PermissionLevel, PermissionLevelsResponse, Principal};
use leptos::prelude::*;
use std::collections::HashMap;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// The add form's fields, kept with the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct AddForm {
    /// Principal type.
    pub kind: Kind,
    /// Name as typed.
    pub name: String,
    /// Level (wire value; empty: the first offered).
    pub level: String,
}

impl Default for AddForm {
    fn default() -> Self {
        AddForm {
            kind: Kind::User,
            name: String::new(),
            level: "CAN_QUERY".into(),
        }
    }
}

/// What the editor keeps per endpoint, beyond the life of the tab.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditorState {
    /// The endpoint's name (for the leave guard).
    pub name: String,
    /// Unsaved edits.
    pub draft: Option<Draft>,
    /// Changes saved in this session, checked at every later read.
    pub ledger: Vec<Saved>,
    /// The add form.
    pub form: AddForm,
}

/// Unsaved permission edits of every endpoint, by endpoint id (provided by the console).
#[derive(Clone, Copy)]
pub struct PermissionDrafts {
    map: RwSignal<HashMap<String, EditorState>>,
}

impl Default for PermissionDrafts {
    fn default() -> Self {
        Self::new()
    }
}

impl PermissionDrafts {
    /// An empty store.
    pub fn new() -> Self {
        PermissionDrafts {
            map: RwSignal::new(HashMap::new()),
        }
    }

    /// The console's store (a private one when mounted outside the console).
    pub fn expect() -> Self {
        use_context::<PermissionDrafts>().unwrap_or_default()
    }

    /// The state of endpoint `id` (tracked).
    pub fn get(&self, id: &str) -> EditorState {
        self.map.with(|m| m.get(id).cloned().unwrap_or_default())
    }

    fn get_untracked(&self, id: &str) -> EditorState {
        self.map
            .with_untracked(|m| m.get(id).cloned().unwrap_or_default())
    }

    /// Change the state of endpoint `id` (called `name`).
    pub fn update(&self, id: &str, name: &str, f: impl FnOnce(&mut EditorState)) {
        self.map.update(|m| {
            let e = m.entry(id.to_string()).or_default();
            e.name = name.to_string();
            f(e);
        });
    }

    /// Names of the endpoints with unsaved edits (untracked).
    pub fn dirty_names(&self) -> Vec<String> {
        // `try_`: a listener may outlive the console that owns the store.
        self.map
            .try_with_untracked(|m| {
                m.values()
                    .filter(|e| e.draft.as_ref().is_some_and(Draft::is_dirty))
                    .map(|e| e.name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Drop the unsaved edits of the endpoint called `name`.
    pub fn discard_by_name(&self, name: &str) {
        self.map.update(|m| {
            for e in m.values_mut().filter(|e| e.name == name) {
                e.draft = None;
            }
        });
    }
}

fn focus_later(id: String, fallback: &'static str) {
    set_timeout(
        move || {
            let doc = document();
            let el = doc
                .get_element_by_id(&id)
                .or_else(|| doc.get_element_by_id(fallback));
            if let Some(h) = el.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = h.focus();
            }
        },
        std::time::Duration::ZERO,
    );
}

fn principal_text(p: &Principal, display: Option<&str>) -> (String, Option<String>) {
    match display.filter(|d| *d != p.name()) {
        Some(d) => (d.to_string(), Some(p.name().to_string())),
        None => (p.name().to_string(), None),
    }
}

/// The Permissions tab as a route: the editor for the endpoint of the detail page.
#[component]
pub fn PermissionsTab() -> impl IntoView {
    let detail = DetailCtx::expect();
    let ident = Memo::new(move |_| {
        detail
            .endpoint()
            .map(|d| (d.0.id.clone(), d.0.name.clone()))
    });
    let my_level = Memo::new(move |_| detail.endpoint().and_then(|d| d.0.permission_level.clone()));
    move || {
        match ident.get() {
        None => view! { <SkeletonRows rows=3/> }.into_any(),
        Some((Some(id), name)) => view! {
            <PermissionsEditor id=id name=name my_level=Signal::from(my_level)/>
        }
        .into_any(),
        Some((None, _)) => view! {
            <section class="perm" aria-labelledby="perm-h">
                <h2 id="perm-h">"Permissions"</h2>
                <p>"The API did not give this endpoint an id, and the Permissions API is keyed by id, so its permissions cannot be shown."</p>
            </section>
        }
        .into_any(),
    }
    }
}

/// What the editor's dialogs show.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Closed,
    Preview,
    Lockout(Lockout),
    Conflict(Vec<ConflictRow>, Acl),
}

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
    let ctx = Ctx::expect();
    let toasts = Toasts::expect();
    let drafts = PermissionDrafts::expect();
    let detail = use_context::<DetailCtx>();
    let id = StoredValue::new(id);
    let name = StoredValue::new(name);

    // The ACL, refreshed like the detail page (and after every save).
    let poll_ms = ctx.config.detail_poll_ms;
    let api = ctx.api.clone();
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
        let api = ctx.api.clone();
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
    let me_signal = ctx.me;
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
    let saving = RwSignal::new(false);
    let save_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let blocked: RwSignal<Option<String>> = RwSignal::new(None);
    let step = RwSignal::new(Step::Closed);
    let announce = RwSignal::new(String::new());
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

    // ---- saving ----
    let api = ctx.api.clone();
    let finish_save = move |d: Draft, after: Acl| {
        let problems = unmet(&d, &after);
        poller.data.set(Some(after));
        if !problems.is_empty() {
            let who: Vec<String> = problems.iter().map(describe).collect();
            blocked.set(Some(format!(
                "The server answered, but its list does not show your change for {}. Your edits are kept; reload the list and review them.",
                who.join(", ")
            )));
            return;
        }
        let n = d.changes().len();
        drafts.update(&id.get_value(), &name.get_value(), |s| {
            record(&mut s.ledger, saved_of(&d));
            s.draft = None;
        });
        toasts.push(
            ToastKind::Info,
            format!(
                "Permissions of {} saved ({n} change{}).",
                name.get_value(),
                if n == 1 { "" } else { "s" }
            ),
        );
        announce.set("Permissions saved.".into());
        focus_later("perm-h".into(), "perm-h");
        if let Some(dc) = detail {
            dc.poller.refresh();
        }
        // Read again shortly: a concurrent writer's stale PUT (the one window no client can close
        // without an ETag) is then reported within seconds instead of at the next poll.
        set_timeout(
            move || {
                if poller.loading.try_get_untracked().is_some() {
                    poller.refresh();
                }
            },
            std::time::Duration::from_secs(3),
        );
    };
    let save = move || {
        if saving.get_untracked() {
            return;
        }
        let Some(d) = drafts.get_untracked(&id.get_value()).draft else {
            step.set(Step::Closed);
            return;
        };
        saving.set(true);
        save_error.set(None);
        blocked.set(None);
        step.set(Step::Closed);
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let endpoint = id.get_value();
            let fresh = match api.get_permissions(&endpoint, None).await {
                Ok(r) => Acl::from_response(&r),
                Err(e) => {
                    save_error.try_set(Some(e));
                    saving.try_set(false);
                    return;
                }
            };
            let result = match plan(&d, &fresh) {
                Err(PlanError::Conflict(rows)) => {
                    poller.data.try_set(Some(fresh.clone()));
                    step.try_set(Step::Conflict(rows, fresh));
                    saving.try_set(false);
                    return;
                }
                Err(PlanError::Unreadable(n)) => {
                    blocked.try_set(Some(format!(
                        "The list holds {n} entr{} this console cannot read. Removing access here would replace the whole list and drop {}, so nothing was written. Additions and level changes alone can still be saved.",
                        if n == 1 { "y" } else { "ies" },
                        if n == 1 { "it" } else { "them" }
                    )));
                    saving.try_set(false);
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
            saving.try_set(false);
            match result {
                Ok(after) => finish_save(d, after),
                Err(e) => {
                    save_error.try_set(Some(e));
                }
            }
        });
    };
    let save = StoredValue::new(save);

    let confirm_preview = move |_| {
        let verdict = draft.with_untracked(|d| {
            d.as_ref()
                .map(|d| lockout(d, me.get_untracked().as_ref()))
                .unwrap_or(Lockout::Safe)
        });
        match verdict {
            Lockout::Safe => save.with_value(|s| s()),
            other => step.set(Step::Lockout(other)),
        }
    };

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
                        Some(l) => format!("You have {l} on this endpoint: you can view these permissions but not change them. Changing them needs Can Manage; ask someone who has it."),
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
                            <caption class="visually-hidden">{format!("Who can access {}", name.get_value())}</caption>
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
                                <li>{format!("{}: you saved {}; now {}.", describe(&s.principal), levels_label(&s.levels), levels_label(&now))}</li>
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
                <p class="inline-error" role="alert">{format!("Refresh failed: {} ({})", e.title(), e.message())}</p>
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
            <LockoutDialog step=step name=name on_confirm=Callback::new(move |_| save.with_value(|s| s()))/>
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

fn save_failure_text(e: &ApiError) -> String {
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

fn row_view(
    r: Row,
    editable: bool,
    me: Option<&Me>,
    offered: &[(PermissionLevel, String)],
    edit: impl Fn(&dyn Fn(&mut Draft)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let s = slug(&r.principal);
    let direct = r.source == Source::Direct;
    let (title, sub) = principal_text(&r.principal, r.display_name.as_deref());
    let mine = me.is_some_and(|m| m.covered_by(&r.principal)).then_some(
        if matches!(r.principal, Principal::Group(_)) {
            " (your group)"
        } else {
            " (you)"
        },
    );
    let class = match (&r.status, direct) {
        (RowStatus::Added, _) => "perm-row perm-row--added",
        (RowStatus::Changed { .. }, _) => "perm-row perm-row--changed",
        (RowStatus::Removed, _) => "perm-row perm-row--removed",
        (_, false) => "perm-row perm-row--inherited",
        _ => "perm-row",
    };
    let status = match &r.status {
        RowStatus::Unchanged => None,
        RowStatus::Added => Some(("badge badge--ok", "New, not saved")),
        RowStatus::Changed { .. } => Some(("badge badge--progress", "Changed, not saved")),
        RowStatus::Removed => Some(("badge badge--error", "Will be removed")),
    };
    let current = match &r.status {
        RowStatus::Changed { to, .. } => to.clone(),
        _ => r.level.clone(),
    };
    let was = match &r.status {
        RowStatus::Changed { from, .. } => Some(format!("was {}", from.label())),
        _ => None,
    };
    let source = match &r.source {
        Source::Direct => "Direct".to_string(),
        Source::Inherited { from } => inherited_label(from),
    };
    let principal = r.principal.clone();
    let level_cell = if editable && direct && r.status != RowStatus::Removed {
        let mut opts: Vec<(PermissionLevel, String)> = offered.to_vec();
        if !opts.iter().any(|(l, _)| *l == current) {
            opts.push((current.clone(), String::new()));
        }
        let sel_id = format!("perm-level-{s}");
        let p = principal.clone();
        let focus_id = sel_id.clone();
        let options = opts
            .into_iter()
            .map(|(l, _)| {
                let selected = l == current;
                view! { <option value=l.to_string() selected=selected>{l.label().to_string()}</option> }
            })
            .collect_view();
        view! {
            <select id=sel_id class="input perm-level" aria-label=format!("Permission of {}", p.name())
                on:change=move |ev| {
                    if let Some(l) = level_from_value(&event_target_value(&ev)) {
                        let who = p.clone();
                        edit(&move |d: &mut Draft| d.set_level(&who, l.clone()));
                        focus_later(focus_id.clone(), "perm-h");
                    }
                }>
                {options}
            </select>
            {was.map(|w| view! { <span class="perm-was">{w}</span> })}
        }
        .into_any()
    } else {
        view! { <span>{current.label().to_string()}</span>{was.map(|w| view! { <span class="perm-was">{w}</span> })} }.into_any()
    };
    let action = if !direct {
        view! { <span class="muted perm-fixed">"Inherited: can't be removed here"</span> }
            .into_any()
    } else if !editable {
        ().into_any()
    } else {
        let act_id = format!("perm-act-{s}");
        let p = principal.clone();
        let label = p.name().to_string();
        let fid = act_id.clone();
        if r.status == RowStatus::Removed {
            view! {
                <button type="button" id=act_id class="button button--ghost" aria-label=format!("Keep {label}")
                    on:click=move |_| {
                        let who = p.clone();
                        edit(&move |d: &mut Draft| d.undo(&who));
                        focus_later(fid.clone(), "perm-h");
                    }>"Undo"</button>
            }
            .into_any()
        } else {
            view! {
                <button type="button" id=act_id class="button button--ghost" aria-label=format!("Remove {label}")
                    on:click=move |_| {
                        let who = p.clone();
                        edit(&move |d: &mut Draft| d.remove(&who));
                        focus_later(fid.clone(), "perm-add-name");
                    }>"Remove"</button>
            }
            .into_any()
        }
    };
    view! {
        <tr class=class data-testid="perm-row" data-principal=r.principal.name().to_string()
            data-source=if direct { "direct" } else { "inherited" }>
            <th scope="row" class="perm-who">
                <span class="perm-who__name">{title}</span>
                {mine.map(|t| view! { <span class="perm-you">{t}</span> })}
                {sub.map(|s| view! { <span class="perm-who__sub">{s}</span> })}
            </th>
            <td>{Kind::of(&r.principal).label()}</td>
            <td>{level_cell}</td>
            <td>
                <span>{source}</span>
                {status.map(|(c, t)| view! { " " <span class=c>{t}</span> })}
            </td>
            <td>{action}</td>
        </tr>
    }
}

/// The add form: type, name, level; validation beside the fields.
#[component]
fn AddPrincipal(
    id: StoredValue<String>,
    name: StoredValue<String>,
    draft: Memo<Option<Draft>>,
    server: RwSignal<Option<Acl>>,
    offered: Memo<Vec<(PermissionLevel, String)>>,
    levels_failed: Signal<bool>,
    disabled: Signal<bool>,
    edit: impl Fn(&dyn Fn(&mut Draft)) + Copy + Send + Sync + 'static,
    announce: RwSignal<String>,
) -> impl IntoView {
    let drafts = PermissionDrafts::expect();
    let saved = drafts.get_untracked(&id.get_value()).form;
    let kind = RwSignal::new(saved.kind);
    let who = RwSignal::new(saved.name);
    let level = RwSignal::new(saved.level);
    let error: RwSignal<Option<AddError>> = RwSignal::new(None);
    let tried = RwSignal::new(false);
    // Keep the form with the draft when the tab goes away.
    on_cleanup(move || {
        let form = AddForm {
            kind: kind.get_untracked(),
            name: who.get_untracked(),
            level: level.get_untracked(),
        };
        drafts.update(&id.get_value(), &name.get_value(), |s| s.form = form);
    });
    let check = move || {
        let d = draft
            .get_untracked()
            .or_else(|| server.get_untracked().map(Draft::new))
            .unwrap_or_else(|| Draft::new(Acl::default()));
        let l = level_from_value(&level.get_untracked())
            .or_else(|| offered.get_untracked().first().map(|(l, _)| l.clone()));
        validate_new(kind.get_untracked(), &who.get_untracked(), l.as_ref(), &d)
    };
    let revalidate = move || {
        if tried.get_untracked() {
            error.set(check().err());
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        match check() {
            Ok((p, l)) => {
                error.set(None);
                tried.set(false);
                let text = format!("{} added as {}, not saved yet.", describe(&p), l.label());
                edit(&move |d: &mut Draft| d.set_level(&p, l.clone()));
                who.set(String::new());
                announce.set(text);
                focus_later("perm-add-name".into(), "perm-h");
            }
            Err(e) => {
                let target = if e.is_about_level() {
                    "perm-add-level"
                } else {
                    "perm-add-name"
                };
                error.set(Some(e));
                focus_later(target.into(), "perm-h");
            }
        }
    };
    let name_error = move || error.get().filter(|e| !e.is_about_level());
    let level_error = move || error.get().filter(AddError::is_about_level);
    let hint = move || match kind.get() {
        Kind::User => "The user's e-mail, e.g. name@example.com.",
        Kind::Group => "The group's name, e.g. data-science.",
        Kind::ServicePrincipal => "The application ID, a UUID.",
    };
    view! {
        <form class="perm-add" on:submit=submit novalidate=true aria-labelledby="perm-add-h" data-testid="perm-add">
            <h3 id="perm-add-h">"Add a principal"</h3>
            <div class="perm-add__fields">
                <div class="field">
                    <label class="field__label" for="perm-add-kind">"Type"</label>
                    <select id="perm-add-kind" class="input" disabled=move || disabled.get()
                        on:change=move |ev| { kind.set(Kind::from_value(&event_target_value(&ev))); revalidate(); }>
                        {Kind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.value() selected=move || kind.get() == k>{k.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field perm-add__name">
                    <label class="field__label" for="perm-add-name">{move || kind.get().name_label()}</label>
                    <input id="perm-add-name" class="input" type="text" autocomplete="off" spellcheck="false"
                        disabled=move || disabled.get()
                        prop:value=move || who.get()
                        aria-invalid=move || if name_error().is_some() { "true" } else { "false" }
                        aria-describedby="perm-add-name-hint perm-add-name-error"
                        on:input=move |ev| { who.set(event_target_value(&ev)); revalidate(); }/>
                    <span id="perm-add-name-hint" class="perm-hint">{hint}</span>
                    <span id="perm-add-name-error" class="perm-field-error" data-testid="perm-add-name-error">
                        {move || name_error().map(|e| e.message())}
                    </span>
                </div>
                <div class="field">
                    <label class="field__label" for="perm-add-level">"Permission"</label>
                    <select id="perm-add-level" class="input" disabled=move || disabled.get()
                        aria-invalid=move || if level_error().is_some() { "true" } else { "false" }
                        aria-describedby="perm-add-level-error"
                        on:change=move |ev| { level.set(event_target_value(&ev)); revalidate(); }>
                        {move || offered.get().into_iter().map(|(l, desc)| {
                            let v = l.to_string();
                            let sel = v.clone();
                            let text = if desc.is_empty() { l.label().to_string() } else { format!("{} — {desc}", l.label()) };
                            view! { <option value=v selected=move || level.get() == sel>{text}</option> }
                        }).collect_view()}
                    </select>
                    <span id="perm-add-level-error" class="perm-field-error">
                        {move || level_error().map(|e| e.message())}
                    </span>
                </div>
                <button type="submit" class="button perm-add__submit" disabled=move || disabled.get()>"Add"</button>
            </div>
            {move || levels_failed.get().then(|| view! {
                <p class="perm-hint">"The permission levels could not be loaded; the three serving-endpoint levels are offered."</p>
            })}
        </form>
    }
}

#[component]
fn PreviewDialog(
    step: RwSignal<Step>,
    changes: Memo<Vec<crate::model::permissions::Change>>,
    draft: Memo<Option<Draft>>,
    me: Memo<Option<Me>>,
    name: StoredValue<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let open = Signal::derive(move || step.with(|s| *s == Step::Preview));
    let close = Callback::new(move |_| step.set(Step::Closed));
    let title = Signal::derive(move || format!("Save permission changes to {}?", name.get_value()));
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
fn LockoutDialog(
    step: RwSignal<Step>,
    name: StoredValue<String>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let open = Signal::derive(move || step.with(|s| matches!(s, Step::Lockout(_))));
    let close = Callback::new(move |_| step.set(Step::Closed));
    let text = Signal::derive(move || {
        let n = name.get_value();
        match step.get() {
            Step::Lockout(Lockout::LosesManage(Some(l))) => format!(
                "After this change you will only have {} on {n}: you will not be able to change its permissions (or stop, start or delete it) any more. Only someone else with Can Manage can give it back.",
                l.label()
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
fn ConflictDialog(
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
            description=Signal::derive(move || format!("Nothing was saved. Since you started editing, the permissions of {} changed on the server:", name.get_value()))
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

/// The leave guard for unsaved permission edits: the browser's own prompt on reload or close,
/// and a dialog before an in-app link leaves the endpoint whose draft is unsaved (switching
/// between the endpoint's tabs keeps the draft and does not ask). Mount once, inside the router.
#[component]
pub fn PermissionsGuard() -> impl IntoView {
    let drafts = PermissionDrafts::expect();
    let navigate = StoredValue::new_local(leptos_router::hooks::use_navigate());
    // (endpoint name, target href) of a blocked navigation.
    let pending: RwSignal<Option<(String, String)>> = RwSignal::new(None);

    let before_unload = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        if !drafts.dirty_names().is_empty() {
            ev.prevent_default();
            let _ = js_sys::Reflect::set(&ev, &"returnValue".into(), &"".into());
        }
    });
    let on_click =
        Closure::<dyn FnMut(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
            if ev.default_prevented()
                || ev.button() != 0
                || ev.meta_key()
                || ev.ctrl_key()
                || ev.shift_key()
                || ev.alt_key()
            {
                return;
            }
            let Some(a) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("a[href]").ok().flatten())
            else {
                return;
            };
            if a.get_attribute("target")
                .is_some_and(|t| !t.is_empty() && t != "_self")
                || a.has_attribute("download")
            {
                return;
            }
            let href = a.get_attribute("href").unwrap_or_default();
            let origin = window().location().origin().unwrap_or_default();
            let target_path = href.strip_prefix(&origin).unwrap_or(&href).to_string();
            if !target_path.starts_with('/') {
                return;
            }
            let here = window().location().pathname().unwrap_or_default();
            let target_only_path = target_path
                .split(['?', '#'])
                .next()
                .unwrap_or("")
                .to_string();
            for n in drafts.dirty_names() {
                let prefix = routes::endpoint(&n, Tab::Overview);
                let inside = |p: &str| p == prefix || p.starts_with(&format!("{prefix}/"));
                if inside(&here) && !inside(&target_only_path) {
                    ev.prevent_default();
                    ev.stop_propagation();
                    pending.set(Some((n, target_path)));
                    return;
                }
            }
        });
    let w = window();
    let _ =
        w.add_event_listener_with_callback("beforeunload", before_unload.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback_and_bool(
        "click",
        on_click.as_ref().unchecked_ref(),
        true,
    );
    let held = send_wrapper::SendWrapper::new((before_unload, on_click));
    on_cleanup(move || {
        let (b, c) = held.take();
        let w = window();
        let _ = w.remove_event_listener_with_callback("beforeunload", b.as_ref().unchecked_ref());
        let _ = w.remove_event_listener_with_callback_and_bool(
            "click",
            c.as_ref().unchecked_ref(),
            true,
        );
    });

    let open = Signal::derive(move || pending.with(Option::is_some));
    let close = Callback::new(move |_| pending.set(None));
    let text = Signal::derive(move || {
        pending
            .get()
            .map(|(n, _)| format!("You have unsaved permission changes on {n}. If you leave this endpoint now, they are discarded."))
            .unwrap_or_default()
    });
    view! {
        <Dialog id="perm-leave" role=DialogRole::AlertDialog open=open on_close=close
            title="Leave without saving?".to_string() description=text initial_focus="perm-leave-stay">
            <div class="dialog__actions">
                <button type="button" class="button" id="perm-leave-stay" on:click=move |_| close.run(())>"Stay"</button>
                <button type="button" class="button button--danger" data-testid="perm-leave-confirm"
                    on:click=move |_| {
                        if let Some((n, to)) = pending.get_untracked() {
                            drafts.discard_by_name(&n);
                            pending.set(None);
                            navigate.with_value(|nav| nav(&to, crate::routes::nav_options()));
                        }
                    }>"Discard changes and leave"</button>
            </div>
        </Dialog>
    }
}
