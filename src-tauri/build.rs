//! Our own commands go through Tauri's ACL like any plugin's: each is listed here and must be
//! granted by a capability in src-tauri/capabilities/.

/// Every command the UI may call: the names in `collect_commands![…]` of `specta_builder()` in
/// src/lib.rs, the one list of them (tests/shell.rs checks the capability grants the same set).
fn commands() -> Vec<String> {
    let lib = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src-tauri/src/lib.rs"))
        .expect("read src-tauri/src/lib.rs");
    let start = lib
        .find("collect_commands![")
        .expect("specta_builder() lists its commands");
    let list = &lib[start..];
    let list = &list[..list.find(']').expect("the command list ends")];
    list.split(',')
        .filter_map(|path| path.trim().rsplit("::").next())
        .map(str::trim)
        .filter(|name| !name.is_empty() && !name.contains('!') && !name.contains('['))
        .map(str::to_owned)
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=src-tauri/src/lib.rs");
    // A grant added to a capability must reach the app on an incremental build too.
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    let commands: &'static [&'static str] = commands()
        .into_iter()
        .map(|c| &*Box::leak(c.into_boxed_str()))
        .collect::<Vec<_>>()
        .leak();
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("failed to run tauri-build");
}
