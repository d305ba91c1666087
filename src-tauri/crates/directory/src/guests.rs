//! Create Guest User (1.8): an invitation that adds an external person as a guest.

use msgraph::{
    Client, EmailAddress, Filter, InvitedUserMessageInfo, InvitedUserType, ListQuery, NewInvitation, Recipient, User,
    UserRef,
};

use crate::explain::{explain, graph_says, hint, Action, Cause};
use crate::new_user::{until_replicated, Patience};
use crate::validate;
use crate::Error;

/// The invitation form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuestInput {
    pub email: String,
    pub display_name: Option<String>,
    /// Where the guest lands after accepting. Empty: <https://myapplications.microsoft.com>.
    pub redirect_url: Option<String>,
    /// Send Microsoft's invitation email (Okta's default: no).
    pub send_invitation_message: bool,
    pub message: Option<String>,
    /// ISO 639 language of the email, e.g. en-US (ignored when `message` is set).
    pub message_language: Option<String>,
    /// One more recipient of the invitation email (Graph takes one), and their name.
    pub cc: Option<String>,
    pub cc_name: Option<String>,
    /// Invite as a member instead of a guest.
    pub as_member: bool,
}

/// The invited person and how they accept.
#[derive(Debug, Clone, PartialEq)]
pub struct InvitedGuest {
    pub user: User,
    pub invitation_id: String,
    /// The link the guest opens to accept (share it if no email was sent).
    pub redeem_url: Option<String>,
    pub status: Option<String>,
    /// Whether Microsoft emailed the invitation.
    pub email_sent: bool,
}

impl InvitedGuest {
    pub fn summary(&self) -> String {
        let name = crate::users::name_of(&self.user);
        if self.email_sent {
            format!("{name} was invited; Microsoft sent them an email to accept.")
        } else {
            format!("{name} was invited. No email was sent: share the acceptance link with them.")
        }
    }
}

/// The default landing page after accepting.
pub const DEFAULT_REDIRECT: &str = "https://myapplications.microsoft.com";

/// Checked first: the email address (the invitation's documented character rule), the landing
/// page is an https (or http) address, the cc address, the message language, the message length.
/// Then one look-up: a person already in the directory with this email is refused with their
/// name. After the invitation, the new guest account is read, waiting out Microsoft's
/// replication lag as `patience` allows (the invitation was sent: that is never reported as a
/// failure; when the account still cannot be read, its id from the invitation is shown).
pub async fn invite(client: &Client, input: &GuestInput, patience: &Patience) -> Result<InvitedGuest, Error> {
    let invitation = checked_invitation(input)?;
    let email = &invitation.invited_user_email_address;
    refuse_people_already_here(client, email).await?;
    let created = client
        .invitations()
        .create(&invitation)
        .await
        .map_err(|e| invitation_refused(e, email))?;
    let user_id = created
        .invited_user
        .as_ref()
        .map(|u| u.id.clone())
        .ok_or_else(|| Error::Invalid {
            field: None,
            message: "Microsoft Graph accepted the invitation but did not say which guest account it created.".into(),
        })?;
    Ok(InvitedGuest {
        user: guest_account(client, user_id, &created, patience).await?,
        invitation_id: created.id.to_string(),
        redeem_url: created.invite_redeem_url,
        status: created.status,
        email_sent: input.send_invitation_message,
    })
}

/// The invitation the form asks for, each field checked (nothing is sent); CSV import checks its rows with it.
pub fn checked_invitation(input: &GuestInput) -> Result<NewInvitation, Error> {
    let email = validate::email("email", &input.email)?;
    let redirect = validate::optional(input.redirect_url.as_deref()).unwrap_or_else(|| DEFAULT_REDIRECT.to_string());
    match url::Url::parse(&redirect) {
        Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => {}
        _ => {
            return Err(Error::invalid(
                "redirectUrl",
                "The landing page must be a web address such as https://myapplications.microsoft.com.",
            ))
        }
    }
    let cc = match validate::optional(input.cc.as_deref()) {
        Some(c) => Some(validate::email("cc", &c)?),
        None => None,
    };
    let language = match validate::optional(input.message_language.as_deref()) {
        Some(l) => Some(crate::profile::language("messageLanguage", &l)?),
        None => None,
    };
    let message = validate::optional(input.message.as_deref());
    if message.as_ref().is_some_and(|m| m.chars().count() > 10_000) {
        return Err(Error::invalid(
            "message",
            "The message can be at most 10,000 characters long.",
        ));
    }
    let display_name = validate::optional(input.display_name.as_deref());
    if display_name.as_ref().is_some_and(|d| d.chars().count() > 256) {
        return Err(Error::invalid(
            "displayName",
            "The display name can be at most 256 characters long.",
        ));
    }
    let info = (message.is_some() || cc.is_some() || language.is_some()).then(|| InvitedUserMessageInfo {
        message_language: language,
        customized_message_body: message,
        cc_recipients: cc
            .map(|c| {
                vec![Recipient {
                    email_address: EmailAddress {
                        name: validate::optional(input.cc_name.as_deref()),
                        address: Some(c),
                    },
                }]
            })
            .unwrap_or_default(),
    });
    Ok(NewInvitation {
        invited_user_email_address: email,
        invite_redirect_url: redirect,
        invited_user_display_name: display_name,
        send_invitation_message: input.send_invitation_message,
        invited_user_type: Some(if input.as_member {
            InvitedUserType::Member
        } else {
            InvitedUserType::Guest
        }),
        invited_user_message_info: info,
    })
}

/// A person already in the directory with this email (not a guest) needs no invitation.
async fn refuse_people_already_here(client: &Client, email: &str) -> Result<(), Error> {
    let existing = client
        .users()
        .list(
            ListQuery::new()
                .filter(Filter::eq("mail", email).or(Filter::any_eq("otherMails", email)))
                .select(&["id", "displayName", "userPrincipalName", "userType"])
                .top(1),
        )
        .first()
        .await
        .map_err(|e| explain(Action::ReadDirectory, e))?;
    if let Some(u) = existing {
        if u.user_type != Some(msgraph::UserType::Guest) {
            return Err(Error::invalid(
                "email",
                format!(
                    "{email} already belongs to {} in your directory; they do not need an invitation.",
                    crate::users::name_of(&u)
                ),
            ));
        }
    }
    Ok(())
}

/// Graph's refusal of the invitation, explained.
pub fn invitation_refused(e: msgraph::Error, email: &str) -> Error {
    if graph_says(&e, Cause::InvitationsNotAllowed) {
        hint(e, "Your organisation's external collaboration settings do not allow you to invite guests. Ask an administrator (or someone with the Guest Inviter role).")
    } else if graph_says(&e, Cause::DomainBlocked) {
        hint(
            e,
            format!("Invitations to {email}'s domain are blocked by your organisation's settings."),
        )
    } else {
        explain(Action::InviteGuests, e)
    }
}

/// The guest account the invitation made, read once Microsoft has it (replication lag right after
/// the invitation). If it cannot be read, what the invitation says about it.
async fn guest_account(
    client: &Client,
    user_id: msgraph::UserId,
    invitation: &msgraph::Invitation,
    patience: &Patience,
) -> Result<User, Error> {
    let who = UserRef::Id(user_id.clone());
    let select = [
        "id",
        "displayName",
        "userPrincipalName",
        "mail",
        "userType",
        "accountEnabled",
    ];
    let read = || async { client.users().get(&who, &select).await };
    let (result, waited) = until_replicated(patience, read, || {}).await;
    match result {
        Ok(u) => Ok(u),
        Err(e) => {
            tracing::warn!(error = %e, waited_secs = waited.as_secs(), "the new guest account could not be read; shown from the invitation");
            // What the invitation says about the account (Graph's own names for each property).
            serde_json::from_value(serde_json::json!({
                "id": user_id,
                "displayName": invitation.invited_user_display_name,
                "mail": invitation.invited_user_email_address,
                "userType": invitation.invited_user_type.as_ref().map(|t| t.to_string()),
            }))
            // Only if `User` ever needed more than these: then Graph's own error is what there is to say.
            .map_err(|_| Error::Graph(e))
        }
    }
}
