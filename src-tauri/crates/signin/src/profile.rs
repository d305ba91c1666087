//! Profiles: where and how to sign in (cloud, tenant, client id, scopes, redirect host).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use url::Url;

use msgraph::Cloud;

use crate::cloud::{profile_cloud, CloudLogin};
use crate::error::{SignInError, SignInTarget};

/// Whether a profile is a real organisation or the built-in practice tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ProfileKind {
    Organization,
    Practice,
}

/// The host name in the loopback redirect URI. Entra's portal registers `http://localhost`;
/// `127.0.0.1` needs a manifest edit in Entra and is what the test identity provider registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RedirectHost {
    #[default]
    #[serde(rename = "localhost")]
    Localhost,
    #[serde(rename = "127.0.0.1")]
    Loopback,
}

impl RedirectHost {
    pub fn as_str(self) -> &'static str {
        match self {
            RedirectHost::Localhost => "localhost",
            RedirectHost::Loopback => "127.0.0.1",
        }
    }
}

/// A sign-in profile. It holds no secret and is safe to keep in the accounts file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Stable key chosen by the app (e.g. a UUID or "practice").
    pub id: String,
    pub display_name: String,
    pub kind: ProfileKind,
    /// The Microsoft cloud; `None` (stored as `custom`) for the practice tenant or a test identity
    /// provider, whose `authority` is used as given.
    #[serde(with = "profile_cloud")]
    pub cloud: Option<Cloud>,
    /// `https://{login host}/{tenant}` or, for the practice tenant / a test IdP,
    /// `http://127.0.0.1:{port}/{tenant}`. Discovery is at `{authority}/v2.0/.well-known/openid-configuration`.
    pub authority: Url,
    pub client_id: String,
    pub scopes: Vec<String>,
    #[serde(default)]
    pub redirect_host: RedirectHost,
    /// Path after `http://{host}:{port}`: empty for Entra (MSAL sends `http://localhost:{port}` for a
    /// registered `http://localhost`), `/` for providers that compare the registered `http://127.0.0.1/`
    /// literally (oidc-provider).
    #[serde(default)]
    pub redirect_path: String,
    /// Added to the authorize URL, e.g. `prompt=select_account` (Entra) or `prompt=consent` (oidc-provider,
    /// which drops `offline_access` without it). Protocol parameters the app sets itself cannot be overridden.
    #[serde(default)]
    pub extra_authorize_params: BTreeMap<String, String>,
    /// A read-only sign-in: asks only for read permissions, and the app sends no change with it
    /// (its Graph client refuses every write before sending). Its accounts are kept apart from the
    /// same person's full sign-in (`Account::id` ends in [`READ_ONLY_ACCOUNT_SUFFIX`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

/// Ends the account id of a read-only sign-in, so that one person can keep a read-only and a full
/// sign-in to the same organisation side by side (each with its own refresh token and local copy).
pub const READ_ONLY_ACCOUNT_SUFFIX: &str = ".read-only";

/// Authorize parameters that the sign-in code sets and a profile must not override.
pub(crate) const RESERVED_AUTHORIZE_PARAMS: &[&str] = &[
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "response_mode",
];

impl Profile {
    /// A profile for a real organisation in one of Microsoft's clouds. `tenant` is a tenant id (GUID),
    /// a verified domain, or `organizations` for a multi-tenant registration.
    pub fn organization(
        id: impl Into<String>,
        display_name: impl Into<String>,
        cloud: Cloud,
        tenant: &str,
        client_id: impl Into<String>,
    ) -> Result<Profile, SignInError> {
        let tenant = tenant.trim();
        let client_id = client_id.into().trim().to_string();
        let host = cloud.login_host();
        validate_tenant(tenant)?;
        if client_id.is_empty() {
            return Err(SignInError::config(
                "The application (client) ID is missing.",
                "Ask your administrator for the client ID of the app registration (see Setup help).",
            ));
        }
        if tenant.eq_ignore_ascii_case("common") || tenant.eq_ignore_ascii_case("consumers") {
            return Err(SignInError::config(
                "\"common\" and \"consumers\" cannot be used for an admin tool.",
                "Enter your tenant ID or domain, or \"organizations\" for a multi-tenant app registration.",
            ));
        }
        let authority = Url::parse(&format!("https://{host}/{tenant}")).map_err(|_| {
            SignInError::config(
                "The tenant is not a valid tenant ID or domain.",
                "Enter the Directory (tenant) ID shown on the app registration's overview page.",
            )
        })?;
        let mut extra = BTreeMap::new();
        extra.insert("prompt".to_string(), "select_account".to_string());
        Ok(Profile {
            id: id.into(),
            display_name: display_name.into(),
            kind: ProfileKind::Organization,
            cloud: Some(cloud),
            authority,
            client_id,
            scopes: cloud.default_scopes(),
            redirect_host: RedirectHost::Localhost,
            redirect_path: String::new(),
            extra_authorize_params: extra,
            read_only: false,
        })
    }

    /// A profile for the practice tenant (or any local OpenID provider shaped like Entra):
    /// `authority` is `http://127.0.0.1:{port}/{tenant}`, the redirect host is `127.0.0.1`.
    pub fn practice(
        id: impl Into<String>,
        display_name: impl Into<String>,
        authority: Url,
        client_id: impl Into<String>,
        scopes: Vec<String>,
    ) -> Profile {
        Profile {
            id: id.into(),
            display_name: display_name.into(),
            kind: ProfileKind::Practice,
            cloud: None,
            authority,
            client_id: client_id.into(),
            scopes,
            redirect_host: RedirectHost::Loopback,
            redirect_path: String::new(),
            extra_authorize_params: BTreeMap::new(),
            read_only: false,
        }
    }

    /// The same profile as a read-only sign-in: its own id (`{id}-read-only`) and name, and only
    /// read permissions ([`crate::cloud::READ_ONLY_PERMISSIONS`]) on the profile's cloud (Microsoft
    /// Graph's global names for the practice tenant, which speaks as the global cloud).
    pub fn read_only(self) -> Profile {
        if self.read_only {
            return self;
        }
        let cloud = self.cloud.unwrap_or(Cloud::Global);
        Profile {
            id: format!("{}-read-only", self.id),
            display_name: format!("{} (read-only)", self.display_name),
            scopes: cloud.read_only_scopes(),
            read_only: true,
            ..self
        }
    }

    /// The tenant segment of the authority (`organizations`, a GUID or a domain).
    pub fn tenant(&self) -> &str {
        self.authority
            .path_segments()
            .and_then(|mut s| s.rfind(|p| !p.is_empty()))
            .unwrap_or("")
    }

    /// `host[:port]` of the authority; part of the keyring key because tokens are per cloud.
    pub fn environment(&self) -> String {
        let host = self.authority.host_str().unwrap_or("");
        match self.authority.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        }
    }

    /// `{authority}/v2.0/.well-known/openid-configuration`.
    pub fn discovery_url(&self) -> Result<Url, SignInError> {
        self.authority_join("v2.0/.well-known/openid-configuration")
    }

    /// The admin-consent link for this app in `tenant` (identity.md §1.8). Uses the profile's
    /// tenant when `tenant` is `None`; `organizations` if the profile says `common`.
    pub fn admin_consent_url(&self, tenant: Option<&str>) -> Option<String> {
        let tenant = tenant.unwrap_or_else(|| self.tenant());
        let tenant = if tenant.eq_ignore_ascii_case("common") || tenant.is_empty() {
            "organizations"
        } else {
            tenant
        };
        let mut base = self.authority.clone();
        base.set_query(None);
        base.set_fragment(None);
        base.set_path(&format!("{tenant}/v2.0/adminconsent"));
        let resource_scopes: Vec<&str> = self
            .scopes
            .iter()
            .map(String::as_str)
            .filter(|s| !matches!(*s, "openid" | "profile" | "offline_access" | "email"))
            .collect();
        let scope = if resource_scopes.is_empty() {
            self.cloud.map(|c| c.default_scope()).unwrap_or_default()
        } else {
            resource_scopes.join(" ")
        };
        base.query_pairs_mut()
            .append_pair("client_id", &self.client_id)
            .append_pair("scope", &scope)
            .append_pair("redirect_uri", &format!("http://{}", self.redirect_host.as_str()));
        Some(base.to_string())
    }

    /// The scopes actually requested: the profile's, plus `openid profile offline_access` if missing.
    pub fn requested_scopes(&self) -> String {
        let mut scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        for required in ["openid", "profile", "offline_access"] {
            if !scopes.contains(&required) {
                scopes.push(required);
            }
        }
        scopes.join(" ")
    }

    fn authority_join(&self, rest: &str) -> Result<Url, SignInError> {
        let mut s = self.authority.as_str().trim_end_matches('/').to_string();
        s.push('/');
        s.push_str(rest);
        Url::parse(&s).map_err(|_| {
            SignInError::config(
                "The sign-in address (authority) of this profile is not valid.",
                "Edit the profile and check the tenant.",
            )
        })
    }
}

fn validate_tenant(tenant: &str) -> Result<(), SignInError> {
    let ok = !tenant.is_empty()
        && tenant.len() <= 253
        && tenant
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    if ok {
        Ok(())
    } else {
        Err(SignInError::config(
            "The tenant must be a tenant ID (GUID), a domain such as contoso.onmicrosoft.com, or \"organizations\".",
            "Copy the Directory (tenant) ID from the app registration's overview page.",
        ))
    }
}

impl SignInTarget for Profile {
    fn tenant(&self) -> &str {
        Profile::tenant(self)
    }
    fn cloud_name(&self) -> &'static str {
        self.cloud.map_or("Custom", CloudLogin::display_name)
    }
    fn admin_consent_url(&self) -> Option<String> {
        Profile::admin_consent_url(self, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organization_profile_uses_the_cloud_login_host_and_graph_default_scope() {
        let p = Profile::organization(
            "p1",
            "Contoso",
            Cloud::UsGovL4,
            "contoso.onmicrosoft.us",
            "11111111-2222-3333-4444-555555555555",
        )
        .unwrap();
        assert_eq!(
            p.authority.as_str(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.us"
        );
        assert_eq!(p.tenant(), "contoso.onmicrosoft.us");
        assert_eq!(p.environment(), "login.microsoftonline.us");
        assert_eq!(
            p.discovery_url().unwrap().as_str(),
            "https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(
            p.requested_scopes(),
            "https://graph.microsoft.us/.default openid profile offline_access"
        );
        assert_eq!(
            p.extra_authorize_params.get("prompt").map(String::as_str),
            Some("select_account")
        );
        let consent = p.admin_consent_url(None).unwrap();
        assert!(consent.starts_with("https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0/adminconsent?client_id=11111111-2222-3333-4444-555555555555&scope=https%3A%2F%2Fgraph.microsoft.us%2F.default"), "{consent}");
    }

    #[test]
    fn a_read_only_profile_asks_for_read_permissions_only_and_keeps_its_own_id() {
        let full = Profile::organization("organization", "Contoso", Cloud::Global, "contoso.com", "c").unwrap();
        let read = full.clone().read_only();
        assert_eq!(read.id, "organization-read-only");
        assert!(read.read_only && !full.read_only);
        let asked = read.requested_scopes();
        assert!(asked.contains("https://graph.microsoft.com/User.Read.All"), "{asked}");
        assert!(!asked.contains(".default") && !asked.contains("ReadWrite"), "{asked}");
        assert!(asked.ends_with("openid profile offline_access"), "{asked}");
        assert_eq!(read.clone().read_only(), read, "asking twice changes nothing");
        // The admin-consent link names exactly the read permissions.
        let consent = read.admin_consent_url(None).unwrap();
        assert!(
            consent.contains("User.Read.All") && !consent.contains("default"),
            "{consent}"
        );
        // A full profile's file entry has no read-only field; a read-only one round-trips.
        assert!(serde_json::to_value(&full).unwrap().get("readOnly").is_none());
        let back: Profile = serde_json::from_value(serde_json::to_value(&read).unwrap()).unwrap();
        assert_eq!(back, read);
    }

    #[test]
    fn organization_profile_rejects_common_bad_tenants_and_missing_client_id() {
        assert!(Profile::organization("p", "x", Cloud::Global, "common", "c").is_err());
        assert!(Profile::organization("p", "x", Cloud::Global, "con toso", "c").is_err());
        assert!(Profile::organization("p", "x", Cloud::Global, "organizations", " ").is_err());
    }

    #[test]
    fn profile_round_trips_through_json_with_the_documented_field_names() {
        let p = Profile::practice(
            "practice",
            "Practice tenant",
            Url::parse("http://127.0.0.1:4010/contoso").unwrap(),
            "desk",
            vec!["openid".into()],
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["redirectHost"], "127.0.0.1");
        assert_eq!(json["kind"], "practice");
        assert_eq!(json["cloud"], "custom");
        let back: Profile = serde_json::from_value(json).unwrap();
        assert_eq!(back, p);
        assert_eq!(back.environment(), "127.0.0.1:4010");
        assert_eq!(back.tenant(), "contoso");
    }
}
