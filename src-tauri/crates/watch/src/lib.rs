//! Change detection: delta walks -> local mirror (SQLite) -> events. Knows nothing of Tauri.
