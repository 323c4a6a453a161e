//! Which paths belong to the API (a leaf: every layer asks it, it asks nobody).

/// Paths that always answer JSON (never the SPA's index.html).
pub fn is_api_path(path: &str) -> bool {
    ["/api", "/serving-endpoints", "/__emulator"]
        .iter()
        .any(|p| {
            path == *p
                || path
                    .strip_prefix(p)
                    .is_some_and(|rest| rest.starts_with('/'))
        })
}
