//! Repeated runs and the side-by-side table (issue 13): each scenario run several times, each run
//! a process of its own that prints `VALUE name number` lines; figures shown as the median with
//! min–max over the runs, ratios computed pair by pair (our run i against the peer's run i).
//!
//! A workload of the table is a [`Row`]; a scenario that compares itself with a peer or a floor
//! (P1 here, P2 bulk writes from its own branch) builds its rows from [`Series`] and [`ratios`].

use std::collections::BTreeMap;
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Instant;

/// How many times each repeated scenario runs (`BENCH_RUNS` overrides it).
pub fn runs() -> usize {
    std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n: &usize| *n > 0)
        .unwrap_or(5)
}

/// The figures one run printed, by name; `wall_secs` is added by [`run_process`].
pub type Run = BTreeMap<String, f64>;

/// Runs one process to its end, timing it from spawn to exit (`wall_secs`), and reads its
/// `VALUE name number` lines. Its stderr passes through.
pub fn run_process(cmd: &mut Command) -> Result<Run, String> {
    let started = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out).map_err(|e| e.to_string())?;
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let wall = started.elapsed().as_secs_f64();
    if !status.success() {
        return Err(format!("{cmd:?} failed ({status}): {}", out.trim()));
    }
    let mut run = parse_values(&out);
    run.insert("wall_secs".into(), wall);
    Ok(run)
}

/// `VALUE name number` lines into a [`Run`] (other lines are ignored).
pub fn parse_values(out: &str) -> Run {
    out.lines()
        .filter_map(|l| l.strip_prefix("VALUE "))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let name = parts.next()?;
            let value = parts.next()?.parse::<f64>().ok()?;
            Some((name.to_string(), value))
        })
        .collect()
}

/// One figure over the runs, in run order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series(pub Vec<f64>);

impl Series {
    /// The figure `name` of every run; an error names the run that lacks it.
    pub fn of(runs: &[Run], name: &str) -> Result<Series, String> {
        runs.iter()
            .enumerate()
            .map(|(i, r)| {
                r.get(name)
                    .copied()
                    .ok_or_else(|| format!("run {} printed no {name}", i + 1))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Series)
    }

    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(f64::total_cmp);
        v
    }

    /// The median (the mean of the middle two for an even count).
    pub fn median(&self) -> f64 {
        let v = self.sorted();
        match v.len() {
            0 => f64::NAN,
            n if n % 2 == 1 => v[n / 2],
            n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
        }
    }

    pub fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }

    pub fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(f64::NAN)
    }

    /// "1.23 s (1.20–1.31)": the median and the range, `decimals` places, then `unit`.
    pub fn show(&self, decimals: usize, unit: &str) -> String {
        let f = |x: f64| format!("{x:.decimals$}");
        format!("{} {unit} ({}–{})", f(self.median()), f(self.min()), f(self.max()))
    }

    /// Each value times `k` (seconds to milliseconds, KiB to MiB).
    pub fn scaled(&self, k: f64) -> Series {
        Series(self.0.iter().map(|x| x * k).collect())
    }
}

/// Pair by pair: `a[i] / b[i]` (run i of one against run i of the other).
pub fn ratios(a: &Series, b: &Series) -> Series {
    Series(a.0.iter().zip(&b.0).map(|(x, y)| x / y).collect())
}

/// One workload of the side-by-side table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The number for it ("P1", "P1b", …).
    pub id: String,
    pub workload: String,
    pub ours: String,
    /// The peer or the floor measured in the same run ("—" when the workload has none).
    pub other: String,
    pub ratio: String,
    pub target: String,
}

/// The side-by-side table in Markdown.
pub fn table(rows: &[Row]) -> String {
    let mut md = String::from(
        "| # | workload | Entra Desk | peer or floor, same run | ratio, pair by pair | target |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let cells = [&r.id, &r.workload, &r.ours, &r.other, &r.ratio, &r.target];
        let cells: Vec<String> = cells.iter().map(|c| c.replace('|', "/")).collect();
        md.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    md
}

/// A row that could not be measured, saying why.
pub fn not_measured(id: &str, workload: &str, target: &str, why: &str) -> Row {
    Row {
        id: id.into(),
        workload: workload.into(),
        ours: format!("not measured: {why}"),
        other: "—".into(),
        ratio: "—".into(),
        target: target.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_read_and_summarised_pair_by_pair() {
        let a = parse_values("noise\nVALUE secs 2.0\nVALUE pages 101\nVALUE broken x\n");
        assert_eq!(a.get("secs"), Some(&2.0));
        assert_eq!(a.get("pages"), Some(&101.0));
        assert!(!a.contains_key("broken"));
        let ours = Series(vec![1.0, 3.0, 2.0, 10.0]);
        let peer = Series(vec![4.0, 6.0, 8.0, 20.0]);
        assert_eq!(ours.median(), 2.5);
        assert_eq!((ours.min(), ours.max()), (1.0, 10.0));
        // Pair by pair, not the ratio of the medians (7 / 2.5 = 2.8).
        assert_eq!(ratios(&peer, &ours).0, vec![4.0, 2.0, 4.0, 2.0]);
        assert_eq!(ratios(&peer, &ours).median(), 3.0);
        assert_eq!(Series(vec![1.234, 1.1, 1.5]).show(2, "s"), "1.23 s (1.10–1.50)");
        let runs = vec![a.clone(), Run::new()];
        assert_eq!(Series::of(&runs, "secs").unwrap_err(), "run 2 printed no secs");
    }

    #[test]
    fn the_table_keeps_one_row_per_workload() {
        let md = table(&[not_measured("P2", "add 1,000 members", "≤ 50 writes", "a|b")]);
        assert!(md
            .lines()
            .nth(2)
            .unwrap()
            .starts_with("| P2 | add 1,000 members | not measured: a/b |"));
    }
}
