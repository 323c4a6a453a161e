//! Typed link builders: every URL the console builds is made here, names percent-encoded once.

/// Percent-encode one path segment or query value (RFC 3986 unreserved characters stay).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Percent-encode each segment of an (already decoded) path, keeping the slashes.
pub fn encode_path(path: &str) -> String {
    path.split('/')
        .map(encode_segment)
        .collect::<Vec<_>>()
        .join("/")
}

/// The tabs of the endpoint detail page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Served entities, traffic, pending config, tags.
    Overview,
    /// Server and build logs per served entity.
    Logs,
    /// The endpoint's ACL.
    Permissions,
    /// The endpoint's OpenAPI document and request builder.
    Schema,
}

impl Tab {
    /// The tabs shown, in display order (a tab is listed once its page exists).
    pub const ALL: &'static [Tab] = &[Tab::Overview];

    /// Path suffix under `/endpoints/{name}`.
    pub fn suffix(self) -> &'static str {
        match self {
            Tab::Overview => "",
            Tab::Logs => "/logs",
            Tab::Permissions => "/permissions",
            Tab::Schema => "/schema",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Logs => "Logs",
            Tab::Permissions => "Permissions",
            Tab::Schema => "Schema",
        }
    }
}

/// `/endpoints`, with the list's query string (already built by `list_view::Query::to_params`).
pub fn list(params: &[(String, String)]) -> String {
    let mut s = String::from("/endpoints");
    let mut first = true;
    for (k, v) in params {
        if v.is_empty() {
            continue;
        }
        s.push(if first { '?' } else { '&' });
        first = false;
        s.push_str(&encode_segment(k));
        s.push('=');
        s.push_str(&encode_segment(v));
    }
    s
}

/// `/endpoints/{name}` and its tabs.
pub fn endpoint(name: &str, tab: Tab) -> String {
    format!("/endpoints/{}{}", encode_segment(name), tab.suffix())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_encoded() {
        assert_eq!(endpoint("a b/c", Tab::Overview), "/endpoints/a%20b%2Fc");
        assert_eq!(
            endpoint("fraud-detector_prod", Tab::Overview),
            "/endpoints/fraud-detector_prod"
        );
        assert_eq!(encode_segment("ü<"), "%C3%BC%3C");
    }

    #[test]
    fn paths_keep_slashes() {
        assert_eq!(encode_path("/endpoints/a b/logs"), "/endpoints/a%20b/logs");
    }

    #[test]
    fn list_query() {
        let p = vec![
            ("q".to_string(), "a&b".to_string()),
            ("state".into(), String::new()),
        ];
        assert_eq!(list(&p), "/endpoints?q=a%26b");
        assert_eq!(list(&[]), "/endpoints");
    }
}
