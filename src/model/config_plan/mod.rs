//! Change what an endpoint serves as a reviewed plan (issue #15), pure logic:
//! - [`normalize`]: one comparable form ([`normalize::Desired`]) for a GET answer and an edit;
//! - [`edit`]: the form state as typed, and the shortcut edits;
//! - [`validate`]: the server's rules, one message per field, as the user types;
//! - [`plan`]: diff → steps (tags → AI gateway → config → notifications), each with its effect
//!   and exact request;
//! - [`conflict`]: was the endpoint changed meanwhile, and "keep my edits on the current config";
//! - [`apply`]: the steps sent one at a time, a failure stops the run, the report;
//! - [`rollout`]: a config update followed from GET to GET until it is served or failed;
//! - [`rollback`]: a plan back to the config an update replaced;
//! - [`export`]: the `update-config --json` shape, out and in;
//! - [`versions`]: the version picker fed by Unity Catalog's model-versions list.
//!
//! The API facts behind the rules are in `docs/serving-api-changes.md`.

pub mod apply;
pub mod conflict;
pub mod edit;
pub mod export;
pub mod normalize;
pub mod plan;
pub mod rollback;
pub mod rollout;
pub mod validate;
pub mod versions;

pub use edit::EditForm;
pub use normalize::{Desired, Snapshot};
pub use plan::{plan, Call, Effect, Plan, Step};
