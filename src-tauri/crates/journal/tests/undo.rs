//! Undo against the practice tenant (the `sandbox` crate's Graph emulator) through the real
//! `msgraph::Client` and `directory` use cases: each kind of change the app can take back is made,
//! journaled, undone and read back from Graph; a change made since, and a security group deleted
//! for good, are refused with the reason.

use std::sync::Arc;

use directory::{groups, licenses, roles, users};
use journal::capture::{self, before};
use journal::undo::{self, Plan};
use journal::{Account, Draft, Entry, Journal};
use msgraph::{AccessToken, Client, TokenFuture, TokenProvider, UserUpdate};
use serde_json::json;

struct Token(String);

impl TokenProvider for Token {
    fn access_token(&self, _force_refresh: bool) -> TokenFuture<'_> {
        let t = self.0.clone();
        Box::pin(async move { Ok(AccessToken::new(t)) })
    }
}

struct Tenant {
    _sandbox: sandbox::Sandbox,
    client: Client,
    journal: Journal,
}

const ADELE: &str = "AdeleV@contoso.com";
const DIEGO: &str = "DiegoS@contoso.com";

impl Tenant {
    async fn start() -> Tenant {
        let sandbox = sandbox::Sandbox::start(sandbox::Config::default()).await.unwrap();
        let token: serde_json::Value = reqwest::Client::new()
            .post(format!("{}/_sandbox/tokens", sandbox.base_url()))
            .header(sandbox::ADMIN_SECRET_HEADER, sandbox.admin_secret())
            .json(&json!({ "upn": "admin@contoso.com" }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["access_token"].as_str().unwrap().to_string();
        let client = Client::new(url::Url::parse(&sandbox.graph_url()).unwrap(), Arc::new(Token(token)));
        Tenant {
            _sandbox: sandbox,
            client,
            journal: Journal::open_in_memory().unwrap(),
        }
    }

    /// Records what a change returned, as the shell does; returns its (first) entry.
    fn record(&self, drafts: Vec<Draft>) -> Entry {
        let me = Account {
            id: "admin".into(),
            name: "Admin".into(),
        };
        let ids = self
            .journal
            .record_many(&me, time::OffsetDateTime::now_utc(), &drafts)
            .unwrap();
        self.journal.get(ids[0]).unwrap().unwrap()
    }

    async fn plan(&self, entry: &Entry) -> Plan {
        undo::plan(&self.client, entry).await.unwrap()
    }

    /// Plans and runs the undo of `entry`, records it, and returns the entry as it is now.
    async fn undo(&self, entry: &Entry) -> (String, Entry) {
        let Plan::Ready { inverse, what } = self.plan(entry).await else {
            panic!("{entry:?} should be undoable")
        };
        let drafts = undo::run(&self.client, entry, &inverse).await.unwrap();
        assert!(!drafts.is_empty(), "the undo is journaled");
        let undo_entry = self.record(drafts);
        assert_eq!(undo_entry.undoes, Some(entry.id));
        (what, self.journal.get(entry.id).unwrap().unwrap())
    }

    async fn update_user(&self, key: &str, changes: UserUpdate) -> Entry {
        let was = before::user(&self.client, key).await.unwrap();
        let after = users::update(&self.client, key, &changes).await.unwrap();
        self.record(capture::user_updated(&changes.keys(), &was, &after))
    }
}

fn job_title(title: &str) -> UserUpdate {
    serde_json::from_value(json!({ "jobTitle": title })).unwrap()
}

fn refused(plan: Plan) -> String {
    match plan {
        Plan::Refused { reason } => reason,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_attribute_edit_is_put_back_and_the_entry_shows_it_was_undone() {
    let t = Tenant::start().await;
    let old = users::get(&t.client, ADELE).await.unwrap().job_title;
    let entry = t.update_user(ADELE, job_title("Chief Gardener")).await;
    assert_eq!(entry.changes.len(), 1);
    assert_eq!(entry.changes[0].property, "jobTitle");
    assert_eq!(entry.changes[0].after, json!("Chief Gardener"));

    let (what, entry) = t.undo(&entry).await;
    assert!(what.contains("job title"), "{what}");
    assert_eq!(
        users::get(&t.client, ADELE).await.unwrap().job_title,
        old,
        "the old title is back"
    );
    assert!(entry.undone_by.is_some());
    assert!(refused(t.plan(&entry).await).starts_with("Already undone"));
}

#[tokio::test]
async fn an_attribute_changed_since_is_not_overwritten() {
    let t = Tenant::start().await;
    let entry = t.update_user(ADELE, job_title("Chief Gardener")).await;
    users::update(&t.client, ADELE, &job_title("Head of Parks"))
        .await
        .unwrap();
    assert_eq!(
        refused(t.plan(&entry).await),
        "Changed since: the job title is now ‘Head of Parks’, not ‘Chief Gardener’ as this app left it."
    );
    assert_eq!(
        users::get(&t.client, ADELE).await.unwrap().job_title.as_deref(),
        Some("Head of Parks")
    );
}

#[tokio::test]
async fn a_membership_added_is_removed_and_one_removed_is_added_back() {
    let t = Tenant::start().await;
    let golf = "Golf Discussion";
    let is_member = |id: String| {
        let c = t.client.clone();
        async move {
            groups::members(&c, golf, None)
                .await
                .unwrap()
                .iter()
                .any(|m| m.id.as_str() == id)
        }
    };
    // Not a member to begin with, whatever the seed says.
    let _ = groups::remove_member(&t.client, golf, DIEGO).await;
    let added = groups::add_members(&t.client, golf, &[DIEGO.into()]).await.unwrap();
    let entry = t.record(capture::members_added(&added));
    let diego = entry.target.id.clone();
    assert!(is_member(diego.clone()).await);
    t.undo(&entry).await;
    assert!(!is_member(diego.clone()).await, "the membership is gone");

    let removed = groups::remove_member(&t.client, golf, &diego).await;
    // Already gone: nothing journaled. Add and remove again, then undo the removal.
    assert!(capture::member_removed(&removed.unwrap()).is_empty());
    groups::add_members(&t.client, golf, std::slice::from_ref(&diego))
        .await
        .unwrap();
    let removed = groups::remove_member(&t.client, golf, &diego).await.unwrap();
    let entry = t.record(capture::member_removed(&removed));
    t.undo(&entry).await;
    assert!(is_member(diego).await, "added back");
}

#[tokio::test]
async fn a_licence_assigned_is_removed_and_one_removed_comes_back_with_the_same_plans_switched_off() {
    let t = Tenant::start().await;
    let sku = licenses::list(&t.client)
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.sku.sku_part_number.as_deref() == Some("ENTERPRISEPREMIUM"))
        .unwrap();
    let p1 = sku.name.as_str();
    let holds = || async {
        licenses::of_user(&t.client, ADELE)
            .await
            .unwrap()
            .into_iter()
            .find(|l| l.name == p1)
    };
    if holds().await.is_some() {
        licenses::remove(&t.client, ADELE, p1).await.unwrap();
    }
    let plan = sku.sku.service_plans[0].service_plan_id.to_string();

    let assigned = licenses::assign(&t.client, ADELE, p1, std::slice::from_ref(&plan))
        .await
        .unwrap();
    let entry = t.record(capture::licence_changed(&[], &assigned));
    t.undo(&entry).await;
    assert!(holds().await.is_none(), "the licence assigned here was removed");

    licenses::assign(&t.client, ADELE, p1, std::slice::from_ref(&plan))
        .await
        .unwrap();
    let held = before::licences(&t.client, ADELE).await;
    let removed = licenses::remove(&t.client, ADELE, p1).await.unwrap();
    let entry = t.record(capture::licence_changed(&held, &removed));
    let (what, _) = t.undo(&entry).await;
    assert!(what.contains("same 1 services switched off"), "{what}");
    let back = holds().await.expect("the licence is back");
    assert_eq!(
        back.disabled_plans.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        [plan]
    );
}

#[tokio::test]
async fn a_role_assigned_is_taken_back() {
    let t = Tenant::start().await;
    let c = roles::assign(&t.client, ADELE, "User Administrator", None)
        .await
        .unwrap();
    let entry = t.record(capture::role_changed(&c));
    t.undo(&entry).await;
    let held = roles::of_user(&t.client, ADELE).await.unwrap();
    assert!(!held.iter().any(|r| r.name == "User Administrator"), "{held:?}");
}

#[tokio::test]
async fn the_previous_manager_is_restored() {
    let t = Tenant::start().await;
    users::set_manager(&t.client, ADELE, "AlexW@contoso.com").await.unwrap();
    let was = before::manager(&t.client, ADELE).await;
    let c = users::set_manager(&t.client, ADELE, "DiegoS@contoso.com")
        .await
        .unwrap();
    let entry = t.record(capture::manager_changed(was.as_ref(), &c));
    let (what, _) = t.undo(&entry).await;
    assert!(what.contains("Alex"), "{what}");
    let now = users::manager(&t.client, ADELE).await.unwrap().unwrap();
    assert_eq!(now.user_principal_name.as_deref(), Some("AlexW@contoso.com"));
}

#[tokio::test]
async fn a_deleted_user_and_microsoft_365_group_are_restored_but_a_security_group_is_gone_for_good() {
    let t = Tenant::start().await;
    let deleted = users::delete(&t.client, DIEGO).await.unwrap();
    let entry = t.record(capture::user_deleted(&deleted));
    t.undo(&entry).await;
    assert!(users::get(&t.client, DIEGO).await.is_ok(), "restored");

    let mut m365 = groups::NewGroupInput {
        group_type: msgraph::NewGroupType::Microsoft365,
        display_name: "Allotment committee".into(),
        mail_nickname: String::new(),
        description: None,
        visibility: None,
        owners: vec![ADELE.into()],
        members: vec![],
        is_assignable_to_role: false,
    };
    groups::create(&t.client, &m365).await.unwrap();
    let gone = groups::delete(&t.client, "Allotment committee").await.unwrap();
    let entry = t.record(capture::group_deleted(&gone));
    t.undo(&entry).await;
    assert!(groups::get(&t.client, "Allotment committee").await.is_ok(), "restored");

    m365.group_type = msgraph::NewGroupType::Security;
    m365.display_name = "Shed keys".into();
    groups::create(&t.client, &m365).await.unwrap();
    let gone = groups::delete(&t.client, "Shed keys").await.unwrap();
    let entry = t.record(capture::group_deleted(&gone));
    assert_eq!(
        refused(t.plan(&entry).await),
        "A security group deleted for good cannot be brought back."
    );
}

#[tokio::test]
async fn a_blocked_person_is_allowed_back_unless_someone_did_it_already() {
    let t = Tenant::start().await;
    let c = users::set_enabled(&t.client, ADELE, false).await.unwrap();
    let entry = t.record(capture::enabled(&c));
    t.undo(&entry).await;
    assert_eq!(users::get(&t.client, ADELE).await.unwrap().account_enabled, Some(true));

    let c = users::set_enabled(&t.client, ADELE, false).await.unwrap();
    let entry = t.record(capture::enabled(&c));
    users::set_enabled(&t.client, ADELE, true).await.unwrap();
    assert!(refused(t.plan(&entry).await).starts_with("Changed since"));
}

#[tokio::test]
async fn graphs_request_id_of_each_accepted_change_is_kept_and_reads_are_not() {
    let t = Tenant::start().await;
    let (client, receipts) = t.client.receipted();
    users::get(&client, ADELE).await.unwrap();
    assert!(receipts.request_ids().is_empty(), "a read is not a change");
    users::update(&client, ADELE, &job_title("Chief Gardener"))
        .await
        .unwrap();
    let ids = receipts.request_ids();
    assert_eq!(ids.len(), 1, "{ids:?}");
    assert!(!ids[0].is_empty());
}
