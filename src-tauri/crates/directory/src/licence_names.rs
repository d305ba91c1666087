//! Microsoft's "Product names and service plan identifiers for licensing" (MicrosoftDocs/entra-docs
//! `docs/identity/users/licensing-service-plan-reference.md`, CC BY 4.0; provenance in each data
//! file's header): product names for SKUs ("ENTERPRISEPACK" → "Office 365 E3") and friendly names
//! for service plans ("EXCHANGE_S_ENTERPRISE" → "Exchange Online (Plan 2)"). Loaded at build time,
//! parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

const PRODUCTS: &str = include_str!("../data/licensing-products.tsv");
const SERVICE_PLANS: &str = include_str!("../data/licensing-service-plans.tsv");

/// The rows of a TSV data file: comments (`#`) and the header line left out.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .skip(1)
        .map(|l| l.split('\t').map(str::trim).collect())
}

/// Product names by lower-cased SKU id and by lower-cased part number.
struct Products {
    by_id: HashMap<String, &'static str>,
    by_part: HashMap<String, &'static str>,
}

fn products() -> &'static Products {
    static P: OnceLock<Products> = OnceLock::new();
    P.get_or_init(|| {
        let mut p = Products {
            by_id: HashMap::new(),
            by_part: HashMap::new(),
        };
        for r in rows(PRODUCTS) {
            if let [name, part, id, ..] = r[..] {
                // The first row of a part number or id wins (the table lists a few twice).
                p.by_part.entry(part.to_ascii_lowercase()).or_insert(name);
                p.by_id.entry(id.to_ascii_lowercase()).or_insert(name);
            }
        }
        p
    })
}

fn plans() -> &'static HashMap<String, &'static str> {
    static P: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    P.get_or_init(|| {
        let mut m = HashMap::new();
        for r in rows(SERVICE_PLANS) {
            if let [id, _name, friendly, ..] = r[..] {
                m.entry(id.to_ascii_lowercase()).or_insert(friendly);
            }
        }
        m
    })
}

/// The product name for a SKU id or part number ("ENTERPRISEPACK" → "Office 365 E3"), if known.
pub fn product_name(sku_part_number: Option<&str>, sku_id: &str) -> Option<&'static str> {
    let p = products();
    p.by_id
        .get(&sku_id.to_ascii_lowercase())
        .or_else(|| sku_part_number.and_then(|part| p.by_part.get(&part.to_ascii_lowercase())))
        .copied()
}

/// A service plan's friendly name by its id ("Exchange Online (Plan 2)"), if known.
pub fn service_plan_name(service_plan_id: &str) -> Option<&'static str> {
    plans().get(&service_plan_id.to_ascii_lowercase()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::is_guid;

    #[test]
    fn the_product_table_parses_and_holds_the_transcribed_rows() {
        let all: Vec<Vec<&str>> = rows(PRODUCTS).collect();
        for r in &all {
            assert!(r.len() >= 3 && !r[0].is_empty() && !r[1].is_empty(), "{r:?}");
            assert!(is_guid(r[2]), "not a SKU id: {r:?}");
        }
        // The whole table (see the file's header): 610 products.
        assert!(all.len() >= 600, "only {} products", all.len());
        assert_eq!(
            product_name(Some("ENTERPRISEPREMIUM"), "c7df2760-2c81-4ef7-b578-5b5392b571df"),
            Some("Office 365 E5")
        );
        assert_eq!(product_name(Some("SPE_E3"), ""), Some("Microsoft 365 E3"));
        assert_eq!(product_name(Some("ENTERPRISEPACK"), ""), Some("Office 365 E3"));
        assert_eq!(product_name(Some("aad_premium"), ""), Some("Microsoft Entra ID P1"));
        assert_eq!(
            product_name(None, "078D2B04-F1BD-4111-BBD4-B4B1B354CEF4"),
            Some("Microsoft Entra ID P1")
        );
        assert_eq!(product_name(Some("NOT_A_SKU"), "x"), None);
    }

    #[test]
    fn the_service_plan_table_parses_and_gives_friendly_names() {
        let all: Vec<Vec<&str>> = rows(SERVICE_PLANS).collect();
        for r in &all {
            assert!(r.len() >= 3 && is_guid(r[0]) && !r[2].is_empty(), "{r:?}");
        }
        assert!(all.len() >= 760, "only {} service plans", all.len());
        assert_eq!(
            service_plan_name("efb87545-963c-4e0d-99df-69c6916d9eb0"),
            Some("Exchange Online (Plan 2)")
        );
        assert_eq!(
            service_plan_name("113feb6c-3fe4-4440-bddc-54d774bf0318"),
            Some("Exchange Foundation")
        );
        assert_eq!(service_plan_name("not-a-plan"), None);
    }

    /// The tables hold the whole of Microsoft's reference, not a prefix of it: a count floor, well-known
    /// products from the start, middle and end of the table (A-Z), by part number and by SKU id, and
    /// service plans from far apart.
    #[test]
    fn the_tables_are_not_cut_short() {
        let products: Vec<Vec<&str>> = rows(PRODUCTS).collect();
        let plans: Vec<Vec<&str>> = rows(SERVICE_PLANS).collect();
        assert!(products.len() >= 600, "only {} products", products.len());
        assert!(plans.len() >= 760, "only {} service plans", plans.len());
        for (part, id, name) in [
            (
                "10_ALR_ADDON",
                "c2e41e49-e2a2-4c55-832a-cf13ffba1d6a",
                "10-Year Audit Log Retention Add On",
            ),
            (
                "DYN365_ENTERPRISE_SALES",
                "1e1a282c-9c54-43a2-9310-98ef728faace",
                "Dynamics 365 for Sales Enterprise Edition",
            ),
            (
                "EMSPREMIUM",
                "b05e124f-c7cc-45a0-a6aa-8cf78c946968",
                "Enterprise Mobility + Security E5",
            ),
            ("SPE_E5", "06ebc4ee-1bb5-47dd-8120-11324bc54e06", "Microsoft 365 E5"),
            (
                "ENTERPRISEPACK",
                "6fd2c87f-b296-42f0-b197-1e91e994b900",
                "Office 365 E3",
            ),
            ("POWER_BI_PRO", "f8a1db68-be16-40ed-86d5-cb42ce701560", "Power BI Pro"),
            (
                "WIN10_VDA_E5",
                "488ba24a-39a9-4473-8ee5-19291e71b002",
                "Windows 10/11 Enterprise E5",
            ),
            (
                "Workload_Identities_Premium_CN",
                "73fa80b5-689f-4db9-bbe4-bd414bc41e44",
                "Workload Identities Premium",
            ),
        ] {
            assert_eq!(product_name(Some(part), ""), Some(name), "{part} by part number");
            assert_eq!(product_name(None, id), Some(name), "{part} by SKU id");
        }
        for (id, name) in [
            (
                "7d16094b-4db8-41ff-a182-372a90a85407",
                "Auditing 10Year Retention Add On",
            ),
            ("2da8e897-7791-486b-b08f-cc63c8129df7", "Dynamics 365 for Sales"),
            ("70d33638-9c74-4d01-bfd3-562de28bd4ba", "Power BI Pro"),
            (
                "fa0b4021-0f60-4d95-bf68-95036285282a",
                "Windows 365 Shared Use 8 vCPU, 32 GB, 512 GB",
            ),
        ] {
            assert_eq!(service_plan_name(id), Some(name), "{id}");
        }
        // One row per key: no SKU id or service plan id twice.
        let mut ids: Vec<String> = products.iter().map(|r| r[2].to_ascii_lowercase()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), products.len(), "a SKU id is listed twice");
        let mut ids: Vec<String> = plans.iter().map(|r| r[0].to_ascii_lowercase()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), plans.len(), "a service plan id is listed twice");
    }
}
