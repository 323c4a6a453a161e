//! One module per screen.

pub mod endpoint_detail;
pub mod endpoint_list;
pub mod fleet;
pub mod not_found;
