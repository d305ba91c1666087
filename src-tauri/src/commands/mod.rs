//! Tauri commands: thin adapters. Each takes state, calls one function, maps the error.

pub mod activity;
pub mod bulk;
pub mod changes;
pub mod contacts;
pub mod custom_request;
pub mod deleted;
pub mod export;
pub mod groups;
pub mod guests;
pub mod import;
pub mod licenses;
pub mod preview;
pub mod roles;
pub mod session;
pub mod settings;
pub mod users;
pub mod watch;
