//! Can a bulk action run on an endpoint, and if not, why — decided by the detail page's own
//! rules ([`lifecycle_rules`], [`derive_summary`], [`endpoint_kind_summary`]), never by a copy
//! of them.
//!
//! A list item lacks `permission_level` and `route_optimized`, so from a list item alone an
//! action is never "eligible": it is either blocked by a rule the item does decide (it serves
//! a foundation model, an update is in progress, it is already stopped, the tag is already
//! there …) or it "needs a detail read" (`GET …/{name}`), which the caller makes (the list's
//! refinement does the same for its ambiguous "Not ready" rows) and passes back in.
//! From a list item the first rule the item can decide is reported: it still holds on the
//! detail page, which may name an earlier one (e.g. your level) once it has read the endpoint.

use crate::model::actions::{endpoint_kind_summary, lifecycle_rules, Blocked, EndpointKind};
use crate::model::display_state::{derive_summary, DisplayState};
use api_types::{PermissionLevel, Principal, ServingEndpoint, ServingEndpointDetailed};

/// A bulk action, as chosen in the list's action bar.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Action {
    /// `POST …/{name}/config:stop`.
    Stop,
    /// `POST …/{name}/config:start`.
    Start,
    /// `DELETE …/{name}`.
    Delete,
    /// `PATCH …/{name}/tags` with `add_tags: [{key, value}]`.
    AddTag {
        /// Tag key.
        key: String,
        /// Tag value (none: a key-only tag).
        value: Option<String>,
    },
    /// `PATCH …/{name}/tags` with `delete_tags: [key]`.
    RemoveTag {
        /// Tag key.
        key: String,
    },
    /// `PATCH /api/2.0/permissions/serving-endpoints/{id}` granting `level` to `principal`.
    Grant {
        /// Who is granted.
        principal: Principal,
        /// The level granted.
        level: PermissionLevel,
    },
}

impl Action {
    /// "Stop", "Start", "Delete", "Add tag team=ml", "Remove tag team", "Grant Can Query to …".
    pub fn label(&self) -> String {
        match self {
            Action::Stop => "Stop".into(),
            Action::Start => "Start".into(),
            Action::Delete => "Delete".into(),
            Action::AddTag {
                key,
                value: Some(v),
            } => format!("Add tag {key}={v}"),
            Action::AddTag { key, value: None } => format!("Add tag {key}"),
            Action::RemoveTag { key } => format!("Remove tag {key}"),
            Action::Grant { principal, level } => {
                format!("Grant {} to {}", level.label(), principal.name())
            }
        }
    }
}

/// Why an action cannot run on one endpoint.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Why {
    /// A lifecycle rule of the detail page (your level, kind, route-optimized, update in
    /// progress, already stopped, not stopped, nothing deployed).
    Rule(Blocked),
    /// The tag is already there with that value: nothing to send.
    AlreadyTagged,
    /// The tag to remove is not there: nothing to send.
    NoSuchTag,
    /// The list item carries no endpoint `id`, which the Permissions API is keyed by.
    NoId,
}

impl Why {
    /// A sentence for the preview.
    pub fn reason(&self) -> String {
        match self {
            Why::Rule(b) => b.reason(),
            Why::AlreadyTagged => "The endpoint already has this tag.".into(),
            Why::NoSuchTag => "The endpoint does not have this tag.".into(),
            Why::NoId => {
                "The endpoint's id is not known, so its permissions cannot be changed.".into()
            }
        }
    }
}

/// The preview of one action on one endpoint.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Eligibility {
    /// It can run (decided from a detail read).
    Eligible,
    /// It cannot, and why.
    Blocked(Why),
    /// The list item cannot tell (your level and route optimization are only in the detail):
    /// read `GET …/{name}` and ask again with it.
    NeedsDetail,
}

impl Eligibility {
    /// The sentence shown in the preview row.
    pub fn text(&self) -> String {
        match self {
            Eligibility::Eligible => "Will run.".into(),
            Eligibility::Blocked(w) => w.reason(),
            Eligibility::NeedsDetail => {
                "Checking: your permission level is only in the endpoint's details.".into()
            }
        }
    }

    /// Can it run?
    pub fn is_eligible(&self) -> bool {
        matches!(self, Eligibility::Eligible)
    }
}

fn tag_check(tags: &[api_types::EndpointTag], action: &Action) -> Result<(), Why> {
    match action {
        Action::AddTag { key, value }
            if tags.iter().any(|t| &t.key == key && &t.value == value) =>
        {
            Err(Why::AlreadyTagged)
        }
        Action::RemoveTag { key } if !tags.iter().any(|t| &t.key == key) => Err(Why::NoSuchTag),
        _ => Ok(()),
    }
}

fn has_id(id: Option<&String>) -> bool {
    id.is_some_and(|i| !i.trim().is_empty())
}

/// The preview from a detail read: the detail page's answer, exactly. Tags and permissions
/// need `CAN_MANAGE` like Delete does (the rule [`crate::model::actions::can_delete`] decides).
pub fn from_detail(e: &ServingEndpointDetailed, action: &Action) -> Eligibility {
    let rules = lifecycle_rules(e);
    let rule = match action {
        Action::Stop => rules.stop,
        Action::Start => rules.start,
        Action::Delete
        | Action::AddTag { .. }
        | Action::RemoveTag { .. }
        | Action::Grant { .. } => rules.delete,
    };
    if let Err(b) = rule {
        return Eligibility::Blocked(Why::Rule(b));
    }
    if let Err(w) = tag_check(&e.tags, action) {
        return Eligibility::Blocked(w);
    }
    if matches!(action, Action::Grant { .. }) && !has_id(e.id.as_ref()) {
        return Eligibility::Blocked(Why::NoId);
    }
    Eligibility::Eligible
}

/// The preview from a list item alone: blocked by a rule the item decides, else
/// [`Eligibility::NeedsDetail`] (never "eligible": the caller's level is not in list items).
pub fn from_summary(e: &ServingEndpoint, action: &Action) -> Eligibility {
    let state = derive_summary(e);
    let updating = matches!(
        state,
        DisplayState::ReadyUpdating | DisplayState::NotReadyUpdating
    );
    let blocked = |b: Blocked| Eligibility::Blocked(Why::Rule(b));
    match action {
        Action::Stop => {
            let kind = endpoint_kind_summary(e);
            if matches!(
                kind,
                EndpointKind::FoundationModel | EndpointKind::ExternalModel
            ) {
                return blocked(Blocked::NotCustom(kind));
            }
            if updating {
                return blocked(Blocked::UpdateInProgress);
            }
            if state == DisplayState::NotReadyStopped {
                return blocked(Blocked::AlreadyStopped);
            }
        }
        Action::Start => {
            if updating {
                return blocked(Blocked::UpdateInProgress);
            }
            // A ready endpoint is serving: the list treats "Ready" as certain (only "Not
            // ready" rows are refined), and so does this preview.
            if matches!(state, DisplayState::Ready | DisplayState::ReadyUpdateFailed) {
                return blocked(Blocked::NotStopped);
            }
        }
        Action::AddTag { .. } | Action::RemoveTag { .. } => {
            if let Err(w) = tag_check(&e.tags, action) {
                return Eligibility::Blocked(w);
            }
        }
        Action::Grant { .. } => {
            if !has_id(e.id.as_ref()) {
                return Eligibility::Blocked(Why::NoId);
            }
        }
        Action::Delete => {}
    }
    Eligibility::NeedsDetail
}

/// The preview of one endpoint: from its detail read when there is one for it, else from
/// the list item.
pub fn eligibility(
    item: &ServingEndpoint,
    detail: Option<&ServingEndpointDetailed>,
    action: &Action,
) -> Eligibility {
    match detail {
        Some(d) if d.name == item.name => from_detail(d, action),
        _ => from_summary(item, action),
    }
}

/// Counts of a preview, for the action bar ("12 will run, 3 cannot, 5 being checked").
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PreviewCounts {
    /// Will run.
    pub eligible: usize,
    /// Cannot run.
    pub blocked: usize,
    /// Waiting for a detail read.
    pub needs_detail: usize,
}

/// Tally a preview.
pub fn counts<'a>(preview: impl IntoIterator<Item = &'a Eligibility>) -> PreviewCounts {
    let mut c = PreviewCounts::default();
    for e in preview {
        match e {
            Eligibility::Eligible => c.eligible += 1,
            Eligibility::Blocked(_) => c.blocked += 1,
            Eligibility::NeedsDetail => c.needs_detail += 1,
        }
    }
    c
}

/// Does the typed text confirm a bulk delete of `n` endpoints? The number in ASCII digits,
/// surrounding whitespace ignored, no sign, no leading zeros, no separators; `n == 0` never
/// confirms (there is nothing to delete).
pub fn delete_count_confirmed(typed: &str, n: usize) -> bool {
    let t = typed.trim();
    n > 0
        && !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit())
        && !(t.len() > 1 && t.starts_with('0'))
        && t == n.to_string()
}

/// The delete confirmation's prompt.
pub fn delete_prompt(n: usize) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("Type {n} to delete {n} endpoint{s}. This cannot be undone.")
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn fixture(name: &str) -> ServingEndpointDetailed {
        serde_json::from_str(api_fixtures::get(name)).expect("fixture decodes")
    }

    fn item(v: Value) -> ServingEndpoint {
        serde_json::from_value(v).expect("list item")
    }

    fn managed(name: &str) -> ServingEndpointDetailed {
        let mut e = fixture(name);
        e.permission_level = Some(PermissionLevel::CanManage);
        e
    }

    fn tag(key: &str, value: Option<&str>) -> Action {
        Action::AddTag {
            key: key.into(),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn detail_read_gives_the_detail_pages_answer() {
        let ready = managed("get_custom_ready.json");
        assert_eq!(from_detail(&ready, &Action::Stop), Eligibility::Eligible);
        assert_eq!(
            from_detail(&ready, &Action::Start),
            Eligibility::Blocked(Why::Rule(Blocked::NotStopped))
        );
        assert_eq!(from_detail(&ready, &Action::Delete), Eligibility::Eligible);
        let stopped = managed("get_custom_stopped.json");
        assert_eq!(
            from_detail(&stopped, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::AlreadyStopped))
        );
        assert_eq!(from_detail(&stopped, &Action::Start), Eligibility::Eligible);
        let fm = managed("get_foundation_model.json");
        assert_eq!(
            from_detail(&fm, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::NotCustom(EndpointKind::FoundationModel)))
        );
        let ro = managed("get_route_optimized.json");
        assert_eq!(
            from_detail(&ro, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::RouteOptimized))
        );
        let upd = managed("get_custom_ready_updating.json");
        assert_eq!(
            from_detail(&upd, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::UpdateInProgress))
        );
        // Every action agrees with lifecycle_rules on every fixture.
        for f in [
            "get_custom_ready.json",
            "get_custom_stopped.json",
            "get_custom_creating.json",
            "get_route_optimized.json",
            "get_foundation_model.json",
            "get_external_model_ai_gateway.json",
        ] {
            let e = fixture(f);
            let r = lifecycle_rules(&e);
            assert_eq!(
                from_detail(&e, &Action::Stop).is_eligible(),
                r.stop.is_ok(),
                "{f}"
            );
            assert_eq!(
                from_detail(&e, &Action::Start).is_eligible(),
                r.start.is_ok(),
                "{f}"
            );
            assert_eq!(
                from_detail(&e, &Action::Delete).is_eligible(),
                r.delete.is_ok(),
                "{f}"
            );
        }
    }

    #[test]
    fn your_level_blocks_every_action() {
        let mut e = managed("get_custom_ready.json");
        e.permission_level = Some(PermissionLevel::CanQuery);
        for a in [
            Action::Stop,
            Action::Delete,
            tag("team", Some("ml")),
            Action::RemoveTag { key: "team".into() },
            Action::Grant {
                principal: Principal::Group("ml".into()),
                level: PermissionLevel::CanQuery,
            },
        ] {
            assert_eq!(
                from_detail(&e, &a),
                Eligibility::Blocked(Why::Rule(Blocked::NotManager)),
                "{a:?}"
            );
        }
    }

    #[test]
    fn a_list_item_never_says_eligible() {
        let e = item(
            json!({"name": "a", "state": {"ready": "READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [{"name": "m-1", "entity_name": "m", "entity_version": "1"}]}}),
        );
        assert_eq!(from_summary(&e, &Action::Stop), Eligibility::NeedsDetail);
        assert_eq!(from_summary(&e, &Action::Delete), Eligibility::NeedsDetail);
        assert_eq!(
            from_summary(&e, &Action::Start),
            Eligibility::Blocked(Why::Rule(Blocked::NotStopped))
        );
    }

    #[test]
    fn list_item_rules_it_can_decide() {
        let fm = item(json!({"name": "f", "state": {"ready": "READY"},
            "config": {"served_entities": [{"name": "x", "foundation_model": {"name": "llama"}}]}}));
        assert_eq!(
            from_summary(&fm, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::NotCustom(EndpointKind::FoundationModel)))
        );
        let upd = item(
            json!({"name": "u", "state": {"ready": "READY", "config_update": "IN_PROGRESS"},
            "config": {"served_entities": [{"name": "m-1", "entity_name": "m"}]}}),
        );
        assert_eq!(
            from_summary(&upd, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::UpdateInProgress))
        );
        assert_eq!(
            from_summary(&upd, &Action::Start),
            Eligibility::Blocked(Why::Rule(Blocked::UpdateInProgress))
        );
        let stopped = item(json!({"name": "s", "state": {"ready": "NOT_READY",
            "config_update": "NOT_UPDATING", "suspend": "STOPPED"},
            "config": {"served_entities": [{"name": "m-1", "entity_name": "m"}]}}));
        assert_eq!(
            from_summary(&stopped, &Action::Stop),
            Eligibility::Blocked(Why::Rule(Blocked::AlreadyStopped))
        );
        assert_eq!(
            from_summary(&stopped, &Action::Start),
            Eligibility::NeedsDetail
        );
        // "Not ready" alone is ambiguous (maybe stopped): needs a detail read for both.
        let nr = item(
            json!({"name": "n", "state": {"ready": "NOT_READY", "config_update": "NOT_UPDATING"},
            "config": {"served_entities": [{"name": "m-1", "entity_name": "m"}]}}),
        );
        assert_eq!(from_summary(&nr, &Action::Stop), Eligibility::NeedsDetail);
        assert_eq!(from_summary(&nr, &Action::Start), Eligibility::NeedsDetail);
    }

    #[test]
    fn tags_with_nothing_to_do_are_blocked() {
        let e = item(
            json!({"name": "t", "id": "1", "tags": [{"key": "team", "value": "ml"}, {"key": "dev"}]}),
        );
        assert_eq!(
            from_summary(&e, &tag("team", Some("ml"))),
            Eligibility::Blocked(Why::AlreadyTagged)
        );
        assert_eq!(
            from_summary(&e, &tag("team", Some("ai"))),
            Eligibility::NeedsDetail
        );
        assert_eq!(
            from_summary(&e, &tag("dev", None)),
            Eligibility::Blocked(Why::AlreadyTagged)
        );
        assert_eq!(
            from_summary(
                &e,
                &Action::RemoveTag {
                    key: "owner".into()
                }
            ),
            Eligibility::Blocked(Why::NoSuchTag)
        );
        assert_eq!(
            from_summary(&e, &Action::RemoveTag { key: "dev".into() }),
            Eligibility::NeedsDetail
        );
    }

    #[test]
    fn grant_needs_an_id() {
        let g = Action::Grant {
            principal: Principal::User("a@b.c".into()),
            level: PermissionLevel::CanQuery,
        };
        assert_eq!(
            from_summary(&item(json!({"name": "x"})), &g),
            Eligibility::Blocked(Why::NoId)
        );
        assert_eq!(
            from_summary(&item(json!({"name": "x", "id": "abc"})), &g),
            Eligibility::NeedsDetail
        );
        assert!(g.label().contains("Can Query") && g.label().contains("a@b.c"));
    }

    #[test]
    fn a_detail_for_another_endpoint_is_not_used() {
        let d = managed("get_custom_ready.json");
        let other = item(json!({"name": "not-the-same"}));
        assert_eq!(
            eligibility(&other, Some(&d), &Action::Delete),
            Eligibility::NeedsDetail
        );
        assert_eq!(
            eligibility(&d.summary(), Some(&d), &Action::Delete),
            Eligibility::Eligible
        );
    }

    #[test]
    fn counts_tally() {
        let p = [
            Eligibility::Eligible,
            Eligibility::NeedsDetail,
            Eligibility::Blocked(Why::NoId),
            Eligibility::Eligible,
        ];
        assert_eq!(
            counts(&p),
            PreviewCounts {
                eligible: 2,
                blocked: 1,
                needs_detail: 1
            }
        );
    }

    #[test]
    fn delete_count_validator() {
        assert!(delete_count_confirmed("12", 12));
        assert!(delete_count_confirmed("  12 \n", 12));
        for bad in ["", "11", "012", "+12", "12.0", "1 2", "twelve", "١٢", "-12"] {
            assert!(!delete_count_confirmed(bad, 12), "{bad:?}");
        }
        assert!(!delete_count_confirmed("0", 0));
        assert!(delete_count_confirmed("1", 1));
        assert_eq!(
            delete_prompt(1),
            "Type 1 to delete 1 endpoint. This cannot be undone."
        );
        assert!(delete_prompt(3).contains("3 endpoints"));
    }
}
