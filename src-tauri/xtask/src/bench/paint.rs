//! P6: the Users table with 100,000 people in the real app, from tests/e2e/bench.mjs
//! (`usersTablePaint`): first rows painted after navigating to Users, rows shown after jumps.

use super::compare::{Row, Series};

const WORKLOAD: &str = "Users table with 100,008 people in the app (release build, the copy read): first rows painted after clicking Users (from Groups); rows shown after a jump";
const TARGET: &str = "first render ≤ 300 ms";

/// P6's row from bench.mjs's result (`p6`), or why it is missing.
pub fn row(result: Option<&serde_json::Value>) -> Row {
    let Some(p6) = result.map(|r| &r["p6"]).filter(|p| p.is_object()) else {
        return super::compare::not_measured("P6", WORKLOAD, TARGET, "the app step did not run or measured no P6");
    };
    let series = |k: &str| {
        Series(
            p6[k]
                .as_array()
                .map(|v| v.iter().filter_map(serde_json::Value::as_f64).collect())
                .unwrap_or_default(),
        )
    };
    let (first, scroll) = (series("firstRowsMs"), series("scrollMs"));
    let offsets = p6["offsets"]
        .as_array()
        .map(|v| v.iter().map(|o| o.to_string()).collect::<Vec<_>>().join(", "))
        .unwrap_or_default();
    Row {
        id: "P6".into(),
        workload: WORKLOAD.into(),
        ours: format!(
            "first rows painted {} ({} runs); rows shown after a jump to row {offsets}: {} ({} jumps)",
            first.show(0, "ms"),
            first.0.len(),
            scroll.show(0, "ms"),
            scroll.0.len()
        ),
        other: "—".into(),
        ratio: "—".into(),
        target: TARGET.into(),
    }
}
