//! The system browser for sign-in (never an embedded web view, RFC 8252 §8.12).

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

pub struct SystemBrowser {
    app: AppHandle,
}

impl SystemBrowser {
    pub fn new(app: AppHandle) -> SystemBrowser {
        SystemBrowser { app }
    }
}

impl signin::BrowserOpener for SystemBrowser {
    fn open(&self, url: &str) -> Result<(), String> {
        // The URL carries a PKCE challenge and state, no secret; still, it is not logged.
        self.app.opener().open_url(url, None::<&str>).map_err(|e| e.to_string())
    }
}
