//! `IpcError`: the one error type that crosses IPC. The UI switches on `kind`, never on text.
//! Messages are plain language and never contain a token, code or secret.

use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Serialize, Type, thiserror::Error)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum IpcError {
    /// The input was rejected before anything was sent; `field` names the form field.
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    Validation { message: String, field: Option<String> },
    /// No account is signed in (or the active one was signed out).
    #[error("{message}")]
    NotSignedIn { message: String },
    /// Microsoft Graph refused or failed; `request_id` is for support.
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    Graph {
        message: String,
        code: Option<String>,
        request_id: Option<String>,
        status: Option<u16>,
    },
    /// Sign-in failed; `next_step` says what to do, the codes are for support.
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    SignIn {
        message: String,
        next_step: Option<String>,
        code: Option<String>,
        trace_id: Option<String>,
        admin_consent_url: Option<String>,
    },
    /// The network or the service could not be reached.
    #[error("{message}")]
    Network { message: String },
    /// The user cancelled.
    #[error("{message}")]
    Cancelled { message: String },
    /// Something went wrong inside Entra Desk.
    #[error("{message}")]
    Internal { message: String },
}

impl IpcError {
    pub fn not_signed_in() -> Self {
        IpcError::NotSignedIn {
            message: "You are not signed in. Sign in to your organization or open the practice tenant.".into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::Internal {
            message: message.into(),
        }
    }
}

impl From<signin::SignInError> for IpcError {
    fn from(e: signin::SignInError) -> IpcError {
        use signin::SignInErrorKind as K;
        match e.kind {
            K::Cancelled => IpcError::Cancelled { message: e.message },
            K::NotSignedIn => IpcError::NotSignedIn {
                message: format!("{} {}", e.message, e.next_step).trim().to_string(),
            },
            _ => IpcError::SignIn {
                message: e.message,
                next_step: (!e.next_step.is_empty()).then_some(e.next_step),
                code: e.aadsts_code.or(e.oauth_error),
                trace_id: e.trace_id,
                admin_consent_url: e.admin_consent_url,
            },
        }
    }
}

impl From<msgraph::Error> for IpcError {
    fn from(e: msgraph::Error) -> IpcError {
        match e.kind() {
            msgraph::ErrorKind::Network => IpcError::Network { message: e.to_string() },
            _ => IpcError::Graph {
                message: e.to_string(),
                code: e.code().map(str::to_string),
                request_id: e.request_id().map(str::to_string),
                status: e.status(),
            },
        }
    }
}

impl From<directory::Error> for IpcError {
    fn from(e: directory::Error) -> IpcError {
        match e {
            directory::Error::Invalid { field, message } => IpcError::Validation {
                message,
                field: field.map(str::to_string),
            },
            directory::Error::Graph(g) => g.into(),
            // The plain explanation leads; Graph's own words follow for support.
            directory::Error::Explained { hint, graph } => match IpcError::from(graph) {
                IpcError::Graph {
                    message,
                    code,
                    request_id,
                    status,
                } => IpcError::Graph {
                    message: format!("{hint} ({message})"),
                    code,
                    request_id,
                    status,
                },
                IpcError::Network { message } => IpcError::Network {
                    message: format!("{hint} ({message})"),
                },
                other => other,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // The UI branches on these exact shapes (ui/src/api): changing one is a breaking change.
    #[test]
    fn graph_error_json_shape_is_pinned() {
        let e = IpcError::Graph {
            message: "That user does not exist.".into(),
            code: Some("Request_ResourceNotFound".into()),
            request_id: Some("7b4d3b2e-0000-4000-8000-000000000001".into()),
            status: Some(404),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"graph","message":"That user does not exist.","code":"Request_ResourceNotFound",
                   "requestId":"7b4d3b2e-0000-4000-8000-000000000001","status":404})
        );
    }

    #[test]
    fn sign_in_error_json_shape_is_pinned() {
        let e = IpcError::SignIn {
            message: "Your administrator must approve Entra Desk first.".into(),
            next_step: Some("Ask an administrator to grant consent.".into()),
            code: Some("AADSTS65001".into()),
            trace_id: Some("t-1".into()),
            admin_consent_url: None,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"signIn","message":"Your administrator must approve Entra Desk first.",
                   "nextStep":"Ask an administrator to grant consent.","code":"AADSTS65001","traceId":"t-1",
                   "adminConsentUrl":null})
        );
    }

    #[test]
    fn simple_kinds_json_shape_is_pinned() {
        assert_eq!(
            serde_json::to_value(IpcError::Validation {
                message: "m".into(),
                field: Some("tenant".into())
            })
            .unwrap(),
            json!({"kind":"validation","message":"m","field":"tenant"})
        );
        assert_eq!(
            serde_json::to_value(IpcError::not_signed_in()).unwrap()["kind"],
            "notSignedIn"
        );
        assert_eq!(
            serde_json::to_value(IpcError::Network { message: "m".into() }).unwrap(),
            json!({"kind":"network","message":"m"})
        );
        assert_eq!(
            serde_json::to_value(IpcError::Cancelled { message: "m".into() }).unwrap(),
            json!({"kind":"cancelled","message":"m"})
        );
        assert_eq!(
            serde_json::to_value(IpcError::internal("m")).unwrap(),
            json!({"kind":"internal","message":"m"})
        );
    }
}
