//! CSV import's jobs against the practice tenant (the `sandbox` crate's Graph emulator, in-process),
//! through the real `msgraph::Client`: a file checked by `directory::import`, its good rows planned,
//! run and read back from Graph; a resumed import creates no one twice, and a temporary password
//! is never in the jobs file (nor sent again once the app that held it is gone).

mod common;

use common::{quiet, Tenant};

use directory::import;
use jobs::{JobKind, JobState, JobStore, NewRow, RowCheck, RowStatus, RowUpdate};
use msgraph::{Filter, ListQuery};
use serde_json::{json, Value};

impl Tenant {
    async fn user(&self, name: &str, upn: &str, extra: Value) -> String {
        let mut body = json!({ "displayName": name, "userPrincipalName": upn });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        self.admin(reqwest::Method::POST, "/users", Some(body)).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// How many people sign in as `upn`, read from Graph.
    async fn count(&self, upn: &str) -> usize {
        self.client
            .users()
            .list(
                ListQuery::new()
                    .filter(Filter::eq("userPrincipalName", upn))
                    .select(&["id"]),
            )
            .collect_all()
            .await
            .unwrap()
            .len()
    }
}

const PASSWORD: &str = "Harbour-Maple-93";

/// A create-users file: five people, the fourth's sign-in name bad.
fn five_users_file() -> String {
    let mut text = import::CREATE_USERS.join(",") + "\n";
    for (name, upn) in [
        ("Imported One", "imported.one@contoso.com"),
        ("Imported Two", "imported.two@contoso.com"),
        ("Imported Three", "imported.three@contoso.com"),
        ("Imported Bad", "imported bad@contoso.com"),
        ("Imported Five", "imported.five@contoso.com"),
    ] {
        text.push_str(&format!("{name},{upn},{PASSWORD},Buyer,Purchasing,GB\n"));
    }
    text
}

fn new_rows(text: &str) -> Vec<NewRow> {
    let checked = import::create_users(text).unwrap();
    assert_eq!(checked.bad.len(), 1);
    assert_eq!(
        (checked.bad[0].line, checked.bad[0].column.as_deref()),
        (5, Some("Sign-in name"))
    );
    checked
        .good
        .into_iter()
        .map(|g| NewRow::User(Box::new(g.value)))
        .collect()
}

fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    let mut all = Vec::new();
    for suffix in ["", "-wal"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
        all.extend(std::fs::read(&p).unwrap_or_default());
    }
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test]
async fn an_import_creates_its_good_rows_and_its_jobs_file_never_holds_a_password() {
    let t = Tenant::start(None).await;
    t.user("Someone Else", "imported.three@contoso.com", json!({})).await;
    let dir = tempfile::tempdir().unwrap();
    let path = jobs::store::path_in(dir.path());
    let store = JobStore::open(&path).unwrap();

    let planned = jobs::plan_create(&t.client, new_rows(&five_users_file()))
        .await
        .unwrap();
    for upn in [
        "imported.one@contoso.com",
        "imported.two@contoso.com",
        "imported.five@contoso.com",
    ] {
        assert_eq!(t.count(upn).await, 0, "the preview creates no one");
    }
    assert_eq!(planned.planned.kind, JobKind::CreateUsers);
    let checks: Vec<&RowCheck> = planned.planned.rows.iter().map(|r| &r.check).collect();
    assert_eq!(checks[0], &RowCheck::WillChange { note: None });
    assert_eq!(
        checks[2],
        &RowCheck::Refused {
            reason: "Someone in the directory already has this sign-in name (imported.three@contoso.com): Someone Else. Choose another one.".into()
        }
    );
    assert_eq!(planned.passwords.len(), 4);
    let job = store.create(&planned.planned, 1).unwrap();
    store.passwords().keep(job.id, planned.passwords);
    jobs::confirm(&store, job.id, &[1, 2, 3, 4]).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.state, p.done, p.failed), (JobState::Finished, 3, 0));
    for upn in [
        "imported.one@contoso.com",
        "imported.two@contoso.com",
        "imported.five@contoso.com",
    ] {
        assert_eq!(t.count(upn).await, 1, "{upn} created once");
    }
    assert_eq!(
        t.count("imported.three@contoso.com").await,
        1,
        "the refused row sent nothing"
    );
    let rows = store.rows(job.id).unwrap();
    let done = rows[0].change.as_ref().unwrap();
    assert!(
        directory::validate::is_guid(&done.object_id),
        "a done row keeps the new id: {}",
        done.object_id
    );
    assert_eq!(rows[2].status, RowStatus::Skipped);
    let batch = rows[0]
        .request_id
        .as_deref()
        .expect("a created row names Graph's request id");
    assert!(directory::validate::is_guid(batch), "{batch}");
    assert_eq!(rows[2].request_id, None, "nothing was sent for a skipped row");
    assert!(!done.payload.as_deref().unwrap().contains(PASSWORD));
    drop(store);
    assert!(
        !contains(&file_bytes(&path), PASSWORD),
        "no temporary password in the jobs file"
    );
    assert!(
        contains(&file_bytes(&path), "imported.one@contoso.com"),
        "the check above reads the right file"
    );
}

/// Plans three users, confirms them, then does what `run` does for the first row up to a crash:
/// marks it Sending and creates it. Returns the job id.
async fn stopped_after_first_row(t: &Tenant, store: &JobStore) -> u32 {
    let rows: Vec<NewRow> = new_rows(&five_users_file()).into_iter().take(3).collect();
    let first = match &rows[0] {
        NewRow::User(u) => (**u).clone(),
        NewRow::Guest(_) => unreachable!(),
    };
    let planned = jobs::plan_create(&t.client, rows).await.unwrap();
    let job = store.create(&planned.planned, 1).unwrap();
    store.passwords().keep(job.id, planned.passwords);
    jobs::confirm(store, job.id, &[1, 2, 3]).unwrap();
    store
        .update_rows(
            job.id,
            &[RowUpdate {
                index: 1,
                status: RowStatus::Sending,
                reason: None,
                request_id: None,
            }],
        )
        .unwrap();
    t.client.users().create(&first).await.unwrap();
    job.id
}

#[tokio::test]
async fn a_resumed_import_creates_no_one_twice() {
    let t = Tenant::start(None).await;
    let store = JobStore::open_in_memory().unwrap();
    let job_id = stopped_after_first_row(&t, &store).await;
    // Resumed in the same run of the app (the job stopped on an error): the passwords are here.
    let p = jobs::resume(&t.client, &store, job_id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.state, p.done, p.failed), (JobState::Finished, 3, 0));
    let rows = store.rows(job_id).unwrap();
    assert_eq!(
        rows[0].reason.as_deref(),
        Some("Done before the job stopped (checked when it resumed).")
    );
    for upn in [
        "imported.one@contoso.com",
        "imported.two@contoso.com",
        "imported.three@contoso.com",
    ] {
        assert_eq!(t.count(upn).await, 1, "{upn} exists once");
    }
}

#[tokio::test]
async fn after_a_crash_a_user_not_yet_created_waits_for_the_file_again_and_is_never_sent_without_a_password() {
    let t = Tenant::start(None).await;
    let dir = tempfile::tempdir().unwrap();
    let path = jobs::store::path_in(dir.path());
    let job_id = {
        let store = JobStore::open(&path).unwrap();
        stopped_after_first_row(&t, &store).await
        // The app dies: the passwords go with it.
    };
    let store = JobStore::open(&path).unwrap();
    assert_eq!(store.unfinished().unwrap().len(), 1);
    let p = jobs::resume(&t.client, &store, job_id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.state, p.done), (JobState::Finished, 1));
    let rows = store.rows(job_id).unwrap();
    assert_eq!(rows[0].status, RowStatus::Done);
    assert!(directory::validate::is_guid(
        &rows[0].change.as_ref().unwrap().object_id
    ));
    for r in &rows[1..] {
        assert_eq!(r.status, RowStatus::NotSent);
        assert_eq!(r.reason.as_deref(), Some(jobs::create::PASSWORD_GONE));
    }
    assert_eq!(t.count("imported.one@contoso.com").await, 1);
    assert_eq!(
        t.count("imported.two@contoso.com").await,
        0,
        "never sent without its password"
    );
    assert_eq!(t.count("imported.three@contoso.com").await, 0);
}

#[tokio::test]
async fn guests_are_invited_and_a_member_with_that_email_is_refused() {
    let t = Tenant::start(None).await;
    t.user(
        "Dana Member",
        "dana@contoso.com",
        json!({ "mail": "dana@fabrikam.com" }),
    )
    .await;
    let text = format!(
        "{}\nsam.taylor@fabrikam.com,Sam Taylor,no,,\ndana@fabrikam.com,Dana,no,,\n",
        import::INVITE_GUESTS.join(",")
    );
    let checked = import::invite_guests(&text).unwrap();
    assert!(checked.bad.is_empty());
    let rows = checked
        .good
        .into_iter()
        .map(|g| NewRow::Guest(Box::new(g.value)))
        .collect();
    let planned = jobs::plan_create(&t.client, rows).await.unwrap();
    assert_eq!(planned.planned.kind, JobKind::InviteGuests);
    assert!(planned.passwords.is_empty());
    assert_eq!(planned.planned.rows[0].check, RowCheck::WillChange { note: None });
    assert_eq!(
        planned.planned.rows[1].check,
        RowCheck::Refused {
            reason:
                "dana@fabrikam.com already belongs to Dana Member in your directory; they do not need an invitation."
                    .into()
        }
    );
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned.planned, 1).unwrap();
    jobs::confirm(&store, job.id, &[1]).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (1, 0), "{:?}", store.rows(job.id).unwrap());
    let guests = t
        .client
        .users()
        .list(
            ListQuery::new()
                .filter(Filter::eq("mail", "sam.taylor@fabrikam.com"))
                .select(&["id", "userType"]),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(guests.len(), 1);
    assert_eq!(guests[0].user_type, Some(msgraph::UserType::Guest));
    let change = store.rows(job.id).unwrap()[0].change.clone().unwrap();
    assert_eq!(change.object_id, guests[0].id.as_str());
}

#[tokio::test]
async fn members_named_by_sign_in_name_are_found_and_a_name_no_one_has_is_refused() {
    let t = Tenant::start(None).await;
    let kim = t
        .user(
            "Kim Import",
            "kim.import@contoso.com",
            json!({ "mail": "kim.i@contoso.com" }),
        )
        .await;
    let ana = t.user("Ana Import", "ana.import@contoso.com", json!({})).await;
    let group = t
        .admin(
            reqwest::Method::POST,
            "/groups",
            Some(json!({ "displayName": "Imported Team" })),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let names = vec![
        "kim.i@contoso.com".to_string(),
        "nobody@contoso.com".to_string(),
        "ana.import@contoso.com".to_string(),
    ];
    let kind = JobKind::AddToGroup {
        group_id: group.clone(),
    };
    let planned = jobs::plan_by_names(&t.client, &kind, &names).await.unwrap();
    assert_eq!(planned.title, "Add to group Imported Team");
    let ids: Vec<&str> = planned.rows.iter().map(|r| r.object_id.as_str()).collect();
    assert_eq!(ids, [kim.as_str(), "nobody@contoso.com", ana.as_str()]);
    assert_eq!(planned.rows.iter().map(|r| r.index).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(
        planned.rows[1].check,
        RowCheck::Refused {
            reason: "No one in the directory signs in as nobody@contoso.com or has it as their email.".into()
        }
    );
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &[1, 3]).unwrap();
    let p = jobs::run(&t.client, &store, job.id, &jobs::CancelToken::default(), &quiet)
        .await
        .unwrap();
    assert_eq!((p.done, p.failed), (2, 0));
    let members = t
        .client
        .groups()
        .members(&msgraph::GroupId::new(&group), ListQuery::new().select(&["id"]))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
}

#[tokio::test]
async fn a_licence_file_is_checked_against_the_subscriptions_then_each_person_for_a_usage_location_and_a_seat() {
    let t = Tenant::start(None).await;
    let sku_id = t.subscription(1).await;
    t.user("Lic None", "lic.none@contoso.com", json!({})).await;
    let first = t
        .user("Lic First", "lic.first@contoso.com", json!({ "usageLocation": "GB" }))
        .await;
    t.user("Lic Second", "lic.second@contoso.com", json!({ "usageLocation": "US" }))
        .await;
    let licences = directory::licenses::list(&t.client).await.unwrap();
    let text = format!(
        "{}\nlic.none@contoso.com,AAD_BASIC,\nlic.first@contoso.com,AAD_BASIC,\nlic.second@contoso.com,AAD_BASIC,\nlic.other@contoso.com,NOT_A_LICENCE,\n",
        import::ASSIGN_LICENCES.join(",")
    );
    let checked = import::assign_licences(&text, &licences).unwrap();
    assert_eq!(checked.bad.len(), 1);
    assert_eq!(
        (checked.bad[0].line, checked.bad[0].column.as_deref()),
        (5, Some("Licence"))
    );
    assert_eq!(checked.good[0].value.sku_id, sku_id);
    let names: Vec<String> = checked.good.iter().map(|g| g.value.user.clone()).collect();
    let kind = JobKind::AssignLicence {
        sku_id: sku_id.clone(),
        disabled_plans: Vec::new(),
        usage_location: None,
    };
    let planned = jobs::plan_by_names(&t.client, &kind, &names).await.unwrap();
    assert!(matches!(&planned.rows[0].check, RowCheck::NeedsInput { reason } if reason.contains("no usage location")));
    assert!(planned.rows[1].check.will_change());
    assert!(matches!(&planned.rows[2].check, RowCheck::Refused { reason } if reason.contains("seat is left")));
    let store = JobStore::open_in_memory().unwrap();
    let job = store.create(&planned, 1).unwrap();
    jobs::confirm(&store, job.id, &[1, 2, 3]).unwrap();
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
