//! [`Workspace`]: what every page needs to talk to the workspace.

use super::{ConfigDrafts, Fleet, PermissionDrafts, Toasts, TokenSession};
use crate::api::{ApiClient, HttpRequest, HttpResponse, Transport, TransportError};
use crate::config::{AuthMode, Config, WorkspaceEntry};
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
    /// Of the server's workspaces (`config.workspaces`), the one this page is in.
    pub current: Option<WorkspaceEntry>,
}

/// Where the browser is: path and query.
fn here() -> (String, String) {
    let loc = web_sys::window().map(|w| w.location());
    let path = loc
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_default();
    let search = loc
        .as_ref()
        .and_then(|l| l.search().ok())
        .unwrap_or_default();
    (path, search)
}

/// Leave the console for `url` (the server's sign-in, or another workspace).
fn go(url: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().assign(url);
    }
}

/// Send the user to sign in to `id`, coming back to this very page.
pub fn sign_in_again(id: &str) {
    let (path, search) = here();
    go(&links::sign_in(id, &format!("{path}{search}")));
}

/// Find the workspace this page is in and make it the base of links and API calls. A page
/// outside every workspace goes to the first one's list; an `oauth` workspace this browser is
/// not signed in to goes to its sign-in (keeping the page).
fn enter_current_workspace(config: &Config) -> Option<WorkspaceEntry> {
    if config.workspaces.is_empty() {
        return None;
    }
    let (path, _) = here();
    let at = links::workspace_at(&path, config.workspaces.iter().map(|w| w.path.as_str()));
    let Some(current) = at.and_then(|i| config.workspaces.get(i)).cloned() else {
        if let Some(first) = config.workspaces.first() {
            go(&links::workspace_home(&first.path));
        }
        return None;
    };
    links::enter_workspace(&current.path);
    if current.is_oauth() && !current.signed_in {
        sign_in_again(&current.id);
    }
    Some(current)
}

/// `oauth` workspaces: a 401 means the server has no (more) session for this user; sign in
/// again, keeping the page.
struct SignInWatch {
    inner: Arc<dyn Transport>,
    workspace: String,
}

impl Transport for SignInWatch {
    fn send(
        &self,
        req: HttpRequest,
        signal: Option<web_sys::AbortSignal>,
        timeout_ms: u64,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<HttpResponse, TransportError>>>>
    {
        let fut = self.inner.send(req, signal, timeout_ms);
        let workspace = self.workspace.clone();
        Box::pin(async move {
            let result = fut.await;
            if matches!(&result, Ok(r) if r.status == 401) {
                sign_in_again(&workspace);
            }
            result
        })
    }

    fn sleep(
        &self,
        ms: u64,
        signal: Option<web_sys::AbortSignal>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), ()>>>> {
        self.inner.sleep(ms, signal)
    }

    fn real_time(&self) -> bool {
        self.inner.real_time()
    }
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
    let current = enter_current_workspace(&config);
    let transport: Arc<dyn Transport> = match &current {
        Some(w) if w.is_oauth() => Arc::new(SignInWatch {
            inner: transport,
            workspace: w.id.clone(),
        }),
        _ => transport,
    };
    // API calls go under the console's own base (and workspace) unless config.json names one.
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
        current,
    };
    provide_context(workspace.clone());
    provide_context(Toasts::new());
    provide_context(PermissionDrafts::new());
    provide_context(ConfigDrafts::new());
    provide_context(Fleet::new());
    (workspace, token)
}
