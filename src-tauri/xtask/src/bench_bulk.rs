//! `bulk` scenario of `cargo xtask bench`: a bulk job adding many people to a group on a practice
//! tenant of its own (in this process, answering each request after `--latency-ms`), against the
//! same people added one request each, in the same run; then the same job through a 429 storm
//! (Retry-After in seconds and as an HTTP date, on the members PATCH outside `$batch` and on
//! sub-requests inside it), read back from Graph: how many were lost or listed twice.
//! Self-contained: [`scenario`] returns the table rows.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::practice::{mint_token, StaticToken};

/// The practice tenant of this scenario and a client signed in to it.
struct Bench {
    _sandbox: sandbox::Sandbox,
    base: String,
    secret: String,
    http: reqwest::Client,
    graph: msgraph::Client,
}

impl Bench {
    async fn start(people: usize, latency_ms: u64) -> Result<Bench, String> {
        let sandbox = sandbox::Sandbox::start(sandbox::Config {
            generate: Some((people + 10, 0)),
            latency_ms,
            ..sandbox::Config::default()
        })
        .await
        .map_err(|e| e.to_string())?;
        let base = sandbox.base_url();
        let secret = sandbox.admin_secret();
        let http = reqwest::Client::new();
        let token = mint_token(&http, &base, &secret, "admin@contoso.com").await?;
        let url = url::Url::parse(&sandbox.graph_url()).map_err(|e| e.to_string())?;
        let graph = msgraph::Client::new(url, Arc::new(StaticToken(token)));
        Ok(Bench {
            _sandbox: sandbox,
            base,
            secret,
            http,
            graph,
        })
    }

    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let mut req = self
            .http
            .request(method, format!("{}/_sandbox{path}", self.base))
            .header(sandbox::ADMIN_SECRET_HEADER, &self.secret);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| e.to_string())?;
        let ok = resp.status().is_success();
        let text = resp.text().await.map_err(|e| e.to_string())?;
        if !ok {
            return Err(format!("admin {path}: {text}"));
        }
        Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    async fn group(&self, name: &str) -> Result<String, String> {
        let g = self
            .admin(reqwest::Method::POST, "/groups", Some(json!({ "displayName": name })))
            .await?;
        g["id"].as_str().map(str::to_string).ok_or_else(|| "no group id".into())
    }

    /// Requests that could change something since the log was cleared (a `$batch` counts once).
    async fn writes(&self) -> Result<usize, String> {
        let log = self.admin(reqwest::Method::GET, "/requests", None).await?;
        Ok(log["value"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|x| x["method"] != "GET" && x["path"].as_str().is_some_and(|p| p.starts_with("/v1.0")))
                    .count()
            })
            .unwrap_or(0))
    }

    async fn clear_log(&self) -> Result<(), String> {
        self.admin(reqwest::Method::DELETE, "/requests", None).await.map(|_| ())
    }

    async fn people(&self, n: usize) -> Result<Vec<String>, String> {
        let mut ids: Vec<String> = self
            .graph
            .users()
            .list(msgraph::ListQuery::new().select(&["id", "userPrincipalName"]).top(999))
            .collect_all()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .filter(|u| u.user_principal_name.as_deref() != Some("admin@contoso.com"))
            .map(|u| u.id.as_str().to_string())
            .collect();
        ids.truncate(n);
        if ids.len() < n {
            return Err(format!("the tenant has only {} people", ids.len()));
        }
        Ok(ids)
    }

    /// Plans, confirms and runs "add to group"; returns the time of the run alone.
    async fn bulk_add(&self, group: &str, ids: &[String]) -> Result<(Duration, jobs::JobProgress), String> {
        let kind = jobs::JobKind::AddToGroup {
            group_id: group.to_string(),
        };
        let planned = jobs::plan(&self.graph, &kind, ids).await.map_err(|e| e.to_string())?;
        let store = jobs::JobStore::open_in_memory().map_err(|e| e.to_string())?;
        let job = store.create(&planned, 0).map_err(|e| e.to_string())?;
        let all: Vec<u32> = planned.rows.iter().map(|r| r.index).collect();
        jobs::confirm(&store, job.id, &all).map_err(|e| e.to_string())?;
        self.clear_log().await?;
        let t = Instant::now();
        let p = jobs::run(&self.graph, &store, job.id, &jobs::CancelToken::default(), &|_| {})
            .await
            .map_err(|e| e.to_string())?;
        Ok((t.elapsed(), p))
    }

    /// The group's members read back: (how many listed, how many different).
    async fn read_back(&self, group: &str) -> Result<(usize, usize), String> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        for m in self
            .graph
            .groups()
            .members(
                &msgraph::GroupId::new(group),
                msgraph::ListQuery::new().select(&["id"]).top(999),
            )
            .collect_all()
            .await
            .map_err(|e| e.to_string())?
        {
            *seen.entry(m.id.as_str().to_string()).or_default() += 1;
        }
        Ok((seen.values().sum(), seen.len()))
    }
}

/// P2's two sides, measured in the same run on the same tenant.
struct Pair {
    bulk_time: Duration,
    bulk_writes: usize,
    one_time: Duration,
    one_writes: usize,
}

/// A bulk job adding `ids` to a new group, then the same people one request each to another.
async fn pair(b: &Bench, ids: &[String]) -> Result<Pair, String> {
    let bulk_group = b.group("Bench bulk").await?;
    let (bulk_time, p) = b.bulk_add(&bulk_group, ids).await?;
    let bulk_writes = b.writes().await?;
    if p.done as usize != ids.len() {
        return Err(format!("the bulk job added {} of {}", p.done, ids.len()));
    }

    // The same people, one request each.
    let one_group = msgraph::GroupId::new(b.group("Bench one by one").await?);
    b.clear_log().await?;
    let t = Instant::now();
    for id in ids {
        b.graph
            .groups()
            .add_member(&one_group, &msgraph::DirectoryObjectId::new(id))
            .await
            .map_err(|e| e.to_string())?;
    }
    let one_time = t.elapsed();
    let one_writes = b.writes().await?;
    Ok(Pair {
        bulk_time,
        bulk_writes,
        one_time,
        one_writes,
    })
}

/// The bulk rows for `people` people at `latency_ms` (the bench: 1,000 at 20 ms).
pub async fn scenario(people: usize, latency_ms: u64) -> Result<Vec<String>, String> {
    let b = Bench::start(people, latency_ms).await?;
    let ids = b.people(people).await?;
    let p = pair(&b, &ids).await?;
    let storm = storm(&b, &ids).await?;
    Ok(vec![
        format!(
            "| bulk job: add {people} people to a group, practice tenant answering after {latency_ms} ms | {} write requests, {:.1} s |",
            p.bulk_writes,
            p.bulk_time.as_secs_f64()
        ),
        format!(
            "| the same {people} people one request each (same run) | {} write requests, {:.1} s: the bulk job is {:.0}× faster |",
            p.one_writes,
            p.one_time.as_secs_f64(),
            p.one_time.as_secs_f64() / p.bulk_time.as_secs_f64().max(0.001)
        ),
        storm,
    ])
}

/// P2 (`bench-scenario bulk-pair`): one run of the pair on a practice tenant of its own, as
/// `VALUE` lines for the side-by-side table (`bulk_secs`, `bulk_writes`, `one_secs`, `one_writes`).
pub async fn pair_scenario(people: usize, latency_ms: u64) -> Result<(), String> {
    let b = Bench::start(people, latency_ms).await?;
    let ids = b.people(people).await?;
    let p = pair(&b, &ids).await?;
    println!("VALUE bulk_secs {:.4}", p.bulk_time.as_secs_f64());
    println!("VALUE bulk_writes {}", p.bulk_writes);
    println!("VALUE one_secs {:.4}", p.one_time.as_secs_f64());
    println!("VALUE one_writes {}", p.one_writes);
    Ok(())
}

/// The same job through a storm of 429s in both Retry-After forms, outside `$batch` (the members
/// PATCH) and inside it (the preview's reads), then read back.
async fn storm(b: &Bench, ids: &[String]) -> Result<String, String> {
    let group = b.group("Bench storm").await?;
    for date in [false, true] {
        for (method, path) in [("PATCH", "/groups/*"), ("GET", "/users/*")] {
            b.admin(
                reqwest::Method::POST,
                "/faults",
                Some(json!({ "kind": "throttle", "method": method, "path": path, "probability": 0.3, "count": 8, "retry_after": 1, "retry_after_http_date": date })),
            )
            .await?;
        }
    }
    let (time, p) = b.bulk_add(&group, ids).await?;
    let fired = b.admin(reqwest::Method::GET, "/counters", None).await?["faults"]
        .as_u64()
        .unwrap_or(0);
    b.admin(reqwest::Method::DELETE, "/faults", None).await?;
    let (listed, unique) = b.read_back(&group).await?;
    let lost = ids.len().saturating_sub(unique);
    let twice = listed - unique;
    Ok(format!(
        "| bulk job through a 429 storm ({fired} throttled answers, Retry-After in seconds and as an HTTP date, in and out of $batch), read back | {lost} lost, {twice} duplicated ({} done, {} failed), {:.1} s |",
        p.done,
        p.failed,
        time.as_secs_f64()
    ))
}

#[cfg(test)]
mod tests {
    /// The scenario at small scale: it runs, counts writes and reads the storm's group back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_bulk_scenario_runs_at_small_scale() {
        let rows = super::scenario(60, 0).await.unwrap();
        assert_eq!(rows.len(), 3);
        assert!(rows[0].contains("| 3 write requests"), "{}", rows[0]);
        assert!(rows[1].contains("| 60 write requests"), "{}", rows[1]);
        assert!(
            rows[2].contains("| 0 lost, 0 duplicated (60 done, 0 failed)"),
            "{}",
            rows[2]
        );
    }
}
