//! The Graph v1.0 dispatcher: one synchronous function over the tenant, used by HTTP and `$batch`.
//! It decodes the path and hands the request to the first resource in `routes` that knows it.

use crate::context::{Ctx, GReq};
use crate::error::{GErr, GResp, GResult};
use crate::routes::{self, Call, Route};
use crate::shared::Shared;
use crate::store::Tenant;
use axum::http::{Method, StatusCode};

/// Splits the path into decoded segments; `users('x')` becomes `users`, `x`;
/// `delta()` and `microsoft.graph.delta()` become `delta`.
pub fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s = percent_encoding::percent_decode_str(raw)
            .decode_utf8_lossy()
            .to_string();
        let s = s.strip_prefix("microsoft.graph.").map(|x| match x {
            "user" | "group" | "directoryRole" => s.clone(),
            other => other.to_string(),
        });
        let s = s.unwrap_or_else(|| {
            percent_encoding::percent_decode_str(raw)
                .decode_utf8_lossy()
                .to_string()
        });
        if let Some(open) = s.find('(') {
            if s.ends_with(')') {
                let name = s[..open].to_string();
                let inner = &s[open + 1..s.len() - 1];
                out.push(name);
                if !inner.is_empty() {
                    // A quoted key: exactly one quote each side, `''` inside is one quote (the
                    // name `a'` is the key `'a'''`).
                    let key = match inner.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')) {
                        Some(quoted) => quoted.to_string(),
                        None => inner.trim_matches('\'').to_string(),
                    };
                    out.push(key.replace("''", "'"));
                }
                continue;
            }
        }
        out.push(s);
    }
    out
}

/// The resources' routes, in the order they are tried (delta before `/users/{id}`).
const ROUTES: &[Route] = &[
    routes::delta::route,
    routes::users::route,
    routes::members::route,
    routes::licenses::route,
    routes::contacts::route,
    routes::groups::route,
    routes::roles::route,
    routes::invitations::route,
    routes::deleted_items::route,
    routes::organization::route,
];

/// Dispatches one Graph request against the tenant.
pub fn dispatch(t: &mut Tenant, ctx: &Ctx, req: &GReq) -> GResult {
    reject_system_segment(req)?;
    let mut segs = segments(&req.path);
    if segs.first().map(String::as_str) == Some("me") {
        segs[0] = req.caller.oid.clone();
        segs.insert(0, "users".into());
    }
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    if !req.caller.may_write() && changes_something(&req.method, &s) {
        return Err(GErr::forbidden());
    }
    let key = t.token_key.clone().into_bytes();
    let call = Call {
        ctx,
        req,
        key: &key,
        segs: &s,
    };
    for route in ROUTES {
        if let Some(answer) = route(t, &call) {
            return answer;
        }
    }
    Err(match s.as_slice() {
        ["users" | "groups" | "directoryRoles" | "subscribedSkus" | "invitations", ..] => GErr::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            format!("The HTTP method '{}' is not supported for this resource.", req.method),
        ),
        _ => GErr::new(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!(
                "Resource not found for the segment '{}'.",
                s.first().copied().unwrap_or("")
            ),
        ),
    })
}

/// Whether a request (already split into decoded segments) would change something: not GET, and
/// not one of the POST actions that only compute an answer. A token without a permission that
/// allows changes gets Graph's 403 for these, whoever holds it.
fn changes_something(method: &Method, segs: &[&str]) -> bool {
    const READING_ACTIONS: &[&str] = &[
        "getByIds",
        "getMemberGroups",
        "getMemberObjects",
        "checkMemberGroups",
        "checkMemberObjects",
    ];
    match *method {
        Method::GET | Method::HEAD => false,
        Method::POST => !segs
            .last()
            .map(|last| last.trim_start_matches("microsoft.graph."))
            .is_some_and(|last| READING_ACTIONS.iter().any(|a| a.eq_ignore_ascii_case(last))),
        _ => true,
    }
}

/// `/users/$x@contoso.com` is read as an OData system segment: Graph answers 400 and a UPN that
/// starts with `$` must be written `/users('$x@contoso.com')` (user-get reference).
fn reject_system_segment(req: &GReq) -> Result<(), GErr> {
    if let Some(raw) = req.path.split('/').filter(|s| !s.is_empty()).nth(1) {
        let raw = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
        if raw.starts_with('$')
            && raw != "$count"
            && raw != "$ref"
            && req.path.trim_start_matches('/').starts_with("users/")
        {
            return Err(GErr::bad(
                "BadRequest",
                format!("Resource not found for the segment '{raw}'."),
            ));
        }
    }
    Ok(())
}

/// Runs one Graph request against the tenant (and marks state dirty after a successful write).
pub fn run_one(s: &Shared, req: &GReq) -> Result<GResp, GErr> {
    let ctx = s.ctx();
    let out = {
        let mut t = s.tenant.lock().map_err(|_| {
            GErr::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "generalException",
                "General exception while processing.",
            )
        })?;
        dispatch(&mut t, &ctx, req)
    };
    if req.method != Method::GET && out.as_ref().map(|r| r.status.is_success()).unwrap_or(false) {
        s.mark_dirty();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_decode_keys_and_function_forms() {
        assert_eq!(
            segments("/users('AdeleV%40contoso.com')/memberOf"),
            vec!["users", "AdeleV@contoso.com", "memberOf"]
        );
        assert_eq!(
            segments("/users/a_b.com%23EXT%23@contoso.onmicrosoft.com"),
            vec!["users", "a_b.com#EXT#@contoso.onmicrosoft.com"]
        );
        // Found by msgraph's round trip through this parser (msgraph/tests/roundtrip_sandbox.rs):
        // every quote at the ends of a key's text was trimmed.
        assert_eq!(segments("/users('$a''%40x.com''')"), vec!["users", "$a'@x.com'"]);
        assert_eq!(segments("/users('''')"), vec!["users", "'"]);
        assert_eq!(segments("/users/delta()"), vec!["users", "delta"]);
        assert_eq!(segments("/groups/microsoft.graph.delta()"), vec!["groups", "delta"]);
        assert_eq!(
            segments("/users/x/microsoft.graph.assignLicense"),
            vec!["users", "x", "assignLicense"]
        );
        assert_eq!(
            segments("/groups/g/members/microsoft.graph.user"),
            vec!["groups", "g", "members", "microsoft.graph.user"]
        );
        assert_eq!(
            segments("/directoryRoles(roleTemplateId='abc')"),
            vec!["directoryRoles", "roleTemplateId='abc"]
        );
    }
}
