//! A compact JSON document: parsed once into an arena of nodes that keeps object key order and
//! the byte offset of every value in the source text.
//!
//! Why not `serde_json::Value`: its maps sort keys (columns must stay in order), it recurses
//! (serde_json stops at depth 128; generated schemas nest deeper), it knows no positions
//! (validation errors point at the field in the editor), and a 10 MB OpenAPI document as a
//! `Value` tree costs several times the memory of this arena (16 bytes per node plus the
//! unescaped strings). The parser is iterative, so depth only costs heap.

mod doc;
mod parse;
mod pointer;
mod write;

pub use doc::{Doc, Kind, NodeId};
pub use parse::{line_col, ParseError};
pub use pointer::{escape_segment, percent_decode, unescape_segment};
pub use write::{write_json_string, MAX_INDENT_LEVELS};

/// The parse helper of this module's tests.
#[cfg(test)]
mod test_docs {
    use super::Doc;

    pub(super) fn p(s: &str) -> Doc {
        Doc::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }
}
