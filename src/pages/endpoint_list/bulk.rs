//! The bulk actions (issue #18), a lazily loaded chunk: the action bar, the eligibility preview
//! dialog (per endpoint: will it run, and if not why — `model::fleet::eligibility`, the detail
//! page's rules), the run (`api::fleet::drive_reporting`: a few at a time, the rate limit and
//! `Retry-After` obeyed, never a mutation sent twice, Cancel the rest) and its per-row results.
//!
//! The run lives in app context ([`Fleet`]), so its results survive navigating away and back;
//! when it ends the list is re-read to confirm what changed.

use super::select::ListState;
use crate::api::fleet::{drive_reporting, ClientSender};
use crate::api::ApiClient;
use crate::components::{Dialog, DialogRole};
use crate::context::{Fleet, Workspace};
use crate::links::{self, Tab};
use crate::model::fleet::eligibility::{
    delete_count_confirmed, delete_prompt, from_detail, from_summary, Action, Eligibility,
};
use crate::model::fleet::runner::{Planned, RowResult, Run, DEFAULT_MAX_IN_FLIGHT};
use crate::model::fleet::selection::Selection;
use crate::model::format::thousands;
use crate::model::retry::TokenBucket;
use api_types::{PermissionLevel, Principal, ServingEndpoint};
use futures::stream::{self, StreamExt};
use leptos::prelude::*;
use std::collections::HashMap;

/// Detail reads in flight at once while checking eligibility.
const CHECKS_IN_FLIGHT: usize = 4;
/// Rows listed in the preview and the results (the counts always cover every row).
const ROWS_SHOWN: usize = 1000;

/// The action chosen in the bar, before its parameters are known.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// Stop.
    Stop,
    /// Start.
    Start,
    /// Delete.
    Delete,
    /// Add a tag (asks for key and value).
    AddTag,
    /// Remove a tag (asks for the key).
    RemoveTag,
    /// Grant a level (asks for principal and level).
    Grant,
}

impl Kind {
    fn button(self) -> &'static str {
        match self {
            Kind::Stop => "Stop…",
            Kind::Start => "Start…",
            Kind::Delete => "Delete…",
            Kind::AddTag => "Add tag…",
            Kind::RemoveTag => "Remove tag…",
            Kind::Grant => "Grant…",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Kind::Stop => "stop",
            Kind::Start => "start",
            Kind::Delete => "delete",
            Kind::AddTag => "add-tag",
            Kind::RemoveTag => "remove-tag",
            Kind::Grant => "grant",
        }
    }

    /// The action when it has no parameters.
    fn plain(self) -> Option<Action> {
        match self {
            Kind::Stop => Some(Action::Stop),
            Kind::Start => Some(Action::Start),
            Kind::Delete => Some(Action::Delete),
            _ => None,
        }
    }
}

const KINDS: [Kind; 6] = [
    Kind::Stop,
    Kind::Start,
    Kind::Delete,
    Kind::AddTag,
    Kind::RemoveTag,
    Kind::Grant,
];

/// One row of the preview.
#[derive(Clone, PartialEq, Debug)]
pub struct PreviewRow {
    /// Endpoint name.
    pub name: String,
    /// The rule's answer.
    pub eligibility: Eligibility,
    /// Set when the endpoint could not be checked (then it does not run).
    pub problem: Option<String>,
}

impl PreviewRow {
    /// Will it be sent?
    pub fn runs(&self) -> bool {
        self.problem.is_none() && self.eligibility.is_eligible()
    }

    /// Still being checked?
    pub fn checking(&self) -> bool {
        self.problem.is_none() && self.eligibility == Eligibility::NeedsDetail
    }

    /// The sentence shown.
    pub fn text(&self) -> String {
        match &self.problem {
            Some(p) => p.clone(),
            None => self.eligibility.text(),
        }
    }
}

/// Check `names` for `action`: one list read, then a detail read of each endpoint the list
/// item cannot decide (a few at a time). `apply` receives the preview as it fills in, and the
/// ids by name (the Permissions API is keyed by id).
pub async fn check(
    api: ApiClient,
    names: Vec<String>,
    action: Action,
    apply: impl Fn(Vec<PreviewRow>, HashMap<String, String>),
) {
    let mut ids = HashMap::new();
    let mut rows: Vec<PreviewRow> = match api.list_endpoints(None).await {
        Ok(list) => {
            let by_name: HashMap<&str, &ServingEndpoint> = list
                .endpoints
                .iter()
                .map(|e| (e.name.as_str(), e))
                .collect();
            names
                .iter()
                .map(|n| match by_name.get(n.as_str()) {
                    Some(item) => {
                        if let Some(id) = item.id.clone() {
                            ids.insert(n.clone(), id);
                        }
                        PreviewRow {
                            name: n.clone(),
                            eligibility: from_summary(item, &action),
                            problem: None,
                        }
                    }
                    None => PreviewRow {
                        name: n.clone(),
                        eligibility: Eligibility::NeedsDetail,
                        problem: Some("The endpoint no longer exists.".into()),
                    },
                })
                .collect()
        }
        Err(e) => names
            .iter()
            .map(|n| PreviewRow {
                name: n.clone(),
                eligibility: Eligibility::NeedsDetail,
                problem: Some(format!("Could not be checked: {}", e.message())),
            })
            .collect(),
    };
    apply(rows.clone(), ids.clone());
    let needs: Vec<(usize, String)> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.checking())
        .map(|(i, r)| (i, r.name.clone()))
        .collect();
    let mut reads = stream::iter(needs)
        .map(|(i, n)| {
            let api = api.clone();
            async move { (i, api.get_endpoint(&n, None).await) }
        })
        .buffer_unordered(CHECKS_IN_FLIGHT);
    while let Some((i, r)) = reads.next().await {
        let Some(row) = rows.get_mut(i) else {
            continue;
        };
        match r {
            Ok(d) => {
                if let Some(id) = d.id.clone() {
                    ids.insert(row.name.clone(), id);
                }
                row.eligibility = from_detail(&d, &action);
            }
            Err(e) if e.status() == Some(404) => {
                row.problem = Some("The endpoint no longer exists.".into());
            }
            Err(e) => row.problem = Some(format!("Could not be checked: {}", e.message())),
        }
        apply(rows.clone(), ids.clone());
    }
}

/// The parameters form of Add tag / Remove tag / Grant: returns the action once valid.
#[component]
fn Params(kind: Kind, chosen: RwSignal<Option<Action>>) -> impl IntoView {
    let key = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let who_kind = RwSignal::new("group".to_string());
    let who = RwSignal::new(String::new());
    let level = RwSignal::new("CAN_QUERY".to_string());
    let action = move || -> Option<Action> {
        let k = key.get().trim().to_string();
        match kind {
            Kind::AddTag if !k.is_empty() => Some(Action::AddTag {
                key: k,
                value: Some(value.get().trim().to_string()).filter(|v| !v.is_empty()),
            }),
            Kind::RemoveTag if !k.is_empty() => Some(Action::RemoveTag { key: k }),
            Kind::Grant => {
                let w = who.get().trim().to_string();
                if w.is_empty() {
                    return None;
                }
                let principal = match who_kind.get().as_str() {
                    "user" => Principal::User(w),
                    "service_principal" => Principal::ServicePrincipal(w),
                    _ => Principal::Group(w),
                };
                let level = match level.get().as_str() {
                    "CAN_MANAGE" => PermissionLevel::CanManage,
                    "CAN_VIEW" => PermissionLevel::CanView,
                    _ => PermissionLevel::CanQuery,
                };
                Some(Action::Grant { principal, level })
            }
            _ => None,
        }
    };
    let fields = match kind {
        Kind::Grant => view! {
            <label class="field"><span class="field__label">"Principal type"</span>
                <select class="input" id="bulk-who-kind" prop:value=move || who_kind.get() on:change=move |ev| who_kind.set(event_target_value(&ev))>
                    <option value="group">"Group"</option>
                    <option value="user">"User"</option>
                    <option value="service_principal">"Service principal"</option>
                </select>
            </label>
            <label class="field"><span class="field__label">"Name"</span>
                <input class="input" type="text" id="bulk-who" autocomplete="off" prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
            </label>
            <label class="field"><span class="field__label">"Level"</span>
                <select class="input" id="bulk-level" prop:value=move || level.get() on:change=move |ev| level.set(event_target_value(&ev))>
                    <option value="CAN_QUERY">"Can Query"</option>
                    <option value="CAN_VIEW">"Can View"</option>
                    <option value="CAN_MANAGE">"Can Manage"</option>
                </select>
            </label>
        }
        .into_any(),
        _ => view! {
            <label class="field"><span class="field__label">"Tag key"</span>
                <input class="input" type="text" id="bulk-tag-key" autocomplete="off" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
            </label>
            {(kind == Kind::AddTag).then(|| view! {
                <label class="field"><span class="field__label">"Tag value (optional)"</span>
                    <input class="input" type="text" id="bulk-tag-value" autocomplete="off" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                </label>
            })}
        }
        .into_any(),
    };
    view! {
        <form class="bulk-params" on:submit=move |ev| { ev.prevent_default(); if let Some(a) = action() { chosen.set(Some(a)); } }>
            {fields}
            <div class="dialog__actions">
                <button type="submit" class="button" id="bulk-params-next" disabled=move || action().is_none()>"Check endpoints"</button>
            </div>
        </form>
    }
}

/// The action bar, the preview dialog and the last run's results.
#[component]
pub fn BulkActions() -> impl IntoView {
    let Some(list) = use_context::<ListState>() else {
        return ().into_any();
    };
    let fleet = Fleet::expect();
    let runs = fleet.runs();
    let api = Workspace::expect().api;
    let count = Memo::new(move |_| list.count());

    let kind: RwSignal<Option<Kind>> = RwSignal::new(None);
    let chosen: RwSignal<Option<Action>> = RwSignal::new(None);
    let preview: RwSignal<Vec<PreviewRow>> = RwSignal::new(Vec::new());
    let ids: RwSignal<HashMap<String, String>> = RwSignal::new(HashMap::new());
    let typed = RwSignal::new(String::new());
    // Each opening of the dialog is an epoch: answers of an older check are dropped.
    let epoch = StoredValue::new(0u64);

    let open = move |k: Kind| {
        if runs.running.get_untracked() {
            return;
        }
        // What runs is what is selected now, even if the filter changes later.
        list.freeze();
        epoch.update_value(|e| *e += 1);
        preview.set(Vec::new());
        typed.set(String::new());
        chosen.set(k.plain());
        kind.set(Some(k));
    };
    // A bulk action asked for from the command palette: open its confirmation.
    Effect::new(move |_| {
        let Some(id) = fleet.pending_action.get() else {
            return;
        };
        fleet.pending_action.set(None);
        if let Some(k) = KINDS
            .iter()
            .find(|k| id.strip_prefix("bulk:") == Some(k.id()))
        {
            if count.get_untracked() > 0 {
                open(*k);
            }
        }
    });
    let close = Callback::new(move |_| {
        epoch.update_value(|e| *e += 1);
        kind.set(None);
        chosen.set(None);
    });

    // An action chosen: check every selected endpoint.
    let check_api = api.clone();
    Effect::new(move |_| {
        let Some(action) = chosen.get() else {
            return;
        };
        let me = list.me.get_untracked();
        let names: Vec<String> = list.rows.with_untracked(|r| {
            r.as_ref()
                .map(|rows| {
                    list.selection.with_untracked(|s| {
                        s.names(rows, me.as_deref())
                            .into_iter()
                            .map(str::to_string)
                            .collect()
                    })
                })
                .unwrap_or_default()
        });
        let my_epoch = epoch.get_value();
        preview.set(
            names
                .iter()
                .map(|n| PreviewRow {
                    name: n.clone(),
                    eligibility: Eligibility::NeedsDetail,
                    problem: None,
                })
                .collect(),
        );
        let api = check_api.clone();
        leptos::task::spawn_local(async move {
            check(api, names, action, move |rows, found| {
                if epoch.try_get_value() == Some(my_epoch) {
                    preview.try_set(rows);
                    ids.try_set(found);
                }
            })
            .await;
        });
    });

    let eligible = Memo::new(move |_| preview.with(|p| p.iter().filter(|r| r.runs()).count()));
    let checking = Memo::new(move |_| preview.with(|p| p.iter().filter(|r| r.checking()).count()));
    let total = Memo::new(move |_| preview.with(Vec::len));
    let can_run = move || {
        let n = eligible.get();
        n > 0
            && checking.get() == 0
            && !runs.running.get()
            && (chosen.with(|a| a != &Some(Action::Delete))
                || typed.with(|t| delete_count_confirmed(t, n)))
    };

    let run_api = api.clone();
    let start = move || {
        if !can_run() {
            return;
        }
        let Some(action) = chosen.get_untracked() else {
            return;
        };
        let planned: Vec<Planned> = preview.with_untracked(|p| {
            p.iter()
                .map(|r| Planned {
                    name: r.name.clone(),
                    skip: (!r.runs()).then(|| r.text()),
                })
                .collect()
        });
        let mut run = Run::new(
            &action.label(),
            planned,
            DEFAULT_MAX_IN_FLIGHT,
            TokenBucket::default(),
        );
        runs.cancel.set(false);
        runs.running.set(true);
        runs.run.set(Some(run.summary()));
        fleet.has_run.set(true);
        list.selection.set(Selection::None);
        close.run(());
        let sender = ClientSender {
            api: run_api.clone(),
            action,
            ids: ids.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            let summary =
                drive_reporting(&mut run, &sender, &|| runs.cancel.get_untracked(), &|s| {
                    runs.run.try_set(Some(s));
                })
                .await;
            runs.run.try_set(Some(summary));
            runs.running.try_set(false);
            // Confirm by a re-read.
            fleet.finished.try_update(|n| *n += 1);
        });
    };

    let title = Signal::derive(move || {
        let n = list.selection.with(|_| total.get());
        match (kind.get(), chosen.get()) {
            (Some(_), Some(a)) => format!("{} — {} selected endpoints", a.label(), thousands(n)),
            (Some(k), None) => k.button().trim_end_matches('…').to_string(),
            _ => String::new(),
        }
    });

    let bar = move || {
        (count.get() > 0).then(|| {
            view! {
                <div class="bulk-bar" role="toolbar" aria-label="Bulk actions" data-testid="bulk-bar">
                    {KINDS.iter().map(|&k| view! {
                        <button type="button" class="button button--ghost" id=format!("bulk-{}", k.id())
                            disabled=move || runs.running.get()
                            on:click=move |_| open(k)>{k.button()}</button>
                    }).collect_view()}
                </div>
            }
        })
    };

    let preview_table = move || {
        let rows = preview.get();
        let more = rows.len().saturating_sub(ROWS_SHOWN);
        view! {
            <div class="bulk-preview" tabindex="0" role="region" aria-label="Eligibility of each endpoint">
                <table class="data-table" data-testid="bulk-preview">
                    <thead><tr><th scope="col">"Endpoint"</th><th scope="col">"Can it run?"</th></tr></thead>
                    <tbody>
                        {rows.into_iter().take(ROWS_SHOWN).map(|r| {
                            let state = if r.runs() { "runs" } else if r.checking() { "checking" } else { "blocked" };
                            view! {
                                <tr data-testid="bulk-preview-row" data-eligibility=state>
                                    <td>{r.name.clone()}</td>
                                    <td>{r.text()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {(more > 0).then(|| view! { <p>{format!("… and {} more.", thousands(more))}</p> })}
            </div>
        }
    };

    let start_click = start.clone();
    let body = move || {
        let Some(k) = kind.get() else {
            return ().into_any();
        };
        if chosen.with(Option::is_none) {
            return view! { <Params kind=k chosen=chosen/> }.into_any();
        }
        let start = start_click.clone();
        let is_delete = chosen.with(|a| a == &Some(Action::Delete));
        view! {
            <p class="bulk-counts" role="status" data-testid="bulk-counts">
                {move || {
                    let c = checking.get();
                    let e = eligible.get();
                    let b = total.get() - e - c;
                    let mut s = format!("{} will run, {} cannot", thousands(e), thousands(b));
                    if c > 0 { s.push_str(&format!(", {} being checked", thousands(c))); }
                    s.push('.');
                    s
                }}
            </p>
            {preview_table}
            {is_delete.then(|| view! {
                <label class="field">
                    <span class="field__label">{move || delete_prompt(eligible.get())}</span>
                    <input class="input" type="text" id="bulk-delete-count" inputmode="numeric" autocomplete="off"
                        prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                </label>
            })}
            <div class="dialog__actions">
                <button type="button" class="button button--ghost" id="bulk-cancel" on:click=move |_| close.run(())>"Cancel"</button>
                <button type="button" class=if is_delete { "button button--danger" } else { "button" } id="bulk-run"
                    disabled=move || !can_run() on:click=move |_| start()>
                    {move || {
                        let n = eligible.get();
                        let label = chosen.with(|a| a.as_ref().map(Action::label).unwrap_or_default());
                        format!("{label} on {} endpoint{}", thousands(n), if n == 1 { "" } else { "s" })
                    }}
                </button>
            </div>
        }
        .into_any()
    };

    view! {
        {bar}
        <Dialog id="bulk-dialog" class="dialog--wide" open=Signal::derive(move || kind.with(Option::is_some))
            on_close=close role=DialogRole::Dialog title=title>
            {body.clone()}
        </Dialog>
        <RunResults/>
    }
    .into_any()
}

/// The run in progress or the last one: headline, Cancel the rest, each row's result.
#[component]
fn RunResults() -> impl IntoView {
    let fleet = Fleet::expect();
    let runs = fleet.runs();
    move || {
        let s = runs.run.get()?;
        let running = runs.running.get();
        let more = s.rows.len().saturating_sub(ROWS_SHOWN);
        Some(view! {
            <section class="bulk-results" aria-labelledby="bulk-results-title" data-testid="bulk-results">
                <div class="bulk-results__head">
                    <h2 id="bulk-results-title">{if running { "Bulk action in progress" } else { "Last bulk action" }}</h2>
                    <p role="status" data-testid="bulk-headline">{s.headline()}</p>
                    {if running {
                        view! { <button type="button" class="button button--ghost" id="bulk-cancel-rest"
                            disabled=move || runs.cancel.get()
                            on:click=move |_| runs.cancel.set(true)>"Cancel the rest"</button> }.into_any()
                    } else {
                        view! { <button type="button" class="button button--ghost" id="bulk-dismiss"
                            on:click=move |_| { runs.run.set(None); fleet.has_run.set(false); }>"Dismiss"</button> }.into_any()
                    }}
                </div>
                <div class="bulk-preview" tabindex="0" role="region" aria-label="Result of each endpoint">
                    <table class="data-table">
                        <thead><tr><th scope="col">"Endpoint"</th><th scope="col">"Result"</th></tr></thead>
                        <tbody>
                            {s.rows.iter().take(ROWS_SHOWN).map(|(name, r)| {
                                let (state, text) = match r {
                                    Some(r @ RowResult::Done) => ("done", r.text()),
                                    Some(r @ RowResult::Refused { .. }) => ("refused", r.text()),
                                    Some(r @ RowResult::Unknown { .. }) => ("unknown", r.text()),
                                    Some(r @ RowResult::NotAttempted { .. }) => ("not-attempted", r.text()),
                                    None => ("pending", "Sending…".to_string()),
                                };
                                view! {
                                    <tr data-testid="bulk-result-row" data-result=state>
                                        <td><a href=links::endpoint(name, Tab::Overview)>{name.clone()}</a></td>
                                        <td>{text}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(more > 0).then(|| view! { <p>{format!("… and {} more (the counts above cover every endpoint).", thousands(more))}</p> })}
                </div>
            </section>
        })
    }
}
