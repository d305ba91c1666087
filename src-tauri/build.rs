//! Our own commands go through Tauri's ACL like any plugin's: each is listed here and must be
//! granted by a capability in src-tauri/capabilities/.

/// Every command the UI may call. Keep in step with `specta_builder()` in src/lib.rs.
const COMMANDS: &[&str] = &[
    "get_app_state",
    "open_practice_tenant",
    "sign_in",
    "sign_in_with_code",
    "cancel_sign_in",
    "switch_account",
    "sign_out",
    "reset_practice_tenant",
    "query_users",
    "find_person",
    "search_users",
    "search_properties",
    "list_domains",
    "get_user",
    "create_user",
    "update_user",
    "set_user_enabled",
    "delete_user",
    "revoke_sessions",
    "get_manager",
    "set_manager",
    "remove_manager",
    "user_groups",
    "owned_groups",
    "query_direct_reports",
    "query_groups",
    "search_groups",
    "get_group",
    "create_group",
    "update_group",
    "delete_group",
    "query_group_members",
    "query_group_owners",
    "add_group_members",
    "remove_group_member",
    "list_licenses",
    "user_licenses",
    "query_license_holders",
    "assign_license",
    "remove_license",
    "set_usage_location",
    "list_directory_roles",
    "list_role_members",
    "user_roles",
    "assign_role",
    "unassign_role",
    "invite_guest",
    "list_contact_folders",
    "search_contacts",
    "create_contact",
    "custom_request",
    "list_activity",
    "get_watch_status",
    "get_watch_settings",
    "set_watch_settings",
    "search_watch_groups",
    "check_now",
    "get_start_at_login",
    "set_start_at_login",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .capabilities_path_pattern("./src-tauri/capabilities/**/*")
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("failed to run tauri-build");
}
