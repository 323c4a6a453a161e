//! How `serving-console proxy` authorizes the calls it forwards, per workspace
//! ([`crate::workspaces`] says where the settings come from):
//!
//! - `service-token` ([`Mode::Static`] or [`Mode::M2M`], [`m2m`]): one identity for everyone, as
//!   before;
//! - `oauth` ([`Mode::OAuth`], [`oauth`]): each user signs in with the workspace's own OAuth;
//!   their tokens live in a sealed cookie ([`cookie`], [`session`]), nothing server-side;
//! - `forwarded` ([`Mode::Forwarded`], [`forwarded`]): a fronting proxy passes the user's token.
//!
//! [`pkce`]: the random values and the `S256` challenge of a sign-in.

pub mod cookie;
pub mod forwarded;
pub mod m2m;
pub mod oauth;
pub mod pkce;
pub mod session;

use crate::proxy::{Token, Upstream};
use crate::workspaces::{Credentials, SignInSpec, WorkspacesSpec};
use cookie::SealKey;

/// How one workspace's calls are authorized.
#[derive(Debug)]
pub enum Mode {
    Static(Token),
    M2M(m2m::M2M),
    OAuth(oauth::OAuthClient),
    Forwarded(forwarded::Trusted),
}

impl Mode {
    /// The name used in the configuration and in `config.json`.
    pub fn name(&self) -> &'static str {
        match self {
            Mode::Static(_) | Mode::M2M(_) => "service-token",
            Mode::OAuth(_) => "oauth",
            Mode::Forwarded(_) => "forwarded",
        }
    }
}

/// One workspace the proxy serves.
#[derive(Debug)]
pub struct Workspace {
    pub id: String,
    pub name: String,
    pub upstream: Upstream,
    pub mode: Mode,
    /// Its OAuth endpoints, discovered once (a failed discovery is tried again next time).
    pub oidc: tokio::sync::OnceCell<oauth::Endpoints>,
}

impl Workspace {
    /// The workspace's OAuth endpoints ([`oauth::discover`], once).
    pub async fn endpoints(
        &self,
        client: &crate::proxy::HttpClient,
    ) -> Result<oauth::Endpoints, String> {
        self.oidc
            .get_or_try_init(|| oauth::discover(client, &self.upstream))
            .await
            .cloned()
    }
}

/// Every workspace, where they are mounted, and the cookie key.
#[derive(Debug)]
pub struct SignIn {
    pub workspaces: Vec<Workspace>,
    /// `true`: each workspace under `/w/{id}/`; `false`: the only one at the root.
    pub mounted: bool,
    /// Seals session cookies (needed by `oauth` workspaces).
    pub key: Option<SealKey>,
    /// The URL users reach the console at (`redirect_uri`), when the `Host` is not enough.
    pub public_url: Option<String>,
}

impl SignIn {
    /// Today's proxy: one workspace at the root with one token.
    pub fn single(upstream: Upstream, token: Token) -> SignIn {
        SignIn {
            workspaces: vec![Workspace {
                id: "default".into(),
                name: upstream.to_string(),
                upstream,
                mode: Mode::Static(token),
                oidc: Default::default(),
            }],
            mounted: false,
            key: None,
            public_url: None,
        }
    }

    /// From a parsed configuration; `key`: the cookie key (required when a workspace uses oauth).
    pub fn from_spec(spec: WorkspacesSpec, key: Option<SealKey>) -> Result<SignIn, String> {
        let mut workspaces = Vec::new();
        for w in spec.workspaces {
            let upstream = Upstream::parse_workspace(&w.host)?;
            let mode = match w.sign_in {
                SignInSpec::ServiceToken(Credentials::Token(t)) => {
                    Mode::Static(Token::new(&t.0).map_err(|e| format!("workspace {}: {e}", w.id))?)
                }
                SignInSpec::ServiceToken(Credentials::ClientCredentials {
                    client_id,
                    client_secret,
                }) => Mode::M2M(m2m::M2M::new(client_id, client_secret)),
                SignInSpec::OAuth {
                    client_id,
                    client_secret,
                } => {
                    if key.is_none() {
                        return Err(format!(
                            "workspace {} signs users in with OAuth: a cookie key is needed \
                             (cookie_key_file, or --cookie-key-file)",
                            w.id
                        ));
                    }
                    Mode::OAuth(oauth::OAuthClient {
                        client_id,
                        client_secret,
                    })
                }
                SignInSpec::Forwarded { trusted } => Mode::Forwarded(forwarded::Trusted(trusted)),
            };
            workspaces.push(Workspace {
                id: w.id,
                name: w.name,
                upstream,
                mode,
                oidc: Default::default(),
            });
        }
        if workspaces.is_empty() {
            return Err("no workspace configured".into());
        }
        Ok(SignIn {
            workspaces,
            mounted: spec.mounted,
            key,
            public_url: spec.public_url,
        })
    }

    /// Does the console need to be told the workspaces (`config.json`)? Not for the proxy of
    /// before: one workspace at the root with a service token.
    pub fn tells_console(&self) -> bool {
        self.mounted
            || self
                .workspaces
                .iter()
                .any(|w| !matches!(w.mode, Mode::Static(_) | Mode::M2M(_)))
    }

    /// The workspace `id`.
    pub fn workspace(&self, id: &str) -> Option<&Workspace> {
        self.workspaces.iter().find(|w| w.id == id)
    }

    /// The workspace a request path belongs to, and the path within it: `/w/{id}/rest` when
    /// mounted, the whole path otherwise.
    pub fn route<'a>(&self, path: &'a str) -> Option<(&Workspace, &'a str)> {
        if !self.mounted {
            return self.workspaces.first().map(|w| (w, path));
        }
        let rest = path.strip_prefix("/w/")?;
        let (id, rest) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        self.workspace(id).map(|w| (w, rest))
    }
}
