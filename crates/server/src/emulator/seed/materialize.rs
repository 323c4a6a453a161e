//! From a seed endpoint to the store's record (the same for the seed file, `--hostile` and
//! `--schema-mb`).

use crate::emulator::principals::principal_of_creator;
use crate::emulator::random::id_from_name;
use crate::emulator::seed_file::SeedEndpoint;
use crate::emulator::signature::Signatures;
use crate::emulator::store::{EndpointRecord, Grant};
use api_types::{ConfigUpdateState, PermissionLevel, ServingEndpointDetailed};

/// The newest timestamp anywhere in an endpoint.
pub fn newest_timestamp(d: &ServingEndpointDetailed) -> Option<i64> {
    let mut ts: Vec<i64> = Vec::new();
    ts.extend(d.creation_timestamp);
    ts.extend(d.last_updated_timestamp);
    for c in d.config.iter().chain(d.pending_config.iter()) {
        ts.extend(c.start_time);
        ts.extend(
            c.served_entities
                .iter()
                .filter_map(|e| e.creation_timestamp),
        );
        ts.extend(c.served_models.iter().filter_map(|m| m.creation_timestamp));
    }
    ts.into_iter().max()
}

fn shift_timestamps(d: &mut ServingEndpointDetailed, shift: i64, now_ms: i64) {
    let f = |t: &mut Option<i64>| {
        if let Some(v) = t.as_mut() {
            *v = v.saturating_add(shift).min(now_ms);
        }
    };
    f(&mut d.creation_timestamp);
    f(&mut d.last_updated_timestamp);
    for c in d.config.iter_mut().chain(d.pending_config.iter_mut()) {
        f(&mut c.start_time);
        for e in &mut c.served_entities {
            f(&mut e.creation_timestamp);
        }
        for m in &mut c.served_models {
            f(&mut m.creation_timestamp);
        }
    }
}

fn strip_plaintext_secrets(d: &mut ServingEndpointDetailed) {
    for c in d.config.iter_mut().chain(d.pending_config.iter_mut()) {
        for e in &mut c.served_entities {
            if let Some(em) = e.external_model.as_mut() {
                for v in em.provider_config.values_mut() {
                    strip_plaintext(v);
                }
            }
        }
    }
}

fn strip_plaintext(v: &mut serde_json::Value) {
    if let serde_json::Value::Object(map) = v {
        map.retain(|k, _| !k.ends_with("_plaintext"));
        for inner in map.values_mut() {
            strip_plaintext(inner);
        }
    }
}

/// The store record of a seed endpoint: timestamps shifted by `shift` (never past `now_ms`),
/// plaintext secrets dropped, an id derived from the name if it has none, the ACL and the
/// emulator hints applied, and a running update scheduled to end `update_delay_ms` from now
/// (or `transition_after_secs`).
pub fn seed_record(
    se: &SeedEndpoint,
    shift: i64,
    now_ms: i64,
    update_delay_ms: i64,
) -> EndpointRecord {
    let mut d = se.endpoint.clone();
    shift_timestamps(&mut d, shift, now_ms);
    strip_plaintext_secrets(&mut d);
    if d.id.is_none() {
        d.id = Some(id_from_name(&d.name));
    }
    let acl: Vec<Grant> = match &se.hints.acl {
        Some(entries) => entries
            .iter()
            .filter_map(|e| Some(Grant::new(e.principal()?, e.permission_level.clone()?)))
            .collect(),
        None => d
            .creator
            .as_deref()
            .map(|c| {
                vec![Grant::new(
                    principal_of_creator(c),
                    PermissionLevel::CanManage,
                )]
            })
            .unwrap_or_default(),
    };
    let in_progress =
        d.state.as_ref().and_then(|s| s.config_update()) == Some(&ConfigUpdateState::InProgress);
    let pending = d.pending_config.is_some();
    let mut record = EndpointRecord::new(d, acl);
    record.set_start_fails(se.hints.start_fails.clone());
    record.signatures = Signatures {
        all: se.hints.signature.clone(),
        by_entity: se.hints.signatures.clone().unwrap_or_default(),
        document: se.hints.openapi.as_ref().map(|doc| doc.0.clone()),
    };
    record.logs = se.hints.logs.clone().unwrap_or_default();
    record.display_names = se.hints.display_names.clone().unwrap_or_default();
    record.failing_versions = se.hints.failing_versions.clone().unwrap_or_default();
    if in_progress && pending {
        let delay = se.hints.transition_after_secs.map_or(update_delay_ms, |s| {
            i64::try_from(s.saturating_mul(1000)).unwrap_or(i64::MAX)
        });
        record.schedule(now_ms.saturating_add(delay), se.hints.fails.clone());
    }
    record
}
