//! The tray icon keeps Entra Desk watching with the window closed: open, pause/resume watching, quit.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

const OPEN: &str = "open";
const PAUSE: &str = "pause";
const QUIT: &str = "quit";

pub fn show_main_window(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, OPEN, "Open Entra Desk", true, None::<&str>)?;
    let pause = MenuItem::with_id(app, PAUSE, "Pause watching", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, QUIT, "Quit Entra Desk", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &pause, &PredefinedMenuItem::separator(app)?, &quit])?;
    let pause_item = pause.clone();
    let mut builder = TrayIconBuilder::with_id("main")
        .tooltip("Entra Desk — watching your directory")
        .menu(&menu)
        .show_menu_on_left_click(false)
        .on_menu_event(move |app, event| match event.id().as_ref() {
            OPEN => show_main_window(app),
            PAUSE => {
                let app = app.clone();
                let item = pause_item.clone();
                tauri::async_runtime::spawn(async move {
                    let paused = app.state::<AppState>().toggle_watch_pause().await;
                    let _ = item.set_text(if paused { "Resume watching" } else { "Pause watching" });
                });
            }
            QUIT => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_main_window(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    builder.build(app)?;
    Ok(())
}
