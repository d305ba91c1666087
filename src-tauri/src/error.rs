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
    /// Signed in, but not allowed. `needed` says what would allow it (the role, permission or
    /// setting), when known; `request_id` is for support.
    #[error("{}", lead(needed.as_deref(), message))]
    #[serde(rename_all = "camelCase")]
    Forbidden {
        message: String,
        needed: Option<String>,
        code: Option<String>,
        request_id: Option<String>,
    },
    /// Microsoft Graph is limiting requests and nothing was changed: try again after
    /// `retry_after_secs` (when Graph said how long).
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    Throttled {
        message: String,
        retry_after_secs: Option<u32>,
        code: Option<String>,
        request_id: Option<String>,
    },
    /// Microsoft Graph could not find the object (deleted, or not yet replicated).
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    NotFound {
        message: String,
        code: Option<String>,
        request_id: Option<String>,
    },
    /// It conflicts with something that already exists (a taken sign-in name, an existing member).
    #[error("{message}")]
    #[serde(rename_all = "camelCase")]
    Conflict {
        message: String,
        code: Option<String>,
        request_id: Option<String>,
    },
    /// Microsoft Graph refused or failed otherwise; `request_id` is for support.
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
    /// The account is signed in read-only and the action would change something: nothing was sent.
    #[error("{message}")]
    ReadOnly { message: String },
    /// The user cancelled.
    #[error("{message}")]
    Cancelled { message: String },
    /// Something went wrong inside Entra Desk.
    #[error("{message}")]
    Internal { message: String },
}

/// Why a read-only account cannot change anything, and what to do instead.
pub const READ_ONLY_SENTENCE: &str = "This account is signed in read-only. To make changes, add the account again without \"Read only\" (account menu → Add account).";

/// "What is needed (what Graph said)" when the need is known.
fn lead(needed: Option<&str>, message: &str) -> String {
    match needed {
        Some(n) => format!("{n} ({message})"),
        None => message.to_string(),
    }
}

impl IpcError {
    pub fn not_signed_in() -> Self {
        IpcError::NotSignedIn {
            message: "You are not signed in. Sign in to your organization or open the practice tenant.".into(),
        }
    }

    /// What a read-only sign-in answers to any change.
    pub fn read_only() -> Self {
        IpcError::ReadOnly {
            message: format!("{READ_ONLY_SENTENCE} Nothing was sent, so nothing was changed."),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        IpcError::Internal {
            message: message.into(),
        }
    }

    fn message_mut(&mut self) -> &mut String {
        match self {
            IpcError::Validation { message, .. }
            | IpcError::NotSignedIn { message }
            | IpcError::Forbidden { message, .. }
            | IpcError::Throttled { message, .. }
            | IpcError::NotFound { message, .. }
            | IpcError::Conflict { message, .. }
            | IpcError::Graph { message, .. }
            | IpcError::SignIn { message, .. }
            | IpcError::Network { message }
            | IpcError::ReadOnly { message }
            | IpcError::Cancelled { message }
            | IpcError::Internal { message } => message,
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
        use msgraph::ErrorKind as K;
        let message = e.to_string();
        let code = e.code().map(str::to_string);
        let request_id = e.request_id().map(str::to_string);
        match e.kind() {
            K::Network => IpcError::Network { message },
            K::Stopped => IpcError::Cancelled { message },
            K::ReadOnly => IpcError::read_only(),
            K::Forbidden => IpcError::Forbidden {
                message,
                needed: None,
                code,
                request_id,
            },
            K::Throttled => IpcError::Throttled {
                message,
                // Whole seconds, rounded up: "try again in 0 seconds" would come too early.
                retry_after_secs: e
                    .retry_after()
                    .map(|d| u32::try_from(d.as_millis().div_ceil(1000)).unwrap_or(u32::MAX)),
                code,
                request_id,
            },
            K::NotFound => IpcError::NotFound {
                message,
                code,
                request_id,
            },
            K::Conflict => IpcError::Conflict {
                message,
                code,
                request_id,
            },
            _ => IpcError::Graph {
                message,
                code,
                request_id,
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
            // A refusal: the explanation is what is needed. Otherwise the plain explanation leads
            // and Graph's own words follow for support.
            directory::Error::Explained { hint, graph } => match IpcError::from(graph) {
                IpcError::Forbidden {
                    message,
                    code,
                    request_id,
                    ..
                } => IpcError::Forbidden {
                    message,
                    needed: Some(hint),
                    code,
                    request_id,
                },
                // Nothing was sent: a hint about what Graph would have said does not apply.
                read_only @ IpcError::ReadOnly { .. } => read_only,
                mut other => {
                    let message = other.message_mut();
                    *message = format!("{hint} ({message})");
                    other
                }
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
    fn forbidden_json_shape_is_pinned() {
        let e = IpcError::Forbidden {
            message: "Insufficient privileges to complete the operation.".into(),
            needed: Some("You need the License Administrator or User Administrator role to do this.".into()),
            code: Some("Authorization_RequestDenied".into()),
            request_id: Some("rid-403".into()),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"forbidden","message":"Insufficient privileges to complete the operation.",
                   "needed":"You need the License Administrator or User Administrator role to do this.",
                   "code":"Authorization_RequestDenied","requestId":"rid-403"})
        );
    }

    #[test]
    fn throttled_json_shape_is_pinned() {
        let e = IpcError::Throttled {
            message: "Microsoft Graph is busy.".into(),
            retry_after_secs: Some(5),
            code: Some("TooManyRequests".into()),
            request_id: Some("rid-429".into()),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"throttled","message":"Microsoft Graph is busy.","retryAfterSecs":5,
                   "code":"TooManyRequests","requestId":"rid-429"})
        );
    }

    #[test]
    fn not_found_and_conflict_json_shapes_are_pinned() {
        let e = IpcError::NotFound {
            message: "m".into(),
            code: Some("Request_ResourceNotFound".into()),
            request_id: Some("rid-404".into()),
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"notFound","message":"m","code":"Request_ResourceNotFound","requestId":"rid-404"})
        );
        let e = IpcError::Conflict {
            message: "m".into(),
            code: Some("Request_BadRequest".into()),
            request_id: None,
        };
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            json!({"kind":"conflict","message":"m","code":"Request_BadRequest","requestId":null})
        );
    }

    fn graph(status: u16, code: &str, retry_after: Option<std::time::Duration>) -> msgraph::Error {
        let body = json!({"error":{"code":code,"message":"Graph's words.","innerError":{"request-id":"rid-1"}}});
        msgraph::Error::from_answer(status, body.to_string().as_bytes(), retry_after)
    }

    #[test]
    fn graph_refusals_become_the_kinds_the_ui_acts_on_with_code_and_request_id() {
        let kind = |e: IpcError| serde_json::to_value(e).unwrap();
        for (status, code, want) in [
            (403, "Authorization_RequestDenied", "forbidden"),
            (404, "Request_ResourceNotFound", "notFound"),
            (409, "Conflict", "conflict"),
            (429, "TooManyRequests", "throttled"),
            (500, "generalException", "graph"),
        ] {
            let v = kind(graph(status, code, None).into());
            assert_eq!(v["kind"], want, "{status}");
            assert_eq!(v["code"], code, "{status}");
            assert_eq!(v["requestId"], "rid-1", "{status}: the request id stays visible");
            assert!(v["message"].as_str().unwrap().contains("Graph's words."), "{v}");
        }
        let v = kind(graph(429, "TooManyRequests", None).into());
        assert_eq!(v["retryAfterSecs"], serde_json::Value::Null);
    }

    #[test]
    fn throttled_keeps_retry_after_in_whole_seconds_rounded_up() {
        use std::time::Duration;
        let secs = |wait: Duration| match IpcError::from(graph(429, "TooManyRequests", Some(wait))) {
            IpcError::Throttled { retry_after_secs, .. } => retry_after_secs,
            other => panic!("{other:?}"),
        };
        assert_eq!(secs(Duration::from_secs(5)), Some(5));
        assert_eq!(secs(Duration::from_millis(2100)), Some(3));
    }

    #[test]
    fn an_explained_refusal_says_what_is_needed_and_keeps_graphs_words() {
        let e: IpcError = directory::Error::Explained {
            hint: "You need the License Administrator role to do this.".into(),
            graph: graph(403, "Authorization_RequestDenied", None),
        }
        .into();
        let IpcError::Forbidden {
            ref message,
            ref needed,
            ref request_id,
            ..
        } = e
        else {
            panic!("{e:?}")
        };
        assert_eq!(
            needed.as_deref(),
            Some("You need the License Administrator role to do this.")
        );
        assert!(
            message.contains("Graph's words.") && !message.contains("License Administrator"),
            "{message}"
        );
        assert_eq!(request_id.as_deref(), Some("rid-1"));
        assert!(
            e.to_string()
                .starts_with("You need the License Administrator role to do this. ("),
            "{e}"
        );
    }

    #[test]
    fn other_explanations_lead_the_message_and_keep_the_kind() {
        let e: IpcError = directory::Error::Explained {
            hint: "Someone in the directory already has this sign-in name.".into(),
            graph: graph(409, "Conflict", None),
        }
        .into();
        let IpcError::Conflict { message, .. } = e else {
            panic!("{e:?}")
        };
        assert!(
            message.starts_with("Someone in the directory already has this sign-in name. ("),
            "{message}"
        );
        assert!(message.contains("Graph's words."), "{message}");
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
        let read_only = serde_json::to_value(IpcError::read_only()).unwrap();
        assert_eq!(read_only["kind"], "readOnly");
        let message = read_only["message"].as_str().unwrap();
        assert!(
            message.contains("read-only") && message.contains("Nothing was sent"),
            "{message}"
        );
        assert!(message.contains("Add account"), "says what to do: {message}");
    }
}
