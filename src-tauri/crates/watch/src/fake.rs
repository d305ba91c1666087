//! An in-memory tenant that answers delta walks the way Graph documents them: a change log with
//! versioned cursors, full walks listing deleted objects with `@removed` (as the documented initial
//! round does), groups split
//! over pages when they have more members than fit, optional replays (a cursor that lags behind)
//! and duplicates inside a walk, expired cursors and injected failures.
//!
//! It records the tenant's state at the start of every walk, so a harness can compute the ground
//! truth for the window between two walks the engine committed (see `fidelity`).

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use futures::future::BoxFuture;
use msgraph::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta, RemovedReason};
use serde_json::{Map, Value};

use crate::model::Resource;
use crate::source::{DeltaPages, DeltaSource, SourceError, SourceErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeState {
    Active,
    SoftDeleted,
    Purged,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FakeObject {
    pub props: Map<String, Value>,
    pub state: FakeState,
    /// Tenant version of the last change to the object itself.
    pub version: u64,
}

/// The tenant at one moment: objects (with tombstones) and the present members of each group
/// (`member id → @odata.type`), including the retained members of soft-deleted groups.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub users: BTreeMap<String, FakeObject>,
    pub groups: BTreeMap<String, FakeObject>,
    pub members: BTreeMap<String, BTreeMap<String, String>>,
}

impl Snapshot {
    pub fn objects(&self, resource: Resource) -> &BTreeMap<String, FakeObject> {
        match resource {
            Resource::Users => &self.users,
            Resource::Groups => &self.groups,
        }
    }
}

/// One walk the fake answered.
#[derive(Debug, Clone)]
pub struct WalkRecord {
    pub resource: Resource,
    /// The cursor version it resumed from; `None` for a full walk.
    pub from: Option<u64>,
    /// The tenant version it reflects.
    pub to: u64,
    /// The tenant as the walk saw it.
    pub snapshot: Snapshot,
}

#[derive(Debug, Clone)]
struct Link {
    present: bool,
    odata_type: String,
    version: u64,
}

#[derive(Debug)]
struct Tenant {
    version: u64,
    users: BTreeMap<String, FakeObject>,
    groups: BTreeMap<String, FakeObject>,
    links: BTreeMap<(String, String), Link>,
    page_size: usize,
    member_page_size: usize,
    expired_below: u64,
    failures: VecDeque<SourceError>,
    mid_walk_failure: Option<(usize, SourceError)>,
    link_lag: u64,
    duplicate_entries: bool,
    walks: Vec<WalkRecord>,
}

/// The in-memory tenant. Cheap to clone (shared state).
#[derive(Debug, Clone)]
pub struct FakeTenant {
    inner: Arc<Mutex<Tenant>>,
}

impl Default for FakeTenant {
    fn default() -> Self {
        FakeTenant::new()
    }
}

pub const USER_TYPE: &str = "#microsoft.graph.user";
pub const GROUP_TYPE: &str = "#microsoft.graph.group";
pub const CONTACT_TYPE: &str = "#microsoft.graph.orgContact";

impl FakeTenant {
    pub fn new() -> FakeTenant {
        FakeTenant {
            inner: Arc::new(Mutex::new(Tenant {
                version: 0,
                users: BTreeMap::new(),
                groups: BTreeMap::new(),
                links: BTreeMap::new(),
                page_size: 50,
                member_page_size: 100,
                expired_below: 0,
                failures: VecDeque::new(),
                mid_walk_failure: None,
                link_lag: 0,
                duplicate_entries: false,
                walks: Vec::new(),
            })),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Tenant> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Objects per page and members per group slice.
    pub fn set_paging(&self, page_size: usize, member_page_size: usize) {
        let mut t = self.lock();
        t.page_size = page_size.max(1);
        t.member_page_size = member_page_size.max(1);
    }

    /// Replays: the deltaLink points `lag` versions back, so the next walk repeats changes.
    /// Duplicates: every page repeats an entry of the page before.
    pub fn set_replays(&self, lag: u64, duplicate_entries: bool) {
        let mut t = self.lock();
        t.link_lag = lag;
        t.duplicate_entries = duplicate_entries;
    }

    /// Every cursor issued so far is expired (like a token older than 7 days).
    pub fn expire_cursors(&self) {
        let mut t = self.lock();
        t.expired_below = t.version + 1;
    }

    /// The next page requests fail with these errors, in order.
    pub fn fail_next(&self, error: SourceError) {
        self.lock().failures.push_back(error);
    }

    /// The next walk that gets past `pages` pages fails on the following page request (the
    /// connection drops in the middle of a walk).
    pub fn fail_mid_walk(&self, pages: usize, error: SourceError) {
        self.lock().mid_walk_failure = Some((pages.max(1), error));
    }

    pub fn version(&self) -> u64 {
        self.lock().version
    }

    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot()
    }

    pub fn walks(&self) -> Vec<WalkRecord> {
        self.lock().walks.clone()
    }

    pub fn walk(&self, index: usize) -> Option<WalkRecord> {
        self.lock().walks.get(index).cloned()
    }

    /// Which recorded walk issued a cursor.
    pub fn walk_of_cursor(link: &str) -> Option<usize> {
        link.rsplit_once("&walk=").and_then(|(_, n)| n.parse().ok())
    }

    // ----- admin operations (each is one tenant version) -----------------------------------

    pub fn create_user(&self, id: &str, props: Map<String, Value>) {
        self.lock().put(Resource::Users, id, props, true);
    }

    pub fn create_group(&self, id: &str, props: Map<String, Value>) {
        self.lock().put(Resource::Groups, id, props, true);
    }

    /// Sets some properties of an active object.
    pub fn update(&self, resource: Resource, id: &str, props: Map<String, Value>) {
        self.lock().put(resource, id, props, false);
    }

    /// Soft delete (`permanent = false`) or permanent delete. A deleted object leaves every group
    /// it was a member of; a deleted group keeps its own members until purged.
    pub fn delete(&self, resource: Resource, id: &str, permanent: bool) {
        let mut t = self.lock();
        t.version += 1;
        let v = t.version;
        let state = if permanent {
            FakeState::Purged
        } else {
            FakeState::SoftDeleted
        };
        if let Some(o) = t.objects_mut(resource).get_mut(id) {
            o.state = state;
            o.version = v;
        }
        for ((_, member), link) in t.links.iter_mut() {
            if member == id && link.present {
                link.present = false;
                link.version = v;
            }
        }
        if permanent && resource == Resource::Groups {
            for ((group, _), link) in t.links.iter_mut() {
                if group == id && link.present {
                    link.present = false;
                    link.version = v;
                }
            }
        }
    }

    /// Restores a soft-deleted object. A restored user's group memberships are not restored; a
    /// restored group comes back with its members, and its whole membership (present and ended
    /// links) is announced again, so a watcher that saw the group deleted can catch up on
    /// membership changes it could not see while the group was gone.
    pub fn restore(&self, resource: Resource, id: &str) {
        let mut t = self.lock();
        t.version += 1;
        let v = t.version;
        let mut restored = false;
        if let Some(o) = t.objects_mut(resource).get_mut(id) {
            if o.state == FakeState::SoftDeleted {
                o.state = FakeState::Active;
                o.version = v;
                restored = true;
            }
        }
        if restored && resource == Resource::Groups {
            for ((group, _), link) in t.links.iter_mut() {
                if group == id {
                    link.version = v;
                }
            }
        }
    }

    pub fn add_member(&self, group_id: &str, member_id: &str, odata_type: &str) {
        self.lock().set_link(group_id, member_id, odata_type, true);
    }

    pub fn remove_member(&self, group_id: &str, member_id: &str) {
        self.lock().set_link(group_id, member_id, "", false);
    }
}

impl Tenant {
    fn objects_mut(&mut self, resource: Resource) -> &mut BTreeMap<String, FakeObject> {
        match resource {
            Resource::Users => &mut self.users,
            Resource::Groups => &mut self.groups,
        }
    }

    fn objects(&self, resource: Resource) -> &BTreeMap<String, FakeObject> {
        match resource {
            Resource::Users => &self.users,
            Resource::Groups => &self.groups,
        }
    }

    fn put(&mut self, resource: Resource, id: &str, props: Map<String, Value>, create: bool) {
        self.version += 1;
        let v = self.version;
        let objects = self.objects_mut(resource);
        match objects.get_mut(id) {
            Some(o) if !create => {
                for (k, val) in props {
                    o.props.insert(k, val);
                }
                o.version = v;
            }
            Some(_) => {}
            None if create => {
                objects.insert(
                    id.to_owned(),
                    FakeObject {
                        props,
                        state: FakeState::Active,
                        version: v,
                    },
                );
            }
            None => {}
        }
    }

    fn set_link(&mut self, group_id: &str, member_id: &str, odata_type: &str, present: bool) {
        self.version += 1;
        let v = self.version;
        let key = (group_id.to_owned(), member_id.to_owned());
        match self.links.get_mut(&key) {
            Some(link) if link.present != present => {
                link.present = present;
                link.version = v;
                if present {
                    link.odata_type = odata_type.to_owned();
                }
            }
            Some(_) => {}
            None if present => {
                self.links.insert(
                    key,
                    Link {
                        present,
                        odata_type: odata_type.to_owned(),
                        version: v,
                    },
                );
            }
            None => {}
        }
    }

    fn snapshot(&self) -> Snapshot {
        let mut members: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for ((g, m), link) in &self.links {
            if link.present {
                members
                    .entry(g.clone())
                    .or_default()
                    .insert(m.clone(), link.odata_type.clone());
            }
        }
        Snapshot {
            users: self.users.clone(),
            groups: self.groups.clone(),
            members,
        }
    }

    fn build(&mut self, resource: Resource, start: &DeltaStart) -> Result<VecDeque<DeltaPage>, SourceError> {
        let from = self.start_version(start)?;
        let to = self.version;
        let entries = if matches!(start, DeltaStart::Latest) {
            Vec::new()
        } else {
            self.entries(resource, from)
        };
        let walk_index = self.walks.len();
        self.walks.push(WalkRecord {
            resource,
            from,
            to,
            snapshot: self.snapshot(),
        });
        let link_version = to.saturating_sub(self.link_lag).max(from.unwrap_or(0));
        let link = DeltaCursor(format!(
            "https://fake.invalid/v1.0/{}/delta?$deltatoken={link_version}&walk={walk_index}",
            resource.as_str()
        ));
        Ok(self.pages(&entries, link))
    }

    /// The version a walk starts after: none for a full walk, the current one for "latest", the
    /// cursor's otherwise (refused when it has expired).
    fn start_version(&self, start: &DeltaStart) -> Result<Option<u64>, SourceError> {
        Ok(match start {
            DeltaStart::Full => None,
            DeltaStart::Latest => Some(self.version),
            DeltaStart::Resume(c) => {
                let v =
                    c.0.split("$deltatoken=")
                        .nth(1)
                        .and_then(|rest| rest.split('&').next())
                        .and_then(|n| n.parse::<u64>().ok())
                        .ok_or_else(|| SourceError::new(SourceErrorKind::Other, "not a fake cursor"))?;
                if v < self.expired_below {
                    return Err(SourceError::new(
                        SourceErrorKind::Expired,
                        "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
                    ));
                }
                Some(v)
            }
        })
    }

    /// What a walk from `from` lists, in order: objects changed since, each with its membership
    /// changes in slices of `member_page_size`.
    fn entries(&self, resource: Resource, from: Option<u64>) -> Vec<DeltaObject> {
        let mut entries: Vec<DeltaObject> = Vec::new();
        for (id, o) in self.objects(resource) {
            let links: Vec<MemberDelta> = if resource == Resource::Groups {
                self.links
                    .range((id.clone(), String::new())..)
                    .take_while(|((g, _), _)| g == id)
                    .filter(|(_, l)| match from {
                        None => l.present,
                        Some(v) => l.version > v,
                    })
                    .map(|((_, m), l)| MemberDelta {
                        id: m.clone(),
                        odata_type: Some(l.odata_type.clone()),
                        removed: !l.present,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            // A full walk lists deleted objects too (soft-deleted as `changed`, purged as
            // `deleted`), like the initial round in Microsoft's documentation does.
            let changed = match from {
                None => true,
                Some(v) => o.version > v || !links.is_empty(),
            };
            if !changed {
                continue;
            }
            match o.state {
                FakeState::Active => {
                    if links.is_empty() {
                        entries.push(DeltaObject {
                            id: id.clone(),
                            removed: None,
                            properties: o.props.clone(),
                            members_delta: Vec::new(),
                            owners_delta: Vec::new(),
                        });
                    } else {
                        for slice in links.chunks(self.member_page_size) {
                            entries.push(DeltaObject {
                                id: id.clone(),
                                removed: None,
                                properties: o.props.clone(),
                                members_delta: slice.to_vec(),
                                owners_delta: Vec::new(),
                            });
                        }
                    }
                }
                FakeState::SoftDeleted => entries.push(DeltaObject {
                    id: id.clone(),
                    removed: Some(RemovedReason::Changed),
                    properties: Map::new(),
                    members_delta: Vec::new(),
                    owners_delta: Vec::new(),
                }),
                FakeState::Purged => entries.push(DeltaObject {
                    id: id.clone(),
                    removed: Some(RemovedReason::Deleted),
                    properties: Map::new(),
                    members_delta: Vec::new(),
                    owners_delta: Vec::new(),
                }),
            }
        }
        entries
    }

    /// The entries in pages of `page_size` (with the previous page's first entry repeated when
    /// `duplicate_entries`), the last carrying the deltaLink.
    fn pages(&self, entries: &[DeltaObject], link: DeltaCursor) -> VecDeque<DeltaPage> {
        let mut pages: VecDeque<DeltaPage> = VecDeque::new();
        let mut previous_first: Option<DeltaObject> = None;
        for chunk in entries.chunks(self.page_size) {
            let mut objects = chunk.to_vec();
            if self.duplicate_entries {
                if let Some(dup) = previous_first.take() {
                    objects.push(dup);
                }
                previous_first = chunk.first().cloned();
            }
            pages.push_back(DeltaPage {
                objects,
                delta_link: None,
            });
        }
        match pages.back_mut() {
            Some(last) => last.delta_link = Some(link),
            None => pages.push_back(DeltaPage {
                objects: Vec::new(),
                delta_link: Some(link),
            }),
        }
        pages
    }
}

struct FakeWalk {
    tenant: FakeTenant,
    resource: Resource,
    start: Option<DeltaStart>,
    pages: VecDeque<DeltaPage>,
    served: usize,
    done: bool,
}

impl DeltaPages for FakeWalk {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>> {
        let result = (|| {
            let mut t = self.tenant.lock();
            if let Some(e) = t.failures.pop_front() {
                return Err(e);
            }
            if let Some(start) = self.start.take() {
                // Graph answers the first request from the state at that moment.
                self.pages = t.build(self.resource, &start)?;
            }
            if self.done {
                return Ok(None);
            }
            if let Some((after, _)) = &t.mid_walk_failure {
                if self.served >= *after {
                    if let Some((_, e)) = t.mid_walk_failure.take() {
                        return Err(e);
                    }
                }
            }
            self.served += 1;
            let page = self.pages.pop_front();
            if page.as_ref().is_none_or(|p| p.delta_link.is_some()) {
                self.done = true;
            }
            Ok(page)
        })();
        Box::pin(async move { result })
    }
}

impl DeltaSource for FakeTenant {
    fn walk(&self, resource: Resource, start: DeltaStart) -> Box<dyn DeltaPages> {
        Box::new(FakeWalk {
            tenant: self.clone(),
            resource,
            start: Some(start),
            pages: VecDeque::new(),
            served: 0,
            done: false,
        })
    }
}

/// A user's properties as the seed tenant has them.
pub fn user_props(name: &str, upn: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("displayName".into(), Value::String(name.into()));
    m.insert("userPrincipalName".into(), Value::String(upn.into()));
    m
}

pub fn group_props(name: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("displayName".into(), Value::String(name.into()));
    m
}

/// The ids currently present in the tenant (for picking random targets).
pub fn ids_in(snapshot: &Snapshot, resource: Resource, state: FakeState) -> Vec<String> {
    snapshot
        .objects(resource)
        .iter()
        .filter(|(_, o)| o.state == state)
        .map(|(id, _)| id.clone())
        .collect()
}

/// Member ids of a group in a snapshot.
pub fn members_in(snapshot: &Snapshot, group: &str) -> BTreeSet<String> {
    snapshot
        .members
        .get(group)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}
