//! The events the engine emits, and the batch they travel in.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;

/// Which directory resource a delta walk covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Resource {
    Users,
    Groups,
}

impl Resource {
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Users => "users",
            Resource::Groups => "groups",
        }
    }

    /// The mirror table that keeps this resource (named as the resource).
    pub(crate) fn table(self) -> &'static str {
        self.as_str()
    }
}

/// The event kinds. The first eight are Okta's eight event cards; the two `Restored` kinds exist
/// because Graph reports a restore exactly like a creation (no annotation), and calling a restored
/// user "created" would be false: it keeps its id, its `createdDateTime` and (for users) its history.
/// Okta folds restores into "Updated"; we tell the person what actually happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum EventKind {
    UserCreated,
    UserUpdated,
    UserDeleted,
    UserRestored,
    GroupCreated,
    GroupUpdated,
    GroupDeleted,
    GroupRestored,
    MemberAdded,
    MemberRemoved,
}

impl EventKind {
    pub const ALL: [EventKind; 10] = [
        EventKind::UserCreated,
        EventKind::UserUpdated,
        EventKind::UserDeleted,
        EventKind::UserRestored,
        EventKind::GroupCreated,
        EventKind::GroupUpdated,
        EventKind::GroupDeleted,
        EventKind::GroupRestored,
        EventKind::MemberAdded,
        EventKind::MemberRemoved,
    ];

    /// Stable machine name (also the value stored in SQLite).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::UserCreated => "userCreated",
            EventKind::UserUpdated => "userUpdated",
            EventKind::UserDeleted => "userDeleted",
            EventKind::UserRestored => "userRestored",
            EventKind::GroupCreated => "groupCreated",
            EventKind::GroupUpdated => "groupUpdated",
            EventKind::GroupDeleted => "groupDeleted",
            EventKind::GroupRestored => "groupRestored",
            EventKind::MemberAdded => "memberAdded",
            EventKind::MemberRemoved => "memberRemoved",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A short label for headings and notification titles: "User created".
    pub fn label(self) -> &'static str {
        match self {
            EventKind::UserCreated => "User created",
            EventKind::UserUpdated => "User updated",
            EventKind::UserDeleted => "User deleted",
            EventKind::UserRestored => "User restored",
            EventKind::GroupCreated => "Group created",
            EventKind::GroupUpdated => "Group updated",
            EventKind::GroupDeleted => "Group deleted",
            EventKind::GroupRestored => "Group restored",
            EventKind::MemberAdded => "Member added",
            EventKind::MemberRemoved => "Member removed",
        }
    }

    /// Which resource's walk produces this kind.
    pub fn resource(self) -> Resource {
        match self {
            EventKind::UserCreated | EventKind::UserUpdated | EventKind::UserDeleted | EventKind::UserRestored => {
                Resource::Users
            }
            _ => Resource::Groups,
        }
    }

    pub fn is_member_event(self) -> bool {
        matches!(self, EventKind::MemberAdded | EventKind::MemberRemoved)
    }
}

/// How an object belongs to a group: as one of its members or as one of its owners. Member events
/// say which (Okta's *Member Type* chooses members, owners or both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub enum Relation {
    #[default]
    Member,
    Owner,
}

impl Relation {
    pub const ALL: [Relation; 2] = [Relation::Member, Relation::Owner];

    /// The mirror table that keeps this relation.
    pub(crate) fn table(self) -> &'static str {
        match self {
            Relation::Member => "memberships",
            Relation::Owner => "ownerships",
        }
    }

    /// The per-walk scratch table: the rows this walk lists as present.
    pub(crate) fn walk_table(self) -> &'static str {
        match self {
            Relation::Member => "temp.walk_members",
            Relation::Owner => "temp.walk_owners",
        }
    }

    /// The rows a resync walk listed.
    pub(crate) fn resync_table(self) -> &'static str {
        match self {
            Relation::Member => "resync_members",
            Relation::Owner => "resync_owners",
        }
    }

    /// The `$select` name of the relationship (`members`, `owners`).
    pub fn property(self) -> &'static str {
        match self {
            Relation::Member => "members",
            Relation::Owner => "owners",
        }
    }
}

/// Why an object was deleted, from Graph's `@removed.reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeleteReason {
    /// `changed`: in the recycle bin (deleted items), restorable for 30 days.
    SoftDeleted,
    /// `deleted`: gone for good.
    PermanentlyDeleted,
    /// The object is no longer listed, but Graph gave no reason: found by a full resync after the
    /// change-tracking position expired, or an `@removed` reason Graph added after this was written.
    Unknown,
}

/// What kind of directory object something is. Group members can be users, groups, contacts,
/// devices or service principals; anything else keeps Graph's `@odata.type`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ObjectType {
    User,
    Group,
    Contact,
    Device,
    ServicePrincipal,
    Other(String),
}

impl ObjectType {
    /// From Graph's `@odata.type` (`#microsoft.graph.user` ...). A missing type means user: Graph
    /// omits it only where the collection's type is implied, and group members are mostly users.
    pub fn from_odata(odata_type: Option<&str>) -> ObjectType {
        let Some(t) = odata_type else {
            return ObjectType::User;
        };
        match t.trim_start_matches('#').trim_start_matches("microsoft.graph.") {
            "user" => ObjectType::User,
            "group" => ObjectType::Group,
            "orgContact" => ObjectType::Contact,
            "device" => ObjectType::Device,
            "servicePrincipal" => ObjectType::ServicePrincipal,
            _ => ObjectType::Other(t.to_owned()),
        }
    }

    /// Stored form (SQLite).
    pub fn as_stored(&self) -> String {
        match self {
            ObjectType::User => "user".into(),
            ObjectType::Group => "group".into(),
            ObjectType::Contact => "contact".into(),
            ObjectType::Device => "device".into(),
            ObjectType::ServicePrincipal => "servicePrincipal".into(),
            ObjectType::Other(t) => t.clone(),
        }
    }

    /// The name in Graph's `@odata.type` (`#microsoft.graph.<name>`).
    pub fn odata_name(&self) -> String {
        match self {
            ObjectType::Contact => "orgContact".into(),
            ObjectType::Other(t) => t
                .trim_start_matches('#')
                .trim_start_matches("microsoft.graph.")
                .to_owned(),
            other => other.as_stored(),
        }
    }

    pub fn from_stored(s: &str) -> ObjectType {
        match s {
            "user" => ObjectType::User,
            "group" => ObjectType::Group,
            "contact" => ObjectType::Contact,
            "device" => ObjectType::Device,
            "servicePrincipal" => ObjectType::ServicePrincipal,
            other => ObjectType::Other(other.to_owned()),
        }
    }

    /// A capitalised noun for sentences: "User", "Group", "Contact".
    pub fn noun(&self) -> &str {
        match self {
            ObjectType::User => "User",
            ObjectType::Group => "Group",
            ObjectType::Contact => "Contact",
            ObjectType::Device => "Device",
            ObjectType::ServicePrincipal => "App",
            ObjectType::Other(t) => t.trim_start_matches('#').trim_start_matches("microsoft.graph."),
        }
    }
}

/// A directory object as an event names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub id: String,
    pub object_type: ObjectType,
    /// `displayName` from the mirror; `None` when the object was never seen with one (a contact,
    /// or a user created and deleted between two checks).
    pub name: Option<String>,
    /// `userPrincipalName` for users, `mail` for groups, when known.
    pub detail: Option<String>,
}

impl ObjectRef {
    /// "Adele Vance", or "User 87d349ed-…" when the name is unknown.
    pub fn display(&self) -> String {
        match &self.name {
            Some(n) if !n.is_empty() => n.clone(),
            _ => format!("{} {}", self.object_type.noun(), self.id),
        }
    }

    /// "Adele Vance (AdeleV@contoso.com)".
    pub fn display_with_detail(&self) -> String {
        match &self.detail {
            Some(d) if !d.is_empty() && self.name.is_some() => format!("{} ({d})", self.display()),
            _ => self.display(),
        }
    }
}

/// One changed property of an `Updated` (or `Restored`) event. `old` is `null` when the property
/// had no value before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyChange {
    /// Graph's property name (`jobTitle`).
    pub property: String,
    pub old: Value,
    pub new: Value,
}

/// One directory event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Stable, unique id: `<kind>:<object id>[:<member id>]:<revision>`. Deriving the same change
    /// twice yields the same id, and the events table refuses a second copy.
    pub id: String,
    /// Order of recording (the events table's sequence); newer events have larger values.
    pub seq: i64,
    pub kind: EventKind,
    /// When the engine saw the change (the check that found it).
    #[serde(with = "time::serde::rfc3339")]
    pub detected_at: OffsetDateTime,
    /// The previous successful check of this resource: the change happened after it.
    /// `None` for changes found by a resync (the gap may be long) or the first check.
    #[serde(with = "time::serde::rfc3339::option")]
    pub since: Option<OffsetDateTime>,
    /// When it happened, where Graph says so: `createdDateTime` of a created object.
    #[serde(with = "time::serde::rfc3339::option")]
    pub occurred_at: Option<OffsetDateTime>,
    /// The user or group the event is about; for member events, the group.
    pub object: ObjectRef,
    /// Member events only: the member that joined or left.
    pub member: Option<ObjectRef>,
    /// Member events only: whether it joined or left as a member or as an owner.
    #[serde(default)]
    pub relation: Relation,
    /// Deleted events only.
    pub reason: Option<DeleteReason>,
    /// Updated (and Restored) events: the properties that changed, old → new.
    pub changes: Vec<PropertyChange>,
    /// Plain English: "Adele Vance was added to Sales".
    pub summary: String,
    /// Found by a full resync after the change-tracking position expired: the change is real,
    /// but its timing is only known to be "while the app could not follow changes".
    pub resync: bool,
    /// Made in this app (recorded from Graph's answer when the change was made, so Activity
    /// shows it at once; the next check finds nothing new and records nothing twice).
    #[serde(default)]
    pub by_app: bool,
}

/// A change this app made and Graph accepted, recorded in the mirror at once (write-through).
#[derive(Debug, Clone, PartialEq)]
pub enum OwnChange {
    /// A user or group was created or its properties changed: Graph's answer (or the accepted
    /// PATCH body). Only tracked properties are kept; `null` clears one.
    Upsert {
        resource: Resource,
        id: String,
        props: serde_json::Map<String, Value>,
    },
    /// Deleted: in the recycle bin (deleted items) for 30 days, or (`permanent`) gone for good,
    /// as a security group is.
    Deleted {
        resource: Resource,
        id: String,
        permanent: bool,
    },
    /// Added to or removed from a group, as a member or as an owner.
    Membership {
        group_id: String,
        member_id: String,
        member_type: ObjectType,
        relation: Relation,
        added: bool,
    },
}

/// All events of one poll that found changes. The shell turns it into UI events and at most one OS
/// notification (`summarize_batch`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangeBatch {
    pub events: Vec<Event>,
    #[serde(with = "time::serde::rfc3339")]
    pub detected_at: OffsetDateTime,
    /// The kinds whose notifications were switched on when the batch was made.
    pub notify: BTreeSet<EventKind>,
    /// Which mirror tables changed (users, groups/memberships), so the shell can refresh the
    /// Users and Groups tables even when the rules hid the events themselves.
    pub changed: BTreeSet<Resource>,
}
