//! Was the endpoint changed since the edit began? A plan carries the snapshot it was made
//! against (`config_version`, tags, everything else); before the first call the console reads
//! the endpoint again and writes nothing unless it still matches. If it does not, the user
//! chooses "keep my edits on the current config" ([`rebase`]) or "discard".

use super::normalize::{Desired, Notifications, Snapshot};
use super::plan::{plan_between, Plan};
use api_types::AiGatewayConfig;
use std::collections::BTreeSet;

/// The answer of [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Same config version, same everything: the plan can be applied.
    Unchanged,
    /// Someone else changed the endpoint; one line per difference.
    Changed(Vec<String>),
}

/// Compare the snapshot a plan was made against with a fresh read.
pub fn check(base: &Snapshot, fresh: &Snapshot) -> Freshness {
    let mut lines = Vec::new();
    if base.config_version != fresh.config_version {
        lines.push(format!(
            "Config version: {} → {}",
            version(base.config_version),
            version(fresh.config_version)
        ));
    }
    if fresh.updating && !base.updating {
        lines.push("A config update started.".into());
    }
    let diff = plan_between(fresh, &base.desired, &fresh.desired);
    for s in &diff.steps {
        for c in &s.changes {
            let what = if c.field.is_empty() {
                c.subject.clone()
            } else {
                format!("{} {}", c.subject, c.field)
            };
            lines.push(format!(
                "{what}: {} → {}",
                c.before.as_deref().unwrap_or("none"),
                c.after.as_deref().unwrap_or("none")
            ));
        }
    }
    for n in &diff.not_applied {
        lines.push(n.what.clone());
    }
    if lines.is_empty() {
        Freshness::Unchanged
    } else {
        Freshness::Changed(lines)
    }
}

fn version(v: Option<i64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "none".into())
}

/// Why nothing may be sent now, if so: the server refuses a config change while another
/// update is in progress.
pub fn refusal(plan: &Plan, fresh: &Snapshot) -> Option<String> {
    (fresh.updating && plan.redeploys()).then(|| {
        "A config update is in progress: the server refuses another until it has finished or \
         failed. Nothing was sent."
            .to_string()
    })
}

/// "Keep my edits on the current config": what the user changed (from `base` to `edit`) laid
/// over what is there now (`fresh`). Tags merge key by key, e-mail lists and AI gateway parts
/// one by one; the served config is taken whole from the edit if the user touched it (routes
/// must keep adding up to 100), otherwise from `fresh`.
pub fn rebase(base: &Desired, edit: &Desired, fresh: &Desired) -> Desired {
    let mut out = fresh.clone();
    if edit.config != base.config {
        out.config = edit.config.clone();
    }
    let keys: BTreeSet<&String> = base.tags.keys().chain(edit.tags.keys()).collect();
    for k in keys {
        if base.tags.get(k) != edit.tags.get(k) {
            match edit.tags.get(k) {
                Some(v) => out.tags.insert(k.clone(), v.clone()),
                None => out.tags.remove(k),
            };
        }
    }
    let (b, e) = (&base.ai_gateway, &edit.ai_gateway);
    let g: &mut AiGatewayConfig = &mut out.ai_gateway;
    if b.usage_tracking_config != e.usage_tracking_config {
        g.usage_tracking_config = e.usage_tracking_config.clone();
    }
    if b.inference_table_config != e.inference_table_config {
        g.inference_table_config = e.inference_table_config.clone();
    }
    if b.rate_limits != e.rate_limits {
        g.rate_limits = e.rate_limits.clone();
    }
    if b.guardrails != e.guardrails {
        g.guardrails = e.guardrails.clone();
    }
    if b.fallback_config != e.fallback_config {
        g.fallback_config = e.fallback_config.clone();
    }
    let (bn, en): (&Notifications, &Notifications) = (&base.notifications, &edit.notifications);
    if bn.on_update_success != en.on_update_success {
        out.notifications.on_update_success = en.on_update_success.clone();
    }
    if bn.on_update_failure != en.on_update_failure {
        out.notifications.on_update_failure = en.on_update_failure.clone();
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::plan::plan;
    use super::*;

    fn ready() -> Snapshot {
        Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        )
    }

    #[test]
    fn the_same_read_is_unchanged() {
        let s = ready();
        assert_eq!(check(&s, &s.clone()), Freshness::Unchanged);
    }

    #[test]
    fn another_version_and_another_tag_are_reported() {
        let base = ready();
        let mut fresh = base.clone();
        fresh.config_version = Some(13);
        fresh.desired.config.routes.insert("fraud_xgb-7".into(), 0);
        fresh
            .desired
            .config
            .routes
            .insert("fraud_xgb-8".into(), 100);
        fresh
            .desired
            .tags
            .insert("env".into(), Some("staging".into()));
        let Freshness::Changed(lines) = check(&base, &fresh) else {
            panic!("a change must be seen")
        };
        assert_eq!(
            lines,
            [
                "Config version: 12 → 13",
                "tag env: prod → staging",
                "traffic fraud_xgb-7: 90 % → 0 %",
                "traffic fraud_xgb-8: 10 % → 100 %",
            ]
        );
    }

    #[test]
    fn an_update_in_progress_refuses_a_config_step_only() {
        let base = ready();
        let mut e = base.desired.clone();
        e.tags.insert("x".into(), None);
        let tags_only = plan(&base, &e);
        let mut fresh = base.clone();
        fresh.updating = true;
        assert_eq!(refusal(&tags_only, &fresh), None);
        e.config.entities[0].scale_to_zero = Some(true);
        let with_config = plan(&base, &e);
        assert!(refusal(&with_config, &fresh).is_some());
        assert_eq!(refusal(&with_config, &base), None);
    }

    #[test]
    fn rebase_keeps_my_edits_and_their_changes() {
        let base = ready();
        let mut mine = base.desired.clone();
        mine.tags.insert("owner".into(), Some("me".into()));
        mine.tags.remove("pii");
        mine.notifications.on_update_success.clear();
        let mut theirs = base.desired.clone();
        theirs.tags.insert("env".into(), Some("staging".into()));
        theirs.config.routes.insert("fraud_xgb-7".into(), 50);
        theirs.config.routes.insert("fraud_xgb-8".into(), 50);
        let r = rebase(&base.desired, &mine, &theirs);
        assert_eq!(r.tags["owner"], Some("me".into()));
        assert!(!r.tags.contains_key("pii"));
        assert_eq!(r.tags["env"], Some("staging".into()), "their tag stays");
        assert_eq!(r.config, theirs.config, "config untouched by me: theirs");
        assert!(r.notifications.on_update_success.is_empty());
        assert_eq!(
            r.notifications.on_update_failure,
            theirs.notifications.on_update_failure
        );
        // Had I changed the config, mine wins as a whole.
        let mut mine2 = mine.clone();
        mine2.config.entities[0].scale_to_zero = Some(true);
        assert_eq!(rebase(&base.desired, &mine2, &theirs).config, mine2.config);
    }
}
