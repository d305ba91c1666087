//! The undo of a whole job: another job, of the opposite kind, over the objects its done rows
//! changed (added ↔ removed, assigned ↔ removed with the same switched-off services, blocked ↔
//! unblocked, deleted → restored, created or invited → deleted). Being a job, the undo gets the same preview (each row checked in
//! Graph again, so a row changed since is said and skipped), batches, progress and resume. Rows whose
//! undo does not fit the one opposite job are left out with the reason (they can be undone one by
//! one in "Changes made here"); a job whose kind cannot be undone is refused.

use crate::model::{ChangeKind, Job, JobKind, JobRow, RowStatus};

/// What undoing a job means: the job to plan, over which objects, and the rows left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoJob {
    pub kind: JobKind,
    /// The done rows' objects, in the job's order.
    pub object_ids: Vec<String>,
    /// "Adele Vance: only her switched-off services changed …", one per done row left out.
    pub left_out: Vec<String>,
}

/// The undo of `job` from its `rows`; `Err` with the plain reason when there is nothing it could undo.
pub fn undo_of(job: &Job, rows: &[JobRow]) -> Result<UndoJob, String> {
    let done: Vec<&JobRow> = rows
        .iter()
        .filter(|r| r.status == RowStatus::Done && r.change.is_some())
        .collect();
    if done.is_empty() {
        return Err("Nothing to undo: no row of this job was done.".into());
    }
    let kind = match &job.kind {
        JobKind::AddToGroup { group_id } => JobKind::RemoveFromGroup {
            group_id: group_id.clone(),
        },
        JobKind::RemoveFromGroup { group_id } => JobKind::AddToGroup {
            group_id: group_id.clone(),
        },
        JobKind::AssignLicence { sku_id, .. } => JobKind::RemoveLicence { sku_id: sku_id.clone() },
        JobKind::RemoveLicence { sku_id } => JobKind::AssignLicence {
            sku_id: sku_id.clone(),
            disabled_plans: most_common_plans(&done),
            usage_location: None,
        },
        JobKind::Block => JobKind::Unblock,
        JobKind::Unblock => JobKind::Block,
        JobKind::DeleteUsers | JobKind::DeleteGroups => JobKind::Restore,
        // The people an import created or invited are deleted (restorable for 30 days).
        JobKind::CreateUsers | JobKind::InviteGuests => JobKind::DeleteUsers,
        JobKind::RevokeSessions => {
            return Err("Signing people out cannot be undone: they sign in again when they next need to.".into())
        }
        JobKind::Restore => {
            return Err("Restoring cannot be undone in one click: delete the restored people or groups again from their pages if you mean to.".into())
        }
    };
    let mut undo = UndoJob {
        kind,
        object_ids: Vec::with_capacity(done.len()),
        left_out: Vec::new(),
    };
    for r in done {
        match left_out_because(&undo.kind, r) {
            Some(why) => undo.left_out.push(format!("{}: {why}", r.name)),
            None => undo.object_ids.push(r.object_id.clone()),
        }
    }
    if undo.object_ids.is_empty() {
        return Err(format!(
            "No row of this job can be undone together: {}",
            undo.left_out.join(" ")
        ));
    }
    Ok(undo)
}

/// Why a done row does not fit the undo job `kind`, if it does not.
fn left_out_because(kind: &JobKind, r: &JobRow) -> Option<&'static str> {
    let c = r.change.as_ref()?;
    match (kind, c.change) {
        // They held the licence before: only the switched-off services changed, and removing it
        // would take away more than the job gave.
        (JobKind::RemoveLicence { .. }, ChangeKind::LicenceAssigned) if c.previous_disabled_plans.is_some() => {
            Some("only the switched-off services changed (the licence was held before); undo it on its own in Changes made here.")
        }
        (JobKind::Restore, ChangeKind::GroupDeleted) if !c.restorable => {
            Some("a security group is deleted for good and cannot be restored.")
        }
        (JobKind::AssignLicence { disabled_plans, .. }, ChangeKind::LicenceRemoved)
            if !same_plans(disabled_plans, &c.disabled_plans) =>
        {
            Some("it was held with other services switched off than most rows; undo it on its own in Changes made here.")
        }
        _ => None,
    }
}

/// The switched-off services most of the removed licences had (all of them, usually).
fn most_common_plans(done: &[&JobRow]) -> Vec<String> {
    let mut counted: Vec<(Vec<String>, usize)> = Vec::new();
    for r in done {
        let Some(c) = r.change.as_ref() else { continue };
        match counted.iter_mut().find(|(p, _)| same_plans(p, &c.disabled_plans)) {
            Some((_, n)) => *n += 1,
            None => counted.push((c.disabled_plans.clone(), 1)),
        }
    }
    counted
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(p, _)| p)
        .unwrap_or_default()
}

fn same_plans(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.iter().any(|y| y.eq_ignore_ascii_case(x)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppliedChange, JobCounts, JobState, RowCheck};

    fn job(kind: JobKind) -> Job {
        Job {
            id: 7,
            kind,
            title: "t".into(),
            state: JobState::Finished,
            created_secs: 0,
            counts: JobCounts::default(),
            undoes: None,
            undone_by: None,
        }
    }

    fn row(index: u32, status: RowStatus, change: ChangeKind, plans: &[&str], before: Option<&[&str]>) -> JobRow {
        let id = format!("00000000-0000-0000-0000-00000000000{index}");
        let mut c = AppliedChange::new(change, &id, &format!("Person {index}"));
        c.disabled_plans = plans.iter().map(|p| p.to_string()).collect();
        c.previous_disabled_plans = before.map(|b| b.iter().map(|p| p.to_string()).collect());
        JobRow {
            index,
            object_id: id,
            name: format!("Person {index}"),
            check: RowCheck::WillChange { note: None },
            status,
            reason: None,
            request_id: None,
            change: Some(c),
        }
    }

    #[test]
    fn an_added_group_is_undone_by_removing_only_the_rows_that_were_done() {
        let rows = [
            row(1, RowStatus::Done, ChangeKind::AddedToGroup, &[], None),
            row(2, RowStatus::Skipped, ChangeKind::AddedToGroup, &[], None),
            row(3, RowStatus::Failed, ChangeKind::AddedToGroup, &[], None),
            row(4, RowStatus::Done, ChangeKind::AddedToGroup, &[], None),
        ];
        let undo = undo_of(&job(JobKind::AddToGroup { group_id: "g".into() }), &rows).unwrap();
        assert_eq!(undo.kind, JobKind::RemoveFromGroup { group_id: "g".into() });
        assert_eq!(undo.object_ids, [rows[0].object_id.clone(), rows[3].object_id.clone()]);
        assert!(undo.left_out.is_empty());
    }

    #[test]
    fn a_licence_held_before_is_left_out_of_the_removal_with_the_reason() {
        let rows = [
            row(1, RowStatus::Done, ChangeKind::LicenceAssigned, &[], None),
            row(2, RowStatus::Done, ChangeKind::LicenceAssigned, &[], Some(&["p"])),
        ];
        let kind = JobKind::AssignLicence {
            sku_id: "s".into(),
            disabled_plans: vec![],
            usage_location: None,
        };
        let undo = undo_of(&job(kind), &rows).unwrap();
        assert_eq!(undo.kind, JobKind::RemoveLicence { sku_id: "s".into() });
        assert_eq!(undo.object_ids, [rows[0].object_id.clone()]);
        assert_eq!(undo.left_out.len(), 1);
        assert!(undo.left_out[0].starts_with("Person 2: only the switched-off services changed"));
    }

    #[test]
    fn removed_licences_come_back_with_the_services_most_had_switched_off() {
        let rows = [
            row(1, RowStatus::Done, ChangeKind::LicenceRemoved, &["a"], None),
            row(2, RowStatus::Done, ChangeKind::LicenceRemoved, &["A"], None),
            row(3, RowStatus::Done, ChangeKind::LicenceRemoved, &[], None),
        ];
        let undo = undo_of(&job(JobKind::RemoveLicence { sku_id: "s".into() }), &rows).unwrap();
        assert_eq!(
            undo.kind,
            JobKind::AssignLicence {
                sku_id: "s".into(),
                disabled_plans: vec!["a".into()],
                usage_location: None
            }
        );
        assert_eq!(undo.object_ids.len(), 2);
        assert!(undo.left_out[0].starts_with("Person 3: it was held with other services"));
    }

    #[test]
    fn what_cannot_be_undone_says_why() {
        let rows = [row(1, RowStatus::Done, ChangeKind::SessionsRevoked, &[], None)];
        assert!(undo_of(&job(JobKind::RevokeSessions), &rows)
            .unwrap_err()
            .contains("cannot be undone"));
        let rows = [row(1, RowStatus::Failed, ChangeKind::SignInBlocked, &[], None)];
        assert_eq!(
            undo_of(&job(JobKind::Block), &rows).unwrap_err(),
            "Nothing to undo: no row of this job was done."
        );
        let rows = [row(1, RowStatus::Done, ChangeKind::UserDeleted, &[], None)];
        assert_eq!(
            undo_of(&job(JobKind::DeleteUsers), &rows).unwrap().kind,
            JobKind::Restore
        );
    }
}
