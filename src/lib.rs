//! vrisk: a vendor-risk policy checker.

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diagnostic;
pub mod embedded;
pub mod engine;
pub mod exit;
pub mod explain;
pub mod facts;
pub mod inputs;
pub mod interval;
pub mod limits;
pub mod money;
pub mod ownership;
pub mod ownership_cmd;
pub mod policy;
pub mod registry;
pub mod report;
pub mod schema;
pub mod severity;
pub mod source;
pub mod truth;
pub mod waivers;
pub mod yaml;
