//! Small helpers: time stamps, ids, base64url, HMAC-SHA256 signing of opaque tokens.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Seconds since the Unix epoch.
pub fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// ISO 8601 UTC without fractional seconds, as Graph renders `createdDateTime`.
pub fn iso_now() -> String {
    iso_at(now_secs())
}

pub fn iso_at(secs: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn b64(data: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(data)
}

pub fn unb64(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

pub fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length; new_from_slice cannot fail for HMAC.
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return Vec::new(),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

pub fn hmac_verify(key: &[u8], data: &[u8], sig: &[u8]) -> bool {
    match HmacSha256::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.verify_slice(sig).is_ok()
        }
        Err(_) => false,
    }
}

/// An opaque, tamper-evident token: base64url(json) + "." + base64url(hmac).
pub fn seal(key: &[u8], value: &serde_json::Value) -> String {
    let body = serde_json::to_vec(value).unwrap_or_default();
    let sig = hmac(key, &body);
    format!("{}.{}", b64(&body), b64(&sig[..16]))
}

pub fn unseal(key: &[u8], token: &str) -> Option<serde_json::Value> {
    let (body, sig) = token.split_once('.')?;
    let body = unb64(body)?;
    let sig = unb64(sig)?;
    let full = hmac(key, &body);
    if sig.len() != 16 || !constant_eq(&full[..16], &sig) {
        return None;
    }
    serde_json::from_slice(&body).ok()
}

pub fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn random_bytes(n: usize) -> Vec<u8> {
    use rand::RngCore;
    let mut v = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut v);
    v
}

pub fn random_token(n: usize) -> String {
    b64(&random_bytes(n))
}

pub fn new_guid() -> String {
    uuid::Uuid::new_v4().to_string()
}

pub fn is_guid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok() && s.len() == 36
}

/// Lower-cases for case-insensitive comparisons the way the directory does.
pub fn fold(s: &str) -> String {
    s.to_lowercase()
}
