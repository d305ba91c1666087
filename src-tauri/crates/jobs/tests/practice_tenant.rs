//! Bulk jobs against the practice tenant (the `sandbox` crate's Graph emulator, started in-process),
//! through the real `msgraph::Client`: the preview's answers, the run's results, what Graph holds
//! afterwards (read back), how many write requests were sent (the tenant's request log), throttling
//! storms, and a job stopped between sending a batch and storing its answer.

mod common;

use common::{quiet, Tenant};

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jobs::{JobKind, JobProgress, JobState, JobStore, RowCheck, RowStatus, RowUpdate};
use msgraph::{GroupId, ListQuery};
use serde_json::{json, Value};

impl Tenant {
    async fn user(&self, nick: &str, usage_location: Option<&str>) -> String {
        let mut body =
            json!({ "displayName": format!("Bulk {nick}"), "userPrincipalName": format!("{nick}@contoso.com") });
        if let Some(l) = usage_location {
            body["usageLocation"] = json!(l);
        }
        self.admin(reqwest::Method::POST, "/users", Some(body)).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn group(&self, name: &str, extra: Value) -> String {
        let mut body = json!({ "displayName": name });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        self.admin(reqwest::Method::POST, "/groups", Some(body)).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    async fn add_member(&self, group: &str, member: &str) {
        self.admin(
            reqwest::Method::POST,
            &format!("/groups/{group}/members"),
            Some(json!({ "id": member })),
        )
        .await;
    }

    /// The group's members read back from Graph: id → how many times it is listed.
    async fn members(&self, group: &str) -> HashMap<String, usize> {
        let mut seen = HashMap::new();
        for m in self
            .client
            .groups()
            .members(&GroupId::new(group), ListQuery::new().select(&["id"]).top(999))
            .collect_all()
            .await
            .unwrap()
        {
            *seen.entry(m.id.as_str().to_string()).or_insert(0) += 1;
        }
        seen
    }

    async fn clear_log(&self) {
        self.admin(reqwest::Method::DELETE, "/requests", None).await;
    }

    /// The requests that could change something outside `$batch` (not GET; a `$batch` may hold
    /// reads only, which the log cannot tell), as "METHOD path".
    async fn writes(&self) -> Vec<String> {
        self.admin(reqwest::Method::GET, "/requests", None).await["value"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| {
                l["method"] != "GET"
                    && l["path"]
                        .as_str()
                        .is_some_and(|p| p.starts_with("/v1.0") && !p.starts_with("/v1.0/$batch"))
            })
            .map(|l| format!("{} {}", l["method"].as_str().unwrap(), l["path"].as_str().unwrap()))
            .collect()
    }

    /// The request id the tenant gave each logged request, by "METHOD path" (path without query).
    async fn request_ids(&self) -> Vec<(String, String)> {
        self.admin(reqwest::Method::GET, "/requests", None).await["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let path = l["path"].as_str().unwrap().split('?').next().unwrap();
                (
                    format!("{} {path}", l["method"].as_str().unwrap()),
                    l["request_id"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    }

    async fn some_user_ids(&self, n: usize) -> Vec<String> {
        let mut ids: Vec<String> = self
            .client
            .users()
            .list(ListQuery::new().select(&["id", "userPrincipalName"]).top(999))
            .collect_all()
            .await
            .unwrap()
            .into_iter()
            .filter(|u| u.user_principal_name.as_deref() != Some("admin@contoso.com"))
            .map(|u| u.id.as_str().to_string())
            .collect();
        ids.truncate(n);
        assert_eq!(ids.len(), n, "the tenant has {n} people to use");
        ids
    }
}

fn all(rows: &[jobs::JobRow]) -> Vec<u32> {
    rows.iter().map(|r| r.index).collect()
}

#[tokio::test]
async fn add_to_group_previews_each_row_then_adds_only_the_confirmed_ones() {
    let t = Tenant::start(None).await;
    let group = t.group("Bulk Team", json!({})).await;
    let a = t.user("bulk.a", None).await;
    let b = t.user("bulk.b", None).await;
    let c = t.user("bulk.c", None).await;
    t.add_member(&group, &b).await;
    t.clear_log().await;

    let kind = JobKind::AddToGroup {
        group_id: group.clone(),
    };
    let planned = jobs::plan(&t.client, &kind, &[a.clone(), b.clone(), c.clone(), "not-an-id".into()])
        .await
        .unwrap();
    assert!(t.writes().await.is_empty(), "the preview sends nothing");
    assert_eq!(t.members(&group).await.len(), 1, "the preview changes nothing");
    assert_eq!(planned.title, "Add to group Bulk Team");
    let answers: Vec<(&str, &RowCheck)> = planned.rows.iter().map(|r| (r.name.as_str(), &r.check)).collect();
    assert_eq!(answers[0], ("Bulk bulk.a", &RowCheck::WillChange { note: None }));
    assert_eq!(
        answers[1],
        (
            "Bulk bulk.b",
            &RowCheck::Already {
                reason: "Already a member of Bulk Team.".into()
            }
        )
    );
    assert!(matches!(answers[3].1, RowCheck::Refused { reason } if reason.contains("not an object id")));

    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    assert_eq!(
        (job.counts.will_change, job.counts.already, job.counts.refused),
        (2, 1, 1)
    );
    // The person leaves c out at the preview.
    jobs::confirm(&store, job.id, &[1]).unwrap();
    let seen: Arc<Mutex<Vec<JobProgress>>> = Arc::default();
    let log = seen.clone();
    let record = move |p: &JobProgress| log.lock().unwrap().push(p.clone());
    let last = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &record)
        .await
        .unwrap();
    assert_eq!((last.state, last.done, last.to_send), (JobState::Finished, 1, 1));
    assert_eq!(last.summary(), "1 of 1 done");
    assert!(seen.lock().unwrap().len() >= 2, "progress is told as the job runs");

    let rows = store.rows(job.id).unwrap();
    let status: Vec<RowStatus> = rows.iter().map(|r| r.status).collect();
    assert_eq!(
        status,
        [
            RowStatus::Done,
            RowStatus::Skipped,
            RowStatus::NotSent,
            RowStatus::Skipped
        ]
    );
    assert_eq!(rows[1].reason.as_deref(), Some("Already a member of Bulk Team."));
    // A done row names the request that made it, as Graph numbered it (support can find it).
    let sent = t.request_ids().await;
    let made = rows[0]
        .request_id
        .as_deref()
        .expect("a done row has Graph's request id");
    assert!(
        sent.iter()
            .any(|(what, id)| id == made && what.starts_with("POST /v1.0/groups/")),
        "{made} is the id of the POST members/$ref the practice tenant answered: {sent:?}"
    );
    assert_eq!(rows[1].request_id, None, "nothing was sent for a skipped row");
    let change = rows[0].change.as_ref().unwrap();
    assert_eq!(change.change, jobs::ChangeKind::AddedToGroup);
    assert_eq!(change.group_name.as_deref(), Some("Bulk Team"));

    let members = t.members(&group).await;
    assert_eq!(members.get(&a), Some(&1));
    assert_eq!(members.get(&b), Some(&1));
    assert!(!members.contains_key(&c), "a row left out is not sent");
    assert_eq!(store.job(job.id).unwrap().unwrap().state, JobState::Finished);

    // And back out: a is removed (the membership only), c was never in.
    let kind = JobKind::RemoveFromGroup {
        group_id: group.clone(),
    };
    let planned = jobs::plan(&t.client, &kind, &[a.clone(), c.clone()]).await.unwrap();
    assert!(planned.rows[0].check.will_change());
    assert_eq!(
        planned.rows[1].check,
        RowCheck::Already {
            reason: "Not a member of Bulk Team.".into()
        }
    );
    let job = store.create(&planned, 2).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(p.done, 1);
    let removed = store.rows(job.id).unwrap()[0].request_id.clone().unwrap();
    assert!(
        t.request_ids()
            .await
            .iter()
            .any(|(what, id)| *id == removed && what == "POST /v1.0/$batch"),
        "a row sent in a $batch names the batch's request id"
    );
    let members = t.members(&group).await;
    assert!(!members.contains_key(&a) && members.contains_key(&b));
    let user = t.client.users().get(&msgraph::UserRef::parse(&a), &["id"]).await;
    assert!(user.is_ok(), "removing a member leaves the person in the directory");
}

#[tokio::test]
async fn a_nested_group_among_the_members_is_removed_like_a_person_and_refused_where_only_people_fit() {
    let t = Tenant::start(None).await;
    let outer = t.group("Outer Team", json!({})).await;
    let inner = t.group("Inner Team", json!({})).await;
    let a = t.user("nest.a", None).await;
    t.add_member(&outer, &inner).await;
    t.add_member(&outer, &a).await;

    // Remove both of the group's members: the nested group is a member like a person.
    let kind = JobKind::RemoveFromGroup {
        group_id: outer.clone(),
    };
    let planned = jobs::plan(&t.client, &kind, &[inner.clone(), a.clone()]).await.unwrap();
    let answers: Vec<(&str, bool)> = planned
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.check.will_change()))
        .collect();
    assert_eq!(answers, [("Inner Team", true), ("Bulk nest.a", true)]);
    assert!(planned.rows[0].change.as_ref().unwrap().is_group);
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (2, 0));
    assert!(t.members(&outer).await.is_empty(), "both memberships are gone in Graph");

    // Jobs about people say so for a group; a Microsoft 365 group takes no group as a member.
    let planned = jobs::plan(&t.client, &JobKind::Block, std::slice::from_ref(&inner))
        .await
        .unwrap();
    assert_eq!(
        planned.rows[0].check,
        RowCheck::Refused {
            reason: "Inner Team is a group: “Block sign-in” applies to people only.".into()
        }
    );
    let m365 = t
        .group(
            "Project Falcon",
            json!({ "groupTypes": ["Unified"], "mailEnabled": true }),
        )
        .await;
    let kind = JobKind::AddToGroup { group_id: m365 };
    let planned = jobs::plan(&t.client, &kind, &[inner]).await.unwrap();
    assert!(
        matches!(&planned.rows[0].check, RowCheck::Refused { reason } if reason.contains("can hold people only")),
        "{:?}",
        planned.rows[0].check
    );
}

#[tokio::test]
async fn a_dynamic_group_is_refused_row_by_row_with_the_reason() {
    let t = Tenant::start(None).await;
    let group = t
        .group(
            "Everyone in Sales",
            json!({ "groupTypes": ["DynamicMembership"], "membershipRule": "user.department -eq \"Sales\"", "membershipRuleProcessingState": "On" }),
        )
        .await;
    let a = t.user("dyn.a", None).await;
    let planned = jobs::plan(&t.client, &JobKind::AddToGroup { group_id: group }, &[a])
        .await
        .unwrap();
    match &planned.rows[0].check {
        RowCheck::Refused { reason } => assert!(reason.contains("set by its rule"), "{reason}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn assign_licence_asks_for_a_usage_location_and_says_from_which_row_no_seat_is_left() {
    let t = Tenant::start(None).await;
    // A subscription the seed does not have, with one seat.
    let sku_id = t.subscription(1).await;
    let no_location = t.user("lic.none", None).await;
    let first = t.user("lic.first", Some("GB")).await;
    let second = t.user("lic.second", Some("US")).await;
    let kind = JobKind::AssignLicence {
        sku_id: sku_id.clone(),
        disabled_plans: Vec::new(),
        usage_location: None,
    };
    let planned = jobs::plan(&t.client, &kind, &[no_location, first.clone(), second])
        .await
        .unwrap();
    assert!(matches!(&planned.rows[0].check, RowCheck::NeedsInput { reason } if reason.contains("no usage location")));
    assert!(planned.rows[1].check.will_change());
    assert!(
        matches!(&planned.rows[2].check, RowCheck::Refused { reason } if reason.contains("No ") && reason.contains("seat is left"))
    );

    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (1, 0));
    let user = t
        .client
        .users()
        .get(&msgraph::UserRef::parse(&first), &["assignedLicenses"])
        .await
        .unwrap();
    assert!(user.assigned_licenses.iter().any(|l| l.sku_id.as_str() == sku_id));
}

#[tokio::test]
async fn block_keeps_the_value_before_and_a_cancelled_job_sends_nothing_more() {
    let t = Tenant::start(Some((60, 0))).await;
    let ids = t.some_user_ids(45).await;
    let planned = jobs::plan(&t.client, &JobKind::Block, &ids).await.unwrap();
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let cancel = jobs::CancelToken::default();
    let stop = cancel.clone();
    // Cancel as soon as the first batch is answered.
    let on_progress = move |p: &JobProgress| {
        if p.done + p.skipped + p.failed > 0 {
            stop.cancel();
        }
    };
    let p = jobs::run(&t.client, &store, job.id, &cancel, &on_progress)
        .await
        .unwrap();
    assert_eq!(p.state, JobState::Cancelled);
    let rows = store.rows(job.id).unwrap();
    let done = rows.iter().filter(|r| r.status == RowStatus::Done).count();
    let not_sent = rows.iter().filter(|r| r.status == RowStatus::NotSent).count();
    assert_eq!(done, 20, "one $batch of 20 was sent before the cancel");
    assert_eq!(not_sent, rows.iter().filter(|r| r.check.will_change()).count() - 20);
    for r in rows.iter().filter(|r| r.status == RowStatus::Done) {
        let c = r.change.as_ref().unwrap();
        assert_eq!(c.previous_account_enabled, Some(true));
        let u = t
            .client
            .users()
            .get(&msgraph::UserRef::parse(&r.object_id), &["accountEnabled"])
            .await
            .unwrap();
        assert_eq!(u.account_enabled, Some(false), "{} is blocked in Graph", r.name);
    }
}

#[tokio::test]
async fn a_thousand_people_are_added_in_at_most_fifty_write_requests() {
    let t = Tenant::start(Some((1010, 0))).await;
    let group = t.group("Thousand", json!({})).await;
    let ids = t.some_user_ids(1000).await;
    let planned = jobs::plan(
        &t.client,
        &JobKind::AddToGroup {
            group_id: group.clone(),
        },
        &ids,
    )
    .await
    .unwrap();
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    t.clear_log().await;
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(p.done, 1000);
    let writes = t.writes().await;
    assert!(writes.len() <= 50, "{} write requests", writes.len());
    assert!(writes.iter().all(|w| w.starts_with("PATCH /v1.0/groups/")));
    let members = t.members(&group).await;
    assert_eq!(members.len(), 1000);
    assert!(members.values().all(|&n| n == 1));
}

/// A 429 storm, in both `Retry-After` forms, outside `$batch` (the members PATCH) and inside it
/// (sign-in blocks): nothing lost, nothing twice.
#[tokio::test]
async fn a_throttling_storm_loses_nothing_and_applies_nothing_twice() {
    let t = Tenant::start(Some((130, 0))).await;
    let group = t.group("Storm", json!({})).await;
    let ids = t.some_user_ids(120).await;
    for (form, date) in [("seconds", false), ("date", true)] {
        t.admin(
            reqwest::Method::POST,
            "/faults",
            Some(json!({ "kind": "throttle", "method": "PATCH", "path": "/groups/*", "probability": 0.5, "count": 6, "retry_after": 1, "retry_after_http_date": date })),
        )
        .await;
        t.admin(
            reqwest::Method::POST,
            "/faults",
            Some(json!({ "kind": "throttle", "method": "PATCH", "path": "/users/*", "probability": 0.3, "count": 30, "retry_after": 1, "retry_after_http_date": date })),
        )
        .await;
        let half: Vec<String> = if form == "seconds" {
            ids[..60].to_vec()
        } else {
            ids[60..].to_vec()
        };
        for kind in [
            JobKind::AddToGroup {
                group_id: group.clone(),
            },
            JobKind::Block,
        ] {
            let planned = jobs::plan(&t.client, &kind, &half).await.unwrap();
            let store = JobStore::open_in_memory().unwrap();
            let job = store.create(&planned, 1).unwrap();
            jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
            let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
                .await
                .unwrap();
            assert_eq!(
                p.failed,
                0,
                "{form}: {:?}",
                store
                    .rows(job.id)
                    .unwrap()
                    .iter()
                    .find(|r| r.status == RowStatus::Failed)
            );
            assert_eq!(
                p.done as usize,
                planned.rows.iter().filter(|r| r.check.will_change()).count()
            );
        }
        t.admin(reqwest::Method::DELETE, "/faults", None).await;
    }
    let fired = t.admin(reqwest::Method::GET, "/counters", None).await["faults"]
        .as_u64()
        .unwrap();
    assert!(fired > 0, "the storm happened");
    let members = t.members(&group).await;
    assert_eq!(members.len(), 120, "0 lost");
    assert!(members.values().all(|&n| n == 1), "0 duplicated");
}

/// The app is killed after a batch was sent but before its answer was stored: at resume, those rows
/// are found done in Graph and not sent again; the rest are sent once.
#[tokio::test]
async fn a_job_stopped_after_sending_a_batch_resumes_without_sending_it_twice() {
    let t = Tenant::start(Some((70, 0))).await;
    let group = t.group("Resume", json!({})).await;
    let ids = t.some_user_ids(50).await;
    let dir = tempfile::tempdir().unwrap();
    let path = jobs::store::path_in(dir.path());
    let job_id = {
        let planned = jobs::plan(
            &t.client,
            &JobKind::AddToGroup {
                group_id: group.clone(),
            },
            &ids,
        )
        .await
        .unwrap();
        let store = JobStore::open(&path).unwrap();
        let job = store.create(&planned, 1).unwrap();
        jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
        // What `run` does for its first batch, up to the crash: rows marked Sending, the PATCH sent…
        let first: Vec<jobs::JobRow> = store.rows(job.id).unwrap().into_iter().take(20).collect();
        let sending: Vec<RowUpdate> = first
            .iter()
            .map(|r| RowUpdate {
                index: r.index,
                status: RowStatus::Sending,
                reason: None,
                request_id: None,
            })
            .collect();
        store.update_rows(job.id, &sending).unwrap();
        let members: Vec<msgraph::DirectoryObjectId> = first
            .iter()
            .map(|r| msgraph::DirectoryObjectId::new(&r.object_id))
            .collect();
        t.client
            .groups()
            .add_members(&GroupId::new(&group), &members)
            .await
            .unwrap();
        // …and the app dies before the answer is stored.
        job.id
    };
    let (store, notice) = JobStore::open_or_set_aside(&path).unwrap();
    assert!(notice.is_none());
    let unfinished = store.unfinished().unwrap();
    assert_eq!(unfinished.len(), 1, "the next start offers to resume it");
    assert_eq!(unfinished[0].counts.pending, 50);
    t.clear_log().await;
    let p = jobs::resume(&t.client, &store, job_id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.state, p.done, p.failed), (JobState::Finished, 50, 0));
    assert_eq!(
        t.writes().await.len(),
        2,
        "only the 30 not yet sent: two PATCHes (20 + 10)"
    );
    let members = t.members(&group).await;
    assert_eq!(members.len(), 50);
    assert!(members.values().all(|&n| n == 1));
    assert!(store.unfinished().unwrap().is_empty());
}

#[tokio::test]
async fn a_damaged_jobs_file_is_set_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = jobs::store::path_in(dir.path());
    std::fs::write(&path, b"this is not a database, it was cut short by a crash........").unwrap();
    let (store, notice) = JobStore::open_or_set_aside(&path).unwrap();
    assert!(notice.unwrap().contains("set aside"));
    assert!(store.jobs().unwrap().is_empty());
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(".damaged-"));
    assert!(aside, "the damaged file is kept beside the new one");
}

#[tokio::test]
async fn restore_brings_back_a_deleted_person_and_group_and_then_says_they_are_back() {
    let t = Tenant::start(None).await;
    let a = t.user("gone.a", None).await;
    let g = t
        .group("Gone Team", json!({ "groupTypes": ["Unified"], "mailEnabled": true }))
        .await;
    t.client.users().delete(&msgraph::UserRef::parse(&a)).await.unwrap();
    t.client.groups().delete(&GroupId::new(&g)).await.unwrap();

    let planned = jobs::plan(&t.client, &JobKind::Restore, &[a.clone(), g.clone()])
        .await
        .unwrap();
    assert!(planned.rows.iter().all(|r| r.check.will_change()), "{:?}", planned.rows);
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(p.done, 2);
    assert!(t
        .client
        .users()
        .get(&msgraph::UserRef::parse(&a), &["id"])
        .await
        .is_ok());

    // Asked again, each is back in the directory, by its name, whether a person or a group.
    let again = jobs::plan(&t.client, &JobKind::Restore, &[a, g]).await.unwrap();
    let answers: Vec<(&str, &RowCheck)> = again.rows.iter().map(|r| (r.name.as_str(), &r.check)).collect();
    let back = RowCheck::Already {
        reason: "Already restored: it is back in the directory.".into(),
    };
    assert_eq!(answers, [("Bulk gone.a", &back), ("Gone Team", &back)]);
}

#[tokio::test]
async fn a_usage_location_given_for_the_job_is_set_first_for_those_who_have_none() {
    let t = Tenant::start(None).await;
    let sku_id = t.subscription(2).await;
    let none = t.user("loc.none", None).await;
    let has = t.user("loc.has", Some("GB")).await;
    let kind = |location: &str| JobKind::AssignLicence {
        sku_id: sku_id.clone(),
        disabled_plans: Vec::new(),
        usage_location: Some(location.into()),
    };

    let wrong = jobs::plan(&t.client, &kind("France"), std::slice::from_ref(&none))
        .await
        .unwrap_err();
    assert!(wrong.to_string().contains("two-letter"), "{wrong}");

    let planned = jobs::plan(&t.client, &kind("fr"), &[none.clone(), has.clone()])
        .await
        .unwrap();
    assert_eq!(
        planned.rows[0].check,
        RowCheck::WillChange {
            note: Some("Usage location will be set to FR first.".into())
        }
    );
    assert_eq!(planned.rows[1].check, RowCheck::WillChange { note: None });
    assert!(t.writes().await.is_empty(), "the preview sends nothing");
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (2, 0));
    for (id, location) in [(&none, "FR"), (&has, "GB")] {
        let u = t
            .client
            .users()
            .get(&msgraph::UserRef::parse(id), &["usageLocation", "assignedLicenses"])
            .await
            .unwrap();
        assert_eq!(
            u.usage_location.as_deref(),
            Some(location),
            "only the person without one is changed"
        );
        assert!(u.assigned_licenses.iter().any(|l| l.sku_id.as_str() == sku_id));
    }
}

#[tokio::test]
async fn groups_are_deleted_with_what_is_lost_said_and_the_job_undone_restores_what_can_be() {
    let t = Tenant::start(None).await;
    let m365 = t
        .group(
            "Falcon Project",
            json!({ "groupTypes": ["Unified"], "mailEnabled": true }),
        )
        .await;
    let security = t.group("Badge Readers", json!({ "securityEnabled": true })).await;
    let synced = t.group("Synced Staff", json!({ "onPremisesSyncEnabled": true })).await;
    let planned = jobs::plan(
        &t.client,
        &JobKind::DeleteGroups,
        &[m365.clone(), security.clone(), synced.clone()],
    )
    .await
    .unwrap();
    let notes: Vec<(&str, Option<&str>)> = planned
        .rows
        .iter()
        .map(|r| (r.name.as_str(), r.check.reason()))
        .collect();
    assert_eq!(
        notes,
        [
            ("Falcon Project", Some("A Microsoft 365 group: it can be restored from Deleted items for 30 days.")),
            ("Badge Readers", Some("A security group is deleted for good: it cannot be restored.")),
            ("Synced Staff", Some("Synced from your on-premises directory: delete it there, and the deletion reaches Microsoft Entra with the next sync.")),
        ]
    );
    assert!(!planned.rows[2].check.will_change());
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (2, 0));
    for id in [&m365, &security] {
        assert!(
            t.client.groups().get(&GroupId::new(id), &["id"]).await.is_err(),
            "{id} is gone"
        );
    }
    assert!(t.client.groups().get(&GroupId::new(&synced), &["id"]).await.is_ok());

    // Undone as a whole: the Microsoft 365 group comes back; the security group cannot, and says so.
    let done = store.job(job.id).unwrap().unwrap();
    let undo = jobs::undo_of(&done, &store.rows(job.id).unwrap()).unwrap();
    assert_eq!(undo.kind, JobKind::Restore);
    assert_eq!(undo.object_ids, std::slice::from_ref(&m365));
    assert_eq!(
        undo.left_out,
        ["Badge Readers: a security group is deleted for good and cannot be restored."]
    );
    let planned = jobs::plan(&t.client, &undo.kind, &undo.object_ids).await.unwrap();
    let again = store.create(&planned, 2).unwrap();
    jobs::confirm(&store, again.id, &all(&planned.rows)).unwrap();
    let p = jobs::run(&t.client, &store, again.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!(p.done, 1);
    assert!(t.client.groups().get(&GroupId::new(&m365), &["id"]).await.is_ok());
}
