//! `cargo run -p watch --release --example first_sync -- --users 100000 --groups 10000`
//!
//! Cost of the first sync: a synthetic tenant streams delta pages (200 users per page; groups 100
//! per page, members in slices of 500, group i has i % 50 members, plus one "All Company" group
//! holding every user) into a fresh mirror through the real engine. Prints wall time, peak
//! resident memory (VmHWM), the mirror's size, and what an idle check costs afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use futures::future::BoxFuture;
use msgraph::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta};
use serde_json::{json, Map, Value};
use watch::{DeltaPages, DeltaSource, Engine, EngineOptions, Mirror, Resource, SourceError};

const USER_PAGE: usize = 200;
const GROUP_PAGE: usize = 100;
const MEMBER_SLICE: usize = 500;

struct Synthetic {
    users: usize,
    groups: usize,
    requests: Arc<AtomicUsize>,
}

struct Walk {
    resource: Resource,
    users: usize,
    groups: usize,
    /// Next user index, or (group index, member offset).
    next: usize,
    member_offset: usize,
    idle: bool,
    done: bool,
    requests: Arc<AtomicUsize>,
}

fn props(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn user_id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

impl Walk {
    fn members_of(&self, g: usize) -> usize {
        if g == 0 {
            self.users
        } else {
            g % 50
        }
    }

    /// The next page of users.
    fn users_page(&mut self) -> Vec<DeltaObject> {
        let mut objects = Vec::new();
        let end = (self.next + USER_PAGE).min(self.users);
        for i in self.next..end {
            objects.push(DeltaObject {
                id: user_id(i),
                removed: None,
                properties: props(json!({
                    "displayName": format!("User {i}"),
                    "givenName": "User",
                    "surname": format!("{i}"),
                    "userPrincipalName": format!("user{i}@contoso.com"),
                    "mail": format!("user{i}@contoso.com"),
                    "jobTitle": "Retail Manager",
                    "department": "Retail",
                    "officeLocation": "18/2111",
                    "mobilePhone": "+1 425 555 0109",
                    "businessPhones": ["+1 425 555 0109"],
                    "usageLocation": "US",
                    "userType": "Member",
                    "accountEnabled": true,
                    "createdDateTime": "2021-03-12T10:36:14Z"
                })),
                members_delta: Vec::new(),
                owners_delta: Vec::new(),
            });
        }
        self.next = end;
        self.done = end >= self.users;
        objects
    }

    /// The next page of groups, a big group's members split over pages as Graph does.
    fn groups_page(&mut self) -> Vec<DeltaObject> {
        let mut objects = Vec::new();
        while objects.len() < GROUP_PAGE && self.next < self.groups {
            let g = self.next;
            let total = self.members_of(g);
            let from = self.member_offset;
            let to = (from + MEMBER_SLICE).min(total);
            let members = (from..to)
                .map(|k| MemberDelta {
                    id: user_id((g * 7919 + k) % self.users.max(1)),
                    odata_type: Some("#microsoft.graph.user".into()),
                    removed: false,
                })
                .collect();
            objects.push(DeltaObject {
                id: format!("10000000-0000-4000-8000-{g:012}"),
                removed: None,
                properties: props(json!({
                    "displayName": if g == 0 { "All Company".to_string() } else { format!("Group {g}") },
                    "description": "A synthetic group",
                    "groupTypes": ["Unified"],
                    "mail": format!("group{g}@contoso.com"),
                    "mailEnabled": true,
                    "mailNickname": format!("group{g}"),
                    "securityEnabled": false,
                    "visibility": "Private",
                    "createdDateTime": "2021-03-12T10:36:14Z"
                })),
                members_delta: members,
                owners_delta: Vec::new(),
            });
            if to >= total {
                self.next += 1;
                self.member_offset = 0;
            } else {
                self.member_offset = to;
                break; // the rest of a big group comes on the next page
            }
        }
        self.done = self.next >= self.groups;
        objects
    }

    fn page(&mut self) -> DeltaPage {
        let link = || {
            Some(DeltaCursor(
                "https://graph.microsoft.com/v1.0/x/delta?$deltatoken=next".into(),
            ))
        };
        if self.idle {
            self.done = true;
            return DeltaPage {
                objects: Vec::new(),
                delta_link: link(),
            };
        }
        let objects = match self.resource {
            Resource::Users => self.users_page(),
            Resource::Groups => self.groups_page(),
        };
        DeltaPage {
            objects,
            delta_link: if self.done { link() } else { None },
        }
    }
}

impl DeltaPages for Walk {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>> {
        let page = if self.done { None } else { Some(self.page()) };
        if page.is_some() {
            self.requests.fetch_add(1, Ordering::SeqCst);
        }
        Box::pin(async move { Ok(page) })
    }
}

impl DeltaSource for Synthetic {
    fn walk(&self, resource: Resource, start: DeltaStart) -> Box<dyn DeltaPages> {
        Box::new(Walk {
            resource,
            users: self.users,
            groups: self.groups,
            next: 0,
            member_offset: 0,
            idle: matches!(start, DeltaStart::Resume(_)),
            done: false,
            requests: self.requests.clone(),
        })
    }
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

fn arg(args: &[String], name: &str, default: usize) -> usize {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let users = arg(&args, "--users", 100_000);
    let groups = arg(&args, "--groups", 10_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let db = dir.path().join("mirror.sqlite3");
    let requests = Arc::new(AtomicUsize::new(0));
    let source = Arc::new(Synthetic {
        users,
        groups,
        requests: requests.clone(),
    });
    let rss_before = peak_rss_kib();

    let started = Instant::now();
    let (engine, mut batches) = Engine::start(source, EngineOptions::new(&db)).expect("engine");
    let first = batches.recv().await.expect("first batch");
    let first_sync = started.elapsed();
    let pages = requests.load(Ordering::SeqCst);
    let rss_after = peak_rss_kib();

    let mut status = engine.status();
    status.wait_for(|s| s.checks >= 1).await.expect("status");
    requests.store(0, Ordering::SeqCst);
    let idle_started = Instant::now();
    engine.poll_now();
    status.wait_for(|s| s.checks >= 2).await.expect("status");
    let idle = idle_started.elapsed();
    let idle_requests = requests.load(Ordering::SeqCst);
    engine.stop().await;

    let counts = Mirror::open_read_only(&db).expect("mirror").counts().expect("counts");
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.path().join("mirror.sqlite3-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!(
        "first sync: {users} users, {groups} groups, {} memberships",
        counts.memberships
    );
    println!(
        "  {pages} pages in {:.1?} ({} events, batch changed {:?})",
        first_sync,
        first.events.len(),
        first.changed
    );
    println!(
        "  peak RSS {} MiB (process start {} MiB); mirror file {} MiB",
        rss_after.unwrap_or(0) / 1024,
        rss_before.unwrap_or(0) / 1024,
        size / (1024 * 1024)
    );
    println!("idle check: {idle_requests} requests, {:.1?}", idle);
    assert_eq!(counts.users as usize, users);
    assert_eq!(counts.groups as usize, groups);
}
