//! Read-only mode: which requests change something in the directory. A client made with
//! `ClientOptions::read_only` refuses those before sending ([`crate::ErrorKind::ReadOnly`]), whatever
//! the token would allow — Entra may hand a token every permission consented to the app even when a
//! sign-in asked only for read permissions, so the app's promise cannot rest on the token alone.

use reqwest::Method;
use serde_json::Value;

/// Graph actions sent as POST that only read (their answer is computed; nothing is stored).
const READING_ACTIONS: &[&str] = &[
    "getbyids",
    "getmembergroups",
    "getmemberobjects",
    "checkmembergroups",
    "checkmemberobjects",
    "getavailableextensionproperties",
    "validateproperties",
];

/// Whether a request to `path` (as sent, percent-encoded, with or without the `/v1.0` prefix) could
/// change something. GET and HEAD read; POST reads only for the actions above and for a `$batch`
/// whose every request reads. Anything that cannot be read with certainty counts as a change.
pub(crate) fn changes_something(method: &Method, path: &str, body: Option<&[u8]>) -> bool {
    if method == Method::GET || method == Method::HEAD {
        return false;
    }
    if method != Method::POST {
        return true;
    }
    let last = last_segment(path);
    if last == "$batch" {
        return body.is_none_or(batch_changes_something);
    }
    !READING_ACTIONS.contains(&last.trim_start_matches("microsoft.graph."))
}

/// The last path segment, lower-cased, with `%24` read as `$` (the query is not part of `path`).
fn last_segment(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or("");
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    percent_encoding::percent_decode_str(last)
        .decode_utf8_lossy()
        .to_ascii_lowercase()
}

fn batch_changes_something(body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<Value>(body) else {
        return true;
    };
    let Some(requests) = v.get("requests").and_then(Value::as_array) else {
        return true;
    };
    requests.iter().any(|r| {
        let method = r.get("method").and_then(Value::as_str).unwrap_or("");
        let url = r.get("url").and_then(Value::as_str).unwrap_or("");
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap_or(Method::POST);
        let body = r.get("body").map(|b| b.to_string().into_bytes());
        // A batch inside a batch is not allowed by Graph; count it as a change rather than recurse.
        last_segment(url) == "$batch" || changes_something(&method, url, body.as_deref())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(path: &str, body: &str) -> bool {
        changes_something(&Method::POST, path, Some(body.as_bytes()))
    }

    #[test]
    fn reads_pass_and_every_change_is_caught() {
        assert!(!changes_something(&Method::GET, "/v1.0/users", None));
        assert!(!changes_something(&Method::HEAD, "/v1.0/users", None));
        for m in [Method::PATCH, Method::PUT, Method::DELETE] {
            assert!(changes_something(&m, "/v1.0/users/1", None), "{m}");
        }
        assert!(post("/v1.0/users", "{}"));
        assert!(post("/v1.0/users/1/assignLicense", "{}"));
        assert!(post("/v1.0/users/1/revokeSignInSessions", ""));
        assert!(post("/v1.0/groups/1/members/$ref", "{}"));
        assert!(post("/v1.0/invitations", "{}"));
    }

    #[test]
    fn post_actions_that_only_read_pass() {
        assert!(!post("/v1.0/directoryObjects/getByIds", "{}"));
        assert!(!post("/v1.0/users/1/getMemberGroups", "{}"));
        assert!(!post("/v1.0/users/1/microsoft.graph.checkMemberGroups", "{}"));
        assert!(!post("/v1.0/me/getMemberObjects/", "{}"));
    }

    #[test]
    fn a_batch_reads_only_when_every_request_in_it_reads() {
        let reads = r#"{"requests":[{"id":"1","method":"GET","url":"/users"},{"id":"2","method":"get","url":"/groups?$top=1"},
            {"id":"3","method":"POST","url":"/directoryObjects/getByIds","body":{"ids":[]}}]}"#;
        assert!(!post("/v1.0/$batch", reads));
        assert!(!post("/v1.0/%24batch", reads));
        let one_write =
            r#"{"requests":[{"id":"1","method":"GET","url":"/users"},{"id":"2","method":"DELETE","url":"/users/1"}]}"#;
        assert!(post("/v1.0/$batch", one_write));
        assert!(post(
            "/v1.0/$batch",
            r#"{"requests":[{"id":"1","method":"POST","url":"/$batch"}]}"#
        ));
        // What cannot be read counts as a change.
        assert!(post("/v1.0/$batch", "not json"));
        assert!(post("/v1.0/$batch", r#"{"requests":[{"id":"1","url":"/users"}]}"#));
        assert!(changes_something(&Method::POST, "/v1.0/$batch", None));
    }
}
