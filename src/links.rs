//! Typed link builders: every URL the console builds is made here, names percent-encoded once.
//!
//! The console may live under a sub-path (`make build BASE=/console/` → trunk `--public-url`).
//! The base is read once at start-up from the loader script's `data-base` attribute (a `<base>`
//! element would need CSP `base-uri`, which is `'none'`) and set with [`set_base`]; every link
//! below carries it, so no page writes an absolute `/endpoints…` itself.

use std::cell::RefCell;

thread_local! {
    /// The base path without a trailing slash: `""` at the root, `"/console"` under a sub-path,
    /// plus `/w/{id}` inside one of several workspaces ([`enter_workspace`]).
    /// (The browser has one thread; native tests each get their own, so they cannot interfere.)
    static BASE: RefCell<String> = const { RefCell::new(String::new()) };
    /// The base the console was built for, without the workspace.
    static BUILD_BASE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Turn a public URL (`"/"`, `"/console/"`, `"/a/b"`) into a base path (`""`, `"/console"`,
/// `"/a/b"`). Anything that is not a same-origin path of safe segments gives `""`.
pub fn normalize_base(public_url: &str) -> String {
    let trimmed = public_url.trim().trim_end_matches('/');
    let ok = trimmed.starts_with('/')
        && trimmed[1..].split('/').all(|seg| {
            !seg.is_empty()
                && seg != "."
                && seg != ".."
                && seg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
        });
    if ok {
        trimmed.to_string()
    } else {
        String::new()
    }
}

/// Set the base from the public URL the console was built for (see [`normalize_base`]).
pub fn set_base(public_url: &str) {
    let base = normalize_base(public_url);
    BUILD_BASE.with(|b| *b.borrow_mut() = base.clone());
    BASE.with(|b| *b.borrow_mut() = base);
}

/// The base the console was built for (without a workspace's `/w/{id}`).
pub fn build_base() -> String {
    BUILD_BASE.with(|b| b.borrow().clone())
}

/// Inside the workspace mounted at `path` (`/w/{id}`): every link and API call goes under
/// `{build base}{path}` from now on.
pub fn enter_workspace(path: &str) {
    let base = format!("{}{}", build_base(), normalize_base(path));
    BASE.with(|b| *b.borrow_mut() = base);
}

/// The index of the workspace (by mount `paths`) the page at `pathname` is in: the longest
/// non-empty path that `pathname` is at or below (under the build base); else a workspace
/// mounted at the root, if any.
pub fn workspace_at<'a>(pathname: &str, paths: impl IntoIterator<Item = &'a str>) -> Option<usize> {
    let build = build_base();
    let mut root = None;
    let mut best: Option<(usize, usize)> = None;
    for (i, p) in paths.into_iter().enumerate() {
        if p.is_empty() {
            root = root.or(Some(i));
            continue;
        }
        let full = format!("{build}{p}");
        let inside = pathname == full
            || pathname
                .strip_prefix(&full)
                .is_some_and(|rest| rest.starts_with('/'));
        if inside && best.is_none_or(|(_, len)| p.len() > len) {
            best = Some((i, p.len()));
        }
    }
    best.map(|(i, _)| i).or(root)
}

/// The server's sign-in for workspace `id`, coming back to `return_to` (a path of this site).
pub fn sign_in(id: &str, return_to: &str) -> String {
    format!(
        "{}/auth/login?workspace={}&return={}",
        build_base(),
        encode_segment(id),
        encode_segment(return_to)
    )
}

/// The server's sign-out of workspace `id` (`POST`).
pub fn sign_out(id: &str) -> String {
    format!(
        "{}/auth/logout?workspace={}",
        build_base(),
        encode_segment(id)
    )
}

/// The endpoints list of the workspace mounted at `path`.
pub fn workspace_home(path: &str) -> String {
    format!("{}{}/endpoints", build_base(), normalize_base(path))
}

/// The base path (`""` at the root, `"/console"` under a sub-path).
pub fn base() -> String {
    BASE.with(|b| b.borrow().clone())
}

/// An app path (`/endpoints…`) as a URL path under the base.
pub fn href(app_path: &str) -> String {
    format!("{}{app_path}", base())
}

/// `/endpoints` under the base: the home of the console.
pub fn home() -> String {
    href("/endpoints")
}

/// `/idle` under the base: the idle and cost view (issue #18).
pub fn idle() -> String {
    href("/idle")
}

/// Options for `use_navigate()` with a URL built here. The URL already carries the base, so the
/// router must not resolve it against the base again (it would give `/console/console/…`).
pub fn nav_options() -> leptos_router::NavigateOptions {
    leptos_router::NavigateOptions {
        resolve: false,
        ..Default::default()
    }
}

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

/// Declare the tabs of the endpoint detail page, each once: its variant, the path segment under
/// `/endpoints/{name}` and its label. The route table, the tab links and the preloading are made
/// from [`Tab::ALL`]; each tab's code (its chunk) is bound to its variant in
/// `app::detail_tabs`, by a `match` the compiler checks for every tab.
macro_rules! tabs {
    ($($(#[$doc:meta])* $tab:ident => $segment:literal, $label:literal;)*) => {
        /// The tabs of the endpoint detail page.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Tab {
            $($(#[$doc])* $tab,)*
        }

        impl Tab {
            /// The tabs, in display order.
            pub const ALL: &'static [Tab] = &[$(Tab::$tab),*];

            /// Path segment under `/endpoints/{name}` (`""` for the first tab).
            pub fn segment(self) -> &'static str {
                match self {
                    $(Tab::$tab => $segment,)*
                }
            }

            /// The tab's label.
            pub fn label(self) -> &'static str {
                match self {
                    $(Tab::$tab => $label,)*
                }
            }

            /// Path suffix under `/endpoints/{name}` (`""`, `"/logs"`).
            pub fn suffix(self) -> &'static str {
                match self {
                    $(Tab::$tab => match $segment {
                        "" => "",
                        _ => concat!("/", $segment),
                    },)*
                }
            }
        }
    };
}

tabs! {
    /// Served entities, traffic, pending config, tags.
    Overview => "", "Overview";
    /// Server and build logs per served entity.
    Logs => "logs", "Logs";
    /// The endpoint's ACL.
    Permissions => "permissions", "Permissions";
    /// The endpoint's OpenAPI document and request builder.
    Schema => "schema", "Schema";
}

/// `/endpoints`, with the list's query string (already built by `list_view::Query::to_params`).
pub fn list(params: &[(String, String)]) -> String {
    let mut s = home();
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
    href(&format!(
        "/endpoints/{}{}",
        encode_segment(name),
        tab.suffix()
    ))
}

/// Path segment of the config editor under `/endpoints/{name}` (a page of the endpoint, not
/// a tab: it has no tab link).
pub const EDIT_SEGMENT: &str = "edit";

/// `/endpoints/{name}/edit`, with an optional query (a shortcut: `send_all_to=<entity>`,
/// `scale_to_zero=on|off`).
pub fn endpoint_edit(name: &str, params: &[(&str, &str)]) -> String {
    let mut s = href(&format!(
        "/endpoints/{}/{EDIT_SEGMENT}",
        encode_segment(name)
    ));
    let mut first = true;
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        s.push(if first { '?' } else { '&' });
        first = false;
        s.push_str(&encode_segment(k));
        s.push('=');
        s.push_str(&encode_segment(v));
    }
    s
}

/// `/endpoints/{name}/logs` with the Logs tab's query (built by `log_view::LogQuery::to_params`)
/// and an optional line (`#L120`).
pub fn endpoint_logs(name: &str, params: &[(String, String)], line: Option<usize>) -> String {
    let mut s = endpoint(name, Tab::Logs);
    let mut first = true;
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        s.push(if first { '?' } else { '&' });
        first = false;
        s.push_str(&encode_segment(k));
        s.push('=');
        s.push_str(&encode_segment(v));
    }
    if let Some(n) = line {
        s.push_str(&format!("#L{n}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspaces_extend_the_base() {
        set_base("/console/");
        let paths = ["/w/dev", "/w/staging"];
        assert_eq!(
            workspace_at("/console/w/staging/endpoints/a", paths),
            Some(1)
        );
        assert_eq!(workspace_at("/console/w/dev", paths), Some(0));
        assert_eq!(workspace_at("/console/w/devx/endpoints", paths), None);
        assert_eq!(
            workspace_at("/w/dev/endpoints", paths),
            None,
            "outside the build base"
        );
        assert_eq!(workspace_at("/console/endpoints", ["", "/w/dev"]), Some(0));
        enter_workspace("/w/staging");
        assert_eq!(base(), "/console/w/staging");
        assert_eq!(home(), "/console/w/staging/endpoints");
        assert_eq!(build_base(), "/console");
        assert_eq!(workspace_home("/w/dev"), "/console/w/dev/endpoints");
        assert_eq!(
            sign_in("dev", "/console/w/dev/endpoints/a b?x=1"),
            "/console/auth/login?workspace=dev&return=%2Fconsole%2Fw%2Fdev%2Fendpoints%2Fa%20b%3Fx%3D1"
        );
        assert_eq!(sign_out("dev"), "/console/auth/logout?workspace=dev");
    }

    #[test]
    fn bases_are_normalized() {
        assert_eq!(normalize_base("/"), "");
        assert_eq!(normalize_base(""), "");
        assert_eq!(normalize_base("/console/"), "/console");
        assert_eq!(normalize_base("/a/b"), "/a/b");
        for bad in [
            "console/",
            "//evil.example/",
            "/a//b/",
            "/../x/",
            "/a b/",
            "https://x/",
        ] {
            assert_eq!(normalize_base(bad), "", "{bad}");
        }
    }

    #[test]
    fn links_carry_the_base() {
        // The base is per thread, so this cannot disturb the other tests.
        set_base("/console/");
        assert_eq!(home(), "/console/endpoints");
        assert_eq!(endpoint("a b", Tab::Logs), "/console/endpoints/a%20b/logs");
        assert_eq!(
            list(&[("q".to_string(), "x".to_string())]),
            "/console/endpoints?q=x"
        );
        set_base("/");
        assert_eq!(home(), "/endpoints");
    }

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
    fn logs_links() {
        let p = vec![
            ("entity".to_string(), "m-1".to_string()),
            ("kind".to_string(), "build".to_string()),
            ("q".to_string(), "a b".to_string()),
            ("version".to_string(), String::new()),
        ];
        assert_eq!(
            endpoint_logs("ep", &p, Some(12)),
            "/endpoints/ep/logs?entity=m-1&kind=build&q=a%20b#L12"
        );
        assert_eq!(endpoint_logs("ep", &[], None), "/endpoints/ep/logs");
    }

    #[test]
    fn tabs_have_distinct_paths_and_labels() {
        let suffixes: Vec<&str> = Tab::ALL.iter().map(|t| t.suffix()).collect();
        assert_eq!(suffixes, ["", "/logs", "/permissions", "/schema"]);
        let labels: Vec<&str> = Tab::ALL.iter().map(|t| t.label()).collect();
        assert_eq!(labels, ["Overview", "Logs", "Permissions", "Schema"]);
    }

    #[test]
    fn edit_links() {
        assert_eq!(endpoint_edit("a b", &[]), "/endpoints/a%20b/edit");
        assert_eq!(
            endpoint_edit("ep", &[("send_all_to", "m-1&x"), ("scale_to_zero", "")]),
            "/endpoints/ep/edit?send_all_to=m-1%26x"
        );
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
