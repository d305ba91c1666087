//! The practice tenant. Shares no code with `msgraph`.
