//! The journal file: recording, reading with filters, a damaged file set aside, no secret kept.

use journal::{Account, Action, Change, Draft, Filter, JobRow, Journal, Named, Outcome, Target, TargetKind};
use serde_json::json;
use time::macros::datetime;

fn me() -> Account {
    Account {
        id: "acc-1".into(),
        name: "Megan Bowen".into(),
    }
}

fn adele() -> Target {
    Target {
        kind: TargetKind::User,
        id: "u-adele".into(),
        name: "Adele Vance".into(),
    }
}

fn title_change() -> Draft {
    Draft {
        changes: vec![Change {
            property: "jobTitle".into(),
            before: json!("Retail Manager"),
            after: json!("Director"),
        }],
        request_id: Some("rid-1".into()),
        ..Draft::done(Action::UpdateUser, adele())
    }
}

fn sales() -> Named {
    Named {
        id: "g-sales".into(),
        name: "Sales".into(),
    }
}

#[test]
fn a_recorded_change_reads_back_with_who_what_before_after_and_the_request_id() {
    let j = Journal::open_in_memory().unwrap();
    let id = j
        .record(&me(), datetime!(2026-12-07 10:00 UTC), &title_change())
        .unwrap();
    let e = j.get(id).unwrap().unwrap();
    assert_eq!(e.at, "2026-12-07T10:00:00Z");
    assert_eq!(e.account.name, "Megan Bowen");
    assert_eq!(e.action, Action::UpdateUser);
    assert_eq!(e.target.name, "Adele Vance");
    assert_eq!(e.changes[0].before, json!("Retail Manager"));
    assert_eq!(e.changes[0].after, json!("Director"));
    assert_eq!(e.request_id.as_deref(), Some("rid-1"));
    assert_eq!(e.outcome, Outcome::Done);
    assert_eq!(e.undone_by, None);
}

#[test]
fn entries_come_newest_first_and_filters_narrow_them() {
    let j = Journal::open_in_memory().unwrap();
    let other = Account {
        id: "acc-2".into(),
        name: "Nestor Wilke".into(),
    };
    j.record(&me(), datetime!(2026-12-01 09:00 UTC), &title_change())
        .unwrap();
    j.record(
        &other,
        datetime!(2026-12-05 09:00 UTC),
        &Draft::done(Action::AddMember { group: sales() }, adele()),
    )
    .unwrap();
    let failed = Draft {
        outcome: Outcome::Failed {
            reason: "Nobody has the sign-in name ghost@contoso.com.".into(),
        },
        ..Draft::done(
            Action::Block,
            Target {
                kind: TargetKind::User,
                id: "ghost@contoso.com".into(),
                name: "ghost@contoso.com".into(),
            },
        )
    };
    j.record(&me(), datetime!(2026-12-07 09:00 UTC), &failed).unwrap();

    let all = j.list(&Filter::default()).unwrap();
    let names: Vec<_> = all.iter().map(|e| e.action.name()).collect();
    assert_eq!(names, ["block", "addMember", "updateUser"]);

    let only = |f: Filter| j.list(&f).unwrap().iter().map(|e| e.action.name()).collect::<Vec<_>>();
    assert_eq!(
        only(Filter {
            actions: vec!["addMember".into()],
            ..Default::default()
        }),
        ["addMember"]
    );
    assert_eq!(
        only(Filter {
            target: Some("ADELE".into()),
            ..Default::default()
        }),
        ["addMember", "updateUser"]
    );
    assert_eq!(
        only(Filter {
            failed: Some(true),
            ..Default::default()
        }),
        ["block"]
    );
    assert_eq!(
        only(Filter {
            failed: Some(false),
            ..Default::default()
        }),
        ["addMember", "updateUser"]
    );
    assert_eq!(
        only(Filter {
            account_id: Some("acc-2".into()),
            ..Default::default()
        }),
        ["addMember"]
    );
    assert_eq!(
        only(Filter {
            from: Some("2026-12-02".into()),
            to: Some("2026-12-05".into()),
            ..Default::default()
        }),
        ["addMember"]
    );
    let bad = j.list(&Filter {
        from: Some("last tuesday".into()),
        ..Default::default()
    });
    assert!(bad.unwrap_err().to_string().contains("is not a date"));
}

#[test]
fn an_undo_is_linked_to_the_change_it_undid_and_a_bulk_job_keeps_its_rows() {
    let j = Journal::open_in_memory().unwrap();
    let at = datetime!(2026-12-07 10:00 UTC);
    let rows: Vec<Draft> = (1..=3)
        .map(|row| Draft {
            job: Some(JobRow {
                job_id: "job-7".into(),
                row,
            }),
            ..Draft::done(Action::AddMember { group: sales() }, adele())
        })
        .collect();
    let ids = j.record_many(&me(), at, &rows).unwrap();
    assert_eq!(ids.len(), 3);
    assert_eq!(
        j.get(ids[2]).unwrap().unwrap().job,
        Some(JobRow {
            job_id: "job-7".into(),
            row: 3
        })
    );

    let undo = Draft {
        undoes: Some(ids[0]),
        ..Draft::done(Action::RemoveMember { group: sales() }, adele())
    };
    let undo_id = j.record(&me(), at, &undo).unwrap();
    assert_eq!(j.get(ids[0]).unwrap().unwrap().undone_by, Some(undo_id));
    assert_eq!(j.get(undo_id).unwrap().unwrap().undoes, Some(ids[0]));

    // A failed undo leaves the entry as it was.
    let failed = Draft {
        undoes: Some(ids[1]),
        outcome: Outcome::Failed {
            reason: "Throttled".into(),
        },
        ..Draft::done(Action::RemoveMember { group: sales() }, adele())
    };
    j.record(&me(), at, &failed).unwrap();
    assert_eq!(j.get(ids[1]).unwrap().unwrap().undone_by, None);
}

#[test]
fn a_password_is_never_stored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal").join("acc.sqlite3");
    let j = Journal::open(&path).unwrap();
    let secret = "Sup3r-Secret-Pa55!";
    let draft = Draft {
        changes: vec![Change {
            property: "passwordProfile".into(),
            before: json!(null),
            after: json!({"password": secret, "forceChangePasswordNextSignIn": true}),
        }],
        ..Draft::done(Action::UpdateUser, adele())
    };
    let id = j.record(&me(), datetime!(2026-12-07 10:00 UTC), &draft).unwrap();
    assert_eq!(j.get(id).unwrap().unwrap().changes[0].after, json!(journal::MASKED));
    drop(j);
    for entry in std::fs::read_dir(path.parent().unwrap()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret),
            "the password reached the file"
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the journal is private to the user");
    }
}

#[test]
fn a_damaged_journal_is_set_aside_and_a_new_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("acc.sqlite3");
    std::fs::write(&path, b"this is not a database, it was damaged on the way").unwrap();
    let (j, notice) = Journal::open_or_set_aside(&path).unwrap();
    let notice = notice.expect("the person is told");
    assert!(notice.contains("set aside"), "{notice}");
    assert!(j.list(&Filter::default()).unwrap().is_empty());
    j.record(&me(), datetime!(2026-12-07 10:00 UTC), &title_change())
        .unwrap();
    let aside: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".damaged-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged file is kept, not deleted");
    assert_eq!(
        std::fs::read(dir.path().join(&aside[0])).unwrap(),
        b"this is not a database, it was damaged on the way"
    );
    // Reopened, what was recorded is there.
    drop(j);
    let (j, notice) = Journal::open_or_set_aside(&path).unwrap();
    assert!(notice.is_none());
    assert_eq!(j.list(&Filter::default()).unwrap().len(), 1);
}
