//! Deterministic, plausible build and server logs of a served entity, as a function of its
//! deployment timeline and the emulated now — so logs grow while an entity builds and serves,
//! and "follow" in the console has something to follow.
//!
//! - **Build logs**: container image build steps spread over the build phase (artifact download,
//!   Python environment, pip installs, image push); a failing build ends in a pip error.
//! - **Server logs**: gunicorn/MLflow start-up, then a few lines per tick (requests, scoring,
//!   warnings, ~5 % with ANSI colour, unicode, an occasional very long payload line, the odd
//!   exception with its traceback), shutdown lines for a stopped endpoint, a Python stack trace
//!   for an entity whose model fails to load, out-of-memory restarts for a recovering one. Like the
//!   real API, only recent lines are returned: the last [`WINDOW_TICKS`] ticks.
//! - **Benchmark logs** ([`bench_server_log`]): N lines of mixed length (20–400 characters, ~5 %
//!   ANSI SGR, a few 100 KB lines, a rare term), for `serving-console demo --log-lines N`.
//!
//! Every line is a pure function of (entity, config version, line position): two requests at the
//! same emulated instant return the same text, and a later request returns the earlier lines
//! (those still in the window) followed by new ones.

mod bench;
mod build;
mod server;
mod time;
mod timeline;

pub use bench::{bench_server_log, LogLines, BENCH_RARE_TERM};
pub use build::build_log;
pub use server::{server_log, TICK_MS, WINDOW_TICKS};
pub use time::{civil, iso};
pub use timeline::{Outcome, Timeline};

#[cfg(test)]
mod tests;
