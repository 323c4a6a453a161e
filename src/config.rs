//! Runtime configuration from `config.json` beside `index.html`: one static build serves any
//! deployment. Missing → defaults; malformed → a clear error screen.

use serde::Deserialize;

/// How the browser authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// A same-origin proxy injects the token; the browser holds none (default).
    #[default]
    Proxy,
    /// The user pastes a personal access token, kept in memory only.
    Token,
}

/// One workspace the server serves (`config.json` `workspaces`, written by `serving-console`
/// when it serves several workspaces or signs users in).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkspaceEntry {
    /// `[a-z0-9-]`, as in `/w/{id}/`.
    pub id: String,
    /// What the switcher shows.
    pub name: String,
    /// Where its pages and API live under the console's base: `/w/{id}`, or `""` (the root).
    #[serde(default)]
    pub path: String,
    /// `service-token`, `oauth`, `forwarded` or `none`.
    #[serde(default)]
    pub sign_in: String,
    /// Does this browser hold a session for it (`oauth`)?
    #[serde(default)]
    pub signed_in: bool,
}

impl WorkspaceEntry {
    /// Does the user sign in to this workspace through the console (`oauth`)?
    pub fn is_oauth(&self) -> bool {
        self.sign_in == "oauth"
    }
}

/// The runtime configuration.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Title in the header and the document title.
    pub title: String,
    /// Prefix for API calls (`""` = same origin root, e.g. `"/console"` under a sub-path).
    pub api_base: String,
    /// Authentication mode.
    pub auth: AuthMode,
    /// List refresh interval, ms.
    pub list_poll_ms: u64,
    /// Detail refresh interval while steady, ms.
    pub detail_poll_ms: u64,
    /// Per-request timeout, ms.
    pub request_timeout_ms: u64,
    /// The workspaces the server serves (empty: one, at the console's base).
    pub workspaces: Vec<WorkspaceEntry>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Serving Console".into(),
            api_base: String::new(),
            auth: AuthMode::Proxy,
            list_poll_ms: 30_000,
            detail_poll_ms: 30_000,
            request_timeout_ms: 20_000,
            workspaces: Vec::new(),
        }
    }
}

/// Why the configuration could not be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// The file is not valid JSON or has wrong or unknown keys.
    #[error("config.json is malformed: {0}")]
    Malformed(String),
    /// A value is out of range.
    #[error("config.json has an invalid value: {0}")]
    Invalid(String),
}

impl Config {
    /// Parse and validate the text of `config.json`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let c: Config =
            serde_json::from_str(text).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if !self.api_base.is_empty()
            && (!self.api_base.starts_with('/') || self.api_base.contains("//"))
        {
            return Err(ConfigError::Invalid(format!(
                "api_base must be empty or a same-origin path starting with '/', got {:?}",
                self.api_base
            )));
        }
        for (k, v) in [
            ("list_poll_ms", self.list_poll_ms),
            ("detail_poll_ms", self.detail_poll_ms),
        ] {
            if !(1_000..=3_600_000).contains(&v) {
                return Err(ConfigError::Invalid(format!(
                    "{k} must be between 1000 and 3600000, got {v}"
                )));
            }
        }
        if !(1_000..=300_000).contains(&self.request_timeout_ms) {
            return Err(ConfigError::Invalid(format!(
                "request_timeout_ms must be between 1000 and 300000, got {}",
                self.request_timeout_ms
            )));
        }
        for w in &self.workspaces {
            let id_ok = !w.id.is_empty()
                && w.id.len() <= 32
                && w.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            let path_ok = w.path.is_empty() || w.path == format!("/w/{}", w.id);
            if !id_ok || !path_ok {
                return Err(ConfigError::Invalid(format!(
                    "workspace {:?} must have an id of [a-z0-9-] and the path \"\" or \"/w/{{id}}\"",
                    w.id
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_file_fills_defaults() {
        let c = Config::parse(r#"{"title":"Prod"}"#).unwrap();
        assert_eq!(c.title, "Prod");
        assert_eq!(c.list_poll_ms, 30_000);
        assert_eq!(c.auth, AuthMode::Proxy);
    }

    #[test]
    fn workspaces_are_read_and_checked() {
        let c = Config::parse(
            r#"{"workspaces":[{"id":"dev","name":"Dev","path":"/w/dev","sign_in":"oauth","signed_in":true},
                              {"id":"prod","name":"Prod <b>","path":"/w/prod"}]}"#,
        )
        .unwrap();
        assert_eq!(c.workspaces.len(), 2);
        assert!(c.workspaces[0].is_oauth() && c.workspaces[0].signed_in);
        assert!(!c.workspaces[1].is_oauth());
        for bad in [
            r#"{"workspaces":[{"id":"Dev","name":"x","path":"/w/Dev"}]}"#,
            r#"{"workspaces":[{"id":"dev","name":"x","path":"//evil.example"}]}"#,
            r#"{"workspaces":[{"id":"dev","name":"x","path":"/w/prod"}]}"#,
        ] {
            assert!(
                matches!(Config::parse(bad), Err(ConfigError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            Config::parse(r#"{"workspaces":[{"id":"dev","name":"x","token":"t"}]}"#),
            Err(ConfigError::Malformed(_))
        ));
        assert!(Config::parse("{}").unwrap().workspaces.is_empty());
    }

    #[test]
    fn malformed_and_invalid_are_errors() {
        assert!(matches!(Config::parse("{"), Err(ConfigError::Malformed(_))));
        assert!(matches!(
            Config::parse(r#"{"titel":"x"}"#),
            Err(ConfigError::Malformed(_))
        ));
        assert!(matches!(
            Config::parse(r#"{"auth":"cookie"}"#),
            Err(ConfigError::Malformed(_))
        ));
        assert!(matches!(
            Config::parse(r#"{"api_base":"https://evil"}"#),
            Err(ConfigError::Invalid(_))
        ));
        assert!(matches!(
            Config::parse(r#"{"list_poll_ms":5}"#),
            Err(ConfigError::Invalid(_))
        ));
    }
}
