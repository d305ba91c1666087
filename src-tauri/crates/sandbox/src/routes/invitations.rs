//! `/invitations`: invite a guest (B2B), or find the guest already invited with that address.

use super::{need_admin, Call};
use crate::context::Ctx;
use crate::error::{GErr, GResp, GResult};
use crate::store::{self, Kind, Tenant};
use crate::util::iso_now;
use axum::http::Method;
use serde_json::{json, Map, Value};

pub fn route(t: &mut Tenant, c: &Call) -> Option<GResult> {
    match (&c.req.method, c.segs) {
        (&Method::POST, ["invitations"]) => Some(create(t, c)),
        _ => None,
    }
}

fn create(t: &mut Tenant, c: &Call) -> GResult {
    need_admin(t, c.req)?;
    let body = c.req.body_obj()?;
    invite(t, c.ctx, &body)
}

fn invite(t: &mut Tenant, ctx: &Ctx, body: &Map<String, Value>) -> GResult {
    let email = body
        .get("invitedUserEmailAddress")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if email.is_empty() || !email.contains('@') {
        return Err(GErr::bad("BadRequest", "The invited user email address is invalid."));
    }
    let redirect = body
        .get("inviteRedirectUrl")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    if redirect.is_empty() {
        return Err(GErr::bad("BadRequest", "The invite redirect URL is required."));
    }
    let existing = t
        .users
        .values()
        .find(|u| {
            u.data()
                .get("mail")
                .and_then(Value::as_str)
                .map(|m| m.eq_ignore_ascii_case(&email))
                .unwrap_or(false)
        })
        .map(|u| u.id().to_string());
    let uid = match existing {
        Some(id) => id,
        None => {
            let upn = format!("{}#EXT#@contoso.onmicrosoft.com", email.replace('@', "_"));
            let display = body
                .get("invitedUserDisplayName")
                .and_then(Value::as_str)
                .map(str::to_string)
                .unwrap_or_else(|| email.split('@').next().unwrap_or(&email).to_string());
            let user_type = body.get("invitedUserType").and_then(Value::as_str).unwrap_or("Guest");
            let id = t.next_id();
            let seq = t.next_seq();
            t.log.push(store::LogEntry {
                seq,
                change: store::Change::Touch {
                    kind: Kind::User,
                    id: id.clone(),
                },
            });
            let m = json!({"id": id, "displayName": display, "userPrincipalName": upn, "mail": email, "userType": user_type, "accountEnabled": true,
                           "creationType": "Invitation", "externalUserState": "PendingAcceptance", "externalUserStateChangeDateTime": iso_now(),
                           "createdDateTime": iso_now(), "otherMails": [email], "businessPhones": [], "assignedLicenses": [],
                           "mailNickname": email.replace('@', "_")});
            t.insert_user(m.as_object().cloned().unwrap_or_default(), seq);
            id
        }
    };
    let inv_id = t.next_id();
    let redeem = format!("https://login.microsoftonline.com/redeem?rd=practice-{}", inv_id);
    let mut out = json!({
        "id": inv_id,
        "inviteRedeemUrl": redeem,
        "invitedUserDisplayName": body.get("invitedUserDisplayName").cloned().unwrap_or(Value::Null),
        "invitedUserEmailAddress": email,
        "invitedUserType": body.get("invitedUserType").cloned().unwrap_or(json!("Guest")),
        "resetRedemption": false,
        "sendInvitationMessage": body.get("sendInvitationMessage").cloned().unwrap_or(json!(false)),
        "invitedUserMessageInfo": body.get("invitedUserMessageInfo").cloned().unwrap_or(json!({"messageLanguage": null, "ccRecipients": [], "customizedMessageBody": null})),
        "inviteRedirectUrl": redirect,
        "status": "PendingAcceptance",
        "invitedUser": {"id": uid},
    });
    if let Some(kept) = out.as_object() {
        t.invitations.push(kept.clone());
    }
    out["@odata.context"] = json!(format!("{}/$metadata#invitations/$entity", ctx.graph));
    Ok(GResp::created(out))
}
