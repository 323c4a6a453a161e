//! The add form of the permissions editor: type, name, level; validation beside the fields.

use super::focus_later;
use crate::context::{AddForm, PermissionDrafts};
use crate::model::format::api_text;
use crate::model::permissions::{
    describe, level_from_value, validate_new, Acl, AddError, Draft, Kind,
};
use api_types::PermissionLevel;
use leptos::prelude::*;

/// The add form: type, name, level; validation beside the fields.
#[component]
pub(super) fn AddPrincipal(
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
                let text = format!(
                    "{} added as {}, not saved yet.",
                    api_text(&describe(&p)),
                    api_text(l.label())
                );
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
                            let text = if desc.is_empty() { l.label().to_string() } else { format!("{} — {}", api_text(l.label()), api_text(&desc)) };
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
