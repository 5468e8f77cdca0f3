//! End-to-end tests: they run the binary on generated or shipped inputs.

mod schema;
mod support;
