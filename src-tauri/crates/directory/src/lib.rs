//! The directory actions as use cases over `msgraph`. Knows the domain, never Tauri.
