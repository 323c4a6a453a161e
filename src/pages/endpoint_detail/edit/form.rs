//! The edit form: served entities, traffic split, tags, e-mails, AI gateway. Every field is
//! validated as the user types (`config_plan::validate`); a field's message is beside it,
//! tied with `aria-describedby` and `aria-invalid`.

use super::Editor;
use crate::model::config_plan::edit::{suggested_name, EditForm, EntityForm, RateLimitForm};
use crate::model::config_plan::normalize::secret_ref;
use crate::model::config_plan::validate::Field;
use crate::model::config_plan::versions::{choices, is_uc_model, next_page};
use crate::model::format::api_text;
use leptos::prelude::*;

type GetFn = fn(&EditForm, usize) -> String;
type SetFn = fn(&mut EditForm, usize, String);

/// The id of the element carrying `f`'s message.
fn msg_id(id: &str) -> String {
    format!("{id}-msg")
}

/// A message paragraph for field `f` (empty and hidden without a message).
fn message(ed: Editor, f: Field, id: String) -> impl IntoView {
    let msg = move || ed.messages.with(|m| m.get(&f).cloned());
    view! {
        <p class="field__msg" id=id data-testid="field-msg" hidden=move || msg().is_none()>
            {move || msg().unwrap_or_default()}
        </p>
    }
}

/// A labelled text input bound to the form at row `i`, with its message (and an optional
/// hint and a second message, e.g. the traffic total).
#[allow(clippy::too_many_arguments)]
fn text_field(
    ed: Editor,
    id: String,
    label: Signal<String>,
    f: Field,
    i: usize,
    get: GetFn,
    set: SetFn,
    hint: Option<Signal<String>>,
    also: Option<(Field, &'static str)>,
) -> impl IntoView {
    let mid = msg_id(&id);
    let hint_id = format!("{id}-hint");
    let own = move || ed.messages.with(|m| m.contains_key(&f));
    let other = move || also.is_some_and(|(a, _)| ed.messages.with(|m| m.contains_key(&a)));
    let described = {
        let (mid, hint_id) = (mid.clone(), hint_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut ids = Vec::new();
            if own() {
                ids.push(mid.clone());
            }
            if let (true, Some((_, a))) = (other(), also) {
                ids.push(a.to_string());
            }
            if has_hint {
                ids.push(hint_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <input class="input" id=id type="text" autocomplete="off" spellcheck="false"
                prop:value=move || ed.form.with(|x| get(x, i))
                aria-invalid=move || (own() || other()).then_some("true")
                aria-describedby=described
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    ed.form.update(|x| set(x, i, v));
                }/>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id>{h}</p> })}
            {message(ed, f, mid)}
        </div>
    }
}

/// A labelled select bound to the form at row `i`: `(value, label)` options.
#[allow(clippy::too_many_arguments)]
fn select_field(
    ed: Editor,
    id: String,
    label: String,
    f: Option<Field>,
    i: usize,
    options: &'static [(&'static str, &'static str)],
    get: GetFn,
    set: SetFn,
) -> impl IntoView {
    let mid = msg_id(&id);
    let has = move || f.is_some_and(|f| ed.messages.with(|m| m.contains_key(&f)));
    let described = mid.clone();
    view! {
        <div class="field">
            <label class="field__label" for=id.clone()>{label}</label>
            <select class="input" id=id
                prop:value=move || ed.form.with(|x| get(x, i))
                aria-invalid=move || has().then_some("true")
                aria-describedby=move || has().then(|| described.clone())
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    ed.form.update(|x| set(x, i, v));
                }>
                {options.iter().map(|(v, l)| {
                    let v = *v;
                    view! { <option value=v selected=move || ed.form.with(|x| get(x, i) == v)>{*l}</option> }
                }).collect_view()}
            </select>
            {f.map(|f| message(ed, f, mid))}
        </div>
    }
}

/// A checkbox bound to the form.
fn check_field(
    ed: Editor,
    id: &'static str,
    label: &'static str,
    get: fn(&EditForm) -> bool,
    set: fn(&mut EditForm, bool),
) -> impl IntoView {
    view! {
        <label class="edit__check" for=id>
            <input type="checkbox" id=id prop:checked=move || ed.form.with(get)
                on:change=move |ev| {
                    let on = event_target_checked(&ev);
                    ed.form.update(|x| set(x, on));
                }/>
            " " {label}
        </label>
    }
}

fn entity(f: &EditForm, i: usize) -> Option<&EntityForm> {
    f.entities.get(i)
}

fn entity_mut(f: &mut EditForm, i: usize) -> Option<&mut EntityForm> {
    f.entities.get_mut(i)
}

const SIZES: &[(&str, &str)] = &[
    ("", "None (provisioned concurrency)"),
    ("Small", "Small"),
    ("Medium", "Medium"),
    ("Large", "Large"),
];
const TYPES: &[(&str, &str)] = &[
    ("", "Default (CPU)"),
    ("CPU", "CPU"),
    ("GPU_SMALL", "GPU small"),
    ("GPU_MEDIUM", "GPU medium"),
    ("GPU_LARGE", "GPU large"),
    ("MULTIGPU_MEDIUM", "Multi-GPU medium"),
];
const SCALE: &[(&str, &str)] = &[("", "Choose…"), ("on", "On"), ("off", "Off")];
const PII: &[(&str, &str)] = &[
    ("", "Not set"),
    ("NONE", "None"),
    ("BLOCK", "Block"),
    ("MASK", "Mask"),
];
const KEYS: &[(&str, &str)] = &[
    ("", "Choose…"),
    ("endpoint", "Endpoint"),
    ("user", "User"),
    ("user_group", "User group"),
    ("service_principal", "Service principal"),
];
const PERIODS: &[(&str, &str)] = &[("", "Choose…"), ("minute", "Per minute")];

/// The whole form, and "Review plan".
#[component]
pub(super) fn FormView(ed: Editor) -> impl IntoView {
    let count = Memo::new(move |_| ed.form.with(|f| f.entities.len()));
    let invalid = Memo::new(move |_| ed.messages.with(|m| m.len()));
    let on_review = move |_| ed.review(Vec::new());
    view! {
        <form class="edit__form" novalidate on:submit=move |ev: web_sys::SubmitEvent| { ev.prevent_default(); ed.review(Vec::new()); }>
            <fieldset class="edit__section">
                <legend>"Served entities"</legend>
                {message(ed, Field::Entities, "entities-msg".into())}
                {move || (0..count.get()).map(|i| entity_row(ed, i)).collect_view()}
                <button type="button" class="button button--ghost" id="add-entity"
                    on:click=move |_| { ed.form.update(|f| { f.add_entity(); }); }>"Add served entity"</button>
            </fieldset>
            <fieldset class="edit__section">
                <legend>"Traffic split"</legend>
                <TrafficPreview ed=ed/>
                {move || (0..count.get()).map(|i| {
                    let label = Signal::derive(move || ed.form.with(|f| {
                        let n = entity(f, i).map(|e| e.name.clone()).unwrap_or_default();
                        format!("Traffic to {} (%)", if n.is_empty() { format!("entity {}", i + 1) } else { n })
                    }));
                    text_field(ed, format!("e{i}-traffic"), label, Field::Traffic(i), i,
                        |f, i| entity(f, i).map(|e| e.traffic.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.traffic = v },
                        None, Some((Field::TrafficTotal, "traffic-total-msg")))
                }).collect_view()}
                {message(ed, Field::TrafficTotal, "traffic-total-msg".into())}
            </fieldset>
            <Tags ed=ed/>
            <Emails ed=ed/>
            <Gateway ed=ed/>
            <ReadOnlyFacts ed=ed/>
            <div class="edit__actions">
                <button type="button" class="button" id="review-plan"
                    aria-disabled=move || (invalid.get() > 0).then_some("true")
                    aria-describedby="review-hint"
                    on:click=on_review>"Review plan"</button>
                <p id="review-hint" class="field__hint" role="status">{move || match invalid.get() {
                    0 => "Nothing is written until you apply the reviewed plan.".to_string(),
                    1 => "Fix the one marked field to review the plan.".to_string(),
                    n => format!("Fix the {n} marked fields to review the plan."),
                }}</p>
            </div>
        </form>
    }
}

/// One served entity's fields.
fn entity_row(ed: Editor, i: usize) -> impl IntoView {
    let p = format!("e{i}");
    let external = ed.form.with_untracked(|f| {
        entity(f, i).and_then(|e| {
            e.kept.external_model.as_ref().map(|x| {
                format!(
                    "External model {} ({}): its provider settings are not edited here.",
                    api_text(x.name.as_deref().unwrap_or("?")),
                    api_text(x.provider.as_deref().unwrap_or("?"))
                )
            })
        })
    });
    let s = |t: &'static str| Signal::stored(t.to_string());
    let model_name = Memo::new(move |_| {
        ed.form
            .with(|f| entity(f, i).map(|e| e.entity_name.clone()))
            .unwrap_or_default()
    });
    fetch_versions(ed, model_name);
    let list_id = format!("{p}-versions");
    let version_hint = Signal::derive(move || {
        let n = model_name.get();
        if !is_uc_model(&n) {
            return "Type the version.".to_string();
        }
        ed.versions.with(|v| match v.get(&n) {
            Some(Some(c)) if !c.is_empty() => format!(
                "{} versions from Unity Catalog are offered; any version may be typed.",
                c.len()
            ),
            Some(Some(_)) => "Looking up the model's versions…".to_string(),
            _ => "The model's versions could not be read: type the version.".to_string(),
        })
    });
    let options = {
        move || {
            let n = model_name.get();
            ed.versions.with(|v| {
                v.get(&n)
                    .cloned()
                    .flatten()
                    .unwrap_or_default()
                    .into_iter()
                    .map(
                        |c| view! { <option value=c.version disabled=!c.usable>{c.label}</option> },
                    )
                    .collect_view()
            })
        }
    };
    let remove = move |_| {
        ed.form.update(|f| {
            if i < f.entities.len() {
                f.entities.remove(i);
            }
        })
    };
    let env_count = Memo::new(move |_| ed.form.with(|f| entity(f, i).map_or(0, |e| e.env.len())));
    let version_input_id = format!("{p}-version");
    let custom = external.is_none();
    // The datalist is rendered beside the input; tie them once both are in the page.
    let (vid, lid) = (version_input_id.clone(), list_id.clone());
    request_animation_frame(move || attach_list(&vid, &lid));
    view! {
        <div class="edit__entity" data-testid="entity-form" role="group"
            aria-label=move || ed.form.with(|f| format!("Served entity {}", entity(f, i).map(|e| e.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| (i + 1).to_string())))>
            <div class="edit__row">
                {text_field(ed, format!("{p}-name"), s("Name"), Field::EntityName(i), i,
                    |f, i| entity(f, i).map(|e| e.name.clone()).unwrap_or_default(),
                    |f, i, v| if let Some(e) = entity_mut(f, i) { e.name = v },
                    None, None)}
                {custom.then(|| text_field(ed, format!("{p}-model"), s("Model (catalog.schema.model)"), Field::EntityModel(i), i,
                    |f, i| entity(f, i).map(|e| e.entity_name.clone()).unwrap_or_default(),
                    |f, i, v| if let Some(e) = entity_mut(f, i) {
                        // A new row named after its model and version, until the user names it.
                        let auto = e.name.is_empty() || e.name == suggested_name(&e.entity_name, &e.entity_version);
                        e.entity_name = v;
                        if auto { e.name = suggested_name(&e.entity_name, &e.entity_version) }
                    },
                    None, None))}
                {custom.then(|| view! {
                    <div class="edit__version">
                        {text_field(ed, version_input_id.clone(), s("Version"), Field::EntityVersion(i), i,
                            |f, i| entity(f, i).map(|e| e.entity_version.clone()).unwrap_or_default(),
                            |f, i, v| if let Some(e) = entity_mut(f, i) {
                                let auto = e.name.is_empty() || e.name == suggested_name(&e.entity_name, &e.entity_version);
                                e.entity_version = v;
                                if auto { e.name = suggested_name(&e.entity_name, &e.entity_version) }
                            },
                            Some(version_hint), None)}
                        <datalist id=list_id.clone()>{options}</datalist>
                    </div>
                })}
            </div>
            {external.clone().map(|t| view! { <p class="muted">{t}</p> })}
            {custom.then(|| view! {
                <div class="edit__row">
                    {select_field(ed, format!("{p}-size"), "Workload size".into(), Some(Field::WorkloadSize(i)), i, SIZES,
                        |f, i| entity(f, i).map(|e| e.workload_size.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.workload_size = v })}
                    {select_field(ed, format!("{p}-type"), "Workload type".into(), None, i, TYPES,
                        |f, i| entity(f, i).map(|e| e.workload_type.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.workload_type = v })}
                    {select_field(ed, format!("{p}-scale"), "Scale to zero".into(), Some(Field::ScaleToZero(i)), i, SCALE,
                        |f, i| match entity(f, i).and_then(|e| e.scale_to_zero) { Some(true) => "on".into(), Some(false) => "off".into(), None => String::new() },
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.scale_to_zero = match v.as_str() { "on" => Some(true), "off" => Some(false), _ => None } })}
                    {text_field(ed, format!("{p}-min"), s("Min provisioned concurrency"), Field::MinConcurrency(i), i,
                        |f, i| entity(f, i).map(|e| e.min_concurrency.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.min_concurrency = v },
                        None, None)}
                    {text_field(ed, format!("{p}-max"), s("Max provisioned concurrency"), Field::MaxConcurrency(i), i,
                        |f, i| entity(f, i).map(|e| e.max_concurrency.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(e) = entity_mut(f, i) { e.max_concurrency = v },
                        None, None)}
                </div>
            })}
            {custom.then(|| view! {
                <div class="edit__env">
                    <p class="field__label">"Environment variables"</p>
                    <p class="field__hint">"A value like {{secrets/scope/key}} is a secret reference: the console sees the reference, never the secret."</p>
                    {move || (0..env_count.get()).map(|j| env_row(ed, i, j)).collect_view()}
                    <button type="button" class="button button--ghost"
                        on:click=move |_| ed.form.update(|f| if let Some(e) = entity_mut(f, i) { e.env.push((String::new(), String::new())) })>
                        "Add variable"
                    </button>
                </div>
            })}
            <button type="button" class="button button--ghost" data-testid="remove-entity"
                aria-label=move || ed.form.with(|f| format!("Remove served entity {}", entity(f, i).map(|e| e.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| (i + 1).to_string())))
                on:click=remove>"Remove"</button>
        </div>
    }
}

/// Attach the version list to the version input once it is in the page.
fn attach_list(input_id: &str, list_id: &str) {
    if let Some(el) = document().get_element_by_id(input_id) {
        let _ = el.set_attribute("list", list_id);
    }
}

/// Fetch the versions of the entity's model (once per model), for the picker.
fn fetch_versions(ed: Editor, model: Memo<String>) {
    let api = crate::context::Workspace::expect().api;
    Effect::new(move |_| {
        let n = model.get();
        if !is_uc_model(&n) || ed.versions.with_untracked(|v| v.contains_key(&n)) {
            return;
        }
        ed.versions.update(|v| {
            v.insert(n.clone(), Some(Vec::new()));
        });
        let serving: Vec<String> = ed
            .base
            .with_untracked(|b| {
                b.as_ref().map(|b| {
                    b.desired
                        .config
                        .entities
                        .iter()
                        .filter(|e| e.entity_name == n)
                        .map(|e| e.entity_version.clone())
                        .collect()
                })
            })
            .unwrap_or_default();
        let api = api.clone();
        leptos::task::spawn_local(async move {
            let mut items = Vec::new();
            let mut token: Option<String> = None;
            let mut pages = 0;
            let found = loop {
                match api.list_model_versions(&n, token.as_deref(), None).await {
                    Ok(r) => {
                        pages += 1;
                        items.extend(r.model_versions.iter().cloned());
                        match next_page(&r, pages) {
                            Some(t) => token = Some(t.to_string()),
                            None => {
                                let s: Vec<&str> = serving.iter().map(String::as_str).collect();
                                break Some(choices(&items, &s));
                            }
                        }
                    }
                    Err(_) => break None,
                }
            };
            ed.versions.try_update(|v| {
                v.insert(n, found);
            });
        });
    });
}

/// One environment variable of entity `i`.
fn env_row(ed: Editor, i: usize, j: usize) -> impl IntoView {
    let id = format!("e{i}-env{j}");
    let key_id = format!("{id}-name");
    let val_id = format!("{id}-value");
    let key_msg = msg_id(&key_id);
    let val_msg = msg_id(&val_id);
    let get_k = move |f: &EditForm| {
        entity(f, i)
            .and_then(|e| e.env.get(j))
            .map(|(k, _)| k.clone())
            .unwrap_or_default()
    };
    let get_v = move |f: &EditForm| {
        entity(f, i)
            .and_then(|e| e.env.get(j))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let k_bad = move || ed.messages.with(|m| m.contains_key(&Field::EnvName(i, j)));
    let v_bad = move || ed.messages.with(|m| m.contains_key(&Field::EnvValue(i, j)));
    let secret = move || {
        ed.form.with(|f| {
            let v = get_v(f);
            secret_ref(&v).map(|(s, k)| format!("Secret reference: scope {s}, key {k}."))
        })
    };
    let (km, vm) = (key_msg.clone(), val_msg.clone());
    view! {
        <div class="edit__row" data-testid="env-row">
            <div class="field">
                <label class="field__label" for=key_id.clone()>{format!("Variable {} name", j + 1)}</label>
                <input class="input" id=key_id type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || ed.form.with(get_k)
                    aria-invalid=move || k_bad().then_some("true")
                    aria-describedby=move || k_bad().then(|| km.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); ed.form.update(|f| if let Some(p) = entity_mut(f, i).and_then(|e| e.env.get_mut(j)) { p.0 = v }); }/>
                {message(ed, Field::EnvName(i, j), key_msg)}
            </div>
            <div class="field">
                <label class="field__label" for=val_id.clone()>{format!("Variable {} value", j + 1)}</label>
                <input class="input" id=val_id type="text" autocomplete="off" spellcheck="false"
                    prop:value=move || ed.form.with(get_v)
                    aria-invalid=move || v_bad().then_some("true")
                    aria-describedby=move || v_bad().then(|| vm.clone())
                    on:input=move |ev| { let v = event_target_value(&ev); ed.form.update(|f| if let Some(p) = entity_mut(f, i).and_then(|e| e.env.get_mut(j)) { p.1 = v }); }/>
                <p class="field__hint">{secret}</p>
                {message(ed, Field::EnvValue(i, j), val_msg)}
            </div>
            <button type="button" class="button button--ghost" aria-label=format!("Remove variable {}", j + 1)
                on:click=move |_| ed.form.update(|f| if let Some(e) = entity_mut(f, i) { if j < e.env.len() { e.env.remove(j); } })>"Remove"</button>
        </div>
    }
}

/// The edited split as a bar like the Overview's.
#[component]
fn TrafficPreview(ed: Editor) -> impl IntoView {
    let parts = Memo::new(move |_| {
        ed.form.with(|f| {
            f.entities
                .iter()
                .map(|e| (e.name.clone(), e.traffic.trim().parse::<i64>().unwrap_or(0)))
                .collect::<Vec<_>>()
        })
    });
    let desc = move || {
        parts.with(|p| {
            p.iter()
                .map(|(n, v)| format!("{} {v}%", api_text(n)))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    view! {
        <div class="traffic" role="img" aria-label=move || format!("Edited traffic split: {}", desc()) data-testid="edit-traffic">
            {move || {
                let p = parts.get();
                let total: i64 = p.iter().map(|(_, v)| (*v).max(0)).sum();
                p.iter().enumerate().map(|(i, (_, v))| {
                    let w = if total > 0 { (*v).max(0) as f64 * 100.0 / total as f64 } else { 0.0 };
                    view! { <span class=format!("traffic__seg traffic__seg--{}", i % 4) style:width=format!("{w:.2}%")></span> }
                }).collect_view()
            }}
        </div>
    }
}

/// Tags: key and value rows.
#[component]
fn Tags(ed: Editor) -> impl IntoView {
    let count = Memo::new(move |_| ed.form.with(|f| f.tags.len()));
    let s = |t: String| Signal::stored(t);
    view! {
        <fieldset class="edit__section">
            <legend>"Tags"</legend>
            {move || (0..count.get()).map(|i| view! {
                <div class="edit__row" data-testid="tag-row">
                    {text_field(ed, format!("tag{i}-key"), s(format!("Tag {} key", i + 1)), Field::TagKey(i), i,
                        |f, i| f.tags.get(i).map(|t| t.0.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(t) = f.tags.get_mut(i) { t.0 = v },
                        None, None)}
                    {text_field(ed, format!("tag{i}-value"), s(format!("Tag {} value", i + 1)), Field::TagValue(i), i,
                        |f, i| f.tags.get(i).map(|t| t.1.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(t) = f.tags.get_mut(i) { t.1 = v },
                        None, None)}
                    <button type="button" class="button button--ghost" aria-label=format!("Remove tag {}", i + 1)
                        on:click=move |_| ed.form.update(|f| if i < f.tags.len() { f.tags.remove(i); })>"Remove"</button>
                </div>
            }).collect_view()}
            <button type="button" class="button button--ghost" id="add-tag"
                on:click=move |_| ed.form.update(|f| f.tags.push((String::new(), String::new())))>"Add tag"</button>
        </fieldset>
    }
}

/// Failure and success e-mails.
#[component]
fn Emails(ed: Editor) -> impl IntoView {
    let fail = Memo::new(move |_| ed.form.with(|f| f.on_update_failure.len()));
    let ok = Memo::new(move |_| ed.form.with(|f| f.on_update_success.len()));
    let s = |t: String| Signal::stored(t);
    view! {
        <fieldset class="edit__section">
            <legend>"E-mail notifications"</legend>
            <p class="field__label">"When an update fails"</p>
            {move || (0..fail.get()).map(|i| view! {
                <div class="edit__row">
                    {text_field(ed, format!("fail{i}"), s(format!("Failure e-mail {}", i + 1)), Field::FailureEmail(i), i,
                        |f, i| f.on_update_failure.get(i).cloned().unwrap_or_default(),
                        |f, i, v| if let Some(t) = f.on_update_failure.get_mut(i) { *t = v },
                        None, None)}
                    <button type="button" class="button button--ghost" aria-label=format!("Remove failure e-mail {}", i + 1)
                        on:click=move |_| ed.form.update(|f| if i < f.on_update_failure.len() { f.on_update_failure.remove(i); })>"Remove"</button>
                </div>
            }).collect_view()}
            <button type="button" class="button button--ghost" id="add-failure-email"
                on:click=move |_| ed.form.update(|f| f.on_update_failure.push(String::new()))>"Add failure e-mail"</button>
            <p class="field__label">"When an update succeeds"</p>
            {move || (0..ok.get()).map(|i| view! {
                <div class="edit__row">
                    {text_field(ed, format!("ok{i}"), s(format!("Success e-mail {}", i + 1)), Field::SuccessEmail(i), i,
                        |f, i| f.on_update_success.get(i).cloned().unwrap_or_default(),
                        |f, i, v| if let Some(t) = f.on_update_success.get_mut(i) { *t = v },
                        None, None)}
                    <button type="button" class="button button--ghost" aria-label=format!("Remove success e-mail {}", i + 1)
                        on:click=move |_| ed.form.update(|f| if i < f.on_update_success.len() { f.on_update_success.remove(i); })>"Remove"</button>
                </div>
            }).collect_view()}
            <button type="button" class="button button--ghost" id="add-success-email"
                on:click=move |_| ed.form.update(|f| f.on_update_success.push(String::new()))>"Add success e-mail"</button>
        </fieldset>
    }
}

/// One list of guardrail words (one per line).
fn words_field(
    ed: Editor,
    id: &'static str,
    label: &'static str,
    get: fn(&EditForm) -> &Vec<String>,
    set: fn(&mut EditForm) -> &mut Vec<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <textarea class="input" id=id rows="2" spellcheck="false"
                prop:value=move || ed.form.with(|f| get(f).join("\n"))
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    ed.form.update(|f| *set(f) = v.lines().map(str::to_string).collect());
                }></textarea>
        </div>
    }
}

/// The AI gateway (sent whole: a `PUT` replaces every part).
#[component]
fn Gateway(ed: Editor) -> impl IntoView {
    let limits = Memo::new(move |_| ed.form.with(|f| f.gateway.rate_limits.len()));
    let s = |t: String| Signal::stored(t);
    fn rl_mut(f: &mut EditForm, i: usize) -> Option<&mut RateLimitForm> {
        f.gateway.rate_limits.get_mut(i)
    }
    view! {
        <fieldset class="edit__section">
            <legend>"AI gateway"</legend>
            <p class="field__hint">"Sent whole: the API replaces every gateway setting at once, so unchanged settings are sent as they are."</p>
            {check_field(ed, "gw-usage", "Usage tracking", |f| f.gateway.usage_tracking, |f, on| f.gateway.usage_tracking = on)}
            {check_field(ed, "gw-inference", "Inference table", |f| f.gateway.inference_table, |f, on| f.gateway.inference_table = on)}
            <div class="edit__row">
                {text_field(ed, "gw-catalog".into(), s("Inference table catalog".into()), Field::InferenceCatalog, 0,
                    |f, _| f.gateway.catalog_name.clone(), |f, _, v| f.gateway.catalog_name = v, None, None)}
                {text_field(ed, "gw-schema".into(), s("Inference table schema".into()), Field::InferenceSchema, 0,
                    |f, _| f.gateway.schema_name.clone(), |f, _, v| f.gateway.schema_name = v, None, None)}
                <div class="field">
                    <label class="field__label" for="gw-prefix">"Table name prefix"</label>
                    <input class="input" id="gw-prefix" type="text" autocomplete="off"
                        prop:value=move || ed.form.with(|f| f.gateway.table_name_prefix.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); ed.form.update(|f| f.gateway.table_name_prefix = v); }/>
                </div>
            </div>
            <p class="field__label">"Rate limits"</p>
            {move || (0..limits.get()).map(|i| view! {
                <div class="edit__row" data-testid="rate-limit-row">
                    {text_field(ed, format!("rl{i}-calls"), s(format!("Limit {} calls", i + 1)), Field::RateLimitAmount(i), i,
                        |f, i| f.gateway.rate_limits.get(i).map(|r| r.calls.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(r) = rl_mut(f, i) { r.calls = v }, None, None)}
                    {select_field(ed, format!("rl{i}-key"), format!("Limit {} per", i + 1), Some(Field::RateLimitKey(i)), i, KEYS,
                        |f, i| f.gateway.rate_limits.get(i).map(|r| r.key.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(r) = rl_mut(f, i) { r.key = v })}
                    {text_field(ed, format!("rl{i}-principal"), s(format!("Limit {} principal", i + 1)), Field::RateLimitPrincipal(i), i,
                        |f, i| f.gateway.rate_limits.get(i).map(|r| r.principal.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(r) = rl_mut(f, i) { r.principal = v }, None, None)}
                    {select_field(ed, format!("rl{i}-period"), format!("Limit {} period", i + 1), Some(Field::RateLimitPeriod(i)), i, PERIODS,
                        |f, i| f.gateway.rate_limits.get(i).map(|r| r.renewal_period.clone()).unwrap_or_default(),
                        |f, i, v| if let Some(r) = rl_mut(f, i) { r.renewal_period = v })}
                    <button type="button" class="button button--ghost" aria-label=format!("Remove rate limit {}", i + 1)
                        on:click=move |_| ed.form.update(|f| if i < f.gateway.rate_limits.len() { f.gateway.rate_limits.remove(i); })>"Remove"</button>
                </div>
            }).collect_view()}
            <button type="button" class="button button--ghost" id="add-rate-limit"
                on:click=move |_| ed.form.update(|f| f.gateway.rate_limits.push(RateLimitForm { renewal_period: "minute".into(), key: "endpoint".into(), ..RateLimitForm::default() }))>"Add rate limit"</button>
            <p class="field__label">"Guardrails"</p>
            <div class="edit__row">
                {check_field(ed, "gw-in-safety", "Input safety filter", |f| f.gateway.input.safety, |f, on| f.gateway.input.safety = on)}
                {select_field(ed, "gw-in-pii".into(), "Input PII".into(), Some(Field::PiiInput), 0, PII,
                    |f, _| f.gateway.input.pii.clone(), |f, _, v| f.gateway.input.pii = v)}
                {words_field(ed, "gw-in-keywords", "Input invalid keywords (one per line)", |f| &f.gateway.input.invalid_keywords, |f| &mut f.gateway.input.invalid_keywords)}
                {words_field(ed, "gw-in-topics", "Input valid topics (one per line)", |f| &f.gateway.input.valid_topics, |f| &mut f.gateway.input.valid_topics)}
            </div>
            <div class="edit__row">
                {check_field(ed, "gw-out-safety", "Output safety filter", |f| f.gateway.output.safety, |f, on| f.gateway.output.safety = on)}
                {select_field(ed, "gw-out-pii".into(), "Output PII".into(), Some(Field::PiiOutput), 0, PII,
                    |f, _| f.gateway.output.pii.clone(), |f, _, v| f.gateway.output.pii = v)}
            </div>
            {check_field(ed, "gw-fallback", "Fallback to other served entities on errors", |f| f.gateway.fallback, |f, on| f.gateway.fallback = on)}
        </fieldset>
    }
}

/// Description and route optimisation: shown, not editable (no update call).
#[component]
fn ReadOnlyFacts(ed: Editor) -> impl IntoView {
    let (desc, ro) = ed
        .form
        .with_untracked(|f| (f.description.clone(), f.route_optimized));
    view! {
        <fieldset class="edit__section">
            <legend>"Not editable here"</legend>
            <dl class="facts">
                <dt>"Description"</dt><dd>{desc.unwrap_or_else(|| "—".into())}</dd>
                <dt>"Route optimized"</dt><dd>{if ro { "Yes" } else { "No" }}</dd>
            </dl>
            <p class="field__hint">"The API has no call to change these: the endpoint would have to be deleted and created again, which this console does not do."</p>
        </fieldset>
    }
}
