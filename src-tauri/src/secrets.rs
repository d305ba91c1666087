//! Chooses the OS keyring at start-up (explicitly: the keyring v1 wrapper would silently replace a
//! test store). Refresh tokens live there and nowhere else.

/// Installs the platform's credential store as keyring-core's default.
pub fn install_platform_store() -> Result<(), String> {
    #[cfg(target_os = "linux")]
    {
        let store = zbus_secret_service_keyring_store::Store::new()
            .map_err(|e| format!("the Secret Service (GNOME Keyring / KWallet) is not available: {e}"))?;
        keyring_core::set_default_store(store);
    }
    #[cfg(target_os = "macos")]
    {
        let store = apple_native_keyring_store::keychain::Store::new()
            .map_err(|e| format!("the macOS Keychain is not available: {e}"))?;
        keyring_core::set_default_store(store);
    }
    #[cfg(target_os = "windows")]
    {
        let store = windows_native_keyring_store::Store::new()
            .map_err(|e| format!("Windows Credential Manager is not available: {e}"))?;
        keyring_core::set_default_store(store);
    }
    Ok(())
}
