//! The rules the server enforces (each a `400 INVALID_PARAMETER_VALUE`), checked as the user
//! types: one message per field, the first rule that fails. A form with no message can be
//! planned. Rules and their sources: `docs/serving-api-changes.md`.

use super::edit::{EditForm, EntityForm};
use super::normalize::{secret_ref, Desired};
use std::collections::{BTreeMap, BTreeSet};

/// At most this many served entities (the SDK docstring says 10, the server allows 15).
pub const MAX_ENTITIES: usize = 15;
/// Longest tag key and value accepted here (UNCONFIRMED: the Databricks tag limits of other
/// objects; the serving API documents none).
pub const MAX_TAG_KEY: usize = 255;
pub const MAX_TAG_VALUE: usize = 1000;

/// A field of the form that can carry a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The entity list as a whole (count, external models).
    Entities,
    EntityName(usize),
    EntityModel(usize),
    EntityVersion(usize),
    WorkloadSize(usize),
    ScaleToZero(usize),
    MinConcurrency(usize),
    MaxConcurrency(usize),
    EnvName(usize, usize),
    EnvValue(usize, usize),
    Traffic(usize),
    /// The routes as a whole (sum).
    TrafficTotal,
    TagKey(usize),
    TagValue(usize),
    SuccessEmail(usize),
    FailureEmail(usize),
    InferenceCatalog,
    InferenceSchema,
    RateLimitAmount(usize),
    RateLimitKey(usize),
    RateLimitPrincipal(usize),
    RateLimitPeriod(usize),
    PiiInput,
    PiiOutput,
}

/// Messages by field; empty when the form can be planned.
pub type Messages = BTreeMap<Field, String>;

fn put(m: &mut Messages, f: Field, msg: impl Into<String>) {
    m.entry(f).or_insert_with(|| msg.into());
}

/// Is `s` a name the API accepts for a served entity (`[A-Za-z0-9_-]+`)?
pub fn valid_entity_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// A plausible e-mail address: one `@`, a local part, a dotted domain, no spaces.
pub fn valid_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    s.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// `Ok(None)` empty, `Ok(Some(n))` a whole number, `Err(message)` otherwise.
pub fn integer(s: &str) -> Result<Option<i64>, String> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>()
        .map(Some)
        .map_err(|_| format!("“{t}” is not a whole number."))
}

/// Every message for `form`; `original` is what is served (external models cannot be added
/// or removed after creation).
pub fn validate(form: &EditForm, original: &Desired) -> Messages {
    let mut m = Messages::new();
    entities(form, original, &mut m);
    traffic(form, &mut m);
    tags(form, &mut m);
    for (i, e) in form.on_update_success.iter().enumerate() {
        email(e, Field::SuccessEmail(i), &mut m);
    }
    for (i, e) in form.on_update_failure.iter().enumerate() {
        email(e, Field::FailureEmail(i), &mut m);
    }
    gateway(form, &mut m);
    m
}

fn email(e: &str, f: Field, m: &mut Messages) {
    if e.trim().is_empty() {
        put(m, f, "Enter an e-mail address or remove the row.");
    } else if !valid_email(e) {
        put(m, f, format!("“{}” is not an e-mail address.", e.trim()));
    }
}

fn entities(form: &EditForm, original: &Desired, m: &mut Messages) {
    let n = form.entities.len();
    if n == 0 {
        put(
            m,
            Field::Entities,
            "An endpoint serves at least one entity.",
        );
    } else if n > MAX_ENTITIES {
        put(
            m,
            Field::Entities,
            format!("At most {MAX_ENTITIES} served entities; this config has {n}."),
        );
    }
    let was_external = original.config.entities.iter().any(|e| e.is_external());
    let is_external = form
        .entities
        .iter()
        .any(|e| e.kept.external_model.is_some());
    if !original.config.entities.is_empty() && was_external != is_external {
        put(
            m,
            Field::Entities,
            if was_external {
                "This endpoint serves an external model: it cannot stop serving one \
                 (the endpoint would have to be re-created)."
            } else {
                "An external model cannot be added to an endpoint created without one \
                 (the endpoint would have to be re-created)."
            },
        );
    }
    let tasks: BTreeSet<Option<&str>> = form
        .entities
        .iter()
        .filter_map(|e| e.kept.external_model.as_ref())
        .map(|x| x.task.as_deref())
        .collect();
    if tasks.len() > 1 {
        put(
            m,
            Field::Entities,
            "The external models of one endpoint must share a task.",
        );
    }
    let mut seen = BTreeSet::new();
    for (i, e) in form.entities.iter().enumerate() {
        let name = e.name.as_str();
        if name.trim().is_empty() {
            put(m, Field::EntityName(i), "Give the served entity a name.");
        } else if !valid_entity_name(name) {
            put(
                m,
                Field::EntityName(i),
                "Use only letters, digits, “-” and “_”.",
            );
        } else if !seen.insert(name) {
            put(
                m,
                Field::EntityName(i),
                format!("Another served entity is already named “{name}”."),
            );
        }
        if e.kept.external_model.is_none() {
            custom_entity(i, e, m);
        }
        let mut keys = BTreeSet::new();
        for (j, (k, v)) in e.env.iter().enumerate() {
            let k = k.as_str();
            if k.is_empty() {
                put(
                    m,
                    Field::EnvName(i, j),
                    "Name the variable or remove the row.",
                );
            } else if !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                || k.as_bytes()[0].is_ascii_digit()
            {
                put(
                    m,
                    Field::EnvName(i, j),
                    "Use letters, digits and “_”, not starting with a digit.",
                );
            } else if !keys.insert(k) {
                put(m, Field::EnvName(i, j), format!("“{k}” is set twice."));
            }
            if v.trim_start().starts_with("{{") && secret_ref(v).is_none() {
                put(
                    m,
                    Field::EnvValue(i, j),
                    "A secret reference reads {{secrets/<scope>/<key>}}.",
                );
            }
        }
    }
}

fn custom_entity(i: usize, e: &EntityForm, m: &mut Messages) {
    if e.entity_name.trim().is_empty() {
        put(m, Field::EntityModel(i), "Choose the model to serve.");
    }
    if e.entity_version.trim().is_empty() && !e.entity_name.trim().is_empty() {
        put(m, Field::EntityVersion(i), "Choose a version.");
    }
    if e.scale_to_zero.is_none() {
        put(
            m,
            Field::ScaleToZero(i),
            "Choose whether this entity scales to zero (the API requires it).",
        );
    }
    let min = integer(&e.min_concurrency);
    let max = integer(&e.max_concurrency);
    if let Err(msg) = &min {
        put(m, Field::MinConcurrency(i), msg.clone());
    }
    if let Err(msg) = &max {
        put(m, Field::MaxConcurrency(i), msg.clone());
    }
    let (min, max) = (min.ok().flatten(), max.ok().flatten());
    let sized = !e.workload_size.trim().is_empty();
    let pt = e.kept.min_throughput.is_some()
        || e.kept.max_throughput.is_some()
        || e.kept.model_units.is_some();
    if sized && (min.is_some() || max.is_some()) {
        put(
            m,
            Field::WorkloadSize(i),
            "Choose a workload size or a provisioned concurrency range, not both.",
        );
    } else if !sized && !pt && min.is_none() && max.is_none() {
        put(
            m,
            Field::WorkloadSize(i),
            "Choose a workload size (or a provisioned concurrency range).",
        );
    }
    for (v, f) in [
        (min, Field::MinConcurrency(i)),
        (max, Field::MaxConcurrency(i)),
    ] {
        if v.is_some_and(|v| v < 0) {
            put(m, f, "Cannot be negative.");
        }
    }
    if let (Some(a), Some(b)) = (min, max) {
        if a > b {
            put(m, Field::MaxConcurrency(i), "Must be at least the minimum.");
        }
    } else if min.is_some() != max.is_some() && !sized {
        let f = if min.is_none() {
            Field::MinConcurrency(i)
        } else {
            Field::MaxConcurrency(i)
        };
        put(m, f, "Give both ends of the range.");
    }
}

fn traffic(form: &EditForm, m: &mut Messages) {
    let mut sum = 0i64;
    let mut complete = true;
    for (i, e) in form.entities.iter().enumerate() {
        match integer(&e.traffic) {
            Err(msg) => {
                put(m, Field::Traffic(i), msg);
                complete = false;
            }
            Ok(None) => {
                put(
                    m,
                    Field::Traffic(i),
                    "Every served entity needs a route: enter a percentage (0 is allowed).",
                );
                complete = false;
            }
            Ok(Some(p)) if !(0..=100).contains(&p) => {
                put(m, Field::Traffic(i), "A percentage between 0 and 100.");
                complete = false;
            }
            Ok(Some(p)) => sum += p,
        }
    }
    if let Some((name, _)) = form.stray_routes.first() {
        put(
            m,
            Field::TrafficTotal,
            format!("Traffic goes to “{name}”, which is not a served entity: remove that route."),
        );
    }
    if complete && !form.entities.is_empty() && sum != 100 {
        put(
            m,
            Field::TrafficTotal,
            format!("The routes add up to {sum} %; they must add up to 100 %."),
        );
    }
}

fn tags(form: &EditForm, m: &mut Messages) {
    let mut seen = BTreeSet::new();
    for (i, (k, v)) in form.tags.iter().enumerate() {
        let key = k.as_str();
        if key.trim().is_empty() {
            put(m, Field::TagKey(i), "Enter a key or remove the tag.");
        } else if key.trim() != key {
            put(m, Field::TagKey(i), "No spaces at the start or end.");
        } else if key.chars().count() > MAX_TAG_KEY {
            put(
                m,
                Field::TagKey(i),
                format!("At most {MAX_TAG_KEY} characters."),
            );
        } else if key.chars().any(char::is_control) {
            put(m, Field::TagKey(i), "No control characters.");
        } else if !seen.insert(key) {
            put(
                m,
                Field::TagKey(i),
                format!("The key “{key}” is used twice."),
            );
        }
        if v.chars().count() > MAX_TAG_VALUE {
            put(
                m,
                Field::TagValue(i),
                format!("At most {MAX_TAG_VALUE} characters."),
            );
        } else if v.chars().any(char::is_control) {
            put(m, Field::TagValue(i), "No control characters.");
        }
    }
}

fn gateway(form: &EditForm, m: &mut Messages) {
    let g = &form.gateway;
    if g.inference_table {
        if g.catalog_name.trim().is_empty() {
            put(
                m,
                Field::InferenceCatalog,
                "A catalog is required to turn on the inference table.",
            );
        }
        if g.schema_name.trim().is_empty() {
            put(
                m,
                Field::InferenceSchema,
                "A schema is required to turn on the inference table.",
            );
        }
    }
    for (i, r) in g.rate_limits.iter().enumerate() {
        let calls = integer(&r.calls);
        let tokens = integer(&r.tokens);
        match (&calls, &tokens) {
            (Err(e), _) | (_, Err(e)) => put(m, Field::RateLimitAmount(i), e.clone()),
            (Ok(None), Ok(None)) => put(
                m,
                Field::RateLimitAmount(i),
                "Give a number of calls or of tokens per period.",
            ),
            (Ok(c), Ok(t)) if c.is_some_and(|c| c <= 0) || t.is_some_and(|t| t <= 0) => {
                put(m, Field::RateLimitAmount(i), "Must be more than 0.")
            }
            _ => {}
        }
        let key = r.key.trim();
        if !matches!(
            key,
            "" | "endpoint" | "user" | "user_group" | "service_principal"
        ) {
            put(
                m,
                Field::RateLimitKey(i),
                "One of endpoint, user, user_group, service_principal.",
            );
        }
        let per_principal = matches!(key, "user_group" | "service_principal");
        if per_principal && r.principal.trim().is_empty() {
            put(
                m,
                Field::RateLimitPrincipal(i),
                "Name the group or service principal this limit is for.",
            );
        }
        if !matches!(r.renewal_period.trim(), "" | "minute") {
            put(m, Field::RateLimitPeriod(i), "The only period is “minute”.");
        }
    }
    for (p, f) in [
        (&g.input.pii, Field::PiiInput),
        (&g.output.pii, Field::PiiOutput),
    ] {
        if !matches!(p.trim(), "" | "NONE" | "BLOCK" | "MASK") {
            put(m, f, "One of NONE, BLOCK, MASK.");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::normalize::Snapshot;
    use super::*;
    use crate::model::config_plan::edit::RateLimitForm;

    fn ready() -> (EditForm, Desired) {
        let s = Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_custom_ready.json")).unwrap(),
        );
        (EditForm::from_desired(&s.desired), s.desired)
    }

    fn external() -> (EditForm, Desired) {
        let s = Snapshot::from_endpoint(
            &serde_json::from_str(api_fixtures::get("get_external_model_ai_gateway.json")).unwrap(),
        );
        (EditForm::from_desired(&s.desired), s.desired)
    }

    fn only(m: &Messages) -> (Field, &str) {
        assert_eq!(m.len(), 1, "{m:?}");
        let (f, s) = m.iter().next().unwrap();
        (*f, s.as_str())
    }

    #[test]
    fn what_is_served_is_valid() {
        for (f, d) in [ready(), external()] {
            assert_eq!(validate(&f, &d), Messages::new());
        }
    }

    #[test]
    fn routes_must_sum_to_100() {
        let (mut f, d) = ready();
        f.entities[0].traffic = "80".into();
        assert_eq!(
            only(&validate(&f, &d)),
            (
                Field::TrafficTotal,
                "The routes add up to 90 %; they must add up to 100 %."
            )
        );
    }

    #[test]
    fn every_entity_needs_a_route_in_range() {
        let (mut f, d) = ready();
        f.entities[1].traffic = "".into();
        assert_eq!(only(&validate(&f, &d)).0, Field::Traffic(1));
        f.entities[1].traffic = "1x".into();
        assert_eq!(
            only(&validate(&f, &d)),
            (Field::Traffic(1), "“1x” is not a whole number.")
        );
        f.entities[1].traffic = "101".into();
        assert_eq!(only(&validate(&f, &d)).0, Field::Traffic(1));
        f.entities[0].traffic = "100".into();
        f.entities[1].traffic = "0".into();
        assert!(validate(&f, &d).is_empty(), "0 % is a route");
    }

    #[test]
    fn entity_names_are_unique_and_plain() {
        let (mut f, d) = ready();
        f.entities[1].name = "fraud_xgb-7".into();
        assert_eq!(only(&validate(&f, &d)).0, Field::EntityName(1));
        f.entities[1].name = "fraud xgb.8".into();
        let m = validate(&f, &d);
        assert_eq!(
            m.get(&Field::EntityName(1)).map(String::as_str),
            Some("Use only letters, digits, “-” and “_”.")
        );
        f.entities[1].name = "".into();
        assert_eq!(
            validate(&f, &d)
                .get(&Field::EntityName(1))
                .map(String::as_str),
            Some("Give the served entity a name.")
        );
    }

    #[test]
    fn workload_size_excludes_provisioned_concurrency() {
        let (mut f, d) = ready();
        f.entities[0].min_concurrency = "4".into();
        f.entities[0].max_concurrency = "8".into();
        assert_eq!(only(&validate(&f, &d)).0, Field::WorkloadSize(0));
        f.entities[0].workload_size = "".into();
        assert!(validate(&f, &d).is_empty());
        f.entities[0].max_concurrency = "2".into();
        assert_eq!(only(&validate(&f, &d)).0, Field::MaxConcurrency(0));
        f.entities[0].min_concurrency = "".into();
        f.entities[0].max_concurrency = "".into();
        assert_eq!(
            only(&validate(&f, &d)),
            (
                Field::WorkloadSize(0),
                "Choose a workload size (or a provisioned concurrency range)."
            )
        );
    }

    #[test]
    fn at_most_15_entities() {
        let (mut f, d) = ready();
        while f.entities.len() < MAX_ENTITIES {
            let mut e = f.entities[1].clone();
            e.name = format!("e{}", f.entities.len());
            e.traffic = "0".into();
            f.entities.push(e);
        }
        assert!(validate(&f, &d).is_empty());
        let mut e = f.entities[1].clone();
        e.name = "one-too-many".into();
        e.traffic = "0".into();
        f.entities.push(e);
        assert_eq!(
            only(&validate(&f, &d)),
            (
                Field::Entities,
                "At most 15 served entities; this config has 16."
            )
        );
    }

    #[test]
    fn external_models_cannot_be_added_or_removed() {
        let (f, d) = ready();
        let (xf, xd) = external();
        let mut added = f.clone();
        added.entities.push(xf.entities[0].clone());
        added.entities[2].traffic = "0".into();
        assert_eq!(only(&validate(&added, &d)).0, Field::Entities);
        let mut removed = xf.clone();
        removed.entities = f.entities.clone();
        assert_eq!(only(&validate(&removed, &xd)).0, Field::Entities);
    }

    #[test]
    fn a_route_to_no_entity_is_reported() {
        let (mut f, d) = ready();
        f.stray_routes.push(("gone".into(), 0));
        assert_eq!(
            only(&validate(&f, &d)),
            (
                Field::TrafficTotal,
                "Traffic goes to “gone”, which is not a served entity: remove that route."
            )
        );
        assert!(f.send_all_traffic_to("fraud_xgb-7"));
        assert!(validate(&f, &d).is_empty(), "the shortcut drops it");
    }

    #[test]
    fn scale_to_zero_must_be_chosen() {
        let (mut f, d) = ready();
        f.entities[1].scale_to_zero = None;
        assert_eq!(only(&validate(&f, &d)).0, Field::ScaleToZero(1));
    }

    #[test]
    fn emails_are_checked_one_by_one() {
        let (mut f, d) = ready();
        f.on_update_success.push("not an email".into());
        f.on_update_failure.push("a@b".into());
        f.on_update_failure.push("".into());
        let m = validate(&f, &d);
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m.contains_key(&Field::SuccessEmail(1)));
        assert!(m.contains_key(&Field::FailureEmail(1)));
        assert!(m.contains_key(&Field::FailureEmail(2)));
        for ok in ["a@b.co", "first.last+tag@sub.example.org"] {
            assert!(valid_email(ok), "{ok}");
        }
        for bad in [
            "@b.co", "a@", "a@b", "a b@c.de", "a@b..c", "a@@b.c", "a@.b.c",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn tag_keys_are_required_unique_and_bounded() {
        let (mut f, d) = ready();
        f.tags.push(("team".into(), "x".into()));
        f.tags.push(("".into(), "y".into()));
        f.tags.push(("k".repeat(256), "".into()));
        f.tags.push(("ok".into(), "v".repeat(1001)));
        let m = validate(&f, &d);
        let n = d.tags.len();
        assert_eq!(
            m.keys().copied().collect::<Vec<_>>(),
            [
                Field::TagKey(n),
                Field::TagKey(n + 1),
                Field::TagKey(n + 2),
                Field::TagValue(n + 3)
            ]
        );
    }

    #[test]
    fn env_vars_names_and_secret_references() {
        let (mut f, d) = ready();
        f.entities[0].env.push(("1BAD".into(), "x".into()));
        f.entities[0]
            .env
            .push(("TOKEN".into(), "{{secrets/only-scope}}".into()));
        let m = validate(&f, &d);
        assert!(m.contains_key(&Field::EnvName(0, 2)), "{m:?}");
        assert_eq!(
            m.get(&Field::EnvValue(0, 3)).map(String::as_str),
            Some("A secret reference reads {{secrets/<scope>/<key>}}.")
        );
    }

    #[test]
    fn gateway_rules() {
        let (mut f, d) = external();
        f.gateway.catalog_name = "".into();
        f.gateway.rate_limits.push(RateLimitForm {
            key: "user_group".into(),
            ..RateLimitForm::default()
        });
        f.gateway.output.pii = "HIDE".into();
        let m = validate(&f, &d);
        let n = f.gateway.rate_limits.len() - 1;
        assert_eq!(
            m.keys().copied().collect::<Vec<_>>(),
            [
                Field::InferenceCatalog,
                Field::RateLimitAmount(n),
                Field::RateLimitPrincipal(n),
                Field::PiiOutput
            ]
        );
    }
}
