//! Identity only: OAuth2 sign-in (browser + PKCE + loopback; device code), the token store over the
//! OS keyring, sessions that implement `msgraph::TokenProvider`, and the cloud table.
//!
//! See README.md for the public API, how the app wires it, and how it is tested.

// `SignInError` is a flat, serializable struct (it goes to the UI as is). Sign-in errors are rare and
// end a user action, so its size on the error path does not matter.
#![allow(clippy::result_large_err)]

mod cancel;
mod cloud;
mod device;
mod error;
mod interactive;
mod loopback;
mod oauth;
mod oidc;
mod profile;
mod secret;
mod session;
mod store;

pub use cancel::CancelHandle;
pub use cloud::{CloudLogin, READ_ONLY_PERMISSIONS};
pub use device::{sign_in_device_code, DeviceCodePrompt};
pub use error::{EntraErrorBody, SignInError, SignInErrorKind, SignInTarget, Stage};
pub use interactive::{
    request_admin_consent, sign_in_interactive, sign_in_interactive_with, AdminConsentResult, AuthCodeFlow,
    AuthorizationCode, BrowserOpener, InteractiveOptions, DEFAULT_TIMEOUT,
};
pub use oauth::REFRESH_AHEAD;
pub use profile::{Profile, ProfileKind, RedirectHost, READ_ONLY_ACCOUNT_SUFFIX};
pub use secret::Secret;
pub use session::{restore_session, Session, Sessions};
pub use store::{Account, AccountsData, AccountsFile, TokenStore, MAX_CHUNK_BYTES};
