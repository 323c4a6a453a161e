//! Reusable components, one per file, named after the component.

pub mod app_header;
pub mod dialog;
pub mod error_view;
pub mod kebab_menu;
pub mod loading;
pub mod log_viewer;
pub mod offline_banner;
pub mod palette;
pub mod permissions_guard;
pub mod sparkline;
pub mod state_badge;
pub mod toast;
pub mod token_prompt;

pub use app_header::AppHeader;
pub use dialog::{Dialog, DialogRole};
pub use error_view::ErrorView;
pub use kebab_menu::{KebabMenu, MenuItem};
pub use loading::{SkeletonRows, UpdatedAgo};
pub use log_viewer::{LogBuffer, LogViewer};
pub use offline_banner::OfflineBanner;
pub use palette::PaletteHost;
pub use permissions_guard::PermissionsGuard;
pub use sparkline::Sparkline;
pub use state_badge::StateBadge;
pub use toast::ToastRegion;
pub use token_prompt::{TokenBanner, TokenDialog, TokenRequired};
