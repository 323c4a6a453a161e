//! One row of the permissions table: who, type, level (a select when editable), where the
//! grant comes from, and Keep/Remove.

use super::{focus_later, principal_text};
use crate::model::format::api_text;
use crate::model::permissions::{
    inherited_label, level_from_value, slug, Draft, Kind, Me, Row, RowStatus, Source,
};
use api_types::{PermissionLevel, Principal};
use leptos::prelude::*;

pub(super) fn row_view(
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
        RowStatus::Changed { from, .. } => Some(format!("was {}", api_text(from.label()))),
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
            <select id=sel_id class="input perm-level" aria-label=format!("Permission of {}", api_text(p.name()))
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
                <button type="button" id=act_id class="button button--ghost" aria-label=format!("Keep {}", api_text(&label))
                    on:click=move |_| {
                        let who = p.clone();
                        edit(&move |d: &mut Draft| d.undo(&who));
                        focus_later(fid.clone(), "perm-h");
                    }>"Undo"</button>
            }
            .into_any()
        } else {
            view! {
                <button type="button" id=act_id class="button button--ghost" aria-label=format!("Remove {}", api_text(&label))
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
