//! Pure rules of the credit platform, each with its legal basis in the doc comments.

pub mod dates;
pub mod severity;
pub mod validate;
