//! A user's Outlook contacts and contact folders (`/users/{id}/contacts`, `/contactFolders`, `childFolders`).

use super::{need_admin, Call};
use crate::context::{Ctx, GReq};
use crate::error::{GErr, GResp, GResult};
use crate::query::{project, Query};
use crate::store::Tenant;
use crate::util::iso_now;
use axum::http::Method;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const CONTACT_PROPS: &[&str] = &[
    "id",
    "categories",
    "changeKey",
    "createdDateTime",
    "lastModifiedDateTime",
    "assistantName",
    "birthday",
    "businessAddress",
    "businessHomePage",
    "businessPhones",
    "children",
    "companyName",
    "department",
    "displayName",
    "emailAddresses",
    "fileAs",
    "generation",
    "givenName",
    "homeAddress",
    "homePhones",
    "imAddresses",
    "initials",
    "jobTitle",
    "manager",
    "middleName",
    "mobilePhone",
    "nickName",
    "officeLocation",
    "otherAddress",
    "parentFolderId",
    "personalNotes",
    "profession",
    "spouseName",
    "surname",
    "title",
    "yomiCompanyName",
    "yomiGivenName",
    "yomiSurname",
];
const CONTACT_READONLY: &[&str] = &[
    "id",
    "changeKey",
    "createdDateTime",
    "lastModifiedDateTime",
    "parentFolderId",
];

/// Exchange ids are long opaque base64 strings; derive one from a GUID.
fn exchange_id(t: &mut Tenant, prefix: &str) -> String {
    let g = t.next_id().replace('-', "");
    format!("{prefix}AAMkAG{}AAA=", g)
}

fn default_folder(uid: &str) -> String {
    format!("AAMkAGContacts{}AAA=", uid.replace('-', ""))
}

fn list(ctx: &Ctx, req: &GReq, set: String, items: Vec<&Map<String, Value>>) -> GResult {
    // Outlook collections page with $skip (unlike directory collections).
    let pairs: Vec<(String, String)> = req.query.iter().filter(|(k, _)| k != "$skip").cloned().collect();
    let q = Query::parse(&pairs, true)?;
    let top = q.top.unwrap_or(10);
    let filtered: Vec<&Map<String, Value>> = items
        .into_iter()
        .filter(|m| q.filter.as_ref().map(|f| f.eval(m)).unwrap_or(true))
        .collect();
    let skip: usize = req
        .query
        .iter()
        .find(|(k, _)| k == "$skip")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut refs = filtered.clone();
    q.sort(&mut refs);
    let page: Vec<Value> = refs
        .iter()
        .skip(skip)
        .take(top)
        .map(|m| Value::Object(project(m, q.select.as_deref(), &[], &[])))
        .collect();
    let mut body = json!({"@odata.context": format!("{}/$metadata#{}", ctx.graph, set), "value": page});
    if skip + top < refs.len() {
        let mut pairs: Vec<(String, String)> = req.query.iter().filter(|(k, _)| k != "$skip").cloned().collect();
        pairs.push(("$skip".into(), (skip + top).to_string()));
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        body["@odata.nextLink"] = json!(format!("{}{}?{}", ctx.graph, req.path, qs));
    }
    Ok(GResp::ok(body))
}

fn check(body: &Map<String, Value>, known: &[&str], readonly: &[&str]) -> Result<(), GErr> {
    for k in body.keys() {
        if k.starts_with('@') {
            continue;
        }
        if !known.contains(&k.as_str()) {
            return Err(GErr::bad("RequestBodyRead", format!("The property '{k}' does not exist on type 'Microsoft.OutlookServices.Contact'. Make sure to only use property names that are defined by the type or mark the type as open type.")));
        }
        if readonly.contains(&k.as_str()) {
            return Err(GErr::bad(
                "ErrorInvalidProperty",
                format!("The property '{k}' is read-only and cannot be set."),
            ));
        }
    }
    Ok(())
}

fn new_contact(t: &mut Tenant, body: &Map<String, Value>, folder: &str) -> Result<Map<String, Value>, GErr> {
    check(body, CONTACT_PROPS, CONTACT_READONLY)?;
    let mut m = body.clone();
    let now = iso_now();
    m.insert("id".into(), json!(exchange_id(t, "")));
    m.insert("createdDateTime".into(), json!(now));
    m.insert("lastModifiedDateTime".into(), json!(now));
    m.insert("changeKey".into(), json!(t.next_id().replace('-', "")));
    m.insert("parentFolderId".into(), json!(folder));
    m.entry("categories").or_insert(json!([]));
    m.entry("businessPhones").or_insert(json!([]));
    m.entry("homePhones").or_insert(json!([]));
    m.entry("emailAddresses").or_insert(json!([]));
    // Outlook returns every contact property, empty when unset.
    for p in CONTACT_PROPS {
        let empty = match *p {
            "children" | "imAddresses" => json!([]),
            "businessAddress" | "homeAddress" | "otherAddress" => json!({}),
            _ => Value::Null,
        };
        m.entry(p.to_string()).or_insert(empty);
    }
    if m.get("displayName").map(Value::is_null).unwrap_or(true) {
        let dn = [m.get("givenName"), m.get("surname")]
            .iter()
            .filter_map(|v| v.and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        m.insert("displayName".into(), json!(dn));
    }
    Ok(m)
}

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    match c.segs {
        ["users", id, "contacts" | "contactFolders", ..] => Some(user_contacts(t, c, id)),
        _ => None,
    }
}

/// A user's own contacts need no role; someone else's need an admin.
fn user_contacts(t: &mut Tenant, c: &Call, id: &str) -> GResult {
    let id = t.user_id(id)?;
    if id != c.req.caller.oid {
        need_admin(t, c.req)?;
    }
    dispatch(t, c.ctx, c.req, &id, &c.segs[2..])
}

/// Contacts and folders under `/users/{uid}`; `rest` is the path after it.
fn dispatch(t: &mut Tenant, ctx: &Ctx, req: &GReq, uid: &str, rest: &[&str]) -> GResult {
    let root = default_folder(uid);
    let body = || req.body_obj();
    match (&req.method, rest) {
        (&Method::GET, ["contacts"]) => {
            let items = in_folder(&t.contacts, uid, &root);
            list(ctx, req, format!("users('{uid}')/contacts"), items)
        }
        (&Method::POST, ["contacts"]) => {
            let c = new_contact(t, &body()?, &root)?;
            t.contacts.entry(uid.to_string()).or_default().push(c.clone());
            Ok(GResp::created(with_ctx(ctx, &format!("users('{uid}')/contacts"), c)))
        }
        (m, ["contacts", cid]) | (m, ["contactFolders", _, "contacts", cid]) => contact(t, ctx, req, m, uid, cid),
        (&Method::GET, ["contactFolders"]) => {
            let items = in_folder(&t.folders, uid, &root);
            list(ctx, req, format!("users('{uid}')/contactFolders"), items)
        }
        (&Method::POST, ["contactFolders"]) => new_folder(t, ctx, req, uid, &root),
        (m, ["contactFolders", fid]) => folder(t, ctx, req, m, uid, fid, &root),
        (&Method::GET, ["contactFolders", fid, "childFolders"]) => {
            folder_exists(t, uid, fid, &root)?;
            let items = in_folder(&t.folders, uid, fid);
            list(
                ctx,
                req,
                format!("users('{uid}')/contactFolders('{fid}')/childFolders"),
                items,
            )
        }
        (&Method::POST, ["contactFolders", fid, "childFolders"]) => {
            folder_exists(t, uid, fid, &root)?;
            new_folder(t, ctx, req, uid, fid)
        }
        (&Method::GET, ["contactFolders", fid, "contacts"]) => {
            folder_exists(t, uid, fid, &root)?;
            let items = in_folder(&t.contacts, uid, fid);
            list(
                ctx,
                req,
                format!("users('{uid}')/contactFolders('{fid}')/contacts"),
                items,
            )
        }
        (&Method::POST, ["contactFolders", fid, "contacts"]) => {
            folder_exists(t, uid, fid, &root)?;
            let c = new_contact(t, &body()?, fid)?;
            t.contacts.entry(uid.to_string()).or_default().push(c.clone());
            Ok(GResp::created(with_ctx(
                ctx,
                &format!("users('{uid}')/contactFolders('{fid}')/contacts"),
                c,
            )))
        }
        _ => Err(GErr::no_route()),
    }
}

/// GET, PATCH or DELETE one contact.
fn contact(t: &mut Tenant, ctx: &Ctx, req: &GReq, m: &Method, uid: &str, cid: &str) -> GResult {
    let list = t.contacts.entry(uid.to_string()).or_default();
    let idx = list
        .iter()
        .position(|c| c.get("id").and_then(Value::as_str) == Some(cid))
        .ok_or_else(not_found)?;
    match *m {
        Method::GET => {
            let q = Query::parse(&req.query, true)?;
            let c = project(&list[idx], q.select.as_deref(), &[], &[]);
            Ok(GResp::ok(with_ctx(ctx, &format!("users('{uid}')/contacts"), c)))
        }
        Method::PATCH => {
            let b = req.body_obj()?;
            check(&b, CONTACT_PROPS, CONTACT_READONLY)?;
            for (k, v) in b {
                list[idx].insert(k, v);
            }
            list[idx].insert("lastModifiedDateTime".into(), json!(iso_now()));
            let c = list[idx].clone();
            Ok(GResp::ok(with_ctx(ctx, &format!("users('{uid}')/contacts"), c)))
        }
        Method::DELETE => {
            list.remove(idx);
            Ok(GResp::no_content())
        }
        _ => Err(GErr::no_route()),
    }
}

/// GET, PATCH or DELETE one contact folder (`contacts` names the default folder).
fn folder(t: &mut Tenant, ctx: &Ctx, req: &GReq, m: &Method, uid: &str, fid: &str, root: &str) -> GResult {
    let fid = if fid == "contacts" {
        root.to_string()
    } else {
        fid.to_string()
    };
    let list = t.folders.entry(uid.to_string()).or_default();
    if fid == root && *m == Method::GET {
        return Ok(GResp::ok(with_ctx(ctx, &format!("users('{uid}')/contactFolders"), json!({"id": root, "displayName": "Contacts", "parentFolderId": format!("AAMkAGRoot{}AAA=", uid.replace('-', ""))}).as_object().cloned().unwrap_or_default())));
    }
    let idx = list
        .iter()
        .position(|c| c.get("id").and_then(Value::as_str) == Some(fid.as_str()))
        .ok_or_else(not_found)?;
    match *m {
        Method::GET => {
            let f = list[idx].clone();
            Ok(GResp::ok(with_ctx(ctx, &format!("users('{uid}')/contactFolders"), f)))
        }
        Method::PATCH => {
            let b = req.body_obj()?;
            check(&b, &["displayName", "parentFolderId"], &[])?;
            for (k, v) in b {
                list[idx].insert(k, v);
            }
            let f = list[idx].clone();
            Ok(GResp::ok(with_ctx(ctx, &format!("users('{uid}')/contactFolders"), f)))
        }
        Method::DELETE => {
            delete_folder(t, uid, fid);
            Ok(GResp::no_content())
        }
        _ => Err(GErr::no_route()),
    }
}

/// Deleting a folder deletes what it holds, child folders included.
fn delete_folder(t: &mut Tenant, uid: &str, fid: String) {
    let list = t.folders.entry(uid.to_string()).or_default();
    let mut gone = vec![fid];
    let mut i = 0;
    while i < gone.len() {
        let g = gone[i].clone();
        for f in list.iter() {
            if f.get("parentFolderId").and_then(Value::as_str) == Some(g.as_str()) {
                if let Some(id) = f.get("id").and_then(Value::as_str) {
                    gone.push(id.to_string());
                }
            }
        }
        i += 1;
    }
    list.retain(|f| {
        !gone
            .iter()
            .any(|g| f.get("id").and_then(Value::as_str) == Some(g.as_str()))
    });
    if let Some(cs) = t.contacts.get_mut(uid) {
        cs.retain(|c| {
            !gone
                .iter()
                .any(|g| c.get("parentFolderId").and_then(Value::as_str) == Some(g.as_str()))
        });
    }
}

/// The contacts or folders of `uid` whose parent is `parent`.
fn in_folder<'a>(
    all: &'a HashMap<String, Vec<Map<String, Value>>>,
    uid: &str,
    parent: &str,
) -> Vec<&'a Map<String, Value>> {
    all.get(uid)
        .into_iter()
        .flatten()
        .filter(|c| c.get("parentFolderId").and_then(Value::as_str) == Some(parent))
        .collect()
}

fn not_found() -> GErr {
    GErr::new(
        axum::http::StatusCode::NOT_FOUND,
        "ErrorItemNotFound",
        "The specified object was not found in the store.",
    )
}

fn folder_exists(t: &Tenant, uid: &str, fid: &str, root: &str) -> Result<(), GErr> {
    if fid == root
        || t.folders
            .get(uid)
            .into_iter()
            .flatten()
            .any(|f| f.get("id").and_then(Value::as_str) == Some(fid))
    {
        Ok(())
    } else {
        Err(not_found())
    }
}

fn new_folder(t: &mut Tenant, ctx: &Ctx, req: &GReq, uid: &str, parent: &str) -> GResult {
    let b = req.body_obj()?;
    check(&b, &["displayName", "parentFolderId"], &[])?;
    let name = b.get("displayName").and_then(Value::as_str).unwrap_or_default();
    if name.trim().is_empty() {
        return Err(GErr::bad("ErrorInvalidRequest", "The folder name is required."));
    }
    if t.folders.get(uid).into_iter().flatten().any(|f| {
        f.get("parentFolderId").and_then(Value::as_str) == Some(parent)
            && f.get("displayName")
                .and_then(Value::as_str)
                .map(|d| d.eq_ignore_ascii_case(name))
                .unwrap_or(false)
    }) {
        return Err(GErr::new(
            axum::http::StatusCode::CONFLICT,
            "ErrorFolderExists",
            "A folder with the specified name already exists.",
        ));
    }
    let id = exchange_id(t, "F");
    let f = json!({"id": id, "displayName": name, "parentFolderId": parent})
        .as_object()
        .cloned()
        .unwrap_or_default();
    t.folders.entry(uid.to_string()).or_default().push(f.clone());
    Ok(GResp::created(with_ctx(
        ctx,
        &format!("users('{uid}')/contactFolders"),
        f,
    )))
}

fn with_ctx(ctx: &Ctx, set: &str, mut m: Map<String, Value>) -> Value {
    m.insert(
        "@odata.context".into(),
        json!(format!("{}/$metadata#{}/$entity", ctx.graph, set)),
    );
    Value::Object(m)
}
