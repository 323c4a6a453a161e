//! The console's app-wide state: provided once by `app::Console` ([`provide_console_state`]),
//! read by pages and components. Below pages and components, so that they never import `app`.
//!
//! - [`Workspace`]: the API client, the runtime config, who is signed in;
//! - [`Toasts`]: the queue of toasts (shown by `components::ToastRegion`);
//! - [`TokenSession`]: token mode's state (dialog, banner: `components::token_prompt`);
//! - [`PermissionDrafts`]: unsaved permission edits of every endpoint (the Permissions tab, and
//!   `components::PermissionsGuard` before leaving).
//! - [`ConfigDrafts`]: the config editor's drafts and the configs replaced by applied updates
//!   (the Edit page, the leave guard, "Roll back");
//! - [`Fleet`]: the bulk run (its summary survives navigation) and the command palette.
//!
//! A page's own state (the detail page's endpoint and poller) is provided by that page.

mod config_drafts;
mod fleet;
mod permission_drafts;
mod toasts;
mod token_session;
mod workspace;

pub use config_drafts::{ConfigDrafts, Kept};
pub use fleet::{Fleet, FleetRun, IdleObservations, PaletteRecent};
pub use permission_drafts::{AddForm, EditorState, PermissionDrafts};
pub use toasts::{Toast, ToastKind, Toasts};
pub use token_session::TokenSession;
pub use workspace::{provide_console_state, Workspace};
