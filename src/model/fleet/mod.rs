//! Fleet operations (issue #18), pure logic:
//! - [`eligibility`]: per endpoint and bulk action, can it run, and if not why — from the
//!   detail page's own rules ([`crate::model::actions::lifecycle_rules`]), or "needs a detail
//!   read" when a list item cannot tell; the typed count that confirms a bulk delete;
//! - [`selection`]: a selection over the filtered list ("all N matching" without per-row
//!   state), kept across re-filtering and refreshes;
//! - [`runner`]: the bulk run as a state machine (bounded concurrency, the tab's token bucket,
//!   `Retry-After` obeyed, no mutation ever sent twice, cancel) and its summary;
//! - [`idle`]: "idle and costing" from the `/metrics` snapshots the console has observed;
//! - [`palette`]: the command palette's fuzzy matcher, recent items first.
//!
//! The rules are described in `docs/fleet.md`.

pub mod eligibility;
pub mod idle;
pub mod palette;
pub mod runner;
pub mod selection;
