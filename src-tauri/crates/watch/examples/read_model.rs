//! The read model at scale, without HTTP: builds a mirror of N generated people (first walk,
//! pages of 999), then times search as you type and table windows.
//! `cargo run --release -p watch --example read_model -- 100000`

use std::time::{Duration, Instant};

use serde_json::json;
use watch::testkit::page_from_json;
use watch::{ListQuery, Mirror, Resource, WalkMode, WatchRules};

const FIRST: &[&str] = &[
    "Adele", "Alex", "Megan", "Nestor", "José", "Lidia", "Isaiah", "Pradeep", "Grady", "Johanna", "Lee", "Miriam",
    "Patti", "Diego", "Emily", "Irvin",
];
const LAST: &[&str] = &[
    "Vance",
    "Wilber",
    "Bowen",
    "Wilke",
    "Ibáñez",
    "Holloway",
    "Langer",
    "Gupta",
    "Archie",
    "Lorenz",
    "Gu",
    "Graham",
    "Fernandez",
    "Siciliani",
    "Braun",
    "Sayers",
];
const CITIES: &[&str] = &[
    "Redmond",
    "New York",
    "London",
    "Dublin",
    "Berlin",
    "Paris",
    "Amsterdam",
    "Stockholm",
    "Toronto",
    "Sydney",
];
const DEPTS: &[&str] = &[
    "Sales",
    "Marketing",
    "Retail",
    "Finance",
    "Engineering",
    "Legal",
    "Operations",
    "Research",
];

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let dir = tempfile_dir();
    let path = dir.join("read-model.sqlite3");
    let mut m = Mirror::open(&path).unwrap();
    if std::env::var("BARE").is_ok() {
        drop_read_indexes(&path);
    }
    let t = Instant::now();
    first_walk(&mut m, n);
    println!(
        "first walk of {n} people: {:.1} s, file {} MiB",
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&path).unwrap().len() >> 20
    );
    drop(m);
    let m = Mirror::open_read_only(&path).unwrap();
    time_prefixes(&m);
    bench_mix(&m);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `BARE=1`: the search triggers and sort indexes dropped, to see what they cost the first walk.
fn drop_read_indexes(path: &std::path::Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    let names: Vec<(String, String)> = c
        .prepare("SELECT type, name FROM sqlite_master WHERE (type = 'trigger' AND name LIKE 'users_fts%') OR (type = 'index' AND (name LIKE 'users_sort%' OR name = 'users_active_name'))")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (t, n) in names {
        c.execute_batch(&format!("DROP {t} {n}")).unwrap();
    }
}

/// A first walk of `n` generated people, in delta pages of 999.
fn first_walk(m: &mut Mirror, n: usize) {
    let mut walk = m
        .begin_walk(Resource::Users, WalkMode::Initial, time::OffsetDateTime::now_utc())
        .unwrap();
    let mut link = None;
    for start in (0..n).step_by(999) {
        let values: Vec<_> = (start..(start + 999).min(n))
            .map(|i| {
                let (f, l) = (FIRST[i % FIRST.len()], LAST[(i / FIRST.len()) % LAST.len()]);
                json!({"id": format!("{i:08x}-0000-0000-0000-000000000000"), "displayName": format!("{f} {l} {i}"),
                       "givenName": f, "surname": l, "userPrincipalName": format!("{f}.{l}{i}@contoso.com"),
                       "mail": format!("{f}.{l}{i}@contoso.com"), "city": CITIES[i % CITIES.len()],
                       "department": DEPTS[i % DEPTS.len()], "jobTitle": "Specialist", "accountEnabled": true,
                       "businessPhones": [format!("+1 425 555 {:04}", i % 10_000)], "employeeId": format!("E{i}")})
            })
            .collect();
        let last = start + 999 >= n;
        let page = if last {
            json!({"value": values, "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=x"})
        } else {
            json!({"value": values, "@odata.nextLink": "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=x"})
        };
        let p = page_from_json(&page);
        m.apply_page(&mut walk, &p).unwrap();
        link = p.delta_link.clone().or(link);
    }
    m.finish_walk(walk, &link.unwrap(), &WatchRules::default()).unwrap();
}

/// Search as you type: every 1–5 letter prefix of the names, cities and departments, timed by length.
fn time_prefixes(m: &Mirror) {
    let mut by_len: Vec<Vec<Duration>> = vec![Vec::new(); 6];
    for word in FIRST.iter().chain(LAST).chain(CITIES).chain(DEPTS) {
        let longest = word.chars().count().min(5);
        for (k, times) in by_len.iter_mut().enumerate().take(longest + 1).skip(1) {
            let text: String = word.chars().take(k).collect();
            let t = Instant::now();
            let page = m
                .list(
                    Resource::Users,
                    &ListQuery {
                        text: Some(text),
                        limit: 200,
                        ..Default::default()
                    },
                )
                .unwrap();
            times.push(t.elapsed());
            assert!(page.total > 0);
        }
    }
    let mut all = Vec::new();
    for (k, v) in by_len.iter_mut().enumerate().skip(1) {
        v.sort();
        all.extend(v.iter().copied());
        println!(
            "{k} letters: median {:.1} ms, max {:.1} ms",
            ms(v[v.len() / 2]),
            ms(v[v.len() - 1])
        );
    }
    all.sort();
    println!(
        "all: median {:.1} ms, p95 {:.1} ms",
        ms(all[all.len() / 2]),
        ms(all[all.len() * 95 / 100])
    );
}

/// The query mix of `cargo xtask bench`'s "search as you type" row (xtask/src/bench.rs): the
/// first 1–5 letters of the name, city and department of 40 people spread over the tenant (by
/// name), each counted with a 200-row window. Run twice: the first pass reads a cold page cache.
fn bench_mix(m: &Mirror) {
    let everyone = m
        .list(
            Resource::Users,
            &ListQuery {
                limit: 1,
                ..Default::default()
            },
        )
        .unwrap()
        .total;
    let typed = watch::testkit::typed_prefixes(m, everyone).unwrap();
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(3);
    for round in 1..=rounds {
        let mut times = Vec::new();
        let mut hits = 0u64;
        for text in &typed {
            let t = Instant::now();
            let page = m
                .list(
                    Resource::Users,
                    &ListQuery {
                        text: Some(text.clone()),
                        limit: 200,
                        ..Default::default()
                    },
                )
                .unwrap();
            times.push(t.elapsed());
            hits += page.total;
        }
        times.sort();
        let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
        println!(
            "bench mix, round {round}: {} queries, median {:.1} ms, p95 {:.1} ms, max {:.1} ms ({} matches on average)",
            times.len(),
            ms(times[times.len() / 2]),
            ms(p95),
            ms(times[times.len() - 1]),
            hits / typed.len().max(1) as u64
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("entra-desk-read-model-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
