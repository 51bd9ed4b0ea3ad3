//! vrisk: a vendor-risk policy checker.
//!
//! Data flows one way: files ([`source`], [`yaml`]) -> schema validation ([`schema`]) -> typed
//! registry ([`registry`]) -> derived facts ([`ownership`]) -> policy evaluation ([`engine`]) ->
//! reports. Each stage reports [`diagnostic::Problem`]s that point into the loaded files.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod embedded;
pub mod engine;
pub mod exit;
pub mod facts;
pub mod import;
pub mod inputs;
pub mod interval;
pub mod json;
pub mod limits;
pub mod money;
pub mod ownership;
pub mod policy;
pub mod registry;
pub mod report;
pub mod schema;
pub mod severity;
pub mod source;
pub mod truth;
pub mod yaml;
