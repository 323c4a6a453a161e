//! The version picker of a served entity: which entities Unity Catalog can list versions for,
//! and the choices built from `GET /api/2.1/unity-catalog/models/{full_name}/versions` pages.
//! Where the list cannot be read (no privilege, not a UC model) the form takes typed text.

use api_types::{ListModelVersionsResponse, ModelVersionInfo};
use std::cmp::Ordering;

/// Pages read at most (100 versions each) before offering what was read plus free entry.
pub const MAX_PAGES: usize = 5;

/// Is `entity_name` a Unity Catalog model (`catalog.schema.model`)? Only those have a versions
/// list here; workspace-registry models take a typed version.
pub fn is_uc_model(entity_name: &str) -> bool {
    let parts: Vec<&str> = entity_name.split('.').collect();
    parts.len() == 3 && parts.iter().all(|p| !p.trim().is_empty())
}

/// The token of the next page to read, if there is one and the cap is not reached
/// (`pages_read` counts the pages read so far, this one included).
pub fn next_page(resp: &ListModelVersionsResponse, pages_read: usize) -> Option<&str> {
    resp.next_page_token
        .as_deref()
        .filter(|t| !t.is_empty() && pages_read < MAX_PAGES)
}

/// One entry of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionChoice {
    pub version: String,
    /// "9", "8 (FAILED_REGISTRATION)", "7 (serving)".
    pub label: String,
    /// Registered and ready (or status unknown): offered; otherwise shown disabled.
    pub usable: bool,
}

fn order(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => y.cmp(&x),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// Newest first, one entry per version; the versions served now are marked and always
/// present (the list may leave them out when the caller cannot read them).
pub fn choices(items: &[ModelVersionInfo], serving: &[&str]) -> Vec<VersionChoice> {
    let mut out: Vec<VersionChoice> = Vec::new();
    for m in items {
        let Some(v) = m
            .version
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        if out.iter().any(|c| c.version == v) {
            continue;
        }
        let status = m.status.as_deref().unwrap_or("READY");
        out.push(VersionChoice {
            version: v.to_string(),
            label: if status == "READY" {
                v.to_string()
            } else {
                format!("{v} ({status})")
            },
            usable: status == "READY",
        });
    }
    for s in serving.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        match out.iter_mut().find(|c| c.version == s) {
            Some(c) => c.label = format!("{} (serving)", c.label),
            None => out.push(VersionChoice {
                version: s.to_string(),
                label: format!("{s} (serving)"),
                usable: true,
            }),
        }
    }
    out.sort_by(|a, b| order(&a.version, &b.version));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn v(version: &str, status: Option<&str>) -> ModelVersionInfo {
        ModelVersionInfo {
            version: Some(version.into()),
            status: status.map(Into::into),
            ..ModelVersionInfo::default()
        }
    }

    #[test]
    fn uc_models_have_three_parts() {
        assert!(is_uc_model("main.risk.fraud_xgb"));
        for no in ["fraud_xgb", "main.fraud", "a..b", "a.b.c.d", ""] {
            assert!(!is_uc_model(no), "{no}");
        }
    }

    #[test]
    fn newest_first_marked_and_deduplicated() {
        let c = choices(
            &[
                v("9", Some("READY")),
                v("10", Some("PENDING_REGISTRATION")),
                v("9", Some("READY")),
                v("2", None),
                v("", None),
            ],
            &["7", "2"],
        );
        let labels: Vec<&str> = c.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "10 (PENDING_REGISTRATION)",
                "9",
                "7 (serving)",
                "2 (serving)"
            ]
        );
        let usable: Vec<bool> = c.iter().map(|c| c.usable).collect();
        assert_eq!(usable, [false, true, true, true]);
    }

    #[test]
    fn paging_stops_at_the_end_or_the_cap() {
        let mut r = ListModelVersionsResponse {
            model_versions: vec![],
            next_page_token: Some("t".into()),
        };
        assert_eq!(next_page(&r, 1), Some("t"), "an empty page can have more");
        assert_eq!(next_page(&r, MAX_PAGES), None);
        r.next_page_token = Some(String::new());
        assert_eq!(next_page(&r, 1), None);
    }
}
