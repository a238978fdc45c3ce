//! The web crate's integration tests, one binary: the app over a fresh store in a
//! temporary directory, driven through its router.

mod common;

mod analyze;
mod api;
mod blocklists;
mod console;
mod indicators;
mod limits;
mod message;
mod pages;
mod partners;
mod races;
mod stats;
mod webhooks;
