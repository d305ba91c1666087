//! Microsoft clouds: login host and Graph root per national cloud (identity.md §1.9).

use serde::{Deserialize, Serialize};

/// Which cloud a profile signs in to. Tokens are not interchangeable between clouds, and an app
/// registration (client id) exists in one cloud only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CloudKind {
    /// Worldwide Azure, including GCC Moderate.
    Global,
    /// US Government GCC High (L4).
    UsGovL4,
    /// US Government DoD (L5).
    UsGovL5Dod,
    /// China, operated by 21Vianet.
    China,
    /// Not a Microsoft cloud: the practice tenant or a test identity provider. The profile's
    /// `authority` is used as given.
    Custom,
}

impl CloudKind {
    /// All Microsoft clouds, in the order a picker shows them.
    pub const MICROSOFT: [CloudKind; 4] = [
        CloudKind::Global,
        CloudKind::UsGovL4,
        CloudKind::UsGovL5Dod,
        CloudKind::China,
    ];

    /// The login (authority) host, e.g. `login.microsoftonline.com`. `None` for `Custom`.
    pub fn login_host(self) -> Option<&'static str> {
        match self {
            CloudKind::Global => Some("login.microsoftonline.com"),
            CloudKind::UsGovL4 | CloudKind::UsGovL5Dod => Some("login.microsoftonline.us"),
            CloudKind::China => Some("login.partner.microsoftonline.cn"),
            CloudKind::Custom => None,
        }
    }

    /// Other host names that belong to the same cloud's login service.
    pub fn login_host_aliases(self) -> &'static [&'static str] {
        match self {
            CloudKind::Global => &[
                "login.microsoftonline.com",
                "login.microsoft.com",
                "login.windows.net",
                "sts.windows.net",
            ],
            CloudKind::UsGovL4 | CloudKind::UsGovL5Dod => &["login.microsoftonline.us", "login.usgovcloudapi.net"],
            CloudKind::China => &["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
            CloudKind::Custom => &[],
        }
    }

    /// The Microsoft Graph root, which is also the scope prefix (`{root}/.default`). `None` for `Custom`.
    pub fn graph_root(self) -> Option<&'static str> {
        match self {
            CloudKind::Global => Some("https://graph.microsoft.com"),
            CloudKind::UsGovL4 => Some("https://graph.microsoft.us"),
            CloudKind::UsGovL5Dod => Some("https://dod-graph.microsoft.us"),
            CloudKind::China => Some("https://microsoftgraph.chinacloudapi.cn"),
            CloudKind::Custom => None,
        }
    }

    /// The Azure portal for this cloud (for setup help). `None` for `Custom`.
    pub fn portal(self) -> Option<&'static str> {
        match self {
            CloudKind::Global => Some("https://portal.azure.com"),
            CloudKind::UsGovL4 | CloudKind::UsGovL5Dod => Some("https://portal.azure.us"),
            CloudKind::China => Some("https://portal.azure.cn"),
            CloudKind::Custom => None,
        }
    }

    /// A short name people recognise.
    pub fn display_name(self) -> &'static str {
        match self {
            CloudKind::Global => "Global (including GCC)",
            CloudKind::UsGovL4 => "US Government GCC High (L4)",
            CloudKind::UsGovL5Dod => "US Government DoD (L5)",
            CloudKind::China => "China (21Vianet)",
            CloudKind::Custom => "Custom",
        }
    }

    /// The scopes to ask for with an own app registration that has admin consent:
    /// `{graph}/.default openid profile offline_access` (identity.md §1.5). Empty for `Custom`.
    pub fn default_scopes(self) -> Vec<String> {
        match self.graph_root() {
            Some(root) => vec![
                format!("{root}/.default"),
                "openid".into(),
                "profile".into(),
                "offline_access".into(),
            ],
            None => vec!["openid".into(), "profile".into(), "offline_access".into()],
        }
    }

    /// The Microsoft cloud whose login service answers on `host`, if any.
    pub fn from_login_host(host: &str) -> Option<CloudKind> {
        let host = host.to_ascii_lowercase();
        [CloudKind::Global, CloudKind::UsGovL4, CloudKind::China]
            .into_iter()
            .find(|c| c.login_host_aliases().contains(&host.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_cloud_hosts_match_the_documented_table() {
        assert_eq!(CloudKind::Global.login_host(), Some("login.microsoftonline.com"));
        assert_eq!(CloudKind::UsGovL4.login_host(), Some("login.microsoftonline.us"));
        assert_eq!(CloudKind::UsGovL5Dod.login_host(), Some("login.microsoftonline.us"));
        assert_eq!(CloudKind::China.login_host(), Some("login.partner.microsoftonline.cn"));
        assert_eq!(CloudKind::UsGovL4.graph_root(), Some("https://graph.microsoft.us"));
        assert_eq!(
            CloudKind::UsGovL5Dod.graph_root(),
            Some("https://dod-graph.microsoft.us")
        );
        assert_eq!(
            CloudKind::China.graph_root(),
            Some("https://microsoftgraph.chinacloudapi.cn")
        );
        assert_eq!(
            CloudKind::UsGovL5Dod.default_scopes()[0],
            "https://dod-graph.microsoft.us/.default"
        );
        assert_eq!(
            CloudKind::from_login_host("login.chinacloudapi.cn"),
            Some(CloudKind::China)
        );
        assert_eq!(CloudKind::from_login_host("127.0.0.1"), None);
    }

    #[test]
    fn cloud_kind_serializes_for_the_profile_file() {
        assert_eq!(serde_json::to_string(&CloudKind::UsGovL5Dod).unwrap(), "\"usGovL5Dod\"");
    }
}
