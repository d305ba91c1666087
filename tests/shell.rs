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

/// Every command the UI can call is granted to the main window, and nothing else is: the grant list
/// (capabilities/main.json) must name exactly the commands of `specta_builder()` (which build.rs
/// also reads for the ACL manifest).
#[test]
fn the_main_window_is_granted_exactly_the_commands_of_the_contract() {
    let bindings = entra_desk_lib::render_bindings().expect("render bindings");
    let commands: std::collections::BTreeSet<String> = bindings
        .split("__TAURI_INVOKE")
        .skip(1)
        .filter(|rest| rest.starts_with('(') || rest.starts_with('<'))
        .filter_map(|rest| rest.split_once("(\"")?.1.split('"').next())
        .map(|name| format!("allow-{}", name.replace('_', "-")))
        .collect();
    assert!(commands.len() > 50, "{commands:?}");
    let capability: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/capabilities/main.json")).unwrap(),
    )
    .unwrap();
    let granted: std::collections::BTreeSet<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter(|p| !p.contains(':'))
        .map(str::to_owned)
        .collect();
    let missing: Vec<_> = commands.difference(&granted).collect();
    let extra: Vec<_> = granted.difference(&commands).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "capabilities/main.json: not granted {missing:?}; granted but not a command {extra:?}"
    );
}
