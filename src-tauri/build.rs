fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "get_app_state",
            "open_practice_tenant",
            "sign_out",
            "list_users",
            "list_activity",
            "watch_status",
        ])),
    )
    .expect("failed to run tauri-build");
}
