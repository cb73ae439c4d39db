//! Pure rules of the credit platform, each with its legal basis in the doc comments.

pub mod catalog;
pub mod dates;
pub mod kinds;
pub mod lists;
pub mod publicity;
pub mod severity;
pub mod timeliness;
pub mod validate;
