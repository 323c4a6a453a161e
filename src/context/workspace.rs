//! [`Workspace`]: what every page needs to talk to the workspace.

use super::{ConfigDrafts, Fleet, PermissionDrafts, Toasts, TokenSession};
use crate::api::{ApiClient, Transport};
use crate::config::{AuthMode, Config};
use crate::links;
use api_types::ScimMe;
use leptos::prelude::*;
use std::sync::Arc;

/// The workspace the console talks to: the API client, the console's runtime config, and the
/// signed-in user. Plain data, `Send + Sync`.
#[derive(Clone)]
pub struct Workspace {
    /// The typed API client.
    pub api: ApiClient,
    /// Runtime configuration.
    pub config: Arc<Config>,
    /// The signed-in user, once `scim/v2/Me` answered.
    pub me: RwSignal<Option<ScimMe>>,
}

impl Workspace {
    /// The workspace provided by the console. Components are only ever mounted under it; a
    /// missing context is a programming error caught by every browser test.
    pub fn expect() -> Self {
        match use_context::<Workspace>() {
            Some(c) => c,
            None => panic!("Workspace missing: mount components under <Console>"),
        }
    }
}

/// Provide every app-wide context for `config` and `transport`: the [`Workspace`], the
/// [`TokenSession`], the [`Toasts`], the [`PermissionDrafts`] and the [`ConfigDrafts`]. Returns the first two.
pub fn provide_console_state(
    config: Config,
    transport: Arc<dyn Transport>,
) -> (Workspace, TokenSession) {
    // API calls go under the console's own base unless config.json names one ("/" = the root).
    let api_base = if config.api_base.is_empty() {
        links::base()
    } else {
        config.api_base.clone()
    };
    let token = TokenSession::new(config.auth == AuthMode::Token);
    provide_context(token);
    let mut api = ApiClient::new(&api_base, transport, config.request_timeout_ms);
    if token.enabled {
        api = api.watching_token(move || token.on_refused());
    }
    let workspace = Workspace {
        api,
        config: Arc::new(config),
        me: RwSignal::new(None),
    };
    provide_context(workspace.clone());
    provide_context(Toasts::new());
    provide_context(PermissionDrafts::new());
    provide_context(ConfigDrafts::new());
    provide_context(Fleet::new());
    (workspace, token)
}
