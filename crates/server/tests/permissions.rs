//! The Permissions API of serving endpoints: shapes (against the API fixtures), PUT replaces
//! direct grants only, PATCH upserts per principal, CAN_MANAGE to write, 400/403/404 with nothing
//! written, and the caller's effective level following the ACL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};

const FRAUD_PROD: &str = "3f1b9c2e8d4a4f6b9e0c7a5d2b1e4f8a";
const DOC_SUMMARIZER: &str = "d0c5a1b2c3d44e5f8a9b0c1d2e3f4a50";
const PRICING: &str = "c4d8e2f6a0b94c1d8e7f3a5b9c0d1e2f";
const STAGING: &str = "f7a0d3c2b1e04f9a8c7b6d5e4f3a2b19";

fn fixture(name: &str) -> Value {
    serde_json::from_str(api_fixtures::get(name)).unwrap()
}

fn url(id: &str) -> String {
    format!("/api/2.0/permissions/serving-endpoints/{id}")
}

async fn acl(app: &Router, id: &str, token: &str) -> Resp {
    get(app, &url(id), Some(token)).await
}

async fn write(app: &Router, method: Method, id: &str, token: &str, body: Value) -> Resp {
    send(app, request(method, &url(id), Some(token), Some(body))).await
}

/// `{principal: [(level, inherited)]}` of an ObjectPermissions, for order-free comparisons.
fn grants(v: &Value) -> Vec<(String, Vec<(String, bool)>)> {
    let mut out: Vec<(String, Vec<(String, bool)>)> = v["access_control_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let who = ["user_name", "group_name", "service_principal_name"]
                .iter()
                .find_map(|k| e[*k].as_str().map(|n| format!("{k}:{n}")))
                .unwrap();
            let mut perms: Vec<(String, bool)> = e["all_permissions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["permission_level"].as_str().unwrap().to_string(),
                        p["inherited"].as_bool().unwrap(),
                    )
                })
                .collect();
            perms.sort();
            (who, perms)
        })
        .collect();
    out.sort();
    out
}

fn direct(v: &Value) -> Vec<(String, String)> {
    grants(v)
        .into_iter()
        .flat_map(|(who, perms)| {
            perms
                .into_iter()
                .filter(|(_, inherited)| !inherited)
                .map(move |(l, _)| (who.clone(), l))
        })
        .collect()
}

async fn level_of(app: &Router, endpoint: &str, token: &str) -> Option<String> {
    let r = get(
        app,
        &format!("/api/2.0/serving-endpoints/{endpoint}"),
        Some(token),
    )
    .await;
    match r.status {
        StatusCode::OK => r.json()["permission_level"].as_str().map(str::to_string),
        StatusCode::FORBIDDEN => None,
        s => panic!("unexpected {s}: {}", r.text()),
    }
}

#[tokio::test]
async fn get_has_the_real_shape_with_the_inherited_admins_grant() {
    let s = state();
    let app = router(&s);
    let r = acl(&app, FRAUD_PROD, ADMIN).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    let v = r.json();
    let f = fixture("permissions_get.json");
    assert_eq!(v["object_id"], f["object_id"]);
    assert_eq!(v["object_type"], "serving-endpoint");
    // The entries the fixture and the seed share are byte-identical (display names included).
    let list = v["access_control_list"].as_array().unwrap();
    for i in 0..5 {
        let want = &f["access_control_list"][i];
        assert!(list.contains(want), "missing {want} in {v}");
    }
    let admins = list.iter().find(|e| e["group_name"] == "admins").unwrap();
    assert_eq!(
        admins,
        &json!({"group_name": "admins", "all_permissions": [
            {"permission_level": "CAN_MANAGE", "inherited": true, "inherited_from_object": ["/serving-endpoints/"]}
        ]})
    );
    // Direct entries carry no inherited_from_object key at all.
    assert!(list[0]["all_permissions"][0]
        .get("inherited_from_object")
        .is_none());
}

#[tokio::test]
async fn permission_levels_match_the_fixture() {
    let s = state();
    let app = router(&s);
    for token in [ADMIN, QUERY] {
        let r = get(
            &app,
            &format!("{}/permissionLevels", url(FRAUD_PROD)),
            Some(token),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json(), fixture("permission_levels.json"));
    }
    let r = get(
        &app,
        &format!("{}/permissionLevels", url(PRICING)),
        Some(VIEW),
    )
    .await;
    assert_error_with_request_info(
        &r,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        "User does not have permission 'View' on Endpoint pricing-model",
    );
}

#[tokio::test]
async fn unknown_id_is_404_for_every_operation() {
    let s = state();
    let app = router(&s);
    let id = "0123456789abcdef0123456789abcdef";
    let msg = format!("Serving endpoint with id '{id}' does not exist.");
    let r = acl(&app, id, ADMIN).await;
    assert_error_with_request_info(&r, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", &msg);
    let r = get(&app, &format!("{}/permissionLevels", url(id)), Some(ADMIN)).await;
    assert_error_with_request_info(&r, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", &msg);
    for m in [Method::PUT, Method::PATCH] {
        let r = write(&app, m, id, ADMIN, json!({"access_control_list": []})).await;
        assert_error_with_request_info(&r, StatusCode::NOT_FOUND, "RESOURCE_DOES_NOT_EXIST", &msg);
    }
    // The name is not the key.
    let r = acl(&app, "fraud-detector-prod", ADMIN).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Other methods on the path: 405 in the Databricks shape.
    let r = send(
        &app,
        request(Method::DELETE, &url(FRAUD_PROD), Some(ADMIN), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn patch_upserts_per_principal_and_leaves_everyone_else() {
    let s = state();
    let app = router(&s);
    let before = acl(&app, FRAUD_PROD, ADMIN).await.json();
    let r = write(
        &app,
        Method::PATCH,
        FRAUD_PROD,
        CREATOR,
        fixture("permissions_patch_request.json"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let after = r.json();
    let mut want: Vec<(String, String)> = direct(&before)
        .into_iter()
        .map(|(w, l)| {
            if w == "user_name:gina.rossi@contoso.com" {
                (w, "CAN_MANAGE".into())
            } else {
                (w, l)
            }
        })
        .collect();
    want.push(("group_name:data-science".into(), "CAN_QUERY".into()));
    want.sort();
    assert_eq!(direct(&after), want);
    // The answer is the stored state.
    assert_eq!(acl(&app, FRAUD_PROD, ADMIN).await.json(), after);
    // gina keeps her place in the list (changed in place), data-science is appended before admins.
    let list = after["access_control_list"].as_array().unwrap();
    assert_eq!(list[3]["user_name"], "gina.rossi@contoso.com");
    assert_eq!(list[list.len() - 2]["group_name"], "data-science");
    // A user named in another case is the same principal.
    let r = write(
        &app,
        Method::PATCH,
        FRAUD_PROD,
        ADMIN,
        json!({"access_control_list": [{"user_name": "GINA.Rossi@contoso.com", "permission_level": "CAN_VIEW"}]}),
    )
    .await;
    let gina: Vec<_> = direct(&r.json())
        .into_iter()
        .filter(|(w, _)| w.to_ascii_lowercase().contains("gina"))
        .collect();
    assert_eq!(
        gina,
        vec![(
            "user_name:gina.rossi@contoso.com".to_string(),
            "CAN_VIEW".to_string()
        )]
    );
}

#[tokio::test]
async fn put_replaces_direct_grants_and_never_the_inherited_one() {
    let s = state();
    let app = router(&s);
    let r = write(
        &app,
        Method::PUT,
        FRAUD_PROD,
        CREATOR,
        fixture("permissions_put_request.json"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    // The fixture's response, without henry (who is in `admins` only in the fixture's workspace).
    let mut want = fixture("permissions_put_response.json");
    want["access_control_list"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["user_name"] != "henry.adams@contoso.com");
    assert_eq!(v, want);

    // An empty list removes every direct grant; `{}` means the same; admins stays.
    let r = write(&app, Method::PUT, FRAUD_PROD, ADMIN, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(direct(&r.json()), vec![]);
    assert_eq!(
        grants(&r.json()),
        vec![(
            "group_name:admins".to_string(),
            vec![("CAN_MANAGE".to_string(), true)]
        )]
    );
    assert_eq!(
        level_of(&app, "fraud-detector-prod", ADMIN)
            .await
            .as_deref(),
        Some("CAN_MANAGE")
    );
    assert_eq!(level_of(&app, "fraud-detector-prod", CREATOR).await, None);

    // A direct admins grant sits beside the inherited one in the same entry.
    let r = write(
        &app,
        Method::PUT,
        FRAUD_PROD,
        ADMIN,
        json!({"access_control_list": [{"group_name": "admins", "permission_level": "CAN_MANAGE"}]}),
    )
    .await;
    assert_eq!(
        grants(&r.json()),
        vec![(
            "group_name:admins".to_string(),
            vec![
                ("CAN_MANAGE".to_string(), false),
                ("CAN_MANAGE".to_string(), true)
            ]
        )]
    );
}

#[tokio::test]
async fn writing_needs_can_manage_and_reading_needs_view() {
    let s = state();
    let app = router(&s);
    let before = acl(&app, FRAUD_PROD, ADMIN).await.json();
    // quinn has CAN_QUERY through risk-analysts: may read, may not write.
    assert_eq!(acl(&app, FRAUD_PROD, QUERY).await.json(), before);
    for m in [Method::PUT, Method::PATCH] {
        let r = write(
            &app,
            m,
            FRAUD_PROD,
            QUERY,
            json!({"access_control_list": [{"user_name": "quinn.query@contoso.com", "permission_level": "CAN_MANAGE"}]}),
        )
        .await;
        assert_error_with_request_info(
            &r,
            StatusCode::FORBIDDEN,
            "PERMISSION_DENIED",
            "User does not have permission 'Manage' on Endpoint fraud-detector-prod",
        );
        // The 403 comes before body checks.
        let r = send(
            &app,
            axum::http::Request::builder()
                .method(Method::PATCH)
                .uri(url(FRAUD_PROD))
                .header("authorization", format!("Bearer {QUERY}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{not json"))
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(acl(&app, FRAUD_PROD, ADMIN).await.json(), before);
    // vera cannot view pricing-model at all.
    let r = acl(&app, PRICING, VIEW).await;
    assert_error_with_request_info(
        &r,
        StatusCode::FORBIDDEN,
        "PERMISSION_DENIED",
        "User does not have permission 'View' on Endpoint pricing-model",
    );
}

#[tokio::test]
async fn invalid_requests_are_400_and_write_nothing() {
    let s = state();
    let app = router(&s);
    let before = acl(&app, FRAUD_PROD, ADMIN).await.json();
    let ok = json!({"user_name": "zoe@contoso.com", "permission_level": "CAN_VIEW"});
    let cases = [
        json!({"user_name": "x@contoso.com", "group_name": "g", "permission_level": "CAN_VIEW"}),
        json!({"permission_level": "CAN_VIEW"}),
        json!({"user_name": "x@contoso.com", "permission_level": "CAN_RESTART"}),
        json!({"user_name": "x@contoso.com", "permission_level": "IS_OWNER"}),
        json!({"user_name": "x@contoso.com"}),
        json!({"user_name": "", "permission_level": "CAN_VIEW"}),
        json!({"service_principal_name": "not-a-uuid", "permission_level": "CAN_QUERY"}),
        json!({"group_name": "admins", "permission_level": "CAN_VIEW"}),
    ];
    for bad in cases {
        for m in [Method::PUT, Method::PATCH] {
            // A valid entry first: the whole request is refused, not a prefix of it.
            let r = write(
                &app,
                m.clone(),
                FRAUD_PROD,
                ADMIN,
                json!({"access_control_list": [ok.clone(), bad.clone()]}),
            )
            .await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text());
            let v = r.json();
            assert_eq!(v["error_code"], "INVALID_PARAMETER_VALUE", "{bad}");
            assert!(!v["message"].as_str().unwrap().is_empty());
        }
    }
    let r = write(
        &app,
        Method::PUT,
        FRAUD_PROD,
        ADMIN,
        json!({"access_control_list": 5}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json()["error_code"], "MALFORMED_REQUEST");
    assert_eq!(acl(&app, FRAUD_PROD, ADMIN).await.json(), before);
}

#[tokio::test]
async fn the_callers_level_follows_the_acl() {
    let s = state();
    let app = router(&s);
    // quinn: CAN_QUERY on pricing-model; made CAN_MANAGE by PATCH, she can now write.
    assert_eq!(
        level_of(&app, "pricing-model", QUERY).await.as_deref(),
        Some("CAN_QUERY")
    );
    let r = write(
        &app,
        Method::PATCH,
        PRICING,
        ADMIN,
        json!({"access_control_list": [{"user_name": "quinn.query@contoso.com", "permission_level": "CAN_MANAGE"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        level_of(&app, "pricing-model", QUERY).await.as_deref(),
        Some("CAN_MANAGE")
    );
    let r = write(
        &app,
        Method::PATCH,
        PRICING,
        QUERY,
        json!({"access_control_list": [{"user_name": "vera.view@contoso.com", "permission_level": "CAN_VIEW"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // vera now sees it in her list.
    let list = get(&app, "/api/2.0/serving-endpoints", Some(VIEW))
        .await
        .json();
    assert!(names(&list).contains(&"pricing-model".to_string()));

    // Through a group: risk-analysts (quinn's group) gets CAN_MANAGE on staging.
    assert_eq!(
        level_of(&app, "fraud-detector-staging", QUERY)
            .await
            .as_deref(),
        Some("CAN_QUERY")
    );
    write(
        &app,
        Method::PATCH,
        STAGING,
        CREATOR,
        json!({"access_control_list": [{"group_name": "risk-analysts", "permission_level": "CAN_MANAGE"}]}),
    )
    .await;
    assert_eq!(
        level_of(&app, "fraud-detector-staging", QUERY)
            .await
            .as_deref(),
        Some("CAN_MANAGE")
    );

    // alice manages doc-summarizer-v2 only directly: a PUT without her locks her out.
    assert_eq!(
        level_of(&app, "doc-summarizer-v2", CREATOR)
            .await
            .as_deref(),
        Some("CAN_MANAGE")
    );
    let r = write(
        &app,
        Method::PUT,
        DOC_SUMMARIZER,
        CREATOR,
        json!({"access_control_list": [{"user_name": "bob.okafor@contoso.com", "permission_level": "CAN_MANAGE"}]}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(level_of(&app, "doc-summarizer-v2", CREATOR).await, None);
    let r = acl(&app, DOC_SUMMARIZER, CREATOR).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let list = get(&app, "/api/2.0/serving-endpoints", Some(CREATOR))
        .await
        .json();
    assert!(!names(&list).contains(&"doc-summarizer-v2".to_string()));
    // Lowering (not removing) works the same way: the admin gives alice CAN_VIEW back.
    write(
        &app,
        Method::PATCH,
        DOC_SUMMARIZER,
        ADMIN,
        json!({"access_control_list": [{"user_name": "alice.chen@contoso.com", "permission_level": "CAN_VIEW"}]}),
    )
    .await;
    assert_eq!(
        level_of(&app, "doc-summarizer-v2", CREATOR)
            .await
            .as_deref(),
        Some("CAN_VIEW")
    );
}

#[tokio::test]
async fn reset_restores_the_seeded_acl() {
    let s = state();
    let app = router(&s);
    let before = acl(&app, FRAUD_PROD, ADMIN).await.json();
    write(
        &app,
        Method::PUT,
        FRAUD_PROD,
        ADMIN,
        json!({"access_control_list": []}),
    )
    .await;
    assert_ne!(acl(&app, FRAUD_PROD, ADMIN).await.json(), before);
    let r = post(&app, "/__emulator/reset", json!({})).await;
    assert!(r.status.is_success());
    assert_eq!(acl(&app, FRAUD_PROD, ADMIN).await.json(), before);
}
