//! Shell integration tests.

/// The committed TypeScript bindings must match what the Rust contract generates.
/// `ENTRA_DESK_WRITE_BINDINGS=1` rewrites the file instead (what `cargo xtask bindings` does).
#[test]
fn bindings_are_up_to_date() {
    let fresh = entra_desk_lib::render_bindings().expect("render bindings");
    let path = entra_desk_lib::BINDINGS_PATH;
    if std::env::var_os("ENTRA_DESK_WRITE_BINDINGS").is_some() {
        std::fs::write(path, &fresh).expect("write bindings");
        return;
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.gen.ts is out of date with the Rust commands and events; run `cargo xtask bindings` and commit it"
    );
}
