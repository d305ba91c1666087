//! OData collection machinery shared by the Graph routes: `$select` checks, listing with
//! `$filter`/`$search`/`$orderby`/`$count`, sealed `$skiptoken` paging, single entities and
//! directoryObject collections.

use crate::context::{Ctx, GReq};
use crate::error::{GErr, GResp, GResult};
use crate::query::{project, Query};
use crate::store::{self, Kind, Rec, Tenant};
use crate::util::{seal, unseal};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

pub fn context(ctx: &Ctx, set: &str, select: Option<&[String]>) -> String {
    match select {
        Some(s) => format!("{}/$metadata#{}({})", ctx.graph, set, s.join(",")),
        None => format!("{}/$metadata#{}", ctx.graph, set),
    }
}

pub fn check_select(q: &Query, known: &[&str], ty: &str) -> Result<(), GErr> {
    if let Some(sel) = &q.select {
        for s in sel {
            let ok = known.iter().any(|k| k.eq_ignore_ascii_case(s)) || s.starts_with("extension_") || s.contains('_');
            if !ok {
                return Err(GErr::bad_request(format!(
                    "Could not find a property named '{s}' on type 'microsoft.graph.{ty}'."
                )));
            }
        }
    }
    Ok(())
}

/// A page position inside a collection.
pub enum Cursor {
    After(String),
    Offset(usize),
}

/// Decodes `$skiptoken` into (original query, cursor). The original query replaces the request's.
/// (original query, cursor, whether the original request was an advanced query)
pub type Resumed = (Vec<(String, String)>, Cursor, bool);

/// Yields a collection's items in stable order, optionally starting after an id.
/// One object of a listing: borrowed from the store, or built for it (a generated object).
pub type Item<'a> = (Kind, Cow<'a, Map<String, Value>>);
pub type Items<'a> = dyn Fn(Option<&str>) -> Box<dyn Iterator<Item = Item<'a>> + 'a> + 'a;

pub fn resume(key: &[u8], req: &GReq) -> Result<Option<Resumed>, GErr> {
    let Some(tok) = req
        .query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("$skiptoken"))
        .map(|x| x.1.clone())
    else {
        return Ok(None);
    };
    let expired = || {
        GErr::bad(
            "Directory_ExpiredPageToken",
            "The specified page token value has expired and can no longer be included in your request.",
        )
    };
    let v = unseal(key, &tok).ok_or_else(expired)?;
    if v.get("p").and_then(Value::as_str) != Some(req.path.as_str()) {
        return Err(expired());
    }
    let q: Vec<(String, String)> =
        serde_json::from_value(v.get("q").cloned().unwrap_or(json!([]))).map_err(|_| expired())?;
    let cur = if let Some(a) = v.get("a").and_then(Value::as_str) {
        Cursor::After(a.to_string())
    } else {
        Cursor::Offset(v.get("o").and_then(Value::as_u64).unwrap_or(0) as usize)
    };
    Ok(Some((q, cur, v.get("e").and_then(Value::as_bool).unwrap_or(false))))
}

pub fn next_link(ctx: &Ctx, key: &[u8], req_path: &str, q: &[(String, String)], cur: Cursor, eventual: bool) -> String {
    let mut v = json!({"p": req_path, "q": q, "e": eventual});
    match cur {
        Cursor::After(a) => v["a"] = json!(a),
        Cursor::Offset(o) => v["o"] = json!(o),
    }
    format!("{}{}?$skiptoken={}", ctx.graph, req_path, seal(key, &v))
}

pub struct ListSpec<'a> {
    pub set: &'a str,
    pub ty: &'a str,
    pub known: &'a [&'a str],
    pub defaults: &'a [&'a str],
    pub hidden: &'a [&'a str],
    /// Returned only when `$select` names them (a group's Exchange-backed settings).
    pub select_only: &'a [&'a str],
    pub advanced_only: &'a [&'a str],
    /// Adds `@odata.type` to each item (directoryObject collections).
    pub typed: bool,
    /// Whether this collection supports `$top`/paging at all.
    pub paged: bool,
}

/// Lists a collection with Graph's query semantics. `items` must be in a stable (id) order;
/// `by_id` lets plain listing resume from an id without scanning.
pub fn list_objects<'a>(ctx: &Ctx, key: &[u8], req: &GReq, spec: &ListSpec, items: &Items<'a>) -> GResult {
    let (query_pairs, cursor, tok_eventual) = match resume(key, req)? {
        Some((q, c, e)) => (q, Some(c), e),
        None => (req.query.clone(), None, false),
    };
    let eventual = req.eventual() || tok_eventual;
    let q = Query::parse(&query_pairs, eventual)?;
    check_query(&q, spec)?;
    let listing = Listing {
        ctx,
        key,
        path: &req.path,
        pairs: &query_pairs,
        eventual,
        q: &q,
        spec,
        top: if spec.paged { q.top.unwrap_or(100) } else { usize::MAX },
    };
    let count_wanted = q.count && eventual;
    let page = if q.orderby.is_empty() && q.search.is_none() {
        listing.in_order(items, cursor, count_wanted)
    } else {
        listing.sorted(items, cursor, count_wanted)
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(context(ctx, spec.set, q.select.as_deref())),
    );
    if let Some(n) = page.count {
        body.insert("@odata.count".into(), json!(n));
    }
    if let Some(n) = page.next {
        body.insert("@odata.nextLink".into(), json!(n));
    }
    body.insert("value".into(), Value::Array(page.value));
    Ok(GResp::ok(Value::Object(body)))
}

/// Checks `$select`, the advanced-query rules and the `$filter` properties against the collection.
pub fn check_query(q: &Query, spec: &ListSpec) -> Result<(), GErr> {
    check_select(q, spec.known, spec.ty)?;
    q.check_advanced(spec.advanced_only)?;
    if let Some(f) = &q.filter {
        let mut props = Vec::new();
        f.properties(&mut props);
        for p in props {
            let base = p.split('/').next().unwrap_or(&p);
            if !spec.known.iter().any(|k| k.eq_ignore_ascii_case(base)) {
                return Err(GErr::bad_request(format!(
                    "Could not find a property named '{base}' on type 'microsoft.graph.{}'.",
                    spec.ty
                )));
            }
        }
    }
    Ok(())
}

/// One page of a collection: its items, the next page's link and `@odata.count` when asked for.
struct Page {
    value: Vec<Value>,
    next: Option<String>,
    count: Option<usize>,
}

/// One listing request: the parsed query and what its links need.
struct Listing<'x> {
    ctx: &'x Ctx,
    key: &'x [u8],
    path: &'x str,
    pairs: &'x [(String, String)],
    eventual: bool,
    q: &'x Query,
    spec: &'x ListSpec<'x>,
    top: usize,
}

impl Listing<'_> {
    fn matches(&self, m: &Map<String, Value>) -> bool {
        let q = self.q;
        q.filter.as_ref().map(|f| f.eval(m)).unwrap_or(true) && q.search.as_ref().map(|s| s.eval(m)).unwrap_or(true)
    }

    fn render(&self, kind: Kind, m: &Map<String, Value>) -> Value {
        let (q, spec) = (self.q, self.spec);
        let mut o = shown(m, q.select.as_deref(), spec);
        if spec.typed {
            let defaults: &[&str] = if kind == Kind::User {
                store::USER_DIR_OBJECT
            } else {
                &[]
            };
            o = project(m, q.select.as_deref(), defaults, store::USER_HIDDEN);
            o.insert("@odata.type".into(), json!(kind.odata_type()));
        }
        Value::Object(o)
    }

    fn next_link(&self, cur: Cursor) -> String {
        next_link(self.ctx, self.key, self.path, self.pairs, cur, self.eventual)
    }

    /// Plain listing in id order: a page resumes after the last id of the previous one.
    fn in_order<'a>(&self, items: &Items<'a>, cursor: Option<Cursor>, count_wanted: bool) -> Page {
        let after = match &cursor {
            Some(Cursor::After(a)) => Some(a.as_str()),
            _ => None,
        };
        let mut value = Vec::new();
        let mut last = None;
        let mut more = false;
        for (kind, m) in items(after) {
            if !self.matches(&m) {
                continue;
            }
            if value.len() == self.top {
                more = true;
                break;
            }
            last = m.get("id").and_then(Value::as_str).map(str::to_string);
            value.push(self.render(kind, &m));
        }
        let next = match (more, last) {
            (true, Some(l)) => Some(self.next_link(Cursor::After(l))),
            _ => None,
        };
        let count = count_wanted.then(|| items(None).filter(|(_, m)| self.matches(m)).count());
        Page { value, next, count }
    }

    /// `$orderby` or `$search`: every match is collected and sorted, pages are offsets.
    fn sorted<'a>(&self, items: &Items<'a>, cursor: Option<Cursor>, count_wanted: bool) -> Page {
        let matching: Vec<Item> = items(None).filter(|(_, m)| self.matches(m)).collect();
        let mut all: Vec<(Kind, &Map<String, Value>)> = matching.iter().map(|(k, m)| (*k, m.as_ref())).collect();
        if !self.q.orderby.is_empty() {
            let mut refs: Vec<&Map<String, Value>> = all.iter().map(|x| x.1).collect();
            self.q.sort(&mut refs);
            let kinds: std::collections::HashMap<*const Map<String, Value>, Kind> =
                all.iter().map(|(k, m)| (*m as *const _, *k)).collect();
            all = refs
                .into_iter()
                .map(|m| (kinds.get(&(m as *const _)).copied().unwrap_or(Kind::User), m))
                .collect();
        }
        let off = match cursor {
            Some(Cursor::Offset(o)) => o,
            _ => 0,
        };
        let top = self.top;
        let value = all
            .iter()
            .skip(off)
            .take(top)
            .map(|(k, m)| self.render(*k, m))
            .collect();
        let next = (off.saturating_add(top) < all.len()).then(|| self.next_link(Cursor::Offset(off + top)));
        Page {
            value,
            next,
            count: count_wanted.then_some(all.len()),
        }
    }
}

pub fn count_text(req: &GReq, n: usize) -> GResult {
    if !req.eventual() {
        return Err(GErr::bad_request("$count is not currently supported."));
    }
    Ok(GResp::text(n.to_string()))
}

/// An object as the collection returns it: projected, without the properties Graph returns only on `$select`.
fn shown(m: &Map<String, Value>, select: Option<&[String]>, spec: &ListSpec) -> Map<String, Value> {
    let mut o = project(m, select, spec.defaults, spec.hidden);
    if select.is_none() {
        for k in spec.select_only {
            o.remove(*k);
        }
    }
    o
}

pub fn get_one(ctx: &Ctx, req: &GReq, m: &Map<String, Value>, spec: &ListSpec) -> GResult {
    let q = Query::parse(&req.query, req.eventual())?;
    check_select(&q, spec.known, spec.ty)?;
    let mut o = shown(m, q.select.as_deref(), spec);
    let ctxs = match &q.select {
        Some(s) => format!("{}/$metadata#{}({})/$entity", ctx.graph, spec.set, s.join(",")),
        None => format!("{}/$metadata#{}/$entity", ctx.graph, spec.set),
    };
    o.insert("@odata.context".into(), json!(ctxs));
    Ok(GResp::ok(Value::Object(o)))
}

pub fn entity(ctx: &Ctx, set: &str, m: &Map<String, Value>) -> Value {
    let mut o = m.clone();
    o.insert(
        "@odata.context".into(),
        json!(format!("{}/$metadata#{}/$entity", ctx.graph, set)),
    );
    Value::Object(o)
}

pub fn odata_id(body: &Map<String, Value>) -> Result<String, GErr> {
    body.get("@odata.id")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| GErr::bad_request("Invalid object identifier ''."))
}

pub const USERS: ListSpec = ListSpec {
    set: "users",
    ty: "user",
    known: store::USER_PROPS,
    defaults: store::USER_DEFAULT,
    hidden: store::USER_HIDDEN,
    select_only: &[],
    advanced_only: store::USER_ADVANCED_ONLY,
    typed: false,
    paged: true,
};
pub const GROUPS: ListSpec = ListSpec {
    set: "groups",
    ty: "group",
    known: store::GROUP_PROPS,
    defaults: &[],
    hidden: &[],
    // "Returned only on $select. Supported only on the Get group API."
    select_only: store::EXCHANGE_PROPS,
    advanced_only: &[],
    typed: false,
    paged: true,
};
pub const DIR_OBJECTS: ListSpec = ListSpec {
    set: "directoryObjects",
    ty: "directoryObject",
    known: &[],
    defaults: &[],
    hidden: &[],
    select_only: &[],
    advanced_only: &[],
    typed: true,
    paged: true,
};

/// `Prefer: return=representation` turns an update's 204 into 200 with the updated object.
pub fn wants_representation(req: &GReq) -> bool {
    req.header("prefer")
        .map(|p| p.to_ascii_lowercase().contains("return=representation"))
        .unwrap_or(false)
}

/// Lists directory objects by id (members, memberOf, …) with `@odata.type` on each item.
pub fn list_dir_objects(t: &Tenant, ctx: &Ctx, key: &[u8], req: &GReq, ids: &[String], cast: Option<&str>) -> GResult {
    let want = cast.map(|c| c.trim_start_matches("microsoft.graph.").to_string());
    if let Some(w) = &want {
        const CASTS: &[&str] = &[
            "user",
            "group",
            "directoryRole",
            "device",
            "orgContact",
            "servicePrincipal",
            "application",
        ];
        if !CASTS.contains(&w.as_str()) {
            return Err(GErr::unsupported(format!(
                "The type cast to 'microsoft.graph.{w}' is not supported for this collection."
            )));
        }
    }
    let mut objs: Vec<Item> = Vec::new();
    for id in ids {
        if let Some((k, r)) = t.object(id) {
            if let Some(w) = &want {
                let name = if k == Kind::User { "user" } else { "group" };
                if name != w {
                    continue;
                }
            }
            objs.push((k, r.data()));
        } else if let Some(role) = t
            .roles
            .iter()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(id.as_str()))
        {
            if want.is_some() && want.as_deref() != Some("directoryRole") {
                continue;
            }
            objs.push((Kind::Group, Cow::Borrowed(role)));
        }
    }
    let roles: std::collections::HashSet<String> = t
        .roles
        .iter()
        .filter_map(|r| r.get("id").and_then(Value::as_str).map(str::to_string))
        .collect();
    let objs_ref = &objs;
    let spec = ListSpec {
        known: known_dir(),
        ..DIR_OBJECTS
    };
    // Members keep insertion order; a page resumes after the last id it returned.
    let mut resp = list_objects(ctx, key, req, &spec, &|after| {
        let start = match after {
            Some(a) => objs_ref
                .iter()
                .position(|(_, m)| m.get("id").and_then(Value::as_str) == Some(a))
                .map(|p| p + 1)
                .unwrap_or(objs_ref.len()),
            None => 0,
        };
        Box::new(objs_ref[start..].iter().map(|(k, m)| (*k, Cow::Borrowed(m.as_ref()))))
    })?;
    // Directory roles are not groups: fix their @odata.type after rendering.
    if let crate::error::Body::Json(Value::Object(b)) = &mut resp.body {
        if let Some(Value::Array(items)) = b.get_mut("value") {
            for it in items {
                let id = it.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
                if roles.contains(&id) {
                    it["@odata.type"] = json!("#microsoft.graph.directoryRole");
                }
            }
        }
    }
    Ok(resp)
}

/// Properties a directoryObject collection can select or filter on: any user, group or role property.
pub fn known_dir() -> &'static [&'static str] {
    static K: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    K.get_or_init(|| {
        let mut v: Vec<&'static str> = store::USER_PROPS
            .iter()
            .chain(store::GROUP_PROPS.iter())
            .copied()
            .collect();
        v.extend(["description", "roleTemplateId"]);
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// One directory object (a user or group) with its `@odata.type`, as a single entity.
pub fn dir_object(ctx: &Ctx, kind: Kind, mut o: Map<String, Value>) -> Value {
    o.insert("@odata.type".into(), json!(kind.odata_type()));
    o.insert(
        "@odata.context".into(),
        json!(format!("{}/$metadata#directoryObjects/$entity", ctx.graph)),
    );
    Value::Object(o)
}

/// Lists users or groups (kept by id) with Graph's query semantics, resuming after an id.
pub fn list_records(
    ctx: &Ctx,
    key: &[u8],
    req: &GReq,
    spec: &ListSpec,
    kind: Kind,
    recs: &BTreeMap<String, Rec>,
) -> GResult {
    list_objects(ctx, key, req, spec, &|after| match after {
        Some(a) => Box::new(
            recs.range::<str, _>((std::ops::Bound::Excluded(a), std::ops::Bound::Unbounded))
                .map(move |(_, r)| (kind, r.data())),
        ),
        None => Box::new(recs.values().map(move |r| (kind, r.data()))),
    })
}

/// `/users/$count` and `/groups/$count`: how many records match `$filter`.
pub fn count_records(req: &GReq, recs: &BTreeMap<String, Rec>) -> GResult {
    let q = Query::parse(&req.query, req.eventual())?;
    let n = recs
        .values()
        .filter(|r| q.filter.as_ref().map(|f| f.eval(&r.data())).unwrap_or(true))
        .count();
    count_text(req, n)
}
