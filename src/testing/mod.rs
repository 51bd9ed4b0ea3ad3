//! `vrisk test`: policy tests written beside each policy (`NAME.test.yaml`).
//!
//! A run goes one way: paths -> test files ([`discover`]) -> checked test files ([`format`]) ->
//! a suite of cases with their policies and registries loaded ([`prepare`]) -> each case
//! through the real engine, compared with its expectations, with condition coverage
//! ([`run`], [`coverage`]) -> text ([`render`]). The format is documented in docs/testing.md.

pub mod coverage;
pub mod discover;
pub mod format;
pub mod prepare;
pub mod render;
pub mod root;
pub mod run;
