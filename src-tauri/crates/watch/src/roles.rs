//! Who holds which directory role, in the local copy.
//!
//! The Graph v1.0 contract this app is built and tested against (shared/graph/openapi) has no
//! delta query for directory roles, so the copy cannot follow role holders the way it follows users
//! and groups. Instead the app replaces a role's holders whenever it reads them from Graph (the
//! Roles page shows the copy's at once and reads the role again when the copy's are older than a
//! few minutes: `RoleHolders::Replace`), and records its own assignments at once
//! (`RoleHolders::Set`). Reads are like a group's members: names come from the users and groups of
//! the copy, so they follow the delta walks.

use rusqlite::params;
use time::OffsetDateTime;

use crate::error::WatchError;
use crate::model::ObjectType;
use crate::read::{ListQuery, Page};
use crate::store::{from_unix, unix, Mirror};

/// One holder of one directory role (by the role's template id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleHolder {
    pub role_id: String,
    pub member_id: String,
    pub member_type: ObjectType,
}

/// A change to the role holders the copy keeps.
#[derive(Debug, Clone, PartialEq)]
pub enum RoleHolders {
    /// Every holder Graph listed for one role, replacing what the copy had for it.
    Replace {
        role_id: String,
        holders: Vec<(String, ObjectType)>,
    },
    /// This app assigned (`holds`) or unassigned a role and Graph accepted it.
    Set { holder: RoleHolder, holds: bool },
}

impl Mirror {
    /// Applies a change to the role holders (the engine's connection: one writer).
    pub fn apply_role_holders(&mut self, change: &RoleHolders, now: OffsetDateTime) -> Result<(), WatchError> {
        let tx = self.conn.transaction()?;
        match change {
            RoleHolders::Replace { role_id, holders } => {
                tx.execute("DELETE FROM role_holders WHERE role_id = ?1", [role_id])?;
                {
                    let mut insert = tx.prepare_cached(
                        "INSERT OR REPLACE INTO role_holders (role_id, member_id, member_type) VALUES (?1, ?2, ?3)",
                    )?;
                    for (member_id, member_type) in holders {
                        insert.execute(params![role_id, member_id, member_type.as_stored()])?;
                    }
                }
                tx.execute(
                    "INSERT OR REPLACE INTO role_holders_read (role_id, read_at) VALUES (?1, ?2)",
                    params![role_id, unix(now)],
                )?;
            }
            RoleHolders::Set { holder, holds: true } => {
                tx.execute(
                    "INSERT OR REPLACE INTO role_holders (role_id, member_id, member_type) VALUES (?1, ?2, ?3)",
                    params![holder.role_id, holder.member_id, holder.member_type.as_stored()],
                )?;
            }
            RoleHolders::Set { holder, holds: false } => {
                tx.execute(
                    "DELETE FROM role_holders WHERE role_id = ?1 AND member_id = ?2",
                    params![holder.role_id, holder.member_id],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// A window of a role's holders (users and groups by name, others by id), like a group's members.
    pub fn role_holders(&self, role_id: &str, query: &ListQuery) -> Result<Page, WatchError> {
        self.holders_page("role_holders", "m.role_id = ?1", role_id, query)
    }

    /// When a role's holders were last read from Graph; `None`: never.
    pub fn role_holders_read_at(&self, role_id: &str) -> Result<Option<OffsetDateTime>, WatchError> {
        use rusqlite::OptionalExtension;
        let at: Option<i64> = self
            .conn
            .query_row(
                "SELECT read_at FROM role_holders_read WHERE role_id = ?1",
                [role_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(at.map(from_unix))
    }
}
