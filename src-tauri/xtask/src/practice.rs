//! The practice tenant as the xtask commands use it: a token it signs, handed to msgraph.

/// An access token minted by the practice tenant (runs are short; tokens last an hour).
pub struct StaticToken(pub String);

impl msgraph::TokenProvider for StaticToken {
    fn access_token(&self, _force_refresh: bool) -> msgraph::TokenFuture<'_> {
        let token = msgraph::AccessToken::new(self.0.clone());
        Box::pin(async move { Ok(token) })
    }
}

/// `POST /_sandbox/tokens {"upn": …}`: an access token the practice tenant signed for `upn`
/// (`secret`: the tenant's admin API secret).
pub async fn mint_token(http: &reqwest::Client, base: &str, secret: &str, upn: &str) -> Result<String, String> {
    let resp = http
        .post(format!("{base}/_sandbox/tokens"))
        .header(sandbox::ADMIN_SECRET_HEADER, secret)
        .json(&serde_json::json!({ "upn": upn }))
        .send()
        .await
        .map_err(|e| format!("could not mint a token for {upn}: {e}"))?;
    if !resp.status().is_success() {
        return Err(format!(
            "the practice tenant refused a token for {upn}: {}",
            resp.status()
        ));
    }
    let v: serde_json::Value = resp.json().await.map_err(|e| e.to_string())?;
    v["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "the practice tenant's token answer has no access_token".to_string())
}
