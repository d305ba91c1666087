//! HS256 JSON Web Tokens signed with a per-process random key.

use crate::util::{b64, hmac, hmac_verify, unb64};
use serde_json::{json, Value};

pub fn sign(key: &[u8], claims: &Value) -> String {
    let header = json!({"typ": "JWT", "alg": "HS256", "kid": "practice-tenant"});
    let h = b64(header.to_string().as_bytes());
    let p = b64(claims.to_string().as_bytes());
    let input = format!("{h}.{p}");
    let sig = hmac(key, input.as_bytes());
    format!("{input}.{}", b64(&sig))
}

#[derive(Debug, PartialEq, Eq)]
pub enum JwtError {
    Malformed,
    BadSignature,
    Expired,
}

/// Verifies the signature and `exp` (against `now` seconds); returns the claims.
pub fn verify(key: &[u8], token: &str, now: i64) -> Result<Value, JwtError> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(JwtError::Malformed);
    };
    let header: Value = unb64(h)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::BadSignature);
    }
    let sig = unb64(s).ok_or(JwtError::Malformed)?;
    if !hmac_verify(key, format!("{h}.{p}").as_bytes(), &sig) {
        return Err(JwtError::BadSignature);
    }
    let claims: Value = unb64(p)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(JwtError::Malformed)?;
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or(JwtError::Malformed)?;
    if exp <= now {
        return Err(JwtError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_expiry_and_forgery() {
        let key = b"0123456789abcdef0123456789abcdef";
        let t = sign(key, &json!({"oid": "x", "exp": 1000}));
        assert_eq!(verify(key, &t, 999).unwrap()["oid"], "x");
        assert_eq!(verify(key, &t, 1000), Err(JwtError::Expired));
        assert_eq!(verify(b"another key", &t, 999), Err(JwtError::BadSignature));
        // A token with its payload swapped keeps the old signature: refused.
        let mut parts: Vec<String> = t.split('.').map(str::to_string).collect();
        parts[1] = b64(json!({"oid": "admin", "exp": 5000}).to_string().as_bytes());
        assert_eq!(verify(key, &parts.join("."), 999), Err(JwtError::BadSignature));
        // alg=none is refused.
        let none = format!("{}.{}.", b64(br#"{"alg":"none"}"#), parts[1]);
        assert!(verify(key, &none, 999).is_err());
        assert_eq!(verify(key, "not-a-jwt", 0), Err(JwtError::Malformed));
    }
}
