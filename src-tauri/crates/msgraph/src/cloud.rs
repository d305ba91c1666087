//! The cloud table: the one definition of Microsoft's clouds, and the only place Graph hosts
//! appear (hosts from Microsoft's national-cloud docs). `signin` adds each cloud's login hosts;
//! the shell sends it to the UI as is (`specta` feature).

use serde::{Deserialize, Serialize};
use url::Url;

/// A Microsoft cloud. Tokens are not interchangeable between clouds; the app registration differs.
/// Serialised as `global`, `usGovL4`, `usGovL5Dod`, `china` (the accounts file and the UI).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum Cloud {
    /// graph.microsoft.com (incl. GCC Moderate).
    Global,
    /// US Government GCC High (L4): graph.microsoft.us.
    UsGovL4,
    /// US Government DoD (L5): dod-graph.microsoft.us.
    UsGovL5Dod,
    /// China, operated by 21Vianet: microsoftgraph.chinacloudapi.cn.
    China,
}

impl Cloud {
    /// All clouds, for pickers.
    pub const ALL: [Cloud; 4] = [Cloud::Global, Cloud::UsGovL4, Cloud::UsGovL5Dod, Cloud::China];

    /// The Graph root of this cloud, without version (e.g. `https://graph.microsoft.com`).
    pub fn graph_root(&self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::UsGovL4 => "https://graph.microsoft.us",
            Cloud::UsGovL5Dod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The v1.0 base URL to hand to [`crate::Client::new`], e.g. `https://graph.microsoft.com/v1.0`.
    pub fn graph_base(&self) -> Url {
        // The roots above are constant, valid URLs; parsing cannot fail.
        Url::parse(&format!("{}/v1.0", self.graph_root())).expect("constant cloud URL")
    }

    /// The OAuth scope prefix for this cloud's Graph, e.g. `https://graph.microsoft.com/.default`.
    pub fn default_scope(&self) -> String {
        format!("{}/.default", self.graph_root())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cloud_has_its_documented_v1_base() {
        let bases: Vec<String> = Cloud::ALL.iter().map(|c| c.graph_base().to_string()).collect();
        assert_eq!(
            bases,
            [
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.us/v1.0",
                "https://dod-graph.microsoft.us/v1.0",
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
            ]
        );
        assert_eq!(Cloud::UsGovL4.default_scope(), "https://graph.microsoft.us/.default");
    }

    #[test]
    fn clouds_serialise_by_their_camel_case_names() {
        let names: Vec<String> = Cloud::ALL.iter().map(|c| serde_json::to_string(c).unwrap()).collect();
        assert_eq!(names, ["\"global\"", "\"usGovL4\"", "\"usGovL5Dod\"", "\"china\""]);
    }
}
