//! A real Secret Service round trip. Run under a private D-Bus session with gnome-keyring:
//!
//! ```sh
//! dbus-run-session -- bash tests/with-keyring.sh \
//!   cargo test -p signin --test keyring_real -- --ignored keyring_real_secret_service
//! ```

use signin::{Secret, TokenStore};

#[test]
#[ignore = "needs a Secret Service (gnome-keyring under dbus-run-session); see the file header"]
fn keyring_real_secret_service() {
    let store = zbus_secret_service_keyring_store::Store::new().expect("a Secret Service on the session bus");
    let tokens = TokenStore::with_store("com.entradesk.test.real", store);
    let user = format!(
        "keyring-real-{}|login.microsoftonline.com|client|rt",
        std::process::id()
    );
    let long: String = (0..6000).map(|i| (b'A' + (i % 26) as u8) as char).collect();

    tokens.save(&user, &Secret::new(long.clone())).unwrap();
    assert_eq!(tokens.load(&user).unwrap().unwrap().expose(), long);
    for i in 0..3 {
        let fresh: std::sync::Arc<keyring_core::CredentialStore> =
            zbus_secret_service_keyring_store::Store::new().unwrap();
        let part = keyring_core::Entry::new_in_store(&fresh, "com.entradesk.test.real", &format!("{user}#{i}"))
            .unwrap()
            .get_secret()
            .unwrap();
        assert!(
            part.len() <= signin::MAX_CHUNK_BYTES,
            "part {i} is {} bytes",
            part.len()
        );
    }

    let short = "short-refresh-token".to_string();
    tokens.save(&user, &Secret::new(short.clone())).unwrap();
    assert_eq!(tokens.load(&user).unwrap().unwrap().expose(), short);
    let fresh: std::sync::Arc<keyring_core::CredentialStore> = zbus_secret_service_keyring_store::Store::new().unwrap();
    for i in 0..3 {
        let e = keyring_core::Entry::new_in_store(&fresh, "com.entradesk.test.real", &format!("{user}#{i}")).unwrap();
        assert!(
            matches!(e.get_secret(), Err(keyring_core::Error::NoEntry)),
            "stale part {i} left behind"
        );
    }

    tokens.delete(&user).unwrap();
    assert!(tokens.load(&user).unwrap().is_none());
}
