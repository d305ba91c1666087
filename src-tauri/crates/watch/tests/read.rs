//! The read model: the tables and searches read windows of the mirror.

use serde_json::{json, Value};
use time::macros::datetime;
use time::OffsetDateTime;
use watch::testkit::page_from_json;
use watch::{
    Criterion, EventKind, ListQuery, MatchOp, Mirror, ObjectType, Resource, WalkMode, WatchError, WatchRules,
    MAX_WINDOW,
};

const T0: OffsetDateTime = datetime!(2026-11-26 10:00 UTC);
const T1: OffsetDateTime = datetime!(2026-11-26 10:01 UTC);

fn apply(
    m: &mut Mirror,
    resource: Resource,
    mode: WalkMode,
    now: OffsetDateTime,
    values: Vec<Value>,
) -> Vec<watch::Event> {
    let mut walk = m.begin_walk(resource, mode, now).unwrap();
    let p = page_from_json(
        &json!({ "value": values, "@odata.deltaLink": "https://graph.microsoft.com/v1.0/x/delta?$deltatoken=1" }),
    );
    m.apply_page(&mut walk, &p).unwrap();
    m.finish_walk(walk, p.delta_link.as_ref().unwrap(), &WatchRules::default())
        .unwrap()
}

fn people() -> Vec<Value> {
    vec![
        json!({"id": "u1", "displayName": "Adele Vance", "userPrincipalName": "AdeleV@contoso.com",
               "mail": "AdeleV@contoso.com", "city": "Seattle", "country": "United States",
               "department": "Retail", "jobTitle": "Retail Manager", "accountEnabled": true,
               "otherMails": ["adele.vance@fabrikam.com"], "proxyAddresses": ["SMTP:AdeleV@contoso.com", "smtp:adele@contoso.onmicrosoft.com"],
               "businessPhones": ["+1 425 555 0109"], "employeeId": "E-1001"}),
        json!({"id": "u2", "displayName": "José Ibáñez", "userPrincipalName": "jose@contoso.com",
               "city": "Málaga", "country": "Spain", "department": "Sales", "accountEnabled": false}),
        json!({"id": "u3", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com",
               "city": "Pittsburgh", "department": "Marketing", "accountEnabled": true}),
        json!({"id": "u4", "displayName": "Alex Wilber", "userPrincipalName": "AlexW@contoso.com",
               "city": "San Diego", "department": "Marketing", "accountEnabled": true,
               "manager@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u3"}]}),
    ]
}

fn mirror() -> Mirror {
    let mut m = Mirror::open_in_memory().unwrap();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, people());
    apply(
        &mut m,
        Resource::Groups,
        WalkMode::Initial,
        T0,
        vec![
            json!({"id": "g1", "displayName": "Sales and Marketing", "mail": "SalesAndMarketing@contoso.com",
                   "members@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u3"},
                                     {"@odata.type": "#microsoft.graph.user", "id": "u2"},
                                     {"@odata.type": "#microsoft.graph.group", "id": "g2"},
                                     {"@odata.type": "#microsoft.graph.device", "id": "d1"}],
                   "owners@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u1"}]}),
            json!({"id": "g2", "displayName": "Retail", "description": "Shops"}),
        ],
    );
    m
}

fn names(page: &watch::Page) -> Vec<String> {
    page.rows
        .iter()
        .map(|r| r.text("displayName").unwrap_or_else(|| r.id.clone()))
        .collect()
}

fn search(m: &Mirror, text: &str) -> Vec<String> {
    names(
        &m.list(
            Resource::Users,
            &ListQuery {
                text: Some(text.into()),
                ..Default::default()
            },
        )
        .unwrap(),
    )
}

#[test]
fn the_users_table_reads_everyone_by_name_with_the_total() {
    let m = mirror();
    let page = m.list(Resource::Users, &ListQuery::default()).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        names(&page),
        ["Adele Vance", "Alex Wilber", "José Ibáñez", "Megan Bowen"]
    );
    let adele = &page.rows[0];
    assert_eq!(adele.object_type, ObjectType::User);
    assert_eq!(adele.text("city").as_deref(), Some("Seattle"));
    assert_eq!(adele.texts("otherMails"), ["adele.vance@fabrikam.com"]);
}

#[test]
fn search_matches_the_start_of_any_word_in_any_field_ignoring_case_and_accents() {
    let m = mirror();
    assert_eq!(search(&m, "seat"), ["Adele Vance"], "city");
    assert_eq!(search(&m, "malaga"), ["José Ibáñez"], "accents folded");
    assert_eq!(search(&m, "IBANEZ"), ["José Ibáñez"], "case folded");
    assert_eq!(search(&m, "fabrikam"), ["Adele Vance"], "other mails");
    assert_eq!(
        search(&m, "contoso.onmicrosoft"),
        ["Adele Vance"],
        "proxy addresses, without SMTP:"
    );
    assert_eq!(search(&m, "425 555"), ["Adele Vance"], "phone");
    assert_eq!(search(&m, "E-1001"), ["Adele Vance"], "employee id");
    assert_eq!(search(&m, "market"), ["Alex Wilber", "Megan Bowen"], "department");
    assert_eq!(search(&m, "megan market"), ["Megan Bowen"], "every word must match");
    assert!(search(&m, "eattle").is_empty(), "the start of a word, not the middle");
    assert!(
        search(&m, "smtp").is_empty(),
        "the SMTP: prefix of proxy addresses is not a word"
    );
    assert_eq!(search(&m, " \"' ").len(), 4, "nothing searchable typed: everyone");
}

#[test]
fn windows_are_sorted_and_counted_in_sqlite() {
    let m = mirror();
    let q = |sort: &str, descending: bool, offset: u32, limit: u32| ListQuery {
        sort: Some(sort.into()),
        descending,
        offset,
        limit,
        ..Default::default()
    };
    let by_city = m.list(Resource::Users, &q("city", false, 0, 0)).unwrap();
    assert_eq!(
        names(&by_city),
        ["José Ibáñez", "Megan Bowen", "Alex Wilber", "Adele Vance"]
    );
    let second = m.list(Resource::Users, &q("city", true, 1, 2)).unwrap();
    assert_eq!((second.total, second.offset), (4, 1));
    assert_eq!(names(&second), ["Alex Wilber", "Megan Bowen"]);
    let e = m.list(Resource::Users, &q("password", false, 0, 10)).unwrap_err();
    assert!(matches!(e, WatchError::BadQuery(_)), "{e}");
    assert!(e.to_string().contains("Search in Microsoft Graph"), "{e}");
}

#[test]
fn a_window_is_never_larger_than_the_limit() {
    let mut m = Mirror::open_in_memory().unwrap();
    let many = (0..MAX_WINDOW + 20)
        .map(|i| json!({"id": format!("u{i:04}"), "displayName": format!("Person {i:04}")}))
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, many);
    let page = m
        .list(
            Resource::Users,
            &ListQuery {
                limit: 100_000,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(page.total, u64::from(MAX_WINDOW) + 20);
    assert_eq!(page.rows.len(), MAX_WINDOW as usize);
}

#[test]
fn advanced_criteria_combine_equals_starts_with_and_any() {
    let m = mirror();
    let crit = |property: &str, op, value: &str| Criterion {
        property: property.into(),
        op,
        value: value.into(),
    };
    let run = |criteria: Vec<Criterion>| {
        names(
            &m.list(
                Resource::Users,
                &ListQuery {
                    criteria,
                    ..Default::default()
                },
            )
            .unwrap(),
        )
    };
    assert_eq!(
        run(vec![crit("department", MatchOp::Equals, "marketing")]),
        ["Alex Wilber", "Megan Bowen"]
    );
    assert_eq!(
        run(vec![
            crit("department", MatchOp::Equals, "Marketing"),
            crit("city", MatchOp::StartsWith, "san")
        ]),
        ["Alex Wilber"]
    );
    assert_eq!(
        run(vec![crit("accountEnabled", MatchOp::Equals, "false")]),
        ["José Ibáñez"]
    );
    assert_eq!(
        run(vec![crit("otherMails", MatchOp::Any, "ADELE.VANCE@fabrikam.com")]),
        ["Adele Vance"]
    );
    assert_eq!(
        run(vec![crit("city", MatchOp::StartsWith, "%")]),
        Vec::<String>::new(),
        "LIKE wildcards are literal"
    );
}

#[test]
fn find_a_person_by_id_sign_in_name_or_any_address() {
    let m = mirror();
    for key in [
        "u1",
        "adelev@contoso.com",
        "Adele.Vance@Fabrikam.com",
        "adele@contoso.onmicrosoft.com",
    ] {
        let found = m.find_user(key).unwrap();
        assert_eq!(found.map(|r| r.id), Some("u1".to_string()), "{key}");
    }
    assert_eq!(m.find_user("nobody@contoso.com").unwrap(), None);
    assert_eq!(m.find_user("  ").unwrap(), None);
}

#[test]
fn members_and_memberships_come_from_the_copy() {
    let m = mirror();
    let members = m.group_members("g1", &ListQuery::default()).unwrap();
    assert_eq!(members.total, 4);
    assert_eq!(
        names(&members),
        ["José Ibáñez", "Megan Bowen", "Retail", "d1"],
        "named first, by name"
    );
    assert_eq!(members.rows[3].object_type, ObjectType::Device);
    let found = m
        .group_members(
            "g1",
            &ListQuery {
                text: Some("meg".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!((found.total, names(&found)), (1, vec!["Megan Bowen".to_string()]));
    let groups: Vec<String> = m
        .groups_of("u3")
        .unwrap()
        .iter()
        .filter_map(|g| g.text("displayName"))
        .collect();
    assert_eq!(groups, ["Sales and Marketing"]);
    let g = m
        .list(
            Resource::Groups,
            &ListQuery {
                text: Some("shop".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(names(&g), ["Retail"], "groups are searched by description too");
}

#[test]
fn changes_reach_the_search_at_once_and_deleted_people_leave_the_tables() {
    let mut m = mirror();
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![
            json!({"id": "u3", "city": "Oslo"}),
            json!({"id": "u4", "@removed": {"reason": "changed"}}),
        ],
    );
    assert_eq!(events.len(), 2);
    assert_eq!(search(&m, "oslo"), ["Megan Bowen"]);
    assert!(search(&m, "pittsburgh").is_empty());
    assert!(search(&m, "alex").is_empty(), "soft-deleted people are not listed");
    assert_eq!(m.list(Resource::Users, &ListQuery::default()).unwrap().total, 3);
    assert_eq!(m.synced_at(Resource::Users).unwrap(), Some(T1));
}

#[test]
fn an_address_edit_is_a_user_updated_change() {
    let mut m = mirror();
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![json!({"id": "u1", "streetAddress": "1 Main St", "postalCode": "98052"})],
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, EventKind::UserUpdated);
    let props: Vec<&str> = events[0].changes.iter().map(|c| c.property.as_str()).collect();
    assert_eq!(props, ["postalCode", "streetAddress"]);
}

#[test]
fn a_new_manager_is_a_user_updated_change_naming_the_manager() {
    let mut m = mirror();
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![json!({"id": "u2", "manager@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u1"}]})],
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].changes[0].property, "manager");
    assert_eq!(events[0].changes[0].new, json!("u1"));
    let removed = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1 + time::Duration::minutes(1),
        vec![json!({"id": "u2", "manager@delta": [{"id": "u1", "@removed": {"reason": "deleted"}}]})],
    );
    assert_eq!(removed[0].changes[0].old, json!("u1"));
    assert_eq!(removed[0].changes[0].new, Value::Null);
}

#[test]
fn tracking_more_properties_resyncs_silently_but_real_changes_still_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite3");
    let mut m = Mirror::open(&path).unwrap();
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Initial,
        T0,
        vec![json!({"id": "u1", "displayName": "Adele Vance", "jobTitle": "Manager"})],
    );
    // As an older build left it: a cursor made with a shorter `$select`.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE cursors SET query = 'v1:users:displayName,jobTitle'", [])
        .unwrap();
    assert!(
        !m.cursor(Resource::Users).unwrap().unwrap().current_query,
        "a resync is due"
    );
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Resync,
        T1,
        vec![json!({"id": "u1", "displayName": "Adele Vance", "jobTitle": "Director", "city": "Seattle"})],
    );
    assert_eq!(events.len(), 1, "{events:?}");
    let changed: Vec<&str> = events[0].changes.iter().map(|c| c.property.as_str()).collect();
    assert_eq!(changed, ["jobTitle"], "the newly tracked city is learnt, not reported");
    assert_eq!(search(&m, "seattle"), ["Adele Vance"]);
}

#[test]
fn a_mirror_of_the_first_schema_gains_search_over_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE users (id TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, display_name TEXT, detail TEXT,
                                 props TEXT NOT NULL DEFAULT '{}', rev INTEGER NOT NULL, changed_at INTEGER NOT NULL);
             CREATE TABLE groups (id TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, display_name TEXT, detail TEXT,
                                 props TEXT NOT NULL DEFAULT '{}', rev INTEGER NOT NULL, changed_at INTEGER NOT NULL);
             CREATE TABLE memberships (group_id TEXT NOT NULL, member_id TEXT NOT NULL, member_type TEXT NOT NULL,
                                 present INTEGER NOT NULL, rev INTEGER NOT NULL, changed_at INTEGER NOT NULL,
                                 PRIMARY KEY (group_id, member_id)) WITHOUT ROWID;
             CREATE TABLE cursors (resource TEXT PRIMARY KEY NOT NULL, delta_link TEXT NOT NULL, query TEXT NOT NULL,
                                 synced_at INTEGER NOT NULL);
             CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                                 detected_at INTEGER NOT NULL, object_id TEXT NOT NULL, member_id TEXT, data TEXT NOT NULL);
             CREATE TABLE resync_seen (resource TEXT NOT NULL, id TEXT NOT NULL, active INTEGER NOT NULL,
                                 PRIMARY KEY (resource, id)) WITHOUT ROWID;
             CREATE TABLE resync_members (group_id TEXT NOT NULL, member_id TEXT NOT NULL,
                                 PRIMARY KEY (group_id, member_id)) WITHOUT ROWID;
             INSERT INTO users VALUES ('u1', 'active', 'Adele Vance', 'AdeleV@contoso.com',
                                 '{\"displayName\":\"Adele Vance\",\"department\":\"Retail\"}', 1, 0);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let m = Mirror::open(&path).unwrap();
    assert_eq!(m.schema_version().unwrap(), watch::SCHEMA_VERSION);
    assert_eq!(search(&m, "retail"), ["Adele Vance"]);
}

// ----- write-through: this app's own changes -------------------------------------------------

fn own(m: &mut Mirror, changes: Vec<watch::OwnChange>, now: OffsetDateTime) -> Vec<watch::Event> {
    m.record_own(&changes, now, &WatchRules::default()).unwrap()
}

fn props(v: Value) -> serde_json::Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn own_changes_show_at_once_and_the_next_walk_records_nothing_twice() {
    use watch::OwnChange;
    let mut m = mirror();
    let t2 = T1 + time::Duration::minutes(1);
    let made = own(
        &mut m,
        vec![
            OwnChange::Upsert {
                resource: Resource::Users,
                id: "u3".into(),
                props: props(json!({"city": "Oslo", "streetAddress": null, "passwordProfile": {"password": "x"}})),
            },
            OwnChange::Membership {
                group_id: "g2".into(),
                member_id: "u3".into(),
                member_type: ObjectType::User,
                relation: watch::Relation::Member,
                added: true,
            },
            OwnChange::Deleted {
                resource: Resource::Users,
                id: "u4".into(),
                permanent: false,
            },
        ],
        T1,
    );
    let kinds: Vec<EventKind> = made.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [EventKind::UserUpdated, EventKind::UserDeleted, EventKind::MemberAdded]
    );
    assert!(made.iter().all(|e| e.by_app), "marked as made in this app");
    assert_eq!(
        made[0].changes.len(),
        1,
        "only tracked properties that changed: {:?}",
        made[0].changes
    );
    assert_eq!(search(&m, "oslo"), ["Megan Bowen"], "the table shows it at once");
    assert!(search(&m, "alex").is_empty());
    let groups: Vec<String> = m
        .groups_of("u3")
        .unwrap()
        .iter()
        .filter_map(|g| g.text("displayName"))
        .collect();
    assert_eq!(groups, ["Retail", "Sales and Marketing"]);

    // Graph reports the same changes at the next check: nothing new.
    let users = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        t2,
        vec![
            json!({"id": "u3", "city": "Oslo"}),
            json!({"id": "u4", "@removed": {"reason": "changed"}}),
        ],
    );
    let groups = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        t2,
        vec![json!({"id": "g2", "members@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u3"}]})],
    );
    assert!(users.is_empty() && groups.is_empty(), "{users:?} {groups:?}");
    let history = m.events(&watch::EventQuery::default()).unwrap();
    assert_eq!(history.len(), 3, "each change recorded exactly once");
}

#[test]
fn a_user_created_here_is_filled_in_silently_by_the_first_walk_that_lists_them() {
    use watch::OwnChange;
    let mut m = mirror();
    let made = own(
        &mut m,
        vec![OwnChange::Upsert {
            resource: Resource::Users,
            id: "u9".into(),
            props: props(json!({"displayName": "Nestor Wilke", "userPrincipalName": "NestorW@contoso.com"})),
        }],
        T1,
    );
    assert_eq!(made.len(), 1);
    assert_eq!((made[0].kind, made[0].by_app), (EventKind::UserCreated, true));
    assert_eq!(search(&m, "nestor"), ["Nestor Wilke"]);
    let walk = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1 + time::Duration::minutes(1),
        vec![
            json!({"id": "u9", "displayName": "Nestor Wilke", "userPrincipalName": "NestorW@contoso.com",
                    "city": "Reykjavik", "accountEnabled": true}),
        ],
    );
    assert!(walk.is_empty(), "{walk:?}");
    assert_eq!(search(&m, "reykjavik"), ["Nestor Wilke"]);
    let later = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1 + time::Duration::minutes(2),
        vec![json!({"id": "u9", "city": "Oslo"})],
    );
    assert_eq!(later.len(), 1, "after that, changes are reported as usual");
    assert!(!later[0].by_app);
    assert!(!m
        .get(Resource::Users, "u9")
        .unwrap()
        .unwrap()
        .props
        .keys()
        .any(|k| k.starts_with('@')));
}

/// Found by `cargo xtask fidelity --seed 1` once the app's own writes were mixed in: a security
/// group deleted in the app is gone for good (Entra, like the practice tenant, restores only
/// Microsoft 365 groups), but the write-through recorded it as "in the recycle bin": Activity
/// showed the wrong kind of deletion, and the copy kept the group as restorable, with its members.
#[test]
fn a_security_group_deleted_here_is_recorded_once_as_gone_for_good() {
    let mut m = mirror();
    let t2 = T1 + time::Duration::minutes(1);
    let made = own(&mut m, vec![watch::own::deleted(Resource::Groups, "g1", false)], T1);
    let recorded: Vec<(EventKind, Option<watch::DeleteReason>, bool)> =
        made.iter().map(|e| (e.kind, e.reason, e.by_app)).collect();
    assert_eq!(
        recorded,
        [(
            EventKind::GroupDeleted,
            Some(watch::DeleteReason::PermanentlyDeleted),
            true
        )]
    );
    assert!(
        m.members("g1").unwrap().is_empty(),
        "a group deleted for good has no members"
    );

    // Graph reports the same deletion at the next check: nothing new.
    let walk = apply(
        &mut m,
        Resource::Groups,
        WalkMode::Incremental,
        t2,
        vec![json!({"id": "g1", "@removed": {"reason": "deleted"}})],
    );
    assert!(walk.is_empty(), "recorded twice: {walk:?}");
    let history = m.events(&watch::EventQuery::default()).unwrap();
    assert_eq!(history.len(), 1, "{history:?}");
}

#[test]
fn own_changes_before_the_first_read_wait_for_it() {
    let mut m = Mirror::open_in_memory().unwrap();
    let made = own(
        &mut m,
        vec![watch::OwnChange::Deleted {
            resource: Resource::Users,
            id: "u1".into(),
            permanent: false,
        }],
        T0,
    );
    assert!(made.is_empty());
    assert_eq!(m.counts().unwrap().users, 0);
}

#[test]
fn a_broad_search_reads_the_same_window_as_the_table_it_narrows() {
    let mut m = Mirror::open_in_memory().unwrap();
    let many = (0..2_600)
        .map(|i| {
            let city = if i % 2 == 0 { "Redmond" } else { "Oslo" };
            json!({"id": format!("u{i:05}"), "displayName": format!("Person {:05}", 2_600 - i), "city": city})
        })
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, many);
    for descending in [false, true] {
        let all = m
            .list(
                Resource::Users,
                &ListQuery {
                    descending,
                    offset: 10,
                    limit: 50,
                    ..Default::default()
                },
            )
            .unwrap();
        let found = m
            .list(
                Resource::Users,
                &ListQuery {
                    text: Some("pers".into()),
                    descending,
                    offset: 10,
                    limit: 50,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(found.total, 2_600);
        assert_eq!(names(&found), names(&all), "descending: {descending}");
        let half = m
            .list(
                Resource::Users,
                &ListQuery {
                    text: Some("redm".into()),
                    descending,
                    limit: 3,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(half.total, 1_300);
        let expected: Vec<String> = if descending {
            vec!["Person 02600", "Person 02598", "Person 02596"]
        } else {
            vec!["Person 00002", "Person 00004", "Person 00006"]
        }
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(names(&half), expected);
    }
}

#[test]
fn owners_and_direct_reports_come_from_the_copy() {
    let mut m = mirror();
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![
            json!({"id": "u5", "displayName": "Diego Siciliani", "userPrincipalName": "DiegoS@contoso.com",
                    "manager@delta": [{"@odata.type": "#microsoft.graph.user", "id": "u3"}]}),
        ],
    );
    let owners = m.group_owners("g1", &ListQuery::default()).unwrap();
    assert_eq!((owners.total, names(&owners)), (1, vec!["Adele Vance".to_string()]));
    assert_eq!(
        m.groups_owned_by("u1")
            .unwrap()
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["g1"]
    );
    assert!(m.groups_owned_by("u3").unwrap().is_empty(), "a member is not an owner");
    let reports = m.direct_reports("u3", &ListQuery::default()).unwrap();
    assert_eq!(
        (reports.total, names(&reports)),
        (2, vec!["Alex Wilber".to_string(), "Diego Siciliani".to_string()])
    );
    let second = m
        .direct_reports(
            "u3",
            &ListQuery {
                offset: 1,
                limit: 1,
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!((second.total, names(&second)), (2, vec!["Diego Siciliani".to_string()]));
    assert_eq!(m.direct_reports("u1", &ListQuery::default()).unwrap().total, 0);
}

#[test]
fn licence_holders_come_from_the_copy_and_follow_changes() {
    let mut m = mirror();
    let e5 = "c7df2760-2c81-4ef7-b578-5b5392b571df";
    let lic = |skus: &[&str]| Value::Array(skus.iter().map(|s| json!({"disabledPlans": [], "skuId": s})).collect());
    let events = apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![
            json!({"id": "u1", "assignedLicenses": lic(&[e5])}),
            json!({"id": "u3", "assignedLicenses": lic(&[e5, "other"])}),
        ],
    );
    assert_eq!(events.len(), 2);
    assert!(
        events[0].summary.contains(&format!("licences: (empty) → {e5}")),
        "{}",
        events[0].summary
    );
    let holders = m.licence_holders(e5, &ListQuery::default()).unwrap();
    assert_eq!(
        (holders.total, names(&holders)),
        (2, vec!["Adele Vance".to_string(), "Megan Bowen".to_string()])
    );
    let searched = m
        .licence_holders(
            e5,
            &ListQuery {
                text: Some("meg".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(names(&searched), ["Megan Bowen"]);
    // Removing the licence, and deleting a holder, both take them off the list.
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1 + time::Duration::minutes(1),
        vec![
            json!({"id": "u1", "assignedLicenses": []}),
            json!({"id": "u3", "@removed": {"reason": "changed"}}),
        ],
    );
    assert_eq!(m.licence_holders(e5, &ListQuery::default()).unwrap().total, 0);
    assert_eq!(m.licence_holders("other", &ListQuery::default()).unwrap().total, 0);
}

#[test]
fn licence_holders_survive_a_full_walk_rebuild() {
    let mut m = Mirror::open_in_memory().unwrap();
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Initial,
        T0,
        vec![
            json!({"id": "u1", "displayName": "Adele Vance", "assignedLicenses": [{"skuId": "sku-a"}]}),
            json!({"id": "u2", "displayName": "Gone", "@removed": {"reason": "deleted"}}),
        ],
    );
    let holders = m.licence_holders("sku-a", &ListQuery::default()).unwrap();
    assert_eq!(names(&holders), ["Adele Vance"]);
}

#[test]
fn a_first_sync_fills_the_tables_as_pages_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.sqlite3");
    let mut m = Mirror::open(&path).unwrap();
    let reader = Mirror::open_read_only(&path).unwrap();
    let mut walk = m.begin_walk(Resource::Users, WalkMode::Initial, T0).unwrap();
    let first = page_from_json(
        &json!({ "value": people()[..2], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users/delta?$skiptoken=2" }),
    );
    m.apply_page(&mut walk, &first).unwrap();
    assert_eq!(
        reader.list(Resource::Users, &ListQuery::default()).unwrap().total,
        0,
        "nothing before a checkpoint"
    );
    m.checkpoint(&mut walk).unwrap();
    let partial = reader.list(Resource::Users, &ListQuery::default()).unwrap();
    assert_eq!(names(&partial), ["Adele Vance", "José Ibáñez"]);
    assert_eq!(
        search(&reader, "jose"),
        ["José Ibáñez"],
        "search works on what has arrived"
    );
    assert!(
        reader.synced_at(Resource::Users).unwrap().is_none(),
        "not yet a complete copy"
    );
    let rest = page_from_json(
        &json!({ "value": people()[2..], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/users/delta?$deltatoken=1" }),
    );
    m.apply_page(&mut walk, &rest).unwrap();
    m.checkpoint(&mut walk).unwrap();
    let events = m
        .finish_walk(walk, rest.delta_link.as_ref().unwrap(), &WatchRules::default())
        .unwrap();
    assert!(events.is_empty());
    let all = reader
        .list(
            Resource::Users,
            &ListQuery {
                text: Some("a".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(
        (all.total, names(&all)),
        (2, vec!["Adele Vance".to_string(), "Alex Wilber".to_string()]),
        "the index is rebuilt whole, with no row twice"
    );
    assert_eq!(reader.list(Resource::Users, &ListQuery::default()).unwrap().total, 4);
}

#[test]
fn checkpoints_do_nothing_outside_a_first_sync() {
    let mut m = mirror();
    let mut walk = m.begin_walk(Resource::Users, WalkMode::Incremental, T1).unwrap();
    let p = page_from_json(
        &json!({ "value": [{"id": "u1", "jobTitle": "Director"}], "@odata.deltaLink": "https://graph.microsoft.com/v1.0/x/delta?$deltatoken=2" }),
    );
    m.apply_page(&mut walk, &p).unwrap();
    m.checkpoint(&mut walk).unwrap();
    m.abort_walk();
    let adele = m.get(Resource::Users, "u1").unwrap().unwrap();
    assert_eq!(
        adele.text("jobTitle").as_deref(),
        Some("Retail Manager"),
        "an incremental walk stays one transaction"
    );
}

/// Search as you type, 1–5 letters (each length has its own prefix index) and several words,
/// broad (over 2,000 matches: the name index is walked) and narrow (the matches are sorted):
/// the same total and window as a brute-force filter over the same people.
// Long: the generated people, then every prefix compared with a brute-force filter over the same people.
#[test]
fn search_as_you_type_counts_and_windows_like_a_brute_force_filter() {
    const FIRST: &[&str] = &[
        "Adele", "Alex", "Megan", "Nestor", "Lidia", "Isaiah", "Pradeep", "Grady", "Lee",
    ];
    const LAST: &[&str] = &["Vance", "Wilber", "Bowen", "Archie", "Gu", "Graham", "Sayers"];
    const CITIES: &[&str] = &["Redmond", "Reading", "London", "Dublin", "Berlin", "Paris"];
    const DEPTS: &[&str] = &["Sales", "Marketing", "Retail", "Finance", "Research"];
    let n = 5_000usize;
    let people: Vec<[String; 4]> = (0..n)
        .map(|i| {
            [
                // Names repeat, so ties are broken by row (the order people were first read in).
                format!("{} {}", FIRST[i % FIRST.len()], LAST[(i / 7) % LAST.len()]),
                CITIES[(i / 3) % CITIES.len()].to_owned(),
                DEPTS[i % DEPTS.len()].to_owned(),
                format!("E{i}"),
            ]
        })
        .collect();
    let mut m = Mirror::open_in_memory().unwrap();
    let values = people
        .iter()
        .enumerate()
        .map(|(i, [name, city, dept, employee])| {
            json!({"id": format!("u{i:05}"), "displayName": name, "city": city, "department": dept,
                   "employeeId": employee})
        })
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, values);
    let words = |i: usize| -> Vec<String> {
        people[i]
            .iter()
            .flat_map(|f| {
                f.split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut texts: Vec<String> = Vec::new();
    for word in FIRST
        .iter()
        .chain(LAST)
        .chain(CITIES)
        .chain(DEPTS)
        .chain(&["E12", "E4999"])
    {
        for k in 1..=word.chars().count().min(6) {
            texts.push(word.chars().take(k).collect());
        }
    }
    texts.extend(["re s", "Lee Re", "a s", "ZZZ", "e1 s"].map(String::from));
    let (mut broad, mut narrow) = (0, 0);
    for text in &texts {
        let typed: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
        let mut expected: Vec<usize> = (0..n)
            .filter(|&i| {
                let w = words(i);
                typed.iter().all(|t| w.iter().any(|w| w.starts_with(t.as_str())))
            })
            .collect();
        if expected.len() > 2_000 {
            broad += 1;
        } else {
            narrow += 1;
        }
        expected.sort_by_key(|&i| (people[i][0].to_lowercase(), i));
        for descending in [false, true] {
            if descending {
                expected.reverse();
            }
            for offset in [0u32, 150] {
                let page = m
                    .list(
                        Resource::Users,
                        &ListQuery {
                            text: Some(text.clone()),
                            descending,
                            offset,
                            limit: 200,
                            ..Default::default()
                        },
                    )
                    .unwrap();
                assert_eq!(page.total as usize, expected.len(), "total of {text:?}");
                let ids: Vec<String> = page.rows.iter().map(|r| r.id.clone()).collect();
                let want: Vec<String> = expected
                    .iter()
                    .skip(offset as usize)
                    .take(200)
                    .map(|i| format!("u{i:05}"))
                    .collect();
                assert_eq!(
                    ids, want,
                    "window of {text:?}, descending {descending}, offset {offset}"
                );
            }
        }
    }
    assert!(broad >= 5 && narrow >= 20, "broad {broad}, narrow {narrow}");
}

/// A mirror made before the 4- and 5-letter prefix indexes is migrated: rebuilt with them,
/// searchable over what it holds and kept current afterwards.
#[test]
fn a_mirror_with_three_letter_prefixes_is_rebuilt_with_five() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mirror.sqlite3");
    {
        let mut m = Mirror::open(&path).unwrap();
        apply(&mut m, Resource::Users, WalkMode::Initial, T0, people());
    }
    {
        // Back to the previous schema: the search tables as they were made.
        let c = rusqlite::Connection::open(&path).unwrap();
        for t in ["users", "groups"] {
            // Schema 6 keyed the search index by name keys; before it, by rowids.
            let words: Vec<(i64, String)> = c
                .prepare(&format!(
                    "SELECT t.rowid, f.words FROM {t}_fts f JOIN {t} t ON t.name_key = f.rowid"
                ))
                .unwrap()
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            c.execute_batch(&format!(
                "DROP TRIGGER {t}_fts_insert; DROP TRIGGER {t}_fts_update; DROP TRIGGER {t}_fts_delete;
                 DROP INDEX {t}_key; DROP INDEX {t}_name_key; ALTER TABLE {t} DROP COLUMN name_key;
                 DROP TABLE {t}_fts;
                 CREATE VIRTUAL TABLE {t}_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = none);"
            ))
            .unwrap();
            for (rowid, w) in words {
                c.execute(
                    &format!("INSERT INTO {t}_fts (rowid, words) VALUES (?1, ?2)"),
                    rusqlite::params![rowid, w],
                )
                .unwrap();
            }
        }
        // Schema 4 (prefix indexes), 5 (role holders), 6 (name keys) and 7 (tombstones indexed
        // apart) come after it.
        c.execute_batch(
            "DROP TABLE role_holders; DROP TABLE role_holders_read; DROP INDEX users_gone; DROP INDEX groups_gone;",
        )
        .unwrap();
        c.pragma_update(None, "user_version", 3).unwrap();
    }
    let mut m = Mirror::open(&path).unwrap();
    assert_eq!(m.schema_version().unwrap(), watch::SCHEMA_VERSION);
    let c = rusqlite::Connection::open(&path).unwrap();
    for t in ["users_fts", "groups_fts"] {
        let sql: String = c
            .query_row("SELECT sql FROM sqlite_master WHERE name = ?1", [t], |r| r.get(0))
            .unwrap();
        assert!(sql.contains("prefix = '1 2 3 4 5'"), "{sql}");
    }
    let before = search(&m, "marke");
    assert_eq!(before.len(), 2, "{before:?}");
    assert_eq!(search(&m, "Adele"), ["Adele Vance"]);
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![json!({"id": "u5", "displayName": "Nestor Wilke", "department": "Operations", "accountEnabled": true})],
    );
    assert_eq!(search(&m, "opera"), ["Nestor Wilke"]);
}

#[test]
fn kept_readers_see_every_later_check_and_start_empty_before_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.sqlite3");
    let readers = watch::Readers::new(&path);
    let count = |r: &watch::Readers| {
        r.read(|m| Ok(m.list(Resource::Users, &ListQuery::default())?.total))
            .unwrap()
    };
    // No copy yet: the tables read as empty, and nothing is created by reading.
    assert_eq!(count(&readers), None);
    assert!(!path.exists());

    let mut m = Mirror::open(&path).unwrap();
    apply(&mut m, Resource::Users, WalkMode::Initial, T0, people());
    assert_eq!(count(&readers), Some(4));
    assert_eq!(readers.idle(), 1, "the connection is kept for the next read");

    // A later check, committed while the kept connection is open, is seen by the next read.
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![json!({"id": "u9", "displayName": "Nestor Wilke", "userPrincipalName": "NestorW@contoso.com"})],
    );
    assert_eq!(count(&readers), Some(5));
    assert_eq!(readers.idle(), 1);

    // A read that fails drops its connection and says why.
    let err = readers
        .read(|m| {
            m.list(
                Resource::Users,
                &ListQuery {
                    sort: Some("noSuchColumn".into()),
                    ..ListQuery::default()
                },
            )
        })
        .unwrap_err();
    assert!(matches!(err, WatchError::BadQuery(_)), "{err:?}");
    assert_eq!(readers.idle(), 0);
}

// Long: one copy: role holders read, searched, changed here and renamed by a walk, each on what the step before left.
#[test]
fn role_holders_come_from_the_copy_with_names_that_follow_the_walks() {
    let mut m = mirror();
    let holder = |role: &str, id: &str, t: ObjectType| watch::RoleHolder {
        role_id: role.into(),
        member_id: id.into(),
        member_type: t,
    };
    const USER_ADMIN: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
    let read = |m: &mut Mirror, role: &str, holders: Vec<(&str, ObjectType)>, at| {
        m.apply_role_holders(
            &watch::RoleHolders::Replace {
                role_id: role.into(),
                holders: holders.into_iter().map(|(id, t)| (id.to_string(), t)).collect(),
            },
            at,
        )
        .unwrap()
    };
    assert_eq!(m.role_holders_read_at(USER_ADMIN).unwrap(), None);
    read(&mut m, GLOBAL_ADMIN, vec![("u2", ObjectType::User)], T0);
    read(&mut m, USER_ADMIN, vec![("u1", ObjectType::User)], T0);
    // Read again: the role's holders are replaced, the other role's kept.
    read(
        &mut m,
        USER_ADMIN,
        vec![
            ("u3", ObjectType::User),
            ("u1", ObjectType::User),
            ("g1", ObjectType::Group),
            ("sp-1", ObjectType::ServicePrincipal),
        ],
        T0,
    );
    assert_eq!(m.role_holders_read_at(USER_ADMIN).unwrap(), Some(T0));
    let page = m.role_holders(USER_ADMIN, &ListQuery::default()).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        names(&page),
        vec!["Adele Vance", "Megan Bowen", "Sales and Marketing", "sp-1"],
        "by name, the holder the copy cannot name last, by id"
    );
    let searched = m
        .role_holders(
            USER_ADMIN,
            &ListQuery {
                text: Some("meg".into()),
                ..ListQuery::default()
            },
        )
        .unwrap();
    assert_eq!(names(&searched), vec!["Megan Bowen"]);

    // This app's own assignment shows at once; so does an unassignment.
    m.apply_role_holders(
        &watch::RoleHolders::Set {
            holder: holder(GLOBAL_ADMIN, "u4", ObjectType::User),
            holds: true,
        },
        T1,
    )
    .unwrap();
    m.apply_role_holders(
        &watch::RoleHolders::Set {
            holder: holder(GLOBAL_ADMIN, "u2", ObjectType::User),
            holds: false,
        },
        T1,
    )
    .unwrap();
    assert_eq!(
        names(&m.role_holders(GLOBAL_ADMIN, &ListQuery::default()).unwrap()),
        vec!["Alex Wilber"]
    );
    assert_eq!(
        m.role_holders_read_at(GLOBAL_ADMIN).unwrap(),
        Some(T0),
        "own changes are not a read from Graph"
    );

    // A holder renamed by another admin is named as the walk saw them.
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Incremental,
        T1,
        vec![json!({"id": "u4", "displayName": "Alex Wilber-Ortiz"})],
    );
    assert_eq!(
        names(&m.role_holders(GLOBAL_ADMIN, &ListQuery::default()).unwrap()),
        vec!["Alex Wilber-Ortiz"]
    );
}

/// Everyone's names in table order (pages of the largest window), or in a search's order.
fn all_names(m: &Mirror, text: Option<&str>, descending: bool) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let page = m
            .list(
                Resource::Users,
                &ListQuery {
                    text: text.map(str::to_owned),
                    descending,
                    offset: out.len() as u32,
                    limit: MAX_WINDOW,
                    ..Default::default()
                },
            )
            .unwrap();
        let got = names(&page);
        out.extend(got.iter().cloned());
        if got.is_empty() || out.len() as u64 >= page.total {
            assert_eq!(out.len() as u64, page.total, "the count matches the rows");
            return out;
        }
    }
}

/// The search index hands out matches in name order (its rowids are name keys, `name_order`): a
/// search's windows are the table's order however the names arrive — sorted, reversed, all the same,
/// renamed, scattered — in delta walks that place each row among the others, and after a full walk
/// that numbers them again.
// Long: one copy through delta walks and a full walk; each search is read after the walk before it.
#[test]
fn searches_read_in_name_order_however_names_arrive() {
    let mut m = Mirror::open_in_memory().unwrap();
    let person =
        |id: String, name: String| json!({"id": id, "displayName": name, "department": "Ops", "accountEnabled": true});
    apply(
        &mut m,
        Resource::Users,
        WalkMode::Initial,
        T0,
        vec![
            person("first".into(), "Aaron First".into()),
            person("last".into(), "Zoe Last".into()),
        ],
    );
    let check = |m: &Mirror, step: &str| {
        let table = all_names(m, None, false);
        let mut sorted = table.clone();
        sorted.sort_by_key(|n| n.to_ascii_lowercase());
        assert_eq!(table, sorted, "{step}: the table is in name order");
        assert_eq!(
            all_names(m, Some("op"), false),
            table,
            "{step}: a search matching everyone reads the table's order"
        );
        let mut reversed = table.clone();
        reversed.reverse();
        assert_eq!(all_names(m, Some("op"), true), reversed, "{step}: and backwards");
    };
    // 300 new people between the same two neighbours, in name order, in one delta walk: each one's
    // place halves the room left, so the neighbourhood is spread out again several times.
    let sorted: Vec<Value> = (0..300)
        .map(|i| person(format!("s{i}"), format!("Student {i:04}")))
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Incremental, T1, sorted);
    check(&m, "sorted");
    let reversed: Vec<Value> = (0..300)
        .rev()
        .map(|i| person(format!("r{i}"), format!("Reader {i:04}")))
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Incremental, T1, reversed);
    check(&m, "reversed");
    let same: Vec<Value> = (0..100).map(|i| person(format!("m{i}"), "Mia Same".into())).collect();
    apply(&mut m, Resource::Users, WalkMode::Incremental, T1, same);
    check(&m, "the same name");
    let renamed: Vec<Value> = (0..300)
        .step_by(3)
        .map(|i| person(format!("s{i}"), format!("Abby {:04}", 300 - i)))
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Incremental, T1, renamed);
    check(&m, "renamed");
    let mut seed: u64 = 7;
    let scattered: Vec<Value> = (0..400)
        .map(|i| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let letters: String = (0..6)
                .map(|k| (b'a' + ((seed >> (8 * k)) % 26) as u8) as char)
                .collect();
            person(
                format!("x{i}"),
                format!("{}{letters}", (b'A' + ((seed >> 56) % 26) as u8) as char),
            )
        })
        .collect();
    apply(&mut m, Resource::Users, WalkMode::Incremental, T1, scattered);
    check(&m, "scattered");
    assert_eq!(all_names(&m, None, false).len(), 1102);
    assert_eq!(
        search(&m, "stud").len(),
        200,
        "renamed people left the old name's search"
    );
    // A full walk (resync) numbers everyone again.
    let everyone: Vec<Value> = all_names(&m, None, false)
        .into_iter()
        .enumerate()
        .map(|(i, n)| person(format!("y{i}"), n))
        .collect();
    let mut fresh = Mirror::open_in_memory().unwrap();
    apply(&mut fresh, Resource::Users, WalkMode::Initial, T0, everyone);
    check(&fresh, "first walk");
}
