//! Roll back: after an applied config change, a plan back to the config it replaced (kept in
//! memory while the console is open); after a failed update, a plan from the failed pending
//! config back to the config that still serves.

use super::normalize::{Config, Desired, Snapshot};
use super::plan::{plan_between, Plan};

/// A config that an applied plan replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Replaced {
    /// Its version when it was served.
    pub config_version: Option<i64>,
    pub config: Config,
}

impl Replaced {
    /// What `plan` replaces, if it changes the config: keep this before applying it.
    pub fn by(plan: &Plan) -> Option<Replaced> {
        plan.redeploys().then(|| Replaced {
            config_version: plan.base.config_version,
            config: plan.base.desired.config.clone(),
        })
    }

    /// After a failed update (`UPDATE_FAILED` with a served config): the config that keeps
    /// serving is the one to go back to, even when nothing was kept in memory.
    pub fn from_failure(fresh: &Snapshot) -> Option<Replaced> {
        fresh.failed_pending.as_ref().map(|_| Replaced {
            config_version: fresh.config_version,
            config: fresh.desired.config.clone(),
        })
    }

    /// "Roll back to version N" (or "Roll back" when the version is unknown).
    pub fn label(&self) -> String {
        match self.config_version {
            Some(v) => format!("Roll back to version {v}"),
            None => "Roll back".into(),
        }
    }
}

/// The plan back to `replaced`, made against a fresh read. Only the served config changes:
/// tags, AI gateway and e-mails stay as they are now. After a failed update the plan starts
/// from the failed pending config, so that it is never empty while that config is shown.
pub fn rollback_plan(fresh: &Snapshot, replaced: &Replaced) -> Plan {
    let from: Desired = match &fresh.failed_pending {
        Some(p) => Desired {
            config: p.clone(),
            ..fresh.desired.clone()
        },
        None => fresh.desired.clone(),
    };
    let to = Desired {
        config: replaced.config.clone(),
        ..fresh.desired.clone()
    };
    plan_between(fresh, &from, &to)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::plan::{plan, Call};
    use super::*;

    fn read(text: &str) -> Snapshot {
        Snapshot::from_endpoint(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn an_applied_upgrade_rolls_back_to_the_replaced_config() {
        let before = read(api_fixtures::get("get_custom_ready.json"));
        let mut edit = before.desired.clone();
        edit.config.entities[1].entity_version = "9".into();
        edit.tags.insert("new".into(), None);
        let p = plan(&before, &edit);
        let kept = Replaced::by(&p).unwrap();
        assert_eq!(kept.label(), "Roll back to version 12");
        // The endpoint now serves version 13 = the edit.
        let mut after = before.clone();
        after.config_version = Some(13);
        after.desired = edit.clone();
        let back = rollback_plan(&after, &kept);
        assert_eq!(
            back.steps.len(),
            1,
            "only the config goes back, not the tag"
        );
        let st = back.step(Call::Config).unwrap();
        assert_eq!(st.changes[0].field, "entity_version");
        assert_eq!(st.changes[0].before.as_deref(), Some("9"));
        assert_eq!(st.changes[0].after.as_deref(), Some("8"));
        assert_eq!(st.request.body["served_entities"][1]["entity_version"], "8");
    }

    #[test]
    fn a_tags_only_plan_replaces_no_config() {
        let before = read(api_fixtures::get("get_custom_ready.json"));
        let mut edit = before.desired.clone();
        edit.tags.clear();
        assert_eq!(Replaced::by(&plan(&before, &edit)), None);
    }

    #[test]
    fn a_failed_update_offers_the_serving_config() {
        let s = read(api_fixtures::get("get_custom_update_failed.json"));
        let r = Replaced::from_failure(&s).unwrap();
        assert_eq!(r.label(), "Roll back to version 3");
        let p = rollback_plan(&s, &r);
        let st = p.step(Call::Config).unwrap();
        assert_eq!(
            st.request.body["served_entities"][0]["name"],
            "pricing_model-3"
        );
        assert!(st
            .changes
            .iter()
            .any(|c| c.subject == "served entity pricing_model-4" && c.after.is_none()));
        assert_eq!(
            Replaced::from_failure(&read(api_fixtures::get("get_custom_ready.json"))),
            None
        );
    }
}
