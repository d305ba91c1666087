//! The login side of Microsoft's clouds (identity.md §1.9). The clouds themselves, and their Graph
//! hosts, are `msgraph::Cloud`; this adds what sign-in needs of each: login hosts, the Azure
//! portal, the scopes to ask for, and how a profile file names a cloud.

use msgraph::Cloud;

/// The delegated Microsoft Graph permissions a read-only sign-in asks for: enough to read every
/// table, drawer and search of the app and to watch for changes, and none that can change anything
/// (cards.md §0.1 and identity.md §2 name each card's permission).
pub const READ_ONLY_PERMISSIONS: &[&str] = &[
    "User.Read.All",
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "RoleManagement.Read.Directory",
    "Organization.Read.All",
    "Contacts.Read",
];

/// What sign-in knows of a Microsoft cloud.
pub trait CloudLogin: Sized {
    /// The login (authority) host, e.g. `login.microsoftonline.com`.
    fn login_host(self) -> &'static str;
    /// Other host names that belong to the same cloud's login service.
    fn login_host_aliases(self) -> &'static [&'static str];
    /// The Azure portal for this cloud (for setup help).
    fn portal(self) -> &'static str;
    /// A short name people recognise.
    fn display_name(self) -> &'static str;
    /// The scopes to ask for with an own app registration that has admin consent:
    /// `{graph}/.default openid profile offline_access` (identity.md §1.5).
    fn default_scopes(self) -> Vec<String>;
    /// The scopes of a read-only sign-in: each of [`READ_ONLY_PERMISSIONS`] on this cloud's Graph,
    /// plus `openid profile offline_access`. Nothing here lets the token change the directory.
    fn read_only_scopes(self) -> Vec<String>;
    /// The Microsoft cloud whose login service answers on `host`, if any.
    fn from_login_host(host: &str) -> Option<Self>;
}

impl CloudLogin for Cloud {
    fn login_host(self) -> &'static str {
        self.login_host_aliases()[0]
    }

    fn login_host_aliases(self) -> &'static [&'static str] {
        match self {
            Cloud::Global => &[
                "login.microsoftonline.com",
                "login.microsoft.com",
                "login.windows.net",
                "sts.windows.net",
            ],
            Cloud::UsGovL4 | Cloud::UsGovL5Dod => &["login.microsoftonline.us", "login.usgovcloudapi.net"],
            Cloud::China => &["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
        }
    }

    fn portal(self) -> &'static str {
        match self {
            Cloud::Global => "https://portal.azure.com",
            Cloud::UsGovL4 | Cloud::UsGovL5Dod => "https://portal.azure.us",
            Cloud::China => "https://portal.azure.cn",
        }
    }

    fn display_name(self) -> &'static str {
        match self {
            Cloud::Global => "Global (including GCC)",
            Cloud::UsGovL4 => "US Government GCC High (L4)",
            Cloud::UsGovL5Dod => "US Government DoD (L5)",
            Cloud::China => "China (21Vianet)",
        }
    }

    fn default_scopes(self) -> Vec<String> {
        vec![
            self.default_scope(),
            "openid".into(),
            "profile".into(),
            "offline_access".into(),
        ]
    }

    fn read_only_scopes(self) -> Vec<String> {
        let root = self.graph_root();
        READ_ONLY_PERMISSIONS
            .iter()
            .map(|p| format!("{root}/{p}"))
            .chain(["openid", "profile", "offline_access"].map(String::from))
            .collect()
    }

    fn from_login_host(host: &str) -> Option<Cloud> {
        let host = host.to_ascii_lowercase();
        [Cloud::Global, Cloud::UsGovL4, Cloud::China]
            .into_iter()
            .find(|c| c.login_host_aliases().contains(&host.as_str()))
    }
}

/// A profile's cloud in the accounts file: a Microsoft cloud by its name, or `custom` (`None`:
/// the practice tenant or a test identity provider, whose authority is used as given).
pub(crate) mod profile_cloud {
    use msgraph::Cloud;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(untagged)]
    enum Stored {
        Microsoft(Cloud),
        Custom(CustomTag),
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum CustomTag {
        Custom,
    }

    pub fn serialize<S: Serializer>(cloud: &Option<Cloud>, s: S) -> Result<S::Ok, S::Error> {
        match cloud {
            Some(c) => Stored::Microsoft(*c),
            None => Stored::Custom(CustomTag::Custom),
        }
        .serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cloud>, D::Error> {
        Ok(match Stored::deserialize(d)? {
            Stored::Microsoft(c) => Some(c),
            Stored::Custom(_) => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_cloud_hosts_match_the_documented_table() {
        assert_eq!(Cloud::Global.login_host(), "login.microsoftonline.com");
        assert_eq!(Cloud::UsGovL4.login_host(), "login.microsoftonline.us");
        assert_eq!(Cloud::UsGovL5Dod.login_host(), "login.microsoftonline.us");
        assert_eq!(Cloud::China.login_host(), "login.partner.microsoftonline.cn");
        assert_eq!(Cloud::UsGovL4.graph_root(), "https://graph.microsoft.us");
        assert_eq!(Cloud::UsGovL5Dod.graph_root(), "https://dod-graph.microsoft.us");
        assert_eq!(Cloud::China.graph_root(), "https://microsoftgraph.chinacloudapi.cn");
        assert_eq!(
            Cloud::UsGovL5Dod.default_scopes()[0],
            "https://dod-graph.microsoft.us/.default"
        );
        assert_eq!(Cloud::from_login_host("login.chinacloudapi.cn"), Some(Cloud::China));
        let read = Cloud::UsGovL4.read_only_scopes();
        assert!(
            read.contains(&"https://graph.microsoft.us/User.Read.All".to_string()),
            "{read:?}"
        );
        assert!(
            read.iter().all(|s| !s.contains("ReadWrite") && !s.contains(".default")),
            "{read:?}"
        );
        assert_eq!(Cloud::from_login_host("127.0.0.1"), None);
    }

    #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
    struct P {
        #[serde(with = "profile_cloud")]
        cloud: Option<Cloud>,
    }

    #[test]
    fn a_profile_cloud_serializes_for_the_profile_file() {
        let json = |cloud| serde_json::to_string(&P { cloud }).unwrap();
        assert_eq!(json(Some(Cloud::UsGovL5Dod)), r#"{"cloud":"usGovL5Dod"}"#);
        assert_eq!(json(None), r#"{"cloud":"custom"}"#);
        for cloud in Cloud::ALL.map(Some).into_iter().chain([None]) {
            assert_eq!(serde_json::from_str::<P>(&json(cloud)).unwrap(), P { cloud });
        }
        assert!(serde_json::from_str::<P>(r#"{"cloud":"mars"}"#).is_err());
    }
}
