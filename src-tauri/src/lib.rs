//! The Tauri shell: wiring only. Plugins, managed state, the typed command/event contract.

mod browser;
pub mod bulk;
pub mod commands;
pub mod error;
pub mod events;
pub mod import;
pub mod journaling;
mod secrets;
mod sink;
pub mod state;
mod tray;
pub mod view;

use tauri::Manager;

use tauri_specta::{collect_commands, collect_events, Builder};

// Long: the one list of the commands (build.rs and the capability check read it from here) and
// the events; split, it would no longer be one list.
/// The typed contract between Rust and the UI: every command and event the UI may use.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            commands::session::get_app_state,
            commands::session::open_practice_tenant,
            commands::session::sign_in,
            commands::session::sign_in_with_code,
            commands::session::cancel_sign_in,
            commands::session::switch_account,
            commands::session::sign_out,
            commands::session::reset_practice_tenant,
            commands::users::query_users,
            commands::users::find_person,
            commands::users::search_users,
            commands::users::search_properties,
            commands::users::new_temporary_password,
            commands::users::list_domains,
            commands::users::get_user,
            commands::users::copy_user,
            commands::users::create_user,
            commands::users::update_user,
            commands::users::reset_password,
            commands::users::set_user_enabled,
            commands::users::delete_user,
            commands::deleted::list_deleted_items,
            commands::deleted::restore_deleted_item,
            commands::deleted::delete_permanently,
            commands::preview::preview_request,
            commands::changes::list_changes,
            commands::changes::plan_undo,
            commands::changes::undo_change,
            commands::export::save_csv,
            commands::users::revoke_sessions,
            commands::users::get_manager,
            commands::users::set_manager,
            commands::users::remove_manager,
            commands::users::user_groups,
            commands::users::owned_groups,
            commands::users::query_direct_reports,
            commands::groups::query_groups,
            commands::groups::search_groups,
            commands::groups::get_group,
            commands::groups::copy_group,
            commands::groups::create_group,
            commands::groups::update_group,
            commands::groups::delete_group,
            commands::groups::query_group_members,
            commands::groups::search_group_members,
            commands::groups::query_group_owners,
            commands::groups::add_group_members,
            commands::groups::remove_group_member,
            commands::groups::add_group_owner,
            commands::groups::remove_group_owner,
            commands::groups::check_membership_rule,
            commands::licenses::list_licenses,
            commands::licenses::user_licenses,
            commands::licenses::query_license_holders,
            commands::licenses::assign_license,
            commands::licenses::remove_license,
            commands::licenses::set_usage_location,
            commands::roles::list_directory_roles,
            commands::roles::query_role_holders,
            commands::roles::refresh_role_holders,
            commands::roles::user_roles,
            commands::roles::assign_role,
            commands::roles::unassign_role,
            commands::roles::unassign_role_assignment,
            commands::roles::list_custom_roles,
            commands::roles::list_administrative_units,
            commands::guests::invite_guest,
            commands::contacts::list_contact_folders,
            commands::contacts::search_contacts,
            commands::contacts::create_contact,
            commands::custom_request::custom_request,
            commands::activity::list_activity,
            commands::watch::get_watch_status,
            commands::settings::get_watch_settings,
            commands::settings::set_watch_settings,
            commands::settings::search_watch_groups,
            commands::settings::check_now,
            commands::settings::stop_waiting,
            commands::settings::get_start_at_login,
            commands::settings::set_start_at_login,
            commands::bulk::plan_bulk_job,
            commands::bulk::plan_undo_bulk_job,
            commands::bulk::start_bulk_job,
            commands::bulk::resume_bulk_job,
            commands::bulk::cancel_bulk_job,
            commands::bulk::discard_bulk_job,
            commands::bulk::list_bulk_jobs,
            commands::bulk::unfinished_bulk_jobs,
            commands::bulk::bulk_job_rows,
            commands::import::save_import_template,
            commands::import::open_import_file,
            commands::import::fix_import_row,
            commands::import::close_import,
            commands::import::plan_import,
        ])
        .events(collect_events![
            events::DirectoryChanged,
            events::SessionChanged,
            events::WatchStatusChanged,
            events::DeviceCodeShown,
            events::GraphWaitsChanged,
            events::NewUserProgress,
            events::BulkJobProgress
        ])
}

/// Where the generated TypeScript bindings live (committed; drift-checked by `cargo xtask test`).
pub const BINDINGS_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/bindings.gen.ts");

/// Renders the TypeScript bindings.
pub fn render_bindings() -> Result<String, String> {
    // One folder per call: two tests of one process render at once, and each removes its folder.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("entra-desk-bindings-{}-{call}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("bindings.gen.ts");
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header("// Generated by tauri-specta from the Rust shell (src-tauri/src). Do not edit: run `cargo xtask bindings`.\n// @ts-nocheck\n/* eslint-disable */"),
            &file,
        )
        .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(&file).map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(text)
}

/// Logs go to stderr; `RUST_LOG` tunes them. Nothing logged ever contains a token.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tao=warn,wry=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

pub fn run() {
    init_logging();
    let builder = specta_builder();
    tauri::Builder::default()
        // A second start brings the running window forward instead of starting a second watcher.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_main_window(app)
        }))
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            Some(vec!["--background"]),
        ))
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            if let Err(e) = secrets::install_platform_store() {
                // Sign-in still works for this run; it is just not remembered. The UI says so on sign-in.
                tracing::warn!(error = %e, "no OS keyring: sign-ins will not be remembered");
            }
            let config_dir = app.path().app_config_dir()?;
            let data_dir = app.path().app_data_dir()?;
            let outside = state::Outside {
                sink: std::sync::Arc::new(sink::TauriSink::new(app.handle().clone())),
                browser: std::sync::Arc::new(browser::SystemBrowser::new(app.handle().clone())),
                tokens: state::token_store(),
            };
            app.manage(state::AppState::new(
                config_dir,
                data_dir,
                state::Overrides::from_env(),
                outside,
            ));
            if let Err(e) = tray::install(app.handle()) {
                tracing::warn!(error = %e, "no tray icon on this desktop");
            }
            if std::env::args().any(|a| a == "--background") {
                if let Some(window) = app.get_webview_window("main") {
                    let _ = window.hide();
                }
            }
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                handle.state::<state::AppState>().restore().await;
            });
            Ok(())
        })
        .on_page_load(|webview, payload| {
            // `cargo xtask bench` (P5) times the start to this line, for Entra Desk and for the
            // trivial Tauri app alike (src-tauri/xtask/bench/trivial-app).
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished)
                && std::env::var_os("ENTRA_DESK_BENCH_READY").is_some()
            {
                println!("BENCH-READY {}", webview.label());
            }
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Entra Desk watching from the tray; "Quit" in the tray ends it.
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                if window.app_handle().tray_by_id("main").is_some() {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .run(tauri::generate_context!("tauri.conf.json"))
        .expect("error while running Entra Desk");
}
