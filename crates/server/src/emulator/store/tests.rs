//! The store's tests: transitions in time and the Permissions API view.

use super::*;
use api_types::{
    ConfigUpdateState, DeploymentState, EndpointCoreConfigOutput, PermissionLevel, Principal,
    ReadyState, ServedModelState, ServingEndpointDetailed,
};
use api_types::{EndpointState, ServedEntityOutput};

fn ready_record() -> EndpointRecord {
    let e = ServedEntityOutput {
        name: "m-1".into(),
        entity_name: Some("m".into()),
        entity_version: Some("1".into()),
        state: Some(ServedModelState {
            deployment: Some(DeploymentState::Ready),
            deployment_state_message: Some(String::new()),
        }),
        ..Default::default()
    };
    let d = ServingEndpointDetailed {
        name: "a".into(),
        id: Some("0".repeat(32)),
        state: Some(EndpointState {
            ready: Some(ReadyState::Ready),
            config_update: Some(ConfigUpdateState::NotUpdating),
            ..Default::default()
        }),
        config: Some(EndpointCoreConfigOutput {
            served_entities: vec![e],
            config_version: Some(3),
            ..Default::default()
        }),
        ..Default::default()
    };
    EndpointRecord::new(d, Vec::new())
}

#[test]
fn stop_then_start_rolls_out_a_new_version() {
    let mut r = ready_record();
    assert!(r.is_custom_model() && !r.is_stopped() && !r.is_updating());
    r.stop(10);
    assert!(r.is_stopped());
    let st = r.detailed().state.clone().unwrap_or_default();
    assert_eq!(st.ready, Some(ReadyState::NotReady));
    assert_eq!(
        r.detailed().config.as_ref().and_then(|c| c.config_version),
        Some(3)
    );
    r.start(20, 30);
    assert!(r.is_updating());
    assert_eq!(
        r.detailed()
            .pending_config
            .as_ref()
            .and_then(|c| c.config_version),
        Some(4)
    );
    assert!(!r.advance(29));
    assert!(r.advance(30));
    assert!(!r.is_stopped() && !r.is_updating());
    assert_eq!(
        r.detailed().config.as_ref().and_then(|c| c.config_version),
        Some(4)
    );
    assert!(r.summary_json().contains("\"NOT_UPDATING\""));
}

#[test]
fn stopping_is_in_progress_until_it_lands() {
    let mut r = ready_record();
    r.begin_stop(10, 15);
    assert!(r.is_stopping() && r.is_updating() && !r.is_stopped());
    let st = r.detailed().state.clone().unwrap_or_default();
    assert_eq!(st.ready, Some(ReadyState::NotReady));
    assert!(!r.advance(14));
    assert!(r.advance(20));
    assert!(r.is_stopped() && !r.is_updating() && !r.is_stopping());
    assert_eq!(r.detailed().last_updated_timestamp, Some(15));
    let c = r.detailed().config.clone().unwrap_or_default();
    assert_eq!(c.served_entities[0].message(), Some(STOPPED_MESSAGE));
    assert_eq!(c.config_version, Some(3));
}

#[test]
fn a_start_scripted_to_fail_ends_update_failed_and_stays_stopped() {
    let mut r = ready_record();
    r.stop(1);
    r.set_start_fails(Some("no image".into()));
    r.start(2, 3);
    assert!(r.advance(3));
    let st = r.detailed().state.clone().unwrap_or_default();
    assert_eq!(st.ready, Some(ReadyState::NotReady));
    assert_eq!(st.config_update, Some(ConfigUpdateState::UpdateFailed));
    assert!(r.is_stopped(), "the old config is still the stopped one");
    let p = r.detailed().pending_config.clone().unwrap_or_default();
    assert_eq!(p.served_entities[0].message(), Some("no image"));
    assert_eq!(p.config_version, Some(4));
}

#[test]
fn failed_update_keeps_serving_config() {
    let mut r = ready_record();
    let pending = r.detailed().config.clone().unwrap_or_default();
    r.begin_update(pending, 5, 6, Some("boom".into()));
    assert_eq!(
        r.detailed().state.as_ref().and_then(|s| s.ready.clone()),
        Some(ReadyState::Ready)
    );
    assert!(r.advance(6));
    let d = r.detailed();
    let st = d.state.clone().unwrap_or_default();
    assert_eq!(st.ready, Some(ReadyState::Ready));
    assert_eq!(st.config_update, Some(ConfigUpdateState::UpdateFailed));
    let p = d.pending_config.clone().unwrap_or_default();
    assert_eq!(p.served_entities[0].message(), Some("boom"));
}

#[test]
fn object_permissions_always_has_inherited_admins() {
    let mut r = ready_record();
    r.acl.push(Grant::new(
        Principal::User("gina.rossi@contoso.com".into()),
        PermissionLevel::CanView,
    ));
    let p = r.object_permissions();
    assert_eq!(
        p.object_id.as_deref(),
        Some("/serving-endpoints/00000000000000000000000000000000")
    );
    assert_eq!(p.object_type.as_deref(), Some("serving-endpoint"));
    assert_eq!(
        p.access_control_list[0].display_name.as_deref(),
        Some("Gina Rossi")
    );
    let admins = &p.access_control_list[1];
    assert_eq!(admins.group_name.as_deref(), Some("admins"));
    assert!(admins.all_permissions[0].inherited);
}
