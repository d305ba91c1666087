//! `/users/delta` and `/groups/delta` with Graph's state-token mechanics (cards.md §2.1).
//!
//! Tokens are sealed (tamper-evident, opaque) JSON. A skiptoken carries the round (`f` = since,
//! `s` = round upper bound, position); a deltatoken carries `s`, the tracked `$select`/`$filter`
//! and its issue time. The round's items are recomputed from the tenant's change log on each
//! page, bounded by `s`, so a round is stable while writes continue (they show up next round).

use crate::context::{Ctx, GReq};
use crate::error::{GErr, GResp, GResult};
use crate::query::{parse_filter, project};
use crate::store::{self, Change, Kind, Tenant};
use crate::util::{seal, unseal};
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};

fn sync_state_not_found() -> GErr {
    GErr::bad(
        "syncStateNotFound",
        "The sync state generation is not found. The delta token is expired and data must be synchronized again.",
    )
}

#[derive(Debug, Clone)]
struct Track {
    select: Option<Vec<String>>,
    ids: Option<Vec<String>>,
}

impl Track {
    fn to_json(&self) -> Value {
        json!({"sel": self.select, "ids": self.ids})
    }
    fn from_json(v: &Value) -> Track {
        Track {
            select: serde_json::from_value(v.get("sel").cloned().unwrap_or(Value::Null)).unwrap_or(None),
            ids: serde_json::from_value(v.get("ids").cloned().unwrap_or(Value::Null)).unwrap_or(None),
        }
    }
    /// Whether `members` is tracked (groups: default shape or `$select` naming members).
    fn members(&self, kind: Kind) -> bool {
        kind == Kind::Group
            && self
                .select
                .as_ref()
                .map(|s| s.iter().any(|x| x.eq_ignore_ascii_case("members")))
                .unwrap_or(true)
    }
    fn selects(&self, name: &str) -> bool {
        self.select
            .as_ref()
            .map(|s| s.iter().any(|x| x.eq_ignore_ascii_case(name)))
            .unwrap_or(false)
    }
    /// `owners@delta`: groups with `$select` naming owners.
    fn owners(&self, kind: Kind) -> bool {
        kind == Kind::Group && self.selects("owners")
    }
    /// `manager@delta`: users with `$select` naming manager.
    fn manager(&self, kind: Kind) -> bool {
        kind == Kind::User && self.selects("manager")
    }
    fn props(&self) -> Option<Vec<String>> {
        self.select.as_ref().map(|s| {
            s.iter()
                .filter(|x| {
                    !["members", "manager", "owners"]
                        .iter()
                        .any(|r| x.eq_ignore_ascii_case(r))
                })
                .cloned()
                .collect()
        })
    }
    fn wants(&self, id: &str) -> bool {
        self.ids
            .as_ref()
            .map(|v| v.iter().any(|x| x.eq_ignore_ascii_case(id)))
            .unwrap_or(true)
    }
}

fn get<'a>(q: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let bare = name.trim_start_matches('$');
    q.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name) || k.eq_ignore_ascii_case(bare))
        .map(|(_, v)| v.as_str())
}

fn parse_track(req: &GReq, kind: Kind) -> Result<Track, GErr> {
    for unsupported in ["$expand", "$orderby", "$search"] {
        if get(&req.query, unsupported).is_some() {
            return Err(GErr::unsupported(format!(
                "The query parameter '{unsupported}' is not supported with delta query."
            )));
        }
    }
    let select = get(&req.query, "$select").map(|s| {
        s.split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect::<Vec<_>>()
    });
    if let Some(sel) = &select {
        let (known, ty) = match kind {
            Kind::User => (store::USER_PROPS, "user"),
            Kind::Group => (store::GROUP_PROPS, "group"),
        };
        for s in sel {
            if kind == Kind::User && store::USER_NOT_TRACKED.iter().any(|x| x.eq_ignore_ascii_case(s)) {
                return Err(GErr::new(
                    StatusCode::NOT_IMPLEMENTED,
                    "NotImplemented",
                    "This operation target is not yet supported.",
                ));
            }
            if !known.iter().any(|k| k.eq_ignore_ascii_case(s)) {
                return Err(GErr::bad_request(format!(
                    "Could not find a property named '{s}' on type 'microsoft.graph.{ty}'."
                )));
            }
        }
    }
    let ids = match get(&req.query, "$filter") {
        None => None,
        Some(f) => {
            let parsed = parse_filter(f)?;
            let ids = parsed.id_list().ok_or_else(|| {
                GErr::unsupported("Unsupported query: delta supports only $filter=id eq '{id}' clauses joined by 'or'.")
            })?;
            if ids.len() > 50 {
                return Err(GErr::unsupported(
                    "Too many ids in the filter: delta supports at most 50.",
                ));
            }
            Some(ids)
        }
    };
    Ok(Track { select, ids })
}

/// A group's `members@delta` entries: built for resumed rounds, or the current member ids (all
/// "added") for the initial round, rendered only for the slice that lands on the page.
enum Members<'a> {
    Built(Vec<Value>),
    Ids(&'a [String]),
}

impl Members<'_> {
    fn len(&self) -> usize {
        match self {
            Members::Built(v) => v.len(),
            Members::Ids(v) => v.len(),
        }
    }
    fn slice(&self, t: &Tenant, from: usize, to: usize) -> Vec<Value> {
        match self {
            Members::Built(v) => v[from..to].to_vec(),
            Members::Ids(v) => v[from..to]
                .iter()
                .map(|m| json!({"@odata.type": t.kind_of(m).unwrap_or(Kind::User).odata_type(), "id": m}))
                .collect(),
        }
    }
}

struct Unit<'a> {
    id: String,
    body: Option<Map<String, Value>>,
    removed: Option<&'static str>,
    members: Members<'a>,
    /// `owners@delta` / `manager@delta` (sent with the first slice).
    extra: Map<String, Value>,
}

fn link_entry(t: &Tenant, id: &str, added: bool) -> Value {
    let mut e = json!({"@odata.type": t.kind_of(id).unwrap_or(Kind::User).odata_type(), "id": id});
    if !added {
        e["@removed"] = json!({"reason": "deleted"});
    }
    e
}

/// The current owners / manager of an object, as the initial round reports them.
fn current_links(t: &Tenant, kind: Kind, track: &Track, id: &str) -> Map<String, Value> {
    let mut m = Map::new();
    if track.owners(kind) {
        let v: Vec<Value> = t
            .owners
            .get(id)
            .into_iter()
            .flatten()
            .map(|o| link_entry(t, o, true))
            .collect();
        if !v.is_empty() {
            m.insert("owners@delta".into(), Value::Array(v));
        }
    }
    if track.manager(kind) {
        if let Some(mgr) = t.manager.get(id) {
            m.insert("manager@delta".into(), json!([link_entry(t, mgr, true)]));
        }
    }
    m
}

// Long: decodes the token, pages the round and writes the links; the pieces share the page budget.
pub fn delta(t: &mut Tenant, ctx: &Ctx, req: &GReq, kind: Kind) -> GResult {
    let key = t.token_key.clone().into_bytes();
    let set = match kind {
        Kind::User => "users",
        Kind::Group => "groups",
    };
    let minimal = req
        .header("prefer")
        .map(|p| p.to_ascii_lowercase().contains("return=minimal"))
        .unwrap_or(false);
    let skip = get(&req.query, "$skiptoken").map(str::to_string);
    let dtok = get(&req.query, "$deltatoken").map(str::to_string);

    // (track, since, upto, position, member offset)
    let (track, since, upto, pos, mo): (Track, Option<u64>, u64, Value, usize) = if let Some(s) = skip {
        let v = unseal(&key, &s).ok_or_else(sync_state_not_found)?;
        if v.get("k").and_then(Value::as_str) != Some(set) || v.get("e").and_then(Value::as_u64) != Some(t.delta_epoch)
        {
            return Err(sync_state_not_found());
        }
        (
            Track::from_json(&v),
            v.get("f").and_then(Value::as_u64),
            v.get("s").and_then(Value::as_u64).unwrap_or(0),
            v.get("pos").cloned().unwrap_or(Value::Null),
            v.get("mo").and_then(Value::as_u64).unwrap_or(0) as usize,
        )
    } else if let Some(d) = dtok {
        if d.eq_ignore_ascii_case("latest") {
            let track = parse_track(req, kind)?;
            let link = delta_link(ctx, &key, set, &track, t.seq, t.delta_epoch);
            return Ok(GResp::ok(
                json!({"@odata.context": context(ctx, set, &track), "@odata.deltaLink": link, "value": []}),
            ));
        }
        let v = unseal(&key, &d).ok_or_else(sync_state_not_found)?;
        let issued = v.get("t").and_then(Value::as_i64).unwrap_or(0);
        if v.get("k").and_then(Value::as_str) != Some(set)
            || v.get("e").and_then(Value::as_u64) != Some(t.delta_epoch)
            || ctx.now_ms.saturating_sub(issued) >= ctx.delta_ttl_ms
        {
            return Err(sync_state_not_found());
        }
        (
            Track::from_json(&v),
            v.get("s").and_then(Value::as_u64),
            t.seq,
            Value::Null,
            0,
        )
    } else {
        (parse_track(req, kind)?, None, t.seq, Value::Null, 0)
    };

    let budget = ctx.delta_page.max(1);
    let mut out: Vec<Value> = Vec::new();
    let mut used = 0usize;
    let mut next: Option<(Value, usize)> = None;

    match since {
        None => {
            // Initial round: every object that exists now, in id order.
            let after = pos.as_str().map(str::to_string);
            let map = match kind {
                Kind::User => &t.users,
                Kind::Group => &t.groups,
            };
            // The position is the id to resume at (inclusive), `mo` the member offset inside it.
            let iter: Box<dyn Iterator<Item = (&String, &store::Rec)>> = match &after {
                Some(a) => {
                    Box::new(map.range::<str, _>((std::ops::Bound::Included(a.as_str()), std::ops::Bound::Unbounded)))
                }
                None => Box::new(map.iter()),
            };
            let mut first = true;
            for (id, rec) in iter {
                if !track.wants(id) {
                    continue;
                }
                let start = if first && mo > 0 && after.as_deref() == Some(id.as_str()) {
                    mo
                } else {
                    0
                };
                first = false;
                let members = match t.members.get(id.as_str()) {
                    Some(list) if track.members(kind) => Members::Ids(list),
                    _ => Members::Built(Vec::new()),
                };
                let body = if start > 0 {
                    None
                } else {
                    Some(render(kind, rec, &track, None))
                };
                let extra = if start > 0 {
                    Map::new()
                } else {
                    current_links(t, kind, &track, id)
                };
                let unit = Unit {
                    id: id.clone(),
                    body,
                    removed: None,
                    members,
                    extra,
                };
                if let Some(stop) = place(t, &mut out, &mut used, budget, unit, start) {
                    next = Some((json!(stop.0), stop.1));
                    break;
                }
            }
        }
        Some(since) => {
            let units = changes(t, kind, &track, since, upto, minimal);
            let start_idx = pos.as_u64().unwrap_or(0) as usize;
            for (i, unit) in units.into_iter().enumerate().skip(start_idx) {
                let start = if i == start_idx { mo } else { 0 };
                let unit = if start > 0 { Unit { body: None, ..unit } } else { unit };
                if let Some((_, m)) = place(t, &mut out, &mut used, budget, unit, start) {
                    next = Some((json!(i), m));
                    break;
                }
            }
        }
    }

    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(context(ctx, set, &track)));
    match next {
        Some((pos, mo)) => {
            let mut v = track.to_json();
            v["k"] = json!(set);
            v["e"] = json!(t.delta_epoch);
            v["s"] = json!(upto);
            v["pos"] = pos;
            v["mo"] = json!(mo);
            if let Some(f) = since {
                v["f"] = json!(f);
            }
            body.insert(
                "@odata.nextLink".into(),
                json!(format!("{}/{}/delta?$skiptoken={}", ctx.graph, set, seal(&key, &v))),
            );
        }
        None => {
            body.insert(
                "@odata.deltaLink".into(),
                json!(delta_link_at(ctx, &key, set, &track, upto, t.delta_epoch, ctx.now_ms)),
            );
        }
    }
    body.insert("value".into(), Value::Array(out));
    Ok(GResp::ok(Value::Object(body)))
}

/// Places a unit on the page. Returns Some((id, member offset)) when the page is full and the
/// walk must resume at this unit (member offset > 0 = in the middle of its `members@delta`).
fn place(
    t: &Tenant,
    out: &mut Vec<Value>,
    used: &mut usize,
    budget: usize,
    unit: Unit,
    start: usize,
) -> Option<(String, usize)> {
    if *used >= budget {
        return Some((unit.id, start));
    }
    let mut obj = unit.body.unwrap_or_default();
    obj.insert("id".into(), json!(unit.id));
    if let Some(r) = unit.removed {
        obj.insert("@removed".into(), json!({"reason": r}));
    }
    if start == 0 {
        obj.extend(unit.extra);
    }
    *used += 1;
    let remaining = unit.members.len().saturating_sub(start);
    if remaining > 0 {
        // The object itself counts as one entry; members fill the rest of the page.
        let room = budget.saturating_sub(*used).max(1);
        let take = remaining.min(room);
        let slice = unit.members.slice(t, start, start + take);
        *used += take;
        obj.insert("members@delta".into(), Value::Array(slice));
        out.push(Value::Object(obj));
        if take < remaining {
            return Some((unit.id, start + take));
        }
        return None;
    }
    out.push(Value::Object(obj));
    None
}

fn render(kind: Kind, rec: &store::Rec, track: &Track, only: Option<&[String]>) -> Map<String, Value> {
    let props = track.props();
    let sel: Option<Vec<String>> = match (only, props) {
        (Some(o), Some(p)) => Some(
            p.into_iter()
                .filter(|x| o.iter().any(|y| y.eq_ignore_ascii_case(x)))
                .collect(),
        ),
        (Some(o), None) => Some(o.to_vec()),
        (None, p) => p,
    };
    let defaults: &[&str] = match kind {
        Kind::User => store::USER_DEFAULT,
        Kind::Group => &[],
    };
    // The default shape of a delta item omits properties that were never set.
    let mut o = project(&rec.data(), sel.as_deref(), defaults, store::USER_HIDDEN);
    if sel.is_none() {
        o.retain(|k, v| !v.is_null() || rec.data().contains_key(k));
    }
    o.remove("passwordProfile");
    o
}

/// "owners@delta"/"manager@delta" → target id → (added, order of the change)
type Links = BTreeMap<&'static str, BTreeMap<String, (bool, usize)>>;

// Long: one walk over the change log fills the maps that the items are then built from.
/// Items of a resumed round: objects touched in (since, upto], removals, and membership changes.
fn changes(t: &Tenant, kind: Kind, track: &Track, since: u64, upto: u64, minimal: bool) -> Vec<Unit<'static>> {
    let start = t.log.partition_point(|e| e.seq <= since);
    let mut order: Vec<String> = Vec::new();
    let mut touched: HashMap<String, bool> = HashMap::new();
    let mut members: HashMap<String, BTreeMap<String, (Kind, bool, usize)>> = HashMap::new();
    // object id → "owners@delta"/"manager@delta" → target id → (added, order)
    let mut links: HashMap<String, Links> = HashMap::new();
    let mut n = 0usize;
    for e in t.log[start..].iter().take_while(|e| e.seq <= upto) {
        match &e.change {
            Change::Touch { kind: k, id } | Change::Removed { kind: k, id } if *k == kind => {
                if !touched.contains_key(id) && !members.contains_key(id) {
                    order.push(id.clone());
                }
                touched.insert(id.clone(), true);
            }
            Change::Member {
                group,
                member,
                member_kind,
                added,
            } if kind == Kind::Group && track.members(kind) => {
                if !touched.contains_key(group) && !members.contains_key(group) {
                    order.push(group.clone());
                }
                n += 1;
                members
                    .entry(group.clone())
                    .or_default()
                    .insert(member.clone(), (*member_kind, *added, n));
            }
            Change::Owner { group, owner, added } if track.owners(kind) => {
                if !touched.contains_key(group) && !members.contains_key(group) && !links.contains_key(group) {
                    order.push(group.clone());
                }
                n += 1;
                links
                    .entry(group.clone())
                    .or_default()
                    .entry("owners@delta")
                    .or_default()
                    .insert(owner.clone(), (*added, n));
            }
            Change::Manager {
                user,
                manager,
                previous,
            } if track.manager(kind) => {
                if !touched.contains_key(user) && !links.contains_key(user) {
                    order.push(user.clone());
                }
                let slot = links
                    .entry(user.clone())
                    .or_default()
                    .entry("manager@delta")
                    .or_default();
                if let Some(p) = previous {
                    if Some(p) != manager.as_ref() {
                        n += 1;
                        slot.insert(p.clone(), (false, n));
                    }
                }
                if let Some(m) = manager {
                    n += 1;
                    slot.insert(m.clone(), (true, n));
                }
            }
            _ => {}
        }
    }
    let props = track.props();
    let mut units = Vec::new();
    for id in order {
        if !track.wants(&id) {
            continue;
        }
        let mem: Vec<Value> = {
            let mut v: Vec<(usize, Value)> = members
                .get(&id)
                .into_iter()
                .flatten()
                .map(|(m, (k, added, n))| {
                    let mut e = json!({"@odata.type": k.odata_type(), "id": m});
                    if !added {
                        e["@removed"] = json!({"reason": "deleted"});
                    }
                    (*n, e)
                })
                .collect();
            v.sort_by_key(|x| x.0);
            v.into_iter().map(|x| x.1).collect()
        };
        let mut extra = Map::new();
        for (key, targets) in links.get(&id).into_iter().flatten() {
            let mut v: Vec<(usize, Value)> = targets
                .iter()
                .map(|(target, (added, n))| (*n, link_entry(t, target, *added)))
                .collect();
            v.sort_by_key(|x| x.0);
            extra.insert(key.to_string(), Value::Array(v.into_iter().map(|x| x.1).collect()));
        }
        let live = match kind {
            Kind::User => t.users.get(&id),
            Kind::Group => t.groups.get(&id),
        };
        match live {
            Some(rec) => {
                let fresh = rec.created > since;
                let changed: Vec<String> = rec
                    .props
                    .iter()
                    .filter(|(_, s)| **s > since)
                    .map(|(p, _)| p.clone())
                    .collect();
                let relevant = fresh
                    || !mem.is_empty()
                    || !extra.is_empty()
                    || match &props {
                        None => !changed.is_empty(),
                        Some(p) => changed.iter().any(|c| p.iter().any(|x| x.eq_ignore_ascii_case(c))),
                    };
                if !relevant {
                    continue;
                }
                let body = if minimal && !fresh {
                    render(kind, rec, track, Some(&changed))
                } else {
                    render(kind, rec, track, None)
                };
                units.push(Unit {
                    id,
                    body: Some(body),
                    removed: None,
                    members: Members::Built(mem),
                    extra,
                });
            }
            None => {
                let reason = if t.deleted.contains_key(&id) {
                    "changed"
                } else {
                    "deleted"
                };
                units.push(Unit {
                    id,
                    body: None,
                    removed: Some(reason),
                    members: Members::Built(Vec::new()),
                    extra: Map::new(),
                });
            }
        }
    }
    units
}

fn context(ctx: &Ctx, set: &str, track: &Track) -> String {
    match &track.select {
        Some(s) => format!("{}/$metadata#{}({})", ctx.graph, set, s.join(",")),
        None => format!("{}/$metadata#{}", ctx.graph, set),
    }
}

fn delta_link(ctx: &Ctx, key: &[u8], set: &str, track: &Track, seq: u64, epoch: u64) -> String {
    delta_link_at(ctx, key, set, track, seq, epoch, ctx.now_ms)
}

fn delta_link_at(ctx: &Ctx, key: &[u8], set: &str, track: &Track, seq: u64, epoch: u64, now_ms: i64) -> String {
    let mut v = track.to_json();
    v["k"] = json!(set);
    v["s"] = json!(seq);
    v["e"] = json!(epoch);
    v["t"] = json!(now_ms);
    format!("{}/{}/delta?$deltatoken={}", ctx.graph, set, seal(key, &v))
}
