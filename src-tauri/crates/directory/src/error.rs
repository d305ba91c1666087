//! What can go wrong with a directory action, in words a person can act on.

use std::fmt;

/// A directory action failed.
#[derive(Debug)]
pub enum Error {
    /// The input was rejected. `field` names the form field. Nothing was changed; the only
    /// requests that may have been sent are look-ups (e.g. finding the user a name refers to).
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    /// Microsoft Graph refused or failed. Keeps Graph's code, message and request id.
    Graph(msgraph::Error),
    /// Microsoft Graph refused, and the card's known causes explain why: `hint` says it in plain
    /// words ("Someone in the directory already has this sign-in name."); `graph` keeps Graph's
    /// code, message and request id.
    Explained { hint: String, graph: msgraph::Error },
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    /// The form field this error is about, if any.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::Invalid { field, .. } => *field,
            _ => None,
        }
    }

    /// Graph's error, if Graph answered.
    pub fn graph(&self) -> Option<&msgraph::Error> {
        match self {
            Error::Invalid { .. } => None,
            Error::Graph(g) | Error::Explained { graph: g, .. } => Some(g),
        }
    }

    /// The plain-language explanation, if one was added to Graph's error.
    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Explained { hint, .. } => Some(hint),
            _ => None,
        }
    }
}

impl From<msgraph::Error> for Error {
    fn from(e: msgraph::Error) -> Error {
        Error::Graph(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { message, .. } => f.write_str(message),
            Error::Graph(e) => write!(f, "{e}"),
            Error::Explained { hint, graph } => write!(f, "{hint} ({graph})"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Invalid { .. } => None,
            Error::Graph(e) | Error::Explained { graph: e, .. } => Some(e),
        }
    }
}
