//! Event derivation: delta pages (Microsoft's documented shapes) applied to the mirror.

use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;
use watch::testkit::page_from_json;
use watch::{
    DeleteReason, Event, EventKind, EventQuery, GroupScope, KindRule, Mirror, ObjectType, Resource, WalkMode,
    WatchRules,
};

const T0: OffsetDateTime = datetime!(2026-11-26 10:00 UTC);
const T1: OffsetDateTime = datetime!(2026-11-26 10:01 UTC);
const T2: OffsetDateTime = datetime!(2026-11-26 10:02 UTC);
const T3: OffsetDateTime = datetime!(2026-11-26 10:03 UTC);

fn fx(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn users_initial() -> Vec<Value> {
    vec![
        fx(include_str!("fixtures/users_initial_1.json")),
        fx(include_str!("fixtures/users_initial_2.json")),
    ]
}

fn page(values: Vec<Value>, link: &str) -> Value {
    json!({ "value": values, "@odata.deltaLink": link })
}

fn next_page(values: Vec<Value>) -> Value {
    json!({ "value": values, "@odata.nextLink": "https://graph.microsoft.com/v1.0/x/delta?$skiptoken=abc" })
}

fn user(id: &str, name: &str, upn: &str) -> Value {
    json!({ "id": id, "displayName": name, "userPrincipalName": upn })
}

fn group(id: &str, name: &str, members: Vec<Value>) -> Value {
    let mut g = json!({ "id": id, "displayName": name, "description": format!("{name} team") });
    if !members.is_empty() {
        g["members@delta"] = Value::Array(members);
    }
    g
}

fn member(id: &str, odata_type: &str) -> Value {
    json!({ "@odata.type": odata_type, "id": id })
}

fn removed_member(id: &str, odata_type: &str) -> Value {
    json!({ "@odata.type": odata_type, "id": id, "@removed": { "reason": "deleted" } })
}

fn removed(id: &str, reason: &str) -> Value {
    json!({ "id": id, "@removed": { "reason": reason } })
}

fn apply_rules(
    m: &mut Mirror,
    resource: Resource,
    mode: WalkMode,
    now: OffsetDateTime,
    pages: &[Value],
    rules: &WatchRules,
) -> Vec<Event> {
    let mut walk = m.begin_walk(resource, mode, now).unwrap();
    let mut link = None;
    for p in pages {
        let p = page_from_json(p);
        m.apply_page(&mut walk, &p).unwrap();
        link = p.delta_link.clone().or(link);
    }
    m.finish_walk(walk, &link.expect("the last page has a deltaLink"), rules)
        .unwrap()
}

fn apply(m: &mut Mirror, resource: Resource, mode: WalkMode, now: OffsetDateTime, pages: &[Value]) -> Vec<Event> {
    apply_rules(m, resource, mode, now, pages, &WatchRules::default())
}

fn summaries(events: &[Event]) -> Vec<String> {
    events.iter().map(|e| e.summary.clone()).collect()
}

/// A mirror holding Adele Vance and Megan Bowen (active users), a Sales and a Marketing group;
/// Adele is a member of Sales.
fn seeded() -> Mirror {
    let mut m = Mirror::open_in_memory().unwrap();
    let users = page(
        vec![
            fx(include_str!("fixtures/users_adele.json"))["value"][0].clone(),
            user("u-megan", "Megan Bowen", "MeganB@contoso.com"),
        ],
        "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=t0",
    );
    assert!(apply(&mut m, Resource::Users, WalkMode::Initial, T0, &[users]).is_empty());
    let groups = page(
        vec![
            group("g-sales", "Sales", vec![member(ADELE, "#microsoft.graph.user")]),
            group("g-marketing", "Marketing", vec![]),
        ],
        "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=t0",
    );
    assert!(apply(&mut m, Resource::Groups, WalkMode::Initial, T0, &[groups]).is_empty());
    m
}

const ADELE: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
const USERS_LINK: &str = "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=t1";
const GROUPS_LINK: &str = "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=t1";

#[test]
fn first_sync_builds_the_mirror_silently() {
    let mut m = Mirror::open_in_memory().unwrap();
    let events = apply(&mut m, Resource::Users, WalkMode::Initial, T0, &users_initial());
    assert!(events.is_empty());
    let groups = vec![
        fx(include_str!("fixtures/groups_initial.json")),
        fx(include_str!("fixtures/users_nothing_changed.json")),
    ];
    assert!(apply(&mut m, Resource::Groups, WalkMode::Initial, T0, &groups).is_empty());
    let counts = m.counts().unwrap();
    assert_eq!(
        (counts.users, counts.groups, counts.memberships, counts.events),
        (3, 2, 2, 0)
    );
    let cursor = m.cursor(Resource::Users).unwrap().unwrap();
    assert!(cursor
        .link
        .0
        .ends_with("$deltatoken=oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M"));
    assert!(cursor.current_query);
    assert_eq!(cursor.synced_at, T0);
}

#[test]
fn documented_user_changes_become_an_update_and_a_soft_delete() {
    let mut m = Mirror::open_in_memory().unwrap();
    let mut initial = users_initial();
    // The soft-deleted user of the docs' change response must exist first.
    initial[1]["value"].as_array_mut().unwrap().push(user(
        "8ffff70c-1c63-4860-b963-e34ec660931d",
        "Isaiah Langer",
        "IsaiahL@contoso.com",
    ));
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, &initial);

    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        &[fx(include_str!("fixtures/users_changes.json"))],
    );
    assert_eq!(events.len(), 2, "{events:#?}");
    let updated = &events[0];
    assert_eq!(updated.kind, EventKind::UserUpdated);
    assert_eq!(updated.object.name.as_deref(), Some("MOD Administrator"));
    let changed: Vec<(&str, Value, Value)> = updated
        .changes
        .iter()
        .map(|c| (c.property.as_str(), c.old.clone(), c.new.clone()))
        .collect();
    assert_eq!(
        changed,
        vec![
            ("displayName", json!("Lidia Holloway"), json!("MOD Administrator")),
            ("givenName", json!("Lidia"), json!("MOD")),
            ("surname", json!("Holloway"), json!("Administrator")),
        ]
    );
    assert_eq!(
        updated.summary,
        "User updated: MOD Administrator — display name: Lidia Holloway → MOD Administrator; first name: Lidia → MOD; last name: Holloway → Administrator"
    );
    assert_eq!(updated.since, Some(T0));
    assert_eq!(updated.detected_at, T1);

    let deleted = &events[1];
    assert_eq!(deleted.kind, EventKind::UserDeleted);
    assert_eq!(deleted.reason, Some(DeleteReason::SoftDeleted));
    assert_eq!(
        deleted.summary,
        "User deleted: Isaiah Langer (IsaiahL@contoso.com) — it can be restored for 30 days"
    );
    // Recorded in the history, newest first.
    let history = m.events(&EventQuery::default()).unwrap();
    assert_eq!(
        summaries(&history),
        vec![deleted.summary.clone(), updated.summary.clone()]
    );
}

#[test]
fn a_new_user_is_created_not_updated() {
    let mut m = Mirror::open_in_memory().unwrap();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, &users_initial());
    let pages = [
        fx(include_str!("fixtures/users_adele.json")),
        fx(include_str!("fixtures/users_nothing_changed.json")),
    ];
    let events = apply(&mut m, Resource::Users, WalkMode::Incremental, T1, &pages);
    assert_eq!(
        summaries(&events),
        vec!["User created: Adele Vance (AdeleV@contoso.com)"]
    );
    assert_eq!(events[0].kind, EventKind::UserCreated);
    assert_eq!(events[0].object.id, ADELE);
}

#[test]
fn soft_delete_then_restore_then_permanent_delete() {
    let mut m = seeded();
    let soft = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed(ADELE, "changed")], USERS_LINK)],
    );
    assert_eq!(soft[0].reason, Some(DeleteReason::SoftDeleted));

    // Graph marks a restore like a creation (no annotation); the mirror knows better.
    let restored_user = fx(include_str!("fixtures/users_adele.json"))["value"][0].clone();
    let back = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![restored_user], USERS_LINK)],
    );
    assert_eq!(
        summaries(&back),
        vec!["User restored: Adele Vance (AdeleV@contoso.com)"]
    );
    assert_eq!(back[0].kind, EventKind::UserRestored);
    assert!(back[0].changes.is_empty());

    let soft2 = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3,
        &[page(vec![removed(ADELE, "changed")], USERS_LINK)],
    );
    assert_eq!(soft2.len(), 1);
    let purge = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3 + time::Duration::days(30),
        &[page(vec![removed(ADELE, "deleted")], USERS_LINK)],
    );
    assert_eq!(
        summaries(&purge),
        vec!["User permanently deleted: Adele Vance (AdeleV@contoso.com)"]
    );
    // Every transition got its own id.
    let ids: std::collections::BTreeSet<String> = [&soft, &back, &soft2, &purge]
        .iter()
        .flat_map(|v| v.iter().map(|e| e.id.clone()))
        .collect();
    assert_eq!(ids.len(), 4);
}

#[test]
fn created_and_deleted_within_one_poll_reports_both() {
    let mut m = seeded();
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed("u-ghost", "changed")], USERS_LINK)],
    );
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, vec![EventKind::UserCreated, EventKind::UserDeleted]);
    assert_eq!(
        events[0].summary,
        "User created and deleted again before its details could be read: u-ghost"
    );
    assert_eq!(events[1].reason, Some(DeleteReason::SoftDeleted));

    // The same walk delivered once more (a replay) derives nothing.
    let again = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![removed("u-ghost", "changed")], USERS_LINK)],
    );
    assert!(again.is_empty());

    // When the created object was seen on an earlier page, it has its name.
    let seen_then_gone = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3,
        &[
            next_page(vec![user("u-temp", "Temp Worker", "temp@contoso.com")]),
            page(vec![removed("u-temp", "deleted")], USERS_LINK),
        ],
    );
    assert_eq!(
        summaries(&seen_then_gone),
        vec![
            "User created: Temp Worker (temp@contoso.com)",
            "User permanently deleted: Temp Worker (temp@contoso.com)"
        ]
    );
}

#[test]
fn a_rename_is_an_update_and_later_events_use_the_new_name() {
    let mut m = seeded();
    let renamed = json!({ "id": "g-sales", "displayName": "Sales EMEA", "description": "Sales team" });
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![renamed], GROUPS_LINK)],
    );
    assert_eq!(
        summaries(&events),
        vec!["Group updated: Sales EMEA — display name: Sales → Sales EMEA"]
    );
    assert_eq!(events[0].kind, EventKind::GroupUpdated);

    let add = json!({ "id": "g-sales", "displayName": "Sales EMEA", "description": "Sales team",
                      "members@delta": [member("u-megan", "#microsoft.graph.user")] });
    let added = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(vec![add], GROUPS_LINK)],
    );
    assert_eq!(summaries(&added), vec!["Megan Bowen was added to Sales EMEA"]);
}

#[test]
fn documented_membership_change_removes_one_member_and_adds_another() {
    let mut m = Mirror::open_in_memory().unwrap();
    let start = page(
        vec![
            json!({ "displayName": "TestGroup3", "description": "A test group for change tracking",
            "id": "2e5807ce-58f3-4a94-9b37-ffff2e085957",
            "members@delta": [ { "@odata.type": "#microsoft.graph.user", "id": "632f6bb2-3ec8-4c1f-9073-0027a8c6859" } ] }),
        ],
        GROUPS_LINK,
    );
    apply(&mut m, Resource::Groups, WalkMode::Initial, T0, &[start]);
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[fx(include_str!("fixtures/groups_members_changed.json"))],
    );
    let kinds: Vec<EventKind> = events.iter().map(|e| e.kind).collect();
    // The group's own properties did not change: no "group updated" noise.
    assert_eq!(kinds, vec![EventKind::MemberRemoved, EventKind::MemberAdded]);
    // Unknown users are shown by id, with their type.
    assert_eq!(
        summaries(&events),
        vec![
            "User 632f6bb2-3ec8-4c1f-9073-0027a8c6859 was removed from TestGroup3",
            "User 37de1ae3-408f-4702-8636-20824abda004 was added to TestGroup3"
        ]
    );
    let members = m.members("2e5807ce-58f3-4a94-9b37-ffff2e085957").unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].id, "37de1ae3-408f-4702-8636-20824abda004");
}

#[test]
fn remove_then_re_add_a_member_gives_two_distinct_events() {
    let mut m = seeded();
    let out = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![group(
                "g-sales",
                "Sales",
                vec![removed_member(ADELE, "#microsoft.graph.user")],
            )],
            GROUPS_LINK,
        )],
    );
    assert_eq!(summaries(&out), vec!["Adele Vance was removed from Sales"]);
    let back = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(
            vec![group("g-sales", "Sales", vec![member(ADELE, "#microsoft.graph.user")])],
            GROUPS_LINK,
        )],
    );
    assert_eq!(summaries(&back), vec!["Adele Vance was added to Sales"]);
    assert_ne!(out[0].id, back[0].id);
    // A replay of the re-add changes nothing.
    let replay = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T3,
        &[page(
            vec![group("g-sales", "Sales", vec![member(ADELE, "#microsoft.graph.user")])],
            GROUPS_LINK,
        )],
    );
    assert!(replay.is_empty());
    assert_eq!(m.counts().unwrap().events, 2);
}

#[test]
fn members_that_are_groups_or_contacts_are_named_with_their_type() {
    let mut m = seeded();
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![group(
                "g-sales",
                "Sales",
                vec![
                    member("g-marketing", "#microsoft.graph.group"),
                    member("c-1", "#microsoft.graph.orgContact"),
                ],
            )],
            GROUPS_LINK,
        )],
    );
    assert_eq!(
        summaries(&events),
        vec!["Group Marketing was added to Sales", "Contact c-1 was added to Sales"]
    );
    assert_eq!(events[0].member.as_ref().unwrap().object_type, ObjectType::Group);
    assert_eq!(events[1].member.as_ref().unwrap().object_type, ObjectType::Contact);
}

#[test]
fn a_group_created_later_in_the_walk_is_still_named_as_a_member() {
    let mut m = seeded();
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[
            next_page(vec![group(
                "g-sales",
                "Sales",
                vec![member("g-new", "#microsoft.graph.group")],
            )]),
            page(vec![group("g-new", "Field Sales", vec![])], GROUPS_LINK),
        ],
    );
    assert_eq!(
        summaries(&events),
        vec!["Group Field Sales was added to Sales", "Group created: Field Sales"]
    );
}

#[test]
fn a_big_group_split_over_pages_is_merged_without_duplicates() {
    let mut m = seeded();
    let slice = |ids: &[&str]| {
        group(
            "g-marketing",
            "Marketing",
            ids.iter().map(|id| member(id, "#microsoft.graph.user")).collect(),
        )
    };
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[
            next_page(vec![slice(&["m1", "m2"])]),
            // Graph may repeat an entity inside one walk: the duplicate slice changes nothing.
            next_page(vec![slice(&["m3"]), slice(&["m1", "m2"])]),
            page(vec![slice(&["m4"])], GROUPS_LINK),
        ],
    );
    assert_eq!(events.len(), 4);
    assert!(events.iter().all(|e| e.kind == EventKind::MemberAdded));
    assert_eq!(m.members("g-marketing").unwrap().len(), 4);
}

#[test]
fn replaying_a_whole_walk_produces_no_events() {
    let mut m = seeded();
    let pages = [
        next_page(vec![
            user("u-new", "Nestor Wilke", "NestorW@contoso.com"),
            removed("u-megan", "changed"),
        ]),
        page(vec![json!({ "id": ADELE, "jobTitle": "Store Manager" })], USERS_LINK),
    ];
    let first = apply(&mut m, Resource::Users, WalkMode::Incremental, T1, &pages);
    assert_eq!(first.len(), 3);
    let replay = apply(&mut m, Resource::Users, WalkMode::Incremental, T2, &pages);
    assert!(replay.is_empty(), "{replay:#?}");
    assert_eq!(m.counts().unwrap().events, 3);
}

#[test]
fn noise_and_reordered_lists_are_not_updates() {
    let mut m = Mirror::open_in_memory().unwrap();
    let g = json!({ "id": "g1", "displayName": "All Company", "proxyAddresses": ["SMTP:a@contoso.com", "smtp:b@contoso.com"],
                    "renewedDateTime": "2021-03-12T10:36:14Z" });
    apply(
        &mut m,
        Resource::Groups,
        WalkMode::Initial,
        T0,
        &[page(vec![g], GROUPS_LINK)],
    );
    let same = json!({ "id": "g1", "displayName": "All Company", "proxyAddresses": ["smtp:b@contoso.com", "SMTP:a@contoso.com"],
                       "renewedDateTime": "2022-03-12T10:36:14Z" });
    assert!(apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![same], GROUPS_LINK)]
    )
    .is_empty());
    // `Prefer: return=minimal` pages carry only what changed; the rest is kept.
    let minimal = json!({ "id": "g1", "proxyAddresses": ["SMTP:a@contoso.com"] });
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(vec![minimal], GROUPS_LINK)],
    );
    assert_eq!(
        summaries(&events),
        vec![
            "Group updated: All Company — email addresses: smtp:b@contoso.com, SMTP:a@contoso.com → SMTP:a@contoso.com"
        ]
    );
}

#[test]
fn deleting_a_group_ends_its_memberships_silently() {
    let mut m = seeded();
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed("g-sales", "deleted")], GROUPS_LINK)],
    );
    assert_eq!(summaries(&events), vec!["Group permanently deleted: Sales"]);
    assert!(m.members("g-sales").unwrap().is_empty());
}

#[test]
fn a_crash_between_pages_keeps_the_old_cursor_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite3");
    {
        let mut m = Mirror::open(&path).unwrap();
        apply(&mut m, Resource::Users, WalkMode::Initial, T0, &users_initial());
    }
    let pages = [
        next_page(vec![user("u-new", "Nestor Wilke", "NestorW@contoso.com")]),
        page(
            vec![removed("ffff7b1a-13b6-477b-8c0c-380905cd99f7", "changed")],
            USERS_LINK,
        ),
    ];
    {
        let mut m = Mirror::open(&path).unwrap();
        let mut walk = m.begin_walk(Resource::Users, WalkMode::Incremental, T1).unwrap();
        m.apply_page(&mut walk, &page_from_json(&pages[0])).unwrap();
        // The process dies here: connection dropped without finish_walk.
    }
    let mut m = Mirror::open(&path).unwrap();
    let cursor = m.cursor(Resource::Users).unwrap().unwrap();
    assert!(
        cursor.link.0.ends_with("oEcOySpF_hWYmTIUZBOIfPzcwisr_rPe8o9M"),
        "cursor advanced"
    );
    assert_eq!(m.counts().unwrap().users, 3, "a half-applied page survived");
    assert_eq!(m.counts().unwrap().events, 0);
    // The walk is repeated from the old cursor: each event exactly once.
    let events = apply(&mut m, Resource::Users, WalkMode::Incremental, T2, &pages);
    assert_eq!(
        summaries(&events),
        vec![
            "User created: Nestor Wilke (NestorW@contoso.com)",
            "User deleted: Cameron White — it can be restored for 30 days"
        ]
    );
    assert_eq!(m.cursor(Resource::Users).unwrap().unwrap().link.0, USERS_LINK);
}

#[test]
fn abort_walk_rolls_back() {
    let mut m = seeded();
    let mut walk = m.begin_walk(Resource::Users, WalkMode::Incremental, T1).unwrap();
    m.apply_page(
        &mut walk,
        &page_from_json(&page(vec![removed(ADELE, "deleted")], USERS_LINK)),
    )
    .unwrap();
    m.abort_walk();
    assert_eq!(m.counts().unwrap().users, 2);
    // A new walk can begin on the same connection.
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![removed(ADELE, "deleted")], USERS_LINK)],
    );
    assert_eq!(events.len(), 1);
}

#[test]
fn resync_after_expiry_emits_only_real_differences() {
    let mut m = seeded();
    // Adele's job changed, Megan is gone (purged while we could not follow), Nestor is new,
    // Marketing was soft-deleted, Sales lost Adele and gained Nestor; an old deleted user that
    // we never knew is listed too.
    let adele = fx(include_str!("fixtures/users_adele.json"))["value"][0].clone();
    let mut adele_new = adele.clone();
    adele_new["jobTitle"] = json!("Store Manager");
    let users = [
        next_page(vec![adele_new, removed("u-ancient", "deleted")]),
        page(
            vec![user("u-nestor", "Nestor Wilke", "NestorW@contoso.com")],
            "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=r1",
        ),
    ];
    let user_events = apply(&mut m, Resource::Users, WalkMode::Resync, T2, &users);
    assert_eq!(
        summaries(&user_events),
        vec![
            "User updated: Adele Vance (AdeleV@contoso.com) — job title: Retail Manager → Store Manager",
            "User created: Nestor Wilke (NestorW@contoso.com)",
            "User deleted: Megan Bowen (MeganB@contoso.com) — it is no longer in the directory",
        ]
    );
    assert!(user_events.iter().all(|e| e.resync && e.since.is_none()));

    let groups = [page(
        vec![
            group("g-sales", "Sales", vec![member("u-nestor", "#microsoft.graph.user")]),
            removed("g-marketing", "changed"),
        ],
        "https://graph.microsoft.com/v1.0/groups/delta?$deltatoken=r1",
    )];
    let group_events = apply(&mut m, Resource::Groups, WalkMode::Resync, T2, &groups);
    assert_eq!(
        summaries(&group_events),
        vec![
            "Nestor Wilke was added to Sales",
            "Group deleted: Marketing — it can be restored for 30 days",
            "Adele Vance was removed from Sales",
        ]
    );

    // A second resync of the same state finds nothing.
    assert!(apply(&mut m, Resource::Users, WalkMode::Resync, T3, &users).is_empty());
    assert!(apply(&mut m, Resource::Groups, WalkMode::Resync, T3, &groups).is_empty());

    // Megan was only "no longer listed": if she comes back, that is a restore, not a creation.
    let back = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3,
        &[page(
            vec![user("u-megan", "Megan Bowen", "MeganB@contoso.com")],
            USERS_LINK,
        )],
    );
    assert_eq!(
        summaries(&back),
        vec!["User restored: Megan Bowen (MeganB@contoso.com)"]
    );
}

#[test]
fn rules_filter_events_but_the_mirror_stays_complete() {
    let mut m = seeded();
    let mut rules = WatchRules {
        groups: GroupScope::Only(vec!["g-marketing".into()]),
        ..WatchRules::default()
    };
    rules.set_kind(
        EventKind::GroupCreated,
        KindRule {
            enabled: false,
            notify: false,
        },
    );
    let events = apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![
                group("g-sales", "Sales", vec![member("u-megan", "#microsoft.graph.user")]),
                group(
                    "g-marketing",
                    "Marketing",
                    vec![member("u-megan", "#microsoft.graph.user")],
                ),
                group("g-new", "New", vec![]),
            ],
            GROUPS_LINK,
        )],
        &rules,
    );
    assert_eq!(summaries(&events), vec!["Megan Bowen was added to Marketing"]);
    assert_eq!(m.members("g-sales").unwrap().len(), 2);
    assert_eq!(m.counts().unwrap().groups, 3);
}

#[test]
fn a_read_only_view_sees_what_the_writer_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/mirror.sqlite3");
    let mut writer = Mirror::open(&path).unwrap();
    apply(&mut writer, Resource::Users, WalkMode::Initial, T0, &users_initial());
    let reader = Mirror::open_read_only(&path).unwrap();
    assert_eq!(reader.counts().unwrap().users, 3);
    assert_eq!(reader.schema_version().unwrap(), watch::SCHEMA_VERSION);
    // While the writer is inside a walk, the reader keeps seeing the last committed state.
    let mut walk = writer.begin_walk(Resource::Users, WalkMode::Incremental, T1).unwrap();
    writer
        .apply_page(
            &mut walk,
            &page_from_json(&page(vec![user("u-new", "Nestor Wilke", "n@contoso.com")], USERS_LINK)),
        )
        .unwrap();
    assert_eq!(reader.counts().unwrap().users, 3);
    writer
        .finish_walk(walk, &msgraph::DeltaCursor(USERS_LINK.into()), &WatchRules::default())
        .unwrap();
    assert_eq!(reader.counts().unwrap().users, 4);
    assert_eq!(
        reader.search_groups("", 10).unwrap().len(),
        0,
        "no groups were synced into this mirror"
    );
}

#[test]
fn a_newer_schema_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite3");
    drop(Mirror::open(&path).unwrap());
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", watch::SCHEMA_VERSION + 1)
            .unwrap();
    }
    let err = Mirror::open(&path).unwrap_err();
    assert!(err.to_string().contains("another version of Entra Desk"), "{err}");
    // Reopening the current version is a no-op migration.
    let path2 = dir.path().join("again.sqlite3");
    drop(Mirror::open(&path2).unwrap());
    assert_eq!(
        Mirror::open(&path2).unwrap().schema_version().unwrap(),
        watch::SCHEMA_VERSION
    );
}

#[test]
fn history_is_pruned_after_the_retention_period() {
    let mut m = seeded();
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed("u-megan", "deleted")], USERS_LINK)],
    );
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1 + time::Duration::days(100),
        &[page(vec![user("u-x", "Xavier", "x@contoso.com")], USERS_LINK)],
    );
    assert_eq!(m.counts().unwrap().events, 2);
    let pruned = m.prune(T1 + time::Duration::days(181), 180).unwrap();
    assert_eq!(pruned, 1);
    let left = m.events(&EventQuery::default()).unwrap();
    assert_eq!(summaries(&left), vec!["User created: Xavier (x@contoso.com)"]);
}

#[test]
fn history_can_be_filtered_and_paged() {
    let mut m = seeded();
    apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![
                group("g-sales", "Sales", vec![member("u-megan", "#microsoft.graph.user")]),
                group("g-marketing", "Marketing", vec![member(ADELE, "#microsoft.graph.user")]),
            ],
            GROUPS_LINK,
        )],
    );
    let about_adele = m
        .events(&EventQuery {
            object_id: Some(ADELE.into()),
            ..EventQuery::default()
        })
        .unwrap();
    assert_eq!(summaries(&about_adele), vec!["Adele Vance was added to Marketing"]);
    let newest = m
        .events(&EventQuery {
            limit: 1,
            ..EventQuery::default()
        })
        .unwrap();
    let older = m
        .events(&EventQuery {
            before_seq: Some(newest[0].seq),
            ..EventQuery::default()
        })
        .unwrap();
    assert_eq!(summaries(&older), vec!["Megan Bowen was added to Sales"]);
    let by_text = m
        .events(&EventQuery {
            text: Some("megan".into()),
            ..EventQuery::default()
        })
        .unwrap();
    assert_eq!(summaries(&by_text), vec!["Megan Bowen was added to Sales"]);
    let by_kind = m
        .events(&EventQuery {
            kinds: vec![EventKind::UserCreated],
            ..EventQuery::default()
        })
        .unwrap();
    assert!(by_kind.is_empty());
}

#[test]
fn a_member_deleted_while_its_group_is_deleted_leaves_it_silently() {
    let mut m = seeded();
    apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed("g-sales", "changed")], GROUPS_LINK)],
    );
    let gone = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![removed(ADELE, "deleted")], USERS_LINK)],
    );
    assert_eq!(
        summaries(&gone),
        vec!["User permanently deleted: Adele Vance (AdeleV@contoso.com)"]
    );
    // Graph sends nothing about a deleted group's members: the groups walk is empty.
    assert!(apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(vec![], GROUPS_LINK)]
    )
    .is_empty());
    // The group comes back without her, and nobody is told she left it a second time.
    let back = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T3,
        &[page(
            vec![json!({ "id": "g-sales", "displayName": "Sales", "description": "Sales team" })],
            GROUPS_LINK,
        )],
    );
    assert_eq!(summaries(&back), vec!["Group restored: Sales"]);
    assert!(m.members("g-sales").unwrap().is_empty());
}

#[test]
fn a_restored_group_does_not_keep_a_member_deleted_in_the_same_check() {
    let mut m = seeded();
    apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed("g-sales", "changed")], GROUPS_LINK)],
    );
    // In one check: Sales was restored, and Adele was deleted; the order is unknown and the
    // groups walk carries no member removal for her.
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![removed(ADELE, "changed")], USERS_LINK)],
    );
    let events = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(
            vec![json!({ "id": "g-sales", "displayName": "Sales", "description": "Sales team" })],
            GROUPS_LINK,
        )],
    );
    assert_eq!(
        summaries(&events),
        vec!["Group restored: Sales", "Adele Vance was removed from Sales"]
    );
    assert!(m.members("g-sales").unwrap().is_empty());
}

/// Real Graph answers users and groups as two separate delta queries. A user restored after the
/// users walk of a check and before its groups walk is listed back in its groups (Graph
/// re-instates a restored user's memberships) while the mirror still has it soft-deleted.
// Long: one check whose users walk and groups walk see the restore at different moments, in order.
#[test]
fn a_user_restored_between_the_users_and_groups_walks_stays_in_its_groups() {
    let mut m = seeded();
    let deleted = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        &[page(vec![removed(ADELE, "changed")], USERS_LINK)],
    );
    let left = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![group(
                "g-sales",
                "Sales",
                vec![removed_member(ADELE, "#microsoft.graph.user")],
            )],
            GROUPS_LINK,
        )],
    );
    assert_eq!(deleted.len() + left.len(), 2);
    // Next check: the users walk sees nothing yet; then Adele is restored, and the groups walk
    // lists her back in Sales.
    assert!(apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T2,
        &[page(vec![], USERS_LINK)]
    )
    .is_empty());
    let back_in = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(
            vec![group("g-sales", "Sales", vec![member(ADELE, "#microsoft.graph.user")])],
            GROUPS_LINK,
        )],
    );
    assert_eq!(summaries(&back_in), vec!["Adele Vance was added to Sales"]);
    let ids = |m: &Mirror| {
        m.members("g-sales")
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&m), vec![ADELE.to_string()]);
    // The check after that: the users walk reports the restore, once; the membership stays.
    let restored = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3,
        &[page(vec![user(ADELE, "Adele Vance", "AdeleV@contoso.com")], USERS_LINK)],
    );
    assert_eq!(
        summaries(&restored),
        vec!["User restored: Adele Vance (AdeleV@contoso.com)"]
    );
    assert!(apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T3,
        &[page(vec![], GROUPS_LINK)]
    )
    .is_empty());
    assert_eq!(ids(&m), vec![ADELE.to_string()]);
    let mut kinds: Vec<&str> = m
        .events(&EventQuery::default())
        .unwrap()
        .iter()
        .map(|e| e.kind.as_str())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["memberAdded", "memberRemoved", "userDeleted", "userRestored"]);
}

/// Graph sends only `@removed` for a deleted group, never its member changes, so a member
/// removed just before the group was soft-deleted is still in the mirror. A restored group
/// appears like a created one, with the members the restore re-instates in `members@delta`
/// (possibly over several pages); a remembered member not among them has left.
#[test]
fn a_restored_group_without_a_member_removed_before_its_deletion_reports_the_removal() {
    let mut m = seeded();
    let added = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(
            vec![group(
                "g-sales",
                "Sales",
                vec![member("u-megan", "#microsoft.graph.user")],
            )],
            GROUPS_LINK,
        )],
    );
    assert_eq!(summaries(&added), vec!["Megan Bowen was added to Sales"]);
    // Megan is removed from Sales, then Sales is deleted: the walk only says Sales is gone.
    let gone = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(vec![removed("g-sales", "changed")], GROUPS_LINK)],
    );
    assert_eq!(gone.len(), 1);
    assert_eq!(gone[0].kind, EventKind::GroupDeleted);
    // Sales is restored with Adele only, her entry on the walk's second page.
    let restore_walk = [
        next_page(vec![group("g-sales", "Sales", vec![])]),
        page(
            vec![group("g-sales", "Sales", vec![member(ADELE, "#microsoft.graph.user")])],
            GROUPS_LINK,
        ),
    ];
    let back = apply(&mut m, Resource::Groups, WalkMode::Incremental, T3, &restore_walk);
    assert_eq!(
        summaries(&back),
        vec!["Group restored: Sales", "Megan Bowen was removed from Sales"]
    );
    let ids: Vec<String> = m.members("g-sales").unwrap().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![ADELE.to_string()]);
    // A replay of the same walk changes nothing.
    assert!(apply(&mut m, Resource::Groups, WalkMode::Incremental, T3, &restore_walk).is_empty());
}

fn owner(id: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.user", "id": id })
}

fn removed_owner(id: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.user", "id": id, "@removed": { "reason": "deleted" } })
}

fn owners_change(group_id: &str, owners: Vec<Value>) -> Value {
    json!({ "id": group_id, "owners@delta": owners })
}

// Long: one copy through a run of checks; each step's events depend on the owners the steps before it left.
#[test]
fn owners_are_kept_like_members_and_reported_by_member_type() {
    let mut m = seeded();
    let both = WatchRules {
        member_type: watch::MemberType::Both,
        ..WatchRules::default()
    };
    // Megan becomes an owner of Sales, and a member too, in one check.
    let mut sales = group("g-sales", "Sales", vec![member("u-megan", "#microsoft.graph.user")]);
    sales["owners@delta"] = json!([owner("u-megan")]);
    let events = apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T1,
        &[page(vec![sales], GROUPS_LINK)],
        &both,
    );
    assert_eq!(
        summaries(&events),
        vec![
            "Megan Bowen was added to Sales",
            "Megan Bowen was made an owner of Sales"
        ]
    );
    assert_eq!(
        events.iter().map(|e| e.relation).collect::<Vec<_>>(),
        [watch::Relation::Member, watch::Relation::Owner]
    );
    assert_ne!(events[0].id, events[1].id, "a member and an owner event are two events");
    assert_eq!(
        m.owners("g-sales")
            .unwrap()
            .iter()
            .map(|o| o.id.as_str())
            .collect::<Vec<_>>(),
        ["u-megan"]
    );
    // Replaying the same change adds nothing.
    let mut replay = group("g-sales", "Sales", vec![]);
    replay["owners@delta"] = json!([owner("u-megan")]);
    assert!(apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(vec![replay], GROUPS_LINK)],
        &both
    )
    .is_empty());

    // With the default member type (members), an owner leaving is kept but not reported.
    let gone = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T2,
        &[page(
            vec![owners_change("g-sales", vec![removed_owner("u-megan")])],
            GROUPS_LINK,
        )],
    );
    assert!(gone.is_empty(), "{gone:?}");
    assert!(m.owners("g-sales").unwrap().is_empty());
    let owners_only = WatchRules {
        member_type: watch::MemberType::Owners,
        ..WatchRules::default()
    };
    let back = apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        T3,
        &[page(
            vec![{
                let mut g = owners_change("g-sales", vec![owner(ADELE)]);
                g["members@delta"] = json!([removed_member(ADELE, "#microsoft.graph.user")]);
                g
            }],
            GROUPS_LINK,
        )],
        &owners_only,
    );
    assert_eq!(summaries(&back), vec!["Adele Vance was made an owner of Sales"]);
    // Deleting the owner's account ends the ownership, reported once the group walk runs.
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T3,
        &[page(vec![removed(ADELE, "changed")], USERS_LINK)],
    );
    let later = datetime!(2026-11-26 10:04 UTC);
    let ended = apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        later,
        &[page(vec![], GROUPS_LINK)],
        &owners_only,
    );
    assert_eq!(summaries(&ended), vec!["Adele Vance is no longer an owner of Sales"]);
}

#[test]
fn tracking_owners_for_the_first_time_learns_them_silently() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite3");
    let mut m = Mirror::open(&path).unwrap();
    let start = page(vec![group("g-sales", "Sales", vec![])], GROUPS_LINK);
    apply(&mut m, Resource::Groups, WalkMode::Initial, T0, &[start]);
    // As a build that did not select owners left it.
    let old_query = watch::query_fingerprint(Resource::Groups).replace(",owners", "");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE cursors SET query = ?1", [old_query])
        .unwrap();
    let both = WatchRules {
        member_type: watch::MemberType::Both,
        ..WatchRules::default()
    };
    let mut sales = group("g-sales", "Sales", vec![member("u-megan", "#microsoft.graph.user")]);
    sales["owners@delta"] = json!([owner("u-megan")]);
    let events = apply_rules(
        &mut m,
        Resource::Groups,
        WalkMode::Resync,
        T1,
        &[page(vec![sales], GROUPS_LINK)],
        &both,
    );
    assert_eq!(
        summaries(&events),
        vec!["User u-megan was added to Sales"],
        "the owner is learnt, not reported"
    );
    assert_eq!(m.owners("g-sales").unwrap().len(), 1);
}
