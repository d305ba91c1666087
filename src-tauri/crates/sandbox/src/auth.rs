//! Sign-in like Entra (Microsoft identity platform v2.0): discovery, authorize (a small account
//! picker), token (authorization code + PKCE S256, refresh token rotation, device code), logout.
//!
//! Codes, refresh tokens and device codes are kept only as SHA-256 hashes, and nothing here logs them.

use crate::grants::{AuthState, CodeGrant, DeviceGrant, RefreshGrant};
use crate::shared::Shared;
use crate::store::Tenant;
use crate::util::{b64, fold, new_guid, random_token, seal, unseal};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Form, Json};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// The practice app registration (a public client) that /authorize and /token accept.
pub const PRACTICE_CLIENT_ID: &str = "3f2c8a61-7d4e-4b9a-9c15-5e8d2a7b6c40";
pub const GRAPH_AUD: &str = "https://graph.microsoft.com";
/// What `.default` grants in the practice tenant (the app's delegated permissions).
pub const DEFAULT_SCOPES: &str = "Contacts.ReadWrite Directory.AccessAsUser.All Directory.ReadWrite.All Group.ReadWrite.All GroupMember.ReadWrite.All LicenseAssignment.ReadWrite.All RoleManagement.ReadWrite.Directory User.Invite.All User.ReadWrite.All User.RevokeSessions.All";

const CODE_TTL_MS: i64 = 10 * 60 * 1000;
const DEVICE_TTL_MS: i64 = 15 * 60 * 1000;

fn hash(s: &str) -> String {
    b64(&Sha256::digest(s.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Entra-shaped errors
// ---------------------------------------------------------------------------------------------

pub fn entra_error(status: StatusCode, error: &str, code: u32, text: &str) -> Response {
    let trace = new_guid();
    let corr = new_guid();
    let ts = crate::util::iso_now().replace('Z', "").replace('T', " ") + "Z";
    let body = json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {text} Trace ID: {trace} Correlation ID: {corr} Timestamp: {ts}"),
        "error_codes": [code],
        "timestamp": ts,
        "trace_id": trace,
        "correlation_id": corr,
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

/// Entra answers with 302 Found.
fn found(location: &str) -> Response {
    (StatusCode::FOUND, [(header::LOCATION, location.to_string())]).into_response()
}

fn bad(error: &str, code: u32, text: &str) -> Response {
    entra_error(StatusCode::BAD_REQUEST, error, code, text)
}

fn error_page(code: u32, text: &str) -> Response {
    let html = page("Sign-in error", &format!("<h1>Sorry, but we’re having trouble signing you in.</h1><p class=\"err\" id=\"error\" data-code=\"AADSTS{code}\">AADSTS{code}: {}</p>", esc(text)));
    (StatusCode::BAD_REQUEST, Html(html)).into_response()
}

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{}</title>
<style>
body{{margin:0;font-family:"Segoe UI",system-ui,-apple-system,sans-serif;background:#f2f2f2;color:#1b1b1b}}
main{{max-width:440px;margin:64px auto;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.2);padding:44px}}
.brand{{font-weight:600;color:#0067b8;font-size:15px;margin-bottom:16px}} h1{{font-size:24px;font-weight:600;margin:0 0 16px}}
.badge{{display:inline-block;background:#fff4ce;color:#5c4400;font-size:12px;padding:2px 8px;border-radius:2px;margin-bottom:12px}}
ul{{list-style:none;padding:0;margin:0}} li{{border-top:1px solid #e6e6e6}} li:last-child{{border-bottom:1px solid #e6e6e6}}
a.account{{display:flex;gap:12px;align-items:center;padding:12px 8px;text-decoration:none;color:inherit}} a.account:hover,a.account:focus{{background:#f2f2f2;outline:none}}
.avatar{{width:40px;height:40px;border-radius:50%;background:#0067b8;color:#fff;display:flex;align-items:center;justify-content:center;font-weight:600}}
.name{{font-size:15px}} .upn{{font-size:13px;color:#605e5c}} .err{{color:#a4262c}} input{{font-size:15px;padding:6px;width:100%;box-sizing:border-box}}
button{{margin-top:12px;background:#0067b8;color:#fff;border:0;padding:8px 20px;font-size:15px}} footer{{font-size:12px;color:#605e5c;margin-top:24px}}
</style></head><body><main><div class="brand">Microsoft Entra · practice tenant</div>{}<footer>This is a local practice tenant. Nothing here touches a real Microsoft 365 organisation.</footer></main></body></html>"#,
        esc(title),
        body
    )
}

fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

/// Admins (users holding a directory role); if nobody holds one, every enabled member.
pub fn admins(t: &Tenant) -> Vec<(String, String, String)> {
    let enabled = |r: &crate::store::Rec| r.data().get("accountEnabled").and_then(Value::as_bool).unwrap_or(true);
    let row = |r: &crate::store::Rec| {
        (
            r.id().to_string(),
            r.data()
                .get("userPrincipalName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            r.data()
                .get("displayName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
        )
    };
    let mut v: Vec<_> = t
        .users
        .values()
        .filter(|r| enabled(r) && t.is_admin(&r.id()))
        .map(row)
        .collect();
    if v.is_empty() {
        v = t
            .users
            .values()
            .filter(|r| enabled(r) && r.data().get("userType").and_then(Value::as_str) != Some("Guest"))
            .map(row)
            .collect();
    }
    v.sort_by(|a, b| a.2.cmp(&b.2));
    v
}

/// Entra ignores the port of loopback redirect URIs for public clients.
pub fn redirect_ok(uri: &str) -> bool {
    if uri == "https://login.microsoftonline.com/common/oauth2/nativeclient" {
        return true;
    }
    match url::Url::parse(uri) {
        Ok(u) => {
            u.scheme() == "http"
                && matches!(u.host_str(), Some("localhost") | Some("127.0.0.1") | Some("[::1]"))
                && u.fragment().is_none()
        }
        Err(_) => false,
    }
}

fn tenant_ok(s: &Shared, tenant: &str) -> bool {
    let t = fold(tenant);
    t == s.tenant_id
        || t == "organizations"
        || t == "common"
        || s.tenant
            .lock()
            .map(|x| x.domains.iter().any(|d| fold(d) == t))
            .unwrap_or(false)
}

/// Graph scopes as Entra reports them: without the resource prefix; `.default` expands to the app's permissions.
fn normalise_scope(scope: &str) -> (String, String) {
    let mut graph = Vec::new();
    let mut oidc = Vec::new();
    for s in scope.split_whitespace() {
        let bare = s
            .strip_prefix("https://graph.microsoft.com/")
            .or_else(|| s.strip_prefix("00000003-0000-0000-c000-000000000000/"))
            .unwrap_or(s);
        match bare {
            "openid" | "profile" | "email" => oidc.push(bare.to_string()),
            "offline_access" => {}
            ".default" => graph.extend(DEFAULT_SCOPES.split(' ').map(str::to_string)),
            other => graph.push(other.to_string()),
        }
    }
    if graph.is_empty() {
        graph.push("User.Read".into());
    }
    graph.dedup();
    let scp = graph.join(" ");
    let mut shown = graph;
    shown.extend(oidc);
    (scp, shown.join(" "))
}

pub fn mint_access_token(s: &Shared, t: &Tenant, oid: &str, scp: &str, client_id: &str) -> Option<(String, i64)> {
    let u = t.users.get(oid)?;
    let now = s.now_ms() / 1000;
    let ttl = s.access_ttl_secs;
    let data = u.data();
    let upn = data
        .get("userPrincipalName")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let claims = json!({
        "aud": GRAPH_AUD, "iss": format!("{}/{}/v2.0", s.base, s.tenant_id), "iat": now, "nbf": now, "exp": now + ttl,
        "tid": s.tenant_id, "oid": oid, "sub": oid, "upn": upn, "unique_name": upn,
        "name": u.data().get("displayName"), "scp": scp, "appid": client_id, "azp": client_id, "ver": "1.0",
        "uti": random_token(12), "idtyp": "user",
    });
    Some((crate::jwt::sign(&s.jwt_key, &claims), ttl))
}

fn id_token(s: &Shared, t: &Tenant, oid: &str, client_id: &str, nonce: Option<&str>) -> Option<String> {
    let u = t.users.get(oid)?;
    let now = s.now_ms() / 1000;
    let mut claims = json!({
        "aud": client_id, "iss": format!("{}/{}/v2.0", s.base, s.tenant_id), "iat": now, "nbf": now, "exp": now + 3600,
        "tid": s.tenant_id, "oid": oid, "sub": oid, "name": u.data().get("displayName"),
        "preferred_username": u.data().get("userPrincipalName"), "ver": "2.0",
    });
    if let Some(n) = nonce {
        claims["nonce"] = json!(n);
    }
    Some(crate::jwt::sign(&s.jwt_key, &claims))
}

fn token_response(
    s: &Shared,
    t: &Tenant,
    auth: &mut AuthState,
    oid: &str,
    client_id: &str,
    scope: &str,
    nonce: Option<&str>,
) -> Response {
    let (scp, shown) = normalise_scope(scope);
    let Some((access, ttl)) = mint_access_token(s, t, oid, &scp, client_id) else {
        return bad(
            "invalid_grant",
            50034,
            "The user account does not exist in the directory.",
        );
    };
    let mut body = json!({"token_type": "Bearer", "scope": shown, "expires_in": ttl, "ext_expires_in": ttl, "access_token": access});
    if scope.split_whitespace().any(|x| x == "offline_access") {
        let rt = format!("1.{}", random_token(48));
        auth.refresh.insert(
            hash(&rt),
            RefreshGrant {
                client_id: client_id.into(),
                oid: oid.into(),
                scope: scope.into(),
                issued_ms: s.now_ms(),
            },
        );
        body["refresh_token"] = json!(rt);
    }
    if scope.split_whitespace().any(|x| x == "openid") {
        if let Some(it) = id_token(s, t, oid, client_id, nonce) {
            body["id_token"] = json!(it);
        }
    }
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store"), (header::PRAGMA, "no-cache")],
        Json(body),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------------
// discovery
// ---------------------------------------------------------------------------------------------

pub async fn openid_configuration(State(s): State<Arc<Shared>>, Path(tenant): Path<String>) -> Response {
    if !tenant_ok(&s, &tenant) {
        return bad("invalid_tenant", 90002, &format!("Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    }
    let b = &s.base;
    let tid = &s.tenant_id;
    Json(json!({
        "token_endpoint": format!("{b}/{tid}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{b}/{tid}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["HS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": format!("{b}/{tid}/v2.0"),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{b}/oidc/userinfo"),
        "authorization_endpoint": format!("{b}/{tid}/oauth2/v2.0/authorize"),
        "device_authorization_endpoint": format!("{b}/{tid}/oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": format!("{b}/{tid}/oauth2/v2.0/logout"),
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "preferred_username", "name", "tid", "ver", "oid"],
        "kerberos_endpoint": format!("{b}/{tid}/kerberos"),
        "tenant_region_scope": "EU",
        "cloud_instance_name": "practice.local",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": b.trim_start_matches("http://").to_string(),
        "rbac_url": "https://pas.windows.net",
        "code_challenge_methods_supported": ["S256"],
    }))
    .into_response()
}

/// The sandbox signs with HS256 and a per-process secret, which cannot be published as a JWK.
pub async fn jwks() -> Response {
    Json(json!({"keys": []})).into_response()
}

// ---------------------------------------------------------------------------------------------
// authorize
// ---------------------------------------------------------------------------------------------

// Long: the /authorize checks in the order Entra makes them (each may end the request), then the picker.
pub async fn authorize(
    State(s): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if !tenant_ok(&s, &tenant) {
        return error_page(90002, &format!("Tenant '{tenant}' not found."));
    }
    let client_id = q.get("client_id").cloned().unwrap_or_default();
    if client_id != s.client_id {
        return error_page(
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory 'Contoso'."),
        );
    }
    let redirect_uri = q.get("redirect_uri").cloned().unwrap_or_default();
    if !redirect_ok(&redirect_uri) {
        return error_page(50011, &format!("The redirect URI '{redirect_uri}' specified in the request does not match the redirect URIs configured for the application '{client_id}'."));
    }
    let state = q.get("state").cloned();
    let fail = |error: &str, code: u32, text: &str| -> Response {
        let mut u = match url::Url::parse(&redirect_uri) {
            Ok(u) => u,
            Err(_) => return error_page(50011, "Invalid redirect URI."),
        };
        {
            let mut qp = u.query_pairs_mut();
            qp.append_pair("error", error);
            qp.append_pair("error_description", &format!("AADSTS{code}: {text}"));
            if let Some(st) = &state {
                qp.append_pair("state", st);
            }
        }
        found(u.as_str())
    };
    if q.get("response_type").map(String::as_str) != Some("code") {
        return fail(
            "unsupported_response_type",
            700054,
            "response_type 'code' is required for this application.",
        );
    }
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    if challenge.is_empty() {
        return fail(
            "invalid_request",
            9002325,
            "Proof Key for Code Exchange is required for this application.",
        );
    }
    if q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return fail(
            "invalid_request",
            5000,
            "The practice tenant accepts only code_challenge_method=S256.",
        );
    }
    let scope = q.get("scope").cloned().unwrap_or_else(|| "openid".into());
    let txn = json!({
        "c": client_id, "r": redirect_uri, "st": state, "n": q.get("nonce"), "cc": challenge, "sc": scope,
        "x": s.now_ms() + CODE_TTL_MS,
    });
    let t = match s.tenant.lock() {
        Ok(t) => t,
        Err(_) => return error_page(500, "The practice tenant is unavailable."),
    };
    if let Some(hint) = q.get("login_hint") {
        if let Ok(oid) = t.user_id(hint) {
            drop(t);
            return complete(&s, &txn, &oid);
        }
    }
    if q.get("prompt").map(String::as_str) == Some("none") {
        return fail(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in.",
        );
    }
    let sealed = seal(&s.txn_key, &txn);
    let mut items = String::new();
    for (oid, upn, name) in admins(&t) {
        let href = format!(
            "/{}/oauth2/v2.0/authorize/select?txn={}&upn={}",
            s.tenant_id,
            sealed,
            url::form_urlencoded::byte_serialize(upn.as_bytes()).collect::<String>()
        );
        items.push_str(&format!(
            r#"<li><a class="account" id="account-{oid}" data-upn="{upn}" data-oid="{oid}" href="{href}"><span class="avatar" aria-hidden="true">{ini}</span><span><span class="name">{name}</span><br><span class="upn">{upn}</span></span></a></li>"#,
            oid = esc(&oid),
            upn = esc(&upn),
            href = esc(&href),
            ini = esc(&initials(&name)),
            name = esc(&name)
        ));
    }
    let body = format!(
        r#"<span class="badge">Practice tenant</span><h1>Practice tenant — choose an account</h1><p>Sign in to the practice app as one of Contoso’s administrators.</p><ul id="accounts">{items}</ul>"#
    );
    Html(page("Practice tenant — choose an account", &body)).into_response()
}

pub async fn authorize_select(State(s): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let Some(txn) = q.get("txn").and_then(|t| unseal(&s.txn_key, t)) else {
        return error_page(
            90023,
            "The sign-in request is invalid or has expired. Start the sign-in again.",
        );
    };
    if txn.get("x").and_then(Value::as_i64).unwrap_or(0) < s.now_ms() {
        return error_page(50132, "The sign-in request has expired. Start the sign-in again.");
    }
    let oid = match s.tenant.lock() {
        Ok(t) => t.user_id(q.get("upn").map(String::as_str).unwrap_or_default()).ok(),
        Err(_) => None,
    };
    match oid {
        Some(oid) => complete(&s, &txn, &oid),
        None => error_page(50034, "The user account does not exist in the directory."),
    }
}

fn complete(s: &Shared, txn: &Value, oid: &str) -> Response {
    let disabled = s
        .tenant
        .lock()
        .ok()
        .and_then(|t| {
            t.users
                .get(oid)
                .map(|u| u.data().get("accountEnabled") == Some(&Value::Bool(false)))
        })
        .unwrap_or(true);
    let redirect_uri = txn.get("r").and_then(Value::as_str).unwrap_or_default().to_string();
    let Ok(mut u) = url::Url::parse(&redirect_uri) else {
        return error_page(50011, "Invalid redirect URI.");
    };
    let state = txn.get("st").and_then(Value::as_str).map(str::to_string);
    if disabled {
        let mut qp = u.query_pairs_mut();
        qp.append_pair("error", "access_denied");
        qp.append_pair("error_description", "AADSTS50057: The user account is disabled.");
        if let Some(st) = &state {
            qp.append_pair("state", st);
        }
        drop(qp);
        return found(u.as_str());
    }
    let code = format!("1.{}", random_token(48));
    let grant = CodeGrant {
        client_id: txn.get("c").and_then(Value::as_str).unwrap_or_default().into(),
        redirect_uri: redirect_uri.clone(),
        challenge: txn.get("cc").and_then(Value::as_str).unwrap_or_default().into(),
        oid: oid.into(),
        scope: txn.get("sc").and_then(Value::as_str).unwrap_or_default().into(),
        nonce: txn.get("n").and_then(Value::as_str).map(str::to_string),
        expires_ms: s.now_ms() + CODE_TTL_MS,
    };
    if let Ok(mut a) = s.auth.lock() {
        a.codes.insert(hash(&code), grant);
    }
    {
        let mut qp = u.query_pairs_mut();
        qp.append_pair("code", &code);
        if let Some(st) = &state {
            qp.append_pair("state", st);
        }
        qp.append_pair("iss", &format!("{}/{}/v2.0", s.base, s.tenant_id));
        qp.append_pair("session_state", &new_guid());
    }
    found(u.as_str())
}

pub async fn logout(Query(q): Query<HashMap<String, String>>) -> Response {
    if let Some(r) = q.get("post_logout_redirect_uri") {
        if redirect_ok(r) {
            return found(r);
        }
    }
    Html(page(
        "Signed out",
        "<h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>",
    ))
    .into_response()
}

// ---------------------------------------------------------------------------------------------
// token
// ---------------------------------------------------------------------------------------------

pub fn pkce_ok(verifier: &str, challenge: &str) -> bool {
    // RFC 7636: 43..=128 unreserved characters; challenge = BASE64URL(SHA256(verifier)).
    let valid = (43..=128).contains(&verifier.len())
        && verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    valid
        && crate::util::constant_eq(
            b64(&Sha256::digest(verifier.as_bytes())).as_bytes(),
            challenge.as_bytes(),
        )
}

pub async fn token(
    State(s): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_ok(&s, &tenant) {
        return bad("invalid_tenant", 90002, &format!("Tenant '{tenant}' not found."));
    }
    let client_id = f.get("client_id").cloned().unwrap_or_default();
    if client_id.is_empty() {
        return bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    }
    if client_id != s.client_id {
        return bad(
            "unauthorized_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory 'Contoso'."),
        );
    }
    let now = s.now_ms();
    let grant = f.get("grant_type").map(String::as_str).unwrap_or("");
    match grant {
        "authorization_code" => code_grant(&s, &f, &client_id, now),
        "refresh_token" => refresh_grant(&s, &f, &client_id),
        "urn:ietf:params:oauth:grant-type:device_code" | "device_code" => device_grant(&s, &f, &client_id, now),
        "" => bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'grant_type'.",
        ),
        other => bad(
            "unsupported_grant_type",
            70003,
            &format!("The app requested an unsupported grant type '{other}'."),
        ),
    }
}

type FormMap = HashMap<String, String>;

/// The authorization-code grant: a single-use code, bound to client and redirect URI, PKCE checked.
fn code_grant(s: &Shared, f: &FormMap, client_id: &str, now: i64) -> Response {
    let code = f.get("code").cloned().unwrap_or_default();
    let h = hash(&code);
    let Ok(mut auth) = s.auth.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    if auth.used_codes.contains_key(&h) {
        return bad("invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
    }
    let Some(g) = auth.codes.get(&h).cloned() else {
        return bad(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        );
    };
    if g.expires_ms < now {
        auth.codes.remove(&h);
        return bad("invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.");
    }
    if g.client_id != client_id {
        return bad(
            "invalid_grant",
            70000,
            "The provided value for the 'code' parameter is not valid for this client.",
        );
    }
    if f.get("redirect_uri").map(String::as_str) != Some(g.redirect_uri.as_str()) {
        return bad("invalid_grant", 50011, "The redirect URI specified in the request does not match the redirect URI used to obtain the authorization code.");
    }
    let Some(verifier) = f.get("code_verifier") else {
        return bad(
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'code_verifier'.",
        );
    };
    // The code is spent whatever happens next.
    auth.codes.remove(&h);
    auth.used_codes.insert(h, now);
    if !pkce_ok(verifier, &g.challenge) {
        return bad(
            "invalid_grant",
            501481,
            "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
        );
    }
    let Ok(t) = s.tenant.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    let scope = merge_offline(&g.scope, f.get("scope"));
    token_response(s, &t, &mut auth, &g.oid, client_id, &scope, g.nonce.as_deref())
}

/// The refresh-token grant: rotates, refused once the account is disabled, deleted or revoked.
fn refresh_grant(s: &Shared, f: &FormMap, client_id: &str) -> Response {
    let rt = f.get("refresh_token").cloned().unwrap_or_default();
    let Ok(mut auth) = s.auth.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    let Some(g) = auth.refresh.get(&hash(&rt)).cloned() else {
        return bad(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        );
    };
    if g.client_id != client_id {
        return bad(
            "invalid_grant",
            70000,
            "The refresh token was issued to a different client.",
        );
    }
    let Ok(t) = s.tenant.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    let Some(u) = t.users.get(&g.oid) else {
        return bad(
            "invalid_grant",
            50034,
            "The user account does not exist in the directory.",
        );
    };
    if u.data().get("accountEnabled") == Some(&Value::Bool(false)) {
        return bad("invalid_grant", 50057, "The user account is disabled.");
    }
    if let Some(rev) = t.revoked.get(&g.oid) {
        if g.issued_ms <= *rev {
            return bad("invalid_grant", 50173, "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.");
        }
    }
    // Rotation: a new refresh token is issued; the old one stays valid (as Entra does).
    let scope = match f.get("scope") {
        Some(sc) if !sc.trim().is_empty() => merge_offline(sc, Some(&g.scope)),
        _ => g.scope.clone(),
    };
    let mut resp_scope = scope.clone();
    if !resp_scope.split_whitespace().any(|x| x == "offline_access") {
        resp_scope.push_str(" offline_access");
    }
    token_response(s, &t, &mut auth, &g.oid, client_id, &resp_scope, None)
}

/// The device-code grant: pending until the code is approved or denied on /devicelogin.
fn device_grant(s: &Shared, f: &FormMap, client_id: &str, now: i64) -> Response {
    let dc = f.get("device_code").cloned().unwrap_or_default();
    let h = hash(&dc);
    let Ok(mut auth) = s.auth.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    let Some(g) = auth.devices.get(&h).cloned() else {
        return bad(
            "invalid_grant",
            70000,
            "The provided value for the input parameter 'device_code' is not valid.",
        );
    };
    if g.client_id != client_id {
        return bad(
            "invalid_grant",
            70000,
            "The device code was issued to a different client.",
        );
    }
    if g.expires_ms < now {
        auth.devices.remove(&h);
        return bad("expired_token", 70019, "Verification code expired.");
    }
    if g.denied {
        auth.devices.remove(&h);
        return bad("access_denied", 70020, "The user declined the sign-in request.");
    }
    let Some(oid) = g.approved.clone() else {
        return bad(
            "authorization_pending",
            70016,
            "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
        );
    };
    auth.devices.remove(&h);
    let Ok(t) = s.tenant.lock() else {
        return bad("temporarily_unavailable", 90033, "Try again.");
    };
    token_response(s, &t, &mut auth, &oid, client_id, &g.scope, None)
}

fn merge_offline(scope: &str, other: Option<&String>) -> String {
    let mut s = scope.to_string();
    if let Some(o) = other {
        if o.split_whitespace().any(|x| x == "offline_access") && !s.split_whitespace().any(|x| x == "offline_access") {
            s.push_str(" offline_access");
        }
    }
    s
}

// ---------------------------------------------------------------------------------------------
// device code
// ---------------------------------------------------------------------------------------------

fn user_code() -> String {
    const ALPHA: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    crate::util::random_bytes(9)
        .iter()
        .map(|b| ALPHA[(*b as usize) % ALPHA.len()] as char)
        .collect()
}

pub async fn devicecode(
    State(s): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if !tenant_ok(&s, &tenant) {
        return bad("invalid_tenant", 90002, &format!("Tenant '{tenant}' not found."));
    }
    let client_id = f.get("client_id").cloned().unwrap_or_default();
    if client_id != s.client_id {
        return bad(
            "unauthorized_client",
            700016,
            &format!("Application with identifier '{client_id}' was not found in the directory 'Contoso'."),
        );
    }
    let scope = f
        .get("scope")
        .cloned()
        .unwrap_or_else(|| "openid profile offline_access".into());
    let dc = random_token(48);
    let uc = user_code();
    let uri = format!("{}/devicelogin", s.base);
    if let Ok(mut a) = s.auth.lock() {
        a.devices.insert(
            hash(&dc),
            DeviceGrant {
                user_code: uc.clone(),
                client_id,
                scope,
                expires_ms: s.now_ms() + DEVICE_TTL_MS,
                approved: None,
                denied: false,
            },
        );
    }
    Json(json!({
        "user_code": uc, "device_code": dc, "verification_uri": uri, "expires_in": DEVICE_TTL_MS / 1000, "interval": 5,
        "message": format!("To sign in, use a web browser to open the page {uri} and enter the code {uc} to authenticate."),
    }))
    .into_response()
}

/// Approves (or denies) a pending device code for a user. Returns false when no such code is pending.
pub fn approve_device(s: &Shared, user_code: &str, oid: Option<&str>) -> bool {
    let Ok(mut a) = s.auth.lock() else { return false };
    let code = user_code.trim().to_uppercase().replace('-', "");
    for g in a.devices.values_mut() {
        if g.user_code == code && g.approved.is_none() && !g.denied {
            match oid {
                Some(o) => g.approved = Some(o.to_string()),
                None => g.denied = true,
            }
            return true;
        }
    }
    false
}

pub async fn devicelogin(State(s): State<Arc<Shared>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let code = q.get("code").cloned().unwrap_or_default();
    if code.is_empty() {
        let body = r#"<h1>Enter code</h1><p>Enter the code displayed on your app or device.</p><form method="get" action="/devicelogin"><input id="code" name="code" autocomplete="off" aria-label="Code" autofocus><button type="submit">Next</button></form>"#;
        return Html(page("Enter code", body)).into_response();
    }
    if let Some(upn) = q.get("upn") {
        let oid = s.tenant.lock().ok().and_then(|t| t.user_id(upn).ok());
        let Some(oid) = oid else {
            return error_page(50034, "The user account does not exist in the directory.");
        };
        return if approve_device(&s, &code, Some(&oid)) {
            Html(page("Signed in", "<h1 id=\"done\">You have signed in to the practice app on your device.</h1><p>You may now close this window.</p>")).into_response()
        } else {
            error_page(
                70019,
                "That code didn’t work. Check the code and try again, or it may have expired.",
            )
        };
    }
    let t = match s.tenant.lock() {
        Ok(t) => t,
        Err(_) => return error_page(500, "The practice tenant is unavailable."),
    };
    let mut items = String::new();
    for (oid, upn, name) in admins(&t) {
        let href = format!(
            "/devicelogin?code={}&upn={}",
            url::form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>(),
            url::form_urlencoded::byte_serialize(upn.as_bytes()).collect::<String>()
        );
        items.push_str(&format!(
            r#"<li><a class="account" id="account-{oid}" data-upn="{upn}" data-oid="{oid}" href="{href}"><span class="avatar" aria-hidden="true">{ini}</span><span><span class="name">{name}</span><br><span class="upn">{upn}</span></span></a></li>"#,
            oid = esc(&oid),
            upn = esc(&upn),
            href = esc(&href),
            ini = esc(&initials(&name)),
            name = esc(&name)
        ));
    }
    Html(page(
        "Practice tenant — choose an account",
        &format!("<h1>Practice tenant — choose an account</h1><ul id=\"accounts\">{items}</ul>"),
    ))
    .into_response()
}

/// Validates a Graph bearer token. Err carries the message for Graph's 401.
pub fn validate_bearer(s: &Shared, headers: &HeaderMap) -> Result<crate::context::Caller, &'static str> {
    let raw = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token = raw
        .strip_prefix("Bearer ")
        .or_else(|| raw.strip_prefix("bearer "))
        .unwrap_or("")
        .trim();
    if token.is_empty() {
        return Err("Access token is empty.");
    }
    match crate::jwt::verify(&s.jwt_key, token, s.now_ms() / 1000) {
        Ok(c) => {
            if c.get("aud").and_then(Value::as_str) != Some(GRAPH_AUD) || c.get("tid").and_then(Value::as_str) != Some(s.tenant_id.as_str()) {
                return Err("Access token validation failure. Invalid audience.");
            }
            Ok(crate::context::Caller {
                oid: c.get("oid").and_then(Value::as_str).unwrap_or_default().to_string(),
                scopes: c
                    .get("scp")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect(),
            })
        }
        Err(crate::jwt::JwtError::Expired) => Err("Lifetime validation failed, the token is expired."),
        Err(crate::jwt::JwtError::BadSignature) => Err("Access token validation failure."),
        Err(crate::jwt::JwtError::Malformed) => Err("IDX14100: JWT is not well formed, there are no dots (.). The token needs to be in JWS or JWE Compact Serialization Format."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc7636_example() {
        // RFC 7636 appendix B.
        assert!(pkce_ok(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_ok(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!pkce_ok("short", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    #[test]
    fn loopback_redirects_ignore_the_port() {
        assert!(redirect_ok("http://localhost:53817/callback"));
        assert!(redirect_ok("http://127.0.0.1:1/"));
        assert!(!redirect_ok("https://evil.example/cb"));
        assert!(!redirect_ok("http://192.168.1.2:80/"));
        assert!(!redirect_ok("not a url"));
    }

    #[test]
    fn scopes_are_reported_without_the_resource_prefix() {
        let (scp, shown) = normalise_scope("https://graph.microsoft.com/User.Read.All openid offline_access profile");
        assert_eq!(scp, "User.Read.All");
        assert_eq!(shown, "User.Read.All openid profile");
        let (scp, _) = normalise_scope("https://graph.microsoft.com/.default");
        assert!(scp.contains("Directory.ReadWrite.All"));
    }

    #[test]
    fn auth_state_debug_shows_no_secrets() {
        let mut a = AuthState::default();
        a.refresh.insert(
            hash("1.secret-refresh-token"),
            RefreshGrant {
                client_id: "c".into(),
                oid: "o".into(),
                scope: "s".into(),
                issued_ms: 0,
            },
        );
        let d = format!("{a:?}");
        assert!(!d.contains("secret"));
        assert!(d.contains("refresh_tokens: 1"));
    }
}
