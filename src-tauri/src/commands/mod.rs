//! Tauri commands: thin adapters. Each takes state, calls one function, maps the error.

pub mod activity;
pub mod groups;
pub mod session;
pub mod settings;
pub mod users;
pub mod watch;
