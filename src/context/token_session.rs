//! [`TokenSession`]: the state of token mode (`config.json` `"auth": "token"`); its dialog,
//! page and banner are in `components::token_prompt`.

use leptos::prelude::*;

/// The state of token mode, provided as a context by the console.
#[derive(Debug, Clone, Copy)]
pub struct TokenSession {
    /// Token mode is on.
    pub enabled: bool,
    /// The dialog is open.
    pub open: RwSignal<bool>,
    /// A token is held (and was not refused since).
    pub signed_in: RwSignal<bool>,
    /// A token was entered at least once: the pages are mounted.
    pub started: RwSignal<bool>,
    /// The workspace refused the last token (401).
    pub refused: RwSignal<bool>,
}

impl TokenSession {
    /// A session; in token mode the dialog starts open.
    pub fn new(enabled: bool) -> Self {
        TokenSession {
            enabled,
            open: RwSignal::new(enabled),
            signed_in: RwSignal::new(false),
            started: RwSignal::new(!enabled),
            refused: RwSignal::new(false),
        }
    }

    /// The session of the console (a disabled one outside of it, e.g. in component tests).
    pub fn get() -> Self {
        use_context::<TokenSession>().unwrap_or_else(|| TokenSession::new(false))
    }

    /// Can the pages make requests (proxy mode, or a token was entered once)?
    pub fn ready(&self) -> bool {
        !self.enabled || self.started.get()
    }

    /// The workspace answered 401 to the current token (called by the API client).
    pub fn on_refused(&self) {
        self.signed_in.try_set(false);
        self.refused.try_set(true);
        self.open.try_set(true);
    }
}
