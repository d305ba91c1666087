//! Sign-in like Entra over HTTP: discovery, the account picker, code + PKCE, refresh, device code.

mod common;
use base64::Engine;
use common::*;
use reqwest::Method;
use serde_json::{json, Value};
use sha2::Digest;

const VERIFIER: &str = "M25iVXpKU3puUjFaYWg3T1NDTDQtcW1ROUY5YXlwalNoc0hhakxifmZHag";

fn challenge(v: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(v.as_bytes()))
}

fn claims(jwt: &str) -> Value {
    let p = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(p).unwrap()).unwrap()
}

fn query_of(location: &str) -> std::collections::HashMap<String, String> {
    url::Url::parse(location).unwrap().query_pairs().into_owned().collect()
}

async fn authorize_url(t: &T, extra: &str) -> String {
    format!(
        "{}/{}/oauth2/v2.0/authorize?client_id={}&response_type=code&redirect_uri=http%3A%2F%2Flocalhost%3A53111%2Fcb&scope=openid%20profile%20offline_access%20https%3A%2F%2Fgraph.microsoft.com%2FUser.ReadWrite.All&state=st-1&nonce=n-1&code_challenge={}&code_challenge_method=S256{}",
        t.sb.base_url(),
        t.sb.tenant_id(),
        t.sb.client_id(),
        challenge(VERIFIER),
        extra
    )
}

async fn redeem(t: &T, code: &str, verifier: &str) -> (u16, Value) {
    let r = t
        .http
        .post(format!("{}/{}/oauth2/v2.0/token", t.sb.base_url(), t.sb.tenant_id()))
        .form(&[
            ("client_id", t.sb.client_id().as_str()),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", "http://localhost:53111/cb"),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn discovery_document_points_at_the_sandbox() {
    let t = start().await;
    let v: Value = t
        .http
        .get(format!(
            "{}/{}/v2.0/.well-known/openid-configuration",
            t.sb.base_url(),
            t.sb.tenant_id()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = t.sb.base_url();
    let tid = t.sb.tenant_id();
    assert_eq!(v["issuer"], format!("{base}/{tid}/v2.0"));
    assert_eq!(
        v["authorization_endpoint"],
        format!("{base}/{tid}/oauth2/v2.0/authorize")
    );
    assert_eq!(v["token_endpoint"], format!("{base}/{tid}/oauth2/v2.0/token"));
    assert_eq!(
        v["device_authorization_endpoint"],
        format!("{base}/{tid}/oauth2/v2.0/devicecode")
    );
    assert!(v["end_session_endpoint"].is_string() && v["jwks_uri"].is_string() && v["msgraph_host"].is_string());
    let r = t
        .http
        .get(format!("{base}/organizations/v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = t
        .http
        .get(format!("{base}/fabrikam.com/v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
}

// Long: one sign-in story; each step uses the codes and tokens the previous one returned.
#[tokio::test]
async fn account_picker_code_pkce_and_refresh_rotation() {
    let t = start().await;
    let html = t
        .http
        .get(authorize_url(&t, "").await)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Practice tenant — choose an account"));
    assert!(
        html.contains(r#"data-upn="admin@contoso.com""#),
        "the seeded admin is listed"
    );
    // Pick the account the way a scripted client would: find its link by data-upn.
    let start_at = html.find(r#"data-upn="admin@contoso.com""#).unwrap();
    let href_at = html[start_at..].find("href=\"").unwrap() + start_at + 6;
    let href = html[href_at..href_at + html[href_at..].find('"').unwrap()].replace("&amp;", "&");
    let r = t.http.get(format!("{}{}", t.sb.base_url(), href)).send().await.unwrap();
    assert_eq!(r.status(), 302);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with("http://localhost:53111/cb?"));
    let q = query_of(&loc);
    assert_eq!(q["state"], "st-1");
    assert_eq!(q["iss"], format!("{}/{}/v2.0", t.sb.base_url(), t.sb.tenant_id()));

    let (s, v) = redeem(&t, &q["code"], "wrong-verifier-wrong-verifier-wrong-verifier-1").await;
    assert_eq!(s, 400);
    assert_eq!(v["error"], "invalid_grant");
    assert!(v["error_description"].as_str().unwrap().starts_with("AADSTS501481: "));
    assert_eq!(v["error_codes"][0], 501481);
    assert!(v["trace_id"].is_string() && v["correlation_id"].is_string() && v["timestamp"].is_string());
    // The code was spent by the failed attempt, like Entra.
    let (s, v) = redeem(&t, &q["code"], VERIFIER).await;
    assert_eq!(s, 400);
    assert!(
        v["error_description"].as_str().unwrap().starts_with("AADSTS54005: "),
        "{v}"
    );

    // A fresh sign-in with login_hint signs in at once.
    let r = t
        .http
        .get(authorize_url(&t, "&login_hint=AdeleV%40contoso.com").await)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_redirection());
    let q = query_of(r.headers()["location"].to_str().unwrap());
    let (s, v) = redeem(&t, &q["code"], VERIFIER).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["scope"], "User.ReadWrite.All openid profile");
    assert!(v["expires_in"].as_i64().unwrap() > 3000);
    let at = claims(v["access_token"].as_str().unwrap());
    assert_eq!(at["upn"], "AdeleV@contoso.com");
    assert_eq!(at["tid"], t.sb.tenant_id());
    assert_eq!(at["scp"], "User.ReadWrite.All");
    assert_eq!(at["oid"], "87d349ed-44d7-43e1-9a83-5f2406dee5bd");
    let idt = claims(v["id_token"].as_str().unwrap());
    assert_eq!(idt["nonce"], "n-1");
    assert_eq!(idt["aud"], t.sb.client_id());
    assert_eq!(idt["preferred_username"], "AdeleV@contoso.com");
    assert_eq!(idt["iss"], format!("{}/{}/v2.0", t.sb.base_url(), t.sb.tenant_id()));

    // The access token works against Graph.
    let me: Value = t
        .http
        .get(format!("{}/me", t.sb.graph_url()))
        .bearer_auth(v["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["displayName"], "Adele Vance");

    // Refresh: a new refresh token each time; the old one keeps working.
    let rt1 = v["refresh_token"].as_str().unwrap().to_string();
    let refresh = |rt: String| {
        let t = &t;
        async move {
            let r = t
                .http
                .post(format!("{}/organizations/oauth2/v2.0/token", t.sb.base_url()))
                .form(&[
                    ("client_id", t.sb.client_id().as_str()),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", rt.as_str()),
                    ("scope", "https://graph.microsoft.com/User.ReadWrite.All offline_access"),
                ])
                .send()
                .await
                .unwrap();
            (r.status().as_u16(), r.json::<Value>().await.unwrap())
        }
    };
    let (s, v2) = refresh(rt1.clone()).await;
    assert_eq!(s, 200, "{v2}");
    let rt2 = v2["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    assert_eq!(refresh(rt1.clone()).await.0, 200);
    // revokeSignInSessions invalidates refresh tokens issued before it.
    let (s, _) = t
        .post("/users/AdeleV@contoso.com/revokeSignInSessions", json!({}))
        .await;
    assert_eq!(s, 200);
    let (s, v3) = refresh(rt2).await;
    assert_eq!(s, 400);
    assert!(v3["error_description"].as_str().unwrap().starts_with("AADSTS50173: "));
}

#[tokio::test]
async fn authorize_rejects_unknown_clients_and_foreign_redirects() {
    let t = start().await;
    let url = authorize_url(&t, "")
        .await
        .replace(&t.sb.client_id(), "00000000-0000-0000-0000-000000000000");
    let r = t.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("AADSTS700016"));
    let url = authorize_url(&t, "")
        .await
        .replace("http%3A%2F%2Flocalhost%3A53111%2Fcb", "https%3A%2F%2Fevil.example%2Fcb");
    let r = t.http.get(url).send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("AADSTS50011"));
    // Without PKCE the error goes back to the app.
    let url = authorize_url(&t, "").await.replace("code_challenge=", "x_challenge=");
    let r = t.http.get(url).send().await.unwrap();
    let q = query_of(r.headers()["location"].to_str().unwrap());
    assert_eq!(q["error"], "invalid_request");
    assert_eq!(q["state"], "st-1");
}

// Long: one device-code story; each step depends on the state the previous one left.
#[tokio::test]
async fn device_code_is_pending_until_approved() {
    let t = start().await;
    let dc: Value = t
        .http
        .post(format!(
            "{}/{}/oauth2/v2.0/devicecode",
            t.sb.base_url(),
            t.sb.tenant_id()
        ))
        .form(&[
            ("client_id", t.sb.client_id().as_str()),
            ("scope", "openid offline_access https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(dc["message"]
        .as_str()
        .unwrap()
        .contains(dc["user_code"].as_str().unwrap()));
    let poll = || async {
        let r = t
            .http
            .post(format!("{}/{}/oauth2/v2.0/token", t.sb.base_url(), t.sb.tenant_id()))
            .form(&[
                ("client_id", t.sb.client_id().as_str()),
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", dc["device_code"].as_str().unwrap()),
            ])
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.json::<Value>().await.unwrap())
    };
    let (s, v) = poll().await;
    assert_eq!((s, v["error"].as_str()), (400, Some("authorization_pending")));
    assert_eq!(v["error_codes"][0], 70016);
    // Approve through the device login page, as a person would.
    let page = t
        .http
        .get(format!(
            "{}/devicelogin?code={}",
            t.sb.base_url(),
            dc["user_code"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"data-upn="admin@contoso.com""#));
    let ok = t
        .http
        .get(format!(
            "{}/devicelogin?code={}&upn=admin%40contoso.com",
            t.sb.base_url(),
            dc["user_code"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let (s, v) = poll().await;
    assert_eq!(s, 200, "{v}");
    assert!(claims(v["access_token"].as_str().unwrap())["scp"]
        .as_str()
        .unwrap()
        .contains("Directory.ReadWrite.All"));
    assert!(v["refresh_token"].is_string());
    // Admin API approval path.
    let (s, _) = t
        .admin(
            Method::POST,
            "/devicecode/approve",
            Some(json!({"user_code": "NOPE", "upn": ADMIN})),
        )
        .await;
    assert_eq!(s, 404);
}
