//! Static files with SPA fallback; seed files and generated endpoints.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::*;
use serving_console_server::emulator::clock::Clock;
use serving_console_server::{AppState, EmulatorConfig, Seed, SeedError};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

static DIRS: AtomicUsize = AtomicUsize::new(0);

/// A fresh temporary dist directory with an index, a config, hashed assets and a plain file.
fn dist() -> PathBuf {
    let n = DIRS.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "serving-console-test-dist-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Serving Console</title>",
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), "{\"api_base\":\"/api/2.0\"}").unwrap();
    std::fs::write(
        dir.join("serving-console-0123456789abcdef_bg.wasm"),
        b"\0asm\x01\0\0\0",
    )
    .unwrap();
    std::fs::write(dir.join("serving-console-0123456789abcdef.js"), "export {}").unwrap();
    std::fs::write(dir.join("style-89abcdef01234567.css"), "body{}").unwrap();
    std::fs::write(dir.join("assets").join("logo.svg"), "<svg/>").unwrap();
    dir
}

fn static_app() -> axum::Router {
    let config = EmulatorConfig {
        dist: Some(dist()),
        ..config()
    };
    router(&AppState::with_clock(
        config,
        Seed::default_seed().unwrap(),
        Clock::frozen_at(T0),
    ))
}

#[tokio::test]
async fn files_are_served_with_mime_types_and_cache_headers() {
    let app = static_app();
    let r = get(&app, "/serving-console-0123456789abcdef_bg.wasm", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    let r = get(&app, "/serving-console-0123456789abcdef.js", None).await;
    assert!(r.header("content-type").unwrap().contains("javascript"));
    assert!(r.header("cache-control").unwrap().contains("immutable"));
    let r = get(&app, "/style-89abcdef01234567.css", None).await;
    assert!(r.header("content-type").unwrap().starts_with("text/css"));
    let r = get(&app, "/assets/logo.svg", None).await;
    assert_eq!(r.header("content-type").as_deref(), Some("image/svg+xml"));
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    for path in ["/", "/index.html"] {
        let r = get(&app, path, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(r.text().contains("<title>Serving Console</title>"));
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        assert_eq!(
            r.header("cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
    }
    let r = get(&app, "/config.json", None).await;
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
}

#[tokio::test]
async fn spa_fallback_for_deep_links_but_never_for_api_paths() {
    let app = static_app();
    for deep in [
        "/endpoints",
        "/endpoints/x/logs",
        "/endpoints/fraud-detector-prod/permissions?x=1",
    ] {
        let r = get(&app, deep, None).await;
        assert_eq!(r.status, StatusCode::OK, "{deep}");
        assert!(
            r.text().contains("<title>Serving Console</title>"),
            "{deep}"
        );
        assert_eq!(r.header("cache-control").as_deref(), Some("no-cache"));
    }
    let r = send(&app, request(Method::HEAD, "/endpoints/x", None, None)).await;
    assert_eq!(r.status, StatusCode::OK);
    // A missing file is a 404 (as the README and nginx say), never the console's page.
    for missing in [
        "/nope.js",
        "/assets/gone-0123456789abcdef.wasm",
        "/favicon.ico",
    ] {
        let r = get(&app, missing, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(!r.text().contains("<title>"), "{missing}");
    }
    for api in [
        "/api/2.0/nope",
        "/api",
        "/serving-endpoints/x/nope",
        "/__emulator/nope",
    ] {
        let r = get(&app, api, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{api}");
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json"),
            "{api}"
        );
        assert_eq!(r.json()["error_code"], "ENDPOINT_NOT_FOUND");
    }
    // A GET of a POST-only API route is a JSON 405, never the console's index.html.
    let r = get(&app, "/serving-endpoints/x/invocations", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/json")
    );
    assert!(!r.text().contains("<title>"));
    // Prefix look-alikes are console routes.
    let r = get(&app, "/apis-overview", None).await;
    assert!(r.text().contains("Serving Console"));
}

#[test]
fn seed_file_errors_are_clear() {
    let err = Seed::parse(
        "{\"endpoints\": [\n  {\"name\": \"a\",}\n]}",
        "my-seed.json",
    )
    .unwrap_err();
    assert!(matches!(err, SeedError::Parse { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("my-seed.json") && msg.contains("line 2 column"),
        "{msg}"
    );

    let err = Seed::parse(
        "{\"endpoints\": [{\"name\": \"a\", \"state\": 5}]}",
        "s.json",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("s.json") && err.to_string().contains("line 1"),
        "{err}"
    );

    let err = Seed::parse("{\"endpoints\": [{\"name\": \"a b\"}]}", "s.json").unwrap_err();
    assert!(err.to_string().contains("'a b' is invalid"), "{err}");
    let err = Seed::parse(
        "{\"endpoints\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
        "s.json",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("duplicate endpoint name 'a'"),
        "{err}"
    );
    let err = Seed::parse(
        "{\"endpoints\": [{\"name\": \"a\", \"_emulator\": {\"acl\": [{\"permission_level\": \"CAN_VIEW\"}]}}]}",
        "s.json",
    )
    .unwrap_err();
    assert!(err.to_string().contains("exactly one"), "{err}");
    let err = Seed::parse(
        "{\"endpoints\": [{\"name\": \"a\", \"_emulator\": {\"typo\": 1}}]}",
        "s.json",
    )
    .unwrap_err();
    assert!(err.to_string().contains("typo"), "{err}");

    let missing = std::env::temp_dir().join("serving-console-no-such-seed.json");
    let err = Seed::from_path(&missing).unwrap_err();
    assert!(
        err.to_string()
            .contains("serving-console-no-such-seed.json"),
        "{err}"
    );
}

#[test]
fn seed_file_round_trip_from_disk() {
    let path =
        std::env::temp_dir().join(format!("serving-console-seed-{}.json", std::process::id()));
    std::fs::write(
        &path,
        serving_console_server::emulator::seed::DEFAULT_SEED_JSON,
    )
    .unwrap();
    let seed = Seed::from_path(&path).unwrap();
    assert_eq!(seed.file.endpoints.len(), 17);
    let _ = std::fs::remove_file(&path);
}

#[tokio::test]
async fn generated_endpoints_counts_names_and_speed() {
    let seed = Seed::empty().with_generated(10_000);
    let s = AppState::with_clock(config(), seed.clone(), Clock::frozen_at(T0));
    let app = router(&s);
    let started = Instant::now();
    let r = get(&app, "/api/2.0/serving-endpoints", None).await;
    let elapsed = started.elapsed();
    let list = r.json();
    let all = names(&list);
    assert_eq!(all.len(), 10_000);
    assert!(
        elapsed.as_millis() < 1_000,
        "list of 10000 took {elapsed:?}"
    );
    assert!(all.iter().all(|n| n.starts_with("gen-") && n.len() <= 63));
    assert!(all.contains(&all[42].clone()));
    assert!(all.iter().any(|n| n.starts_with("gen-00042-")));
    // Varied: states, creators, tasks.
    let items = list["endpoints"].as_array().unwrap();
    let states: std::collections::BTreeSet<String> = items
        .iter()
        .map(|e| format!("{}/{}", e["state"]["ready"], e["state"]["config_update"]))
        .collect();
    assert!(states.len() >= 6, "{states:?}");
    let creators: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|e| e["creator"].as_str()).collect();
    assert!((15..=25).contains(&creators.len()), "{}", creators.len());
    let tasks: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|e| e["task"].as_str()).collect();
    assert!(tasks.len() >= 2);
    // Deterministic.
    let again = AppState::with_clock(config(), seed, Clock::frozen_at(T0));
    let list2 = get(&router(&again), "/api/2.0/serving-endpoints", None).await;
    assert_eq!(r.body, list2.body);
    // Mixed with the default seed, and visible per principal.
    let mixed = AppState::with_clock(
        config(),
        Seed::default_seed().unwrap().with_generated(100),
        Clock::frozen_at(T0),
    );
    let app = router(&mixed);
    assert_eq!(
        names(&get(&app, "/api/2.0/serving-endpoints", None).await.json()).len(),
        117
    );
    let vera = names(
        &get(&app, "/api/2.0/serving-endpoints", Some(VIEW))
            .await
            .json(),
    );
    assert!(vera.len() > 10 && vera.len() < 117);
    let first = vera.iter().find(|n| n.starts_with("gen-")).unwrap();
    let r = get(
        &app,
        &format!("/api/2.0/serving-endpoints/{first}"),
        Some(VIEW),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Generated updates also finish.
    let updating = mixed
        .store()
        .iter()
        .filter(|r| {
            r.detailed()
                .state
                .as_ref()
                .and_then(|s| s.config_update.clone())
                .map(|c| c.as_str().to_string())
                .as_deref()
                == Some("IN_PROGRESS")
        })
        .count();
    assert!(updating > 2);
    post(
        &app,
        "/__emulator/time",
        serde_json::json!({"advance_secs": 20}),
    )
    .await;
    let still = mixed
        .store()
        .iter()
        .filter(|r| {
            r.detailed()
                .state
                .as_ref()
                .and_then(|s| s.config_update.clone())
                .map(|c| c.as_str().to_string())
                .as_deref()
                == Some("IN_PROGRESS")
        })
        .count();
    assert_eq!(still, 0);
}
