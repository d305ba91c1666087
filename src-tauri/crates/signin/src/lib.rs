//! Identity only: OAuth2 sign-in (browser + PKCE + loopback; device code), the token store over the
//! OS keyring, sessions that implement `msgraph::TokenProvider`, and the cloud table.
