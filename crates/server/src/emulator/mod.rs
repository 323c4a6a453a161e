//! The embedded emulator of the Databricks serving-endpoints REST API. Its modules, from the
//! routes down to the leaves (each imports only modules below it):
//!
//! - [`routes`]: the `/api/2.0/…`, `/serving-endpoints/…` and `/.well-known/…` routes;
//!   [`control`]: the test-only `/__emulator/` API; [`intercept`]: the middleware that records
//!   requests and injects faults; [`auth`]: the caller of a request; [`oidc`]: the workspace's
//!   OAuth server (`/oidc/…`: discovery, sign-in page, tokens);
//! - [`state`]: the shared state ([`AppState`]) and the settings ([`EmulatorConfig`]);
//! - [`seed`]: what the emulator starts from (default seed, `--seed FILE`, `--generate N`) and
//!   how a seed endpoint becomes a store record;
//! - the scenarios [`hostile`] (`--hostile`) and [`schema_gen`] (`--schema-mb`): seed endpoints;
//! - [`store`]: endpoints, ACLs and their scripted future; [`faults`]: fault rules and the
//!   request record; [`clock`]: real or frozen time;
//! - [`seed_file`]: the seed file format; [`principals`]: tokens → users, groups, a service
//!   principal;
//! - [`signature`]: MLflow signatures → OpenAPI documents, input checks, predictions;
//!   [`log_gen`]: build and server logs;
//! - leaves: [`random`] (deterministic numbers and ids), [`ordered_json`] (JSON writing).

pub mod auth;
pub mod clock;
pub mod control;
pub mod faults;
pub mod hostile;
pub mod intercept;
pub mod log_gen;
pub mod oidc;
pub mod ordered_json;
pub mod principals;
pub mod random;
pub mod routes;
pub mod schema_gen;
pub mod seed;
pub mod seed_file;
pub mod signature;
pub mod state;
pub mod store;

pub use state::{AppState, EmulatorConfig};
