use serde::{Deserialize, Serialize};

use super::{null_as_empty, open_enum};
use crate::ids::{InvitationId, UserId};

open_enum!(
    /// `invitedUserType`
    InvitedUserType { Guest => "Guest", Member => "Member" }
);

/// `{ "name", "address" }`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct EmailAddress {
    pub name: Option<String>,
    pub address: Option<String>,
}

/// `{ "emailAddress": {…} }`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub email_address: EmailAddress,
}

/// `invitedUserMessageInfo`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct InvitedUserMessageInfo {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customized_message_body: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty", skip_serializing_if = "Vec::is_empty")]
    pub cc_recipients: Vec<Recipient>,
}

/// Body of `POST /invitations` (Create Guest User).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewInvitation {
    pub invited_user_email_address: String,
    pub invite_redirect_url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_user_display_name: Option<String>,
    /// Okta's default is `false`.
    pub send_invitation_message: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_user_type: Option<InvitedUserType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited_user_message_info: Option<InvitedUserMessageInfo>,
}

/// The invited user, as the invitation answer carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitedUser {
    pub id: UserId,
}

/// An invitation (`POST /invitations` answer).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Invitation {
    pub id: InvitationId,
    pub invite_redeem_url: Option<String>,
    pub invite_redirect_url: Option<String>,
    pub invited_user_display_name: Option<String>,
    pub invited_user_email_address: Option<String>,
    pub invited_user_type: Option<InvitedUserType>,
    pub send_invitation_message: Option<bool>,
    pub reset_redemption: Option<bool>,
    pub status: Option<String>,
    pub invited_user_message_info: Option<InvitedUserMessageInfo>,
    pub invited_user: Option<InvitedUser>,
}
