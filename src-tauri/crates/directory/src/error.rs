//! What can go wrong with a directory action, in words a person can act on.

use std::fmt;

/// A directory action failed.
#[derive(Debug)]
pub enum Error {
    /// The input was rejected before anything was sent to Graph. `field` names the form field.
    Invalid {
        field: Option<&'static str>,
        message: String,
    },
    /// Microsoft Graph refused or failed. Keeps Graph's code, message and request id.
    Graph(msgraph::Error),
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Error {
        Error::Invalid {
            field: Some(field),
            message: message.into(),
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
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Invalid { .. } => None,
            Error::Graph(e) => Some(e),
        }
    }
}
