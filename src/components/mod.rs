//! Reusable components, one per file, named after the component.

pub mod app_header;
pub mod error_view;
pub mod loading;
pub mod offline_banner;
pub mod state_badge;
pub mod toast;

pub use app_header::AppHeader;
pub use error_view::ErrorView;
pub use loading::{SkeletonRows, UpdatedAgo};
pub use offline_banner::OfflineBanner;
pub use state_badge::StateBadge;
pub use toast::{ToastRegion, Toasts};
