//! Which workspaces `serving-console proxy` serves and how each signs its users in, from:
//!
//! - `--upstream URL` alone: one workspace at the root, service token (`DATABRICKS_TOKEN` or
//!   `--token-file`) — exactly the proxy of before; `--sign-in oauth|forwarded` changes its mode;
//! - `--workspaces-file FILE` (TOML, [`parse_file`]): several workspaces, each under `/w/{id}/`;
//! - Databricks CLI profiles (`--profile NAME`, repeatable, or `DATABRICKS_CONFIG_PROFILE`; the
//!   file is `~/.databrickscfg` or `DATABRICKS_CONFIG_FILE`), or `DATABRICKS_HOST` with
//!   `DATABRICKS_TOKEN` (or `DATABRICKS_CLIENT_ID`/`DATABRICKS_CLIENT_SECRET`), as every
//!   Databricks tool reads them ([`parse_databrickscfg`], [`from_env`]).
//!
//! ```toml
//! cookie_key_file = "/etc/serving-console/cookie.key"  # oauth: 32 bytes, base64; share it between replicas
//! public_url = "https://console.example.com"           # optional: the URL users type (redirect_uri)
//!
//! [[workspace]]
//! id = "prod"                       # [a-z0-9-], the URL's /w/{id}/
//! name = "Production"
//! host = "https://adb-1234567890123456.7.azuredatabricks.net"
//! sign_in = "oauth"                 # service-token (default) | oauth | forwarded
//! client_id = "…"                   # oauth: the console's OAuth app connection
//! # client_secret_file = "…"        # oauth (confidential app) or service-token (M2M)
//!
//! [[workspace]]
//! id = "dev"
//! profile = "dev"                   # host and credentials from ~/.databrickscfg [dev]
//!
//! [[workspace]]
//! id = "apps"
//! host = "https://…"
//! sign_in = "forwarded"             # X-Forwarded-Access-Token, only from these addresses:
//! trusted_proxies = ["10.0.0.5"]
//! ```
//!
//! Secrets are read from files (`token_file`, `client_secret_file`) or profiles, never written in
//! this file; their `Debug` never shows them.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// A secret string whose `Debug` is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// How a workspace's calls are authorized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInSpec {
    /// One identity for everyone: a token, or OAuth M2M client credentials.
    ServiceToken(Credentials),
    /// Each user signs in (authorization code + PKCE) with the console's OAuth app connection.
    OAuth {
        client_id: String,
        client_secret: Option<Secret>,
    },
    /// A fronting proxy passes the user's token in `X-Forwarded-Access-Token`.
    Forwarded { trusted: Vec<IpAddr> },
}

/// Machine credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    Token(Secret),
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
}

/// One configured workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceSpec {
    pub id: String,
    pub name: String,
    pub host: String,
    pub sign_in: SignInSpec,
}

/// The whole configuration.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkspacesSpec {
    pub workspaces: Vec<WorkspaceSpec>,
    /// Under `/w/{id}/` (a file or several profiles) or at the root (`--upstream`, one profile).
    pub mounted: bool,
    pub cookie_key_file: Option<PathBuf>,
    pub public_url: Option<String>,
}

/// Is `id` usable in URLs and cookie names (`[a-z0-9][a-z0-9-]{0,31}`)?
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    cookie_key_file: Option<PathBuf>,
    public_url: Option<String>,
    #[serde(default, rename = "workspace")]
    workspaces: Vec<RawWorkspace>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWorkspace {
    id: String,
    name: Option<String>,
    host: Option<String>,
    profile: Option<String>,
    sign_in: Option<String>,
    token_file: Option<PathBuf>,
    client_id: Option<String>,
    client_secret_file: Option<PathBuf>,
    #[serde(default)]
    trusted_proxies: Vec<String>,
}

/// Where secrets and profiles come from (the real file system, or a test's).
pub trait Sources {
    fn read(&self, path: &Path) -> Result<String, String>;
    fn profiles(&self) -> Result<BTreeMap<String, BTreeMap<String, String>>, String>;
}

/// The real sources: files, and `DATABRICKS_CONFIG_FILE` or `~/.databrickscfg`.
pub struct RealSources;

impl Sources for RealSources {
    fn read(&self, path: &Path) -> Result<String, String> {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    fn profiles(&self) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
        let path = databrickscfg_path()
            .ok_or("no home directory to find ~/.databrickscfg in; set DATABRICKS_CONFIG_FILE")?;
        let text = self.read(&path)?;
        parse_databrickscfg(&text)
    }
}

/// `DATABRICKS_CONFIG_FILE`, or `~/.databrickscfg`.
pub fn databrickscfg_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DATABRICKS_CONFIG_FILE") {
        return Some(PathBuf::from(p));
    }
    std::env::var_os("HOME").map(|h| Path::new(&h).join(".databrickscfg"))
}

/// Parse a TOML workspaces file (see the module doc). `dir`: the file's directory, against
/// which relative paths are read.
pub fn parse_file(text: &str, dir: &Path, src: &dyn Sources) -> Result<WorkspacesSpec, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| format!("workspaces file: {e}"))?;
    if raw.workspaces.is_empty() {
        return Err("workspaces file: no [[workspace]] given".into());
    }
    let resolve = |p: &Path| {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            dir.join(p)
        }
    };
    let read_secret = |p: &Path| -> Result<Secret, String> {
        let t = src.read(&resolve(p))?;
        let t = t.trim();
        if t.is_empty() {
            return Err(format!("{} is empty", p.display()));
        }
        Ok(Secret(t.to_string()))
    };
    let mut profiles: Option<BTreeMap<String, BTreeMap<String, String>>> = None;
    let mut out = Vec::new();
    for w in raw.workspaces {
        let at = |e: String| format!("workspaces file, workspace {:?}: {e}", w.id);
        if !valid_id(&w.id) {
            return Err(at("id must be 1 to 32 of [a-z0-9-]".into()));
        }
        if out.iter().any(|o: &WorkspaceSpec| o.id == w.id) {
            return Err(at("id is used twice".into()));
        }
        let mode = w.sign_in.as_deref().unwrap_or("service-token");
        let (host, sign_in) = if let Some(name) = &w.profile {
            if profiles.is_none() {
                profiles = Some(src.profiles().map_err(at)?);
            }
            let all = profiles.as_ref().ok_or_else(|| at("no profiles".into()))?;
            let spec = from_profile(all, name).map_err(at)?;
            (spec.host, spec.sign_in)
        } else {
            let host = w
                .host
                .clone()
                .ok_or_else(|| at("host (or profile) is required".into()))?;
            let creds = match (&w.token_file, &w.client_id, &w.client_secret_file) {
                (Some(t), _, _) if mode == "service-token" => {
                    Some(Credentials::Token(read_secret(t).map_err(at)?))
                }
                (None, Some(id), Some(s)) if mode == "service-token" => {
                    Some(Credentials::ClientCredentials {
                        client_id: id.clone(),
                        client_secret: read_secret(s).map_err(at)?,
                    })
                }
                _ => None,
            };
            let sign_in = match mode {
                "service-token" => SignInSpec::ServiceToken(creds.ok_or_else(|| {
                    at(
                        "service-token needs token_file, or client_id and client_secret_file"
                            .into(),
                    )
                })?),
                "oauth" => SignInSpec::OAuth {
                    client_id: w.client_id.clone().ok_or_else(|| {
                        at("oauth needs client_id (the console's OAuth app connection)".into())
                    })?,
                    client_secret: match &w.client_secret_file {
                        Some(p) => Some(read_secret(p).map_err(at)?),
                        None => None,
                    },
                },
                "forwarded" => SignInSpec::Forwarded {
                    trusted: parse_trusted(&w.trusted_proxies).map_err(at)?,
                },
                other => {
                    return Err(at(format!(
                        "sign_in {other:?}: use service-token, oauth or forwarded"
                    )))
                }
            };
            (host, sign_in)
        };
        out.push(WorkspaceSpec {
            name: w.name.clone().unwrap_or_else(|| w.id.clone()),
            id: w.id,
            host,
            sign_in,
        });
    }
    Ok(WorkspacesSpec {
        workspaces: out,
        mounted: true,
        cookie_key_file: raw.cookie_key_file.map(|p| resolve(&p)),
        public_url: raw.public_url,
    })
}

/// Trusted proxy addresses; at least one.
pub fn parse_trusted(list: &[String]) -> Result<Vec<IpAddr>, String> {
    if list.is_empty() {
        return Err("forwarded needs trusted_proxies (the addresses of the fronting proxy)".into());
    }
    list.iter()
        .map(|s| {
            s.trim()
                .parse::<IpAddr>()
                .map_err(|_| format!("trusted proxy {s:?} is not an IP address"))
        })
        .collect()
}

/// Parse `~/.databrickscfg` (INI: `[PROFILE]`, `key = value`, `#`/`;` comments).
pub fn parse_databrickscfg(
    text: &str,
) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
    let mut out: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let name = name.trim().to_string();
            out.entry(name.clone()).or_default();
            current = Some(name);
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(format!(
                ".databrickscfg line {}: expected key = value",
                n + 1
            ));
        };
        let section = current.clone().unwrap_or_else(|| "DEFAULT".to_string());
        out.entry(section)
            .or_default()
            .insert(k.trim().to_lowercase(), v.trim().to_string());
    }
    Ok(out)
}

/// The workspace of profile `name`: its `host`, and `token` or `client_id` + `client_secret`.
pub fn from_profile(
    profiles: &BTreeMap<String, BTreeMap<String, String>>,
    name: &str,
) -> Result<WorkspaceSpec, String> {
    let p = profiles
        .get(name)
        .ok_or_else(|| format!("profile [{name}] not found in .databrickscfg"))?;
    let host = p
        .get("host")
        .ok_or_else(|| format!("profile [{name}] has no host"))?
        .clone();
    let creds = credentials(
        p.get("token").cloned(),
        p.get("client_id").cloned(),
        p.get("client_secret").cloned(),
    )
    .ok_or_else(|| format!("profile [{name}] has no token, nor client_id and client_secret"))?;
    let id: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(32)
        .collect();
    Ok(WorkspaceSpec {
        id: id.trim_start_matches('-').to_string(),
        name: name.to_string(),
        host,
        sign_in: SignInSpec::ServiceToken(creds),
    })
}

fn credentials(
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
) -> Option<Credentials> {
    match (token, client_id, client_secret) {
        (Some(t), _, _) if !t.trim().is_empty() => {
            Some(Credentials::Token(Secret(t.trim().into())))
        }
        (_, Some(id), Some(s)) if !id.is_empty() && !s.is_empty() => {
            Some(Credentials::ClientCredentials {
                client_id: id,
                client_secret: Secret(s),
            })
        }
        _ => None,
    }
}

/// `DATABRICKS_HOST` with `DATABRICKS_TOKEN` or `DATABRICKS_CLIENT_ID`/`_SECRET` (`env` looks
/// a variable up): one workspace at the root, or `None` when `DATABRICKS_HOST` is unset.
pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> Option<Result<WorkspaceSpec, String>> {
    let host = env("DATABRICKS_HOST")?;
    Some(
        credentials(
            env("DATABRICKS_TOKEN"),
            env("DATABRICKS_CLIENT_ID"),
            env("DATABRICKS_CLIENT_SECRET"),
        )
        .map(|c| WorkspaceSpec {
            id: "default".into(),
            name: host.clone(),
            host,
            sign_in: SignInSpec::ServiceToken(c),
        })
        .ok_or_else(|| {
            "DATABRICKS_HOST is set but neither DATABRICKS_TOKEN nor DATABRICKS_CLIENT_ID and \
             DATABRICKS_CLIENT_SECRET"
                .to_string()
        }),
    )
}

/// Profiles `names` (or `DATABRICKS_CONFIG_PROFILE`, or `DEFAULT`) as workspaces: one at the
/// root, several under `/w/{id}/`.
pub fn from_profiles(
    names: &[String],
    env_profile: Option<String>,
    src: &dyn Sources,
) -> Result<WorkspacesSpec, String> {
    let all = src.profiles()?;
    let names: Vec<String> = if names.is_empty() {
        vec![env_profile.unwrap_or_else(|| "DEFAULT".into())]
    } else {
        names.to_vec()
    };
    let workspaces = names
        .iter()
        .map(|n| from_profile(&all, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(WorkspacesSpec {
        mounted: workspaces.len() > 1,
        workspaces,
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fake(BTreeMap<PathBuf, String>, &'static str);

    impl Sources for Fake {
        fn read(&self, path: &Path) -> Result<String, String> {
            self.0
                .get(path)
                .cloned()
                .ok_or_else(|| format!("no {}", path.display()))
        }
        fn profiles(&self) -> Result<BTreeMap<String, BTreeMap<String, String>>, String> {
            parse_databrickscfg(self.1)
        }
    }

    const CFG: &str = "\
; the CLI's file
[DEFAULT]
host = https://adb-1.azuredatabricks.net
token = dapi-default

[dev]
host  =  https://dev.cloud.databricks.com
client_id = abc
client_secret = dose-xyz
# no token here

[broken]
host = https://x
";

    fn fake() -> Fake {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from("/etc/sc/prod.token"),
            "dapi-prod\n".to_string(),
        );
        files.insert(PathBuf::from("/etc/sc/secret"), "dose-s".to_string());
        Fake(files, CFG)
    }

    #[test]
    fn databrickscfg_profiles() {
        let p = parse_databrickscfg(CFG).unwrap();
        assert_eq!(p["dev"]["host"], "https://dev.cloud.databricks.com");
        let d = from_profile(&p, "DEFAULT").unwrap();
        assert_eq!(d.id, "default");
        assert_eq!(
            d.sign_in,
            SignInSpec::ServiceToken(Credentials::Token(Secret("dapi-default".into())))
        );
        let dev = from_profile(&p, "dev").unwrap();
        assert!(
            matches!(dev.sign_in, SignInSpec::ServiceToken(Credentials::ClientCredentials { ref client_id, .. }) if client_id == "abc")
        );
        assert!(from_profile(&p, "broken").unwrap_err().contains("no token"));
        assert!(from_profile(&p, "nope").unwrap_err().contains("not found"));
        assert!(parse_databrickscfg("[x]\nnonsense\n").is_err());
        assert!(
            !format!("{dev:?}").contains("dose-xyz"),
            "secrets never in Debug"
        );
    }

    #[test]
    fn profiles_and_environment() {
        let one = from_profiles(&[], Some("dev".into()), &fake()).unwrap();
        assert!(!one.mounted);
        assert_eq!(one.workspaces[0].id, "dev");
        let two = from_profiles(&["DEFAULT".into(), "dev".into()], None, &fake()).unwrap();
        assert!(two.mounted);
        let env = |k: &str| match k {
            "DATABRICKS_HOST" => Some("https://h".to_string()),
            "DATABRICKS_TOKEN" => Some("dapi-env".to_string()),
            _ => None,
        };
        let w = from_env(&env).unwrap().unwrap();
        assert_eq!(w.host, "https://h");
        assert!(from_env(&|_| None).is_none());
        assert!(
            from_env(&|k| (k == "DATABRICKS_HOST").then(|| "https://h".to_string()))
                .unwrap()
                .is_err()
        );
    }

    #[test]
    fn toml_file() {
        let text = r#"
cookie_key_file = "cookie.key"

[[workspace]]
id = "prod"
name = "Production"
host = "https://prod.example"
token_file = "prod.token"

[[workspace]]
id = "staging"
host = "https://staging.example"
sign_in = "oauth"
client_id = "serving-console"

[[workspace]]
id = "apps"
host = "https://apps.example"
sign_in = "forwarded"
trusted_proxies = ["127.0.0.1", "::1"]

[[workspace]]
id = "dev"
profile = "dev"

[[workspace]]
id = "m2m"
host = "https://m.example"
client_id = "sp"
client_secret_file = "/etc/sc/secret"
"#;
        let spec = parse_file(text, Path::new("/etc/sc"), &fake()).unwrap();
        assert!(spec.mounted);
        assert_eq!(
            spec.cookie_key_file,
            Some(PathBuf::from("/etc/sc/cookie.key"))
        );
        let w = &spec.workspaces;
        assert_eq!(w.len(), 5);
        assert_eq!(w[0].name, "Production");
        assert_eq!(
            w[0].sign_in,
            SignInSpec::ServiceToken(Credentials::Token(Secret("dapi-prod".into())))
        );
        assert_eq!(w[1].name, "staging");
        assert_eq!(
            w[1].sign_in,
            SignInSpec::OAuth {
                client_id: "serving-console".into(),
                client_secret: None
            }
        );
        assert!(matches!(&w[2].sign_in, SignInSpec::Forwarded { trusted } if trusted.len() == 2));
        assert_eq!(w[3].host, "https://dev.cloud.databricks.com");
        assert!(matches!(
            &w[4].sign_in,
            SignInSpec::ServiceToken(Credentials::ClientCredentials { .. })
        ));
    }

    #[test]
    fn toml_errors_say_what_is_wrong() {
        let err = |t: &str| parse_file(t, Path::new("/"), &fake()).unwrap_err();
        assert!(err("").contains("no [[workspace]]"));
        assert!(err("[[workspace]]\nid = \"Bad Id\"\nhost = \"https://x\"\ntoken_file = \"/etc/sc/prod.token\"").contains("id must"));
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"").contains("service-token needs")
        );
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"\nsign_in = \"oauth\"")
                .contains("client_id")
        );
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"\nsign_in = \"forwarded\"")
                .contains("trusted_proxies")
        );
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"\nsign_in = \"magic\"")
                .contains("magic")
        );
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"\ntoken = \"dapi\"")
                .contains("unknown field")
        );
        assert!(
            err("[[workspace]]\nid = \"a\"\nhost = \"https://x\"\ntoken_file = \"/missing\"")
                .contains("/missing")
        );
    }
}
