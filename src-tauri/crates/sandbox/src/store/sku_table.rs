//! Microsoft's "Product names and service plan identifiers for licensing" excerpt, which
//! `POST /_sandbox/skus` subscribes from.

use crate::util::is_guid;
use serde::Serialize;

const SKU_REFERENCE: &str = include_str!("../../data/sku-reference.tsv");

/// One row of Microsoft's "Product names and service plan identifiers for licensing" excerpt.
#[derive(Debug, Clone, Serialize)]
pub struct SkuRef {
    pub product_name: String,
    pub sku_part_number: String,
    pub sku_id: String,
    /// (servicePlanName, servicePlanId); empty when the excerpt did not transcribe them.
    pub service_plans: Vec<(String, String)>,
}

pub fn sku_reference() -> Vec<SkuRef> {
    SKU_REFERENCE
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("productName") && !l.trim().is_empty())
        .filter_map(|l| {
            let mut c = l.split('\t');
            let product_name = c.next()?.to_string();
            let sku_part_number = c.next()?.to_string();
            let sku_id = c.next()?.to_string();
            let plans = c.next().unwrap_or("");
            let service_plans = plans
                .split(';')
                .filter_map(|p| {
                    p.split_once(':')
                        .map(|(n, id)| (n.trim().to_string(), id.trim().to_string()))
                })
                .filter(|(_, id)| is_guid(id))
                .collect();
            Some(SkuRef {
                product_name,
                sku_part_number,
                sku_id,
                service_plans,
            })
        })
        .collect()
}
