//! "Show the request": a client that reads for real and writes nothing. A card's use case runs on it
//! exactly as it would for real — the same look-ups, the same request values — and every request that
//! would change something is recorded here instead of being sent, answered with a stand-in so the use
//! case goes on to its next request (a created object gets [`PREVIEW_ID`] as its id). What the person
//! is shown is therefore what msgraph would send: one source, nothing written twice.

use std::sync::{Arc, Mutex};

use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Map, Value};

/// The id a created object gets in a preview: requests that follow a create name it.
pub const PREVIEW_ID: &str = "00000000-0000-0000-0000-00000000new0";

/// Property names whose values are never shown (passwords).
const SECRET_KEYS: &[&str] = &["password", "newPassword", "currentPassword"];

/// One request a card would send.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewedRequest {
    pub method: String,
    /// The full URL, query included.
    pub url: String,
    /// Headers the request carries besides the token and the content type (e.g. `ConsistencyLevel`).
    pub headers: Vec<(String, String)>,
    /// The JSON body, with passwords masked.
    pub body: Option<Value>,
}

impl PreviewedRequest {
    /// The Microsoft Graph PowerShell line that sends the same request (`Invoke-MgGraphRequest`).
    pub fn powershell(&self) -> String {
        let quote = |s: &str| format!("'{}'", s.replace('\'', "''"));
        let mut line = format!(
            "Invoke-MgGraphRequest -Method {} -Uri {}",
            self.method,
            quote(&self.url)
        );
        if !self.headers.is_empty() {
            let pairs: Vec<String> = self
                .headers
                .iter()
                .map(|(k, v)| format!("{} = {}", quote(k), quote(v)))
                .collect();
            line.push_str(&format!(" -Headers @{{ {} }}", pairs.join("; ")));
        }
        if let Some(body) = &self.body {
            line.push_str(&format!(
                " -Body {} -ContentType 'application/json'",
                quote(&body.to_string())
            ));
        }
        line
    }
}

/// Where a previewing client records what it would send. Cheap to clone (shared).
#[derive(Debug, Clone, Default)]
pub struct Preview {
    recorded: Arc<Mutex<Vec<PreviewedRequest>>>,
    /// Reads are recorded too (and still sent): "Show the request" of a search form.
    reads: bool,
}

impl Preview {
    /// A preview that records reads as well as changes (`Client::previewing_reads`).
    pub(crate) fn with_reads() -> Preview {
        Preview {
            reads: true,
            ..Preview::default()
        }
    }

    /// Whether reads are recorded too.
    pub(crate) fn records_reads(&self) -> bool {
        self.reads
    }

    /// Records a read that is sent for real (a previewing client made with `previewing_reads`).
    pub(crate) fn note_read(&self, method: &Method, url: &str, headers: &HeaderMap) {
        self.push(method, url, headers, None);
    }

    /// The requests recorded so far, in the order they would be sent.
    pub fn requests(&self) -> Vec<PreviewedRequest> {
        self.recorded.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Records a request that would change something and returns the stand-in answer
    /// (status, body) the use case receives.
    pub(crate) fn record(
        &self,
        method: &Method,
        url: &str,
        headers: &HeaderMap,
        body: Option<&[u8]>,
    ) -> (u16, Vec<u8>) {
        let json: Option<Value> = body.and_then(|b| serde_json::from_slice(b).ok());
        self.push(method, url, headers, json.clone());
        stand_in(method, url, json)
    }

    fn push(&self, method: &Method, url: &str, headers: &HeaderMap, json: Option<Value>) {
        let shown_headers = headers
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "authorization" | "content-type"))
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        self.recorded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(PreviewedRequest {
                method: method.to_string(),
                url: url.to_string(),
                headers: shown_headers,
                body: json.map(mask),
            });
    }
}

/// Passwords become "••••••••" wherever they sit in the body.
fn mask(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    if SECRET_KEYS.contains(&k.as_str()) && v.is_string() {
                        (k, Value::String("••••••••".into()))
                    } else {
                        (k, mask(v))
                    }
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(mask).collect()),
        other => other,
    }
}

/// What the use case gets back instead of Graph's answer: a `$batch` answers 204 for each request;
/// a POST that creates gets its own body back with [`PREVIEW_ID`] (an invitation also names the guest
/// account it would create, as Graph's answer does); anything else 204.
fn stand_in(method: &Method, url: &str, body: Option<Value>) -> (u16, Vec<u8>) {
    let path = url.split('?').next().unwrap_or(url);
    if path.ends_with("/$batch") || path.ends_with("/%24batch") {
        let responses: Vec<Value> = body
            .as_ref()
            .and_then(|b| b.get("requests"))
            .and_then(Value::as_array)
            .map(|rs| {
                rs.iter()
                    .map(|r| json!({"id": r.get("id"), "status": 204, "headers": {}}))
                    .collect()
            })
            .unwrap_or_default();
        return (200, json!({ "responses": responses }).to_string().into_bytes());
    }
    match (method, body) {
        (&Method::POST, Some(Value::Object(mut m))) if !path.ends_with("/$ref") => {
            m.entry("id").or_insert_with(|| Value::String(PREVIEW_ID.into()));
            if path.ends_with("/invitations") {
                m.entry("invitedUser").or_insert_with(|| json!({ "id": PREVIEW_ID }));
            }
            (201, Value::Object(m).to_string().into_bytes())
        }
        (&Method::POST, _) if !path.ends_with("/$ref") => {
            let m: Map<String, Value> = [("id".to_string(), Value::String(PREVIEW_ID.into()))]
                .into_iter()
                .collect();
            (200, Value::Object(m).to_string().into_bytes())
        }
        _ => (204, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_and_the_powershell_line_sends_the_same_request() {
        let preview = Preview::default();
        let mut headers = HeaderMap::new();
        headers.insert("authorization", "Bearer secret".parse().unwrap());
        headers.insert("consistencylevel", "eventual".parse().unwrap());
        let body = br#"{"displayName":"Kim O'Neil","passwordProfile":{"password":"xWwvJ]6NMw+bWH-d"}}"#;
        let (status, answer) = preview.record(
            &Method::POST,
            "https://graph.microsoft.com/v1.0/users",
            &headers,
            Some(body),
        );
        assert_eq!(status, 201);
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(answer["id"], PREVIEW_ID);
        let shown = &preview.requests()[0];
        assert_eq!(shown.body.as_ref().unwrap()["passwordProfile"]["password"], "••••••••");
        assert_eq!(
            shown.headers,
            vec![("consistencylevel".to_string(), "eventual".to_string())]
        );
        let line = shown.powershell();
        assert!(
            line.starts_with("Invoke-MgGraphRequest -Method POST -Uri 'https://graph.microsoft.com/v1.0/users'"),
            "{line}"
        );
        assert!(
            line.contains("Kim O''Neil") && !line.contains("xWwvJ") && !line.contains("secret"),
            "{line}"
        );
    }

    #[test]
    fn a_batch_gets_an_answer_for_each_request_and_a_patch_no_content() {
        let preview = Preview::default();
        let body = br#"{"requests":[{"id":"1","method":"DELETE","url":"/users/a"},{"id":"2","method":"DELETE","url":"/users/b"}]}"#;
        let (status, answer) = preview.record(&Method::POST, "https://g/v1.0/$batch", &HeaderMap::new(), Some(body));
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!((status, answer["responses"].as_array().unwrap().len()), (200, 2));
        let (status, answer) = preview.record(&Method::PATCH, "https://g/v1.0/users/a", &HeaderMap::new(), Some(b"{}"));
        assert_eq!((status, answer.len()), (204, 0));
    }

    #[test]
    fn an_invitation_names_the_guest_account_it_would_create() {
        let preview = Preview::default();
        let body = br#"{"invitedUserEmailAddress":"kim@fabrikam.com","inviteRedirectUrl":"https://myapplications.microsoft.com"}"#;
        let (status, answer) = preview.record(
            &Method::POST,
            "https://g/v1.0/invitations",
            &HeaderMap::new(),
            Some(body),
        );
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(status, 201);
        assert_eq!(answer["invitedUser"]["id"], PREVIEW_ID);
        assert_eq!(answer["invitedUserEmailAddress"], "kim@fabrikam.com");
    }
}
