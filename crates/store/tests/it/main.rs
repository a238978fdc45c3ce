//! The store's integration tests, one binary: a real SQLite file in a temporary
//! directory for each test.

mod common;

mod console;
mod rate;
mod store;
