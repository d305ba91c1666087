use journal::capture::{self, typed};
use journal::{Action, TargetKind};
use tauri::State;

use crate::error::IpcError;
use crate::state::AppState;
use crate::view::{GuestForm, InvitedGuestView, UserRow};

/// Create Guest User: invites an external person.
#[tauri::command]
#[specta::specta]
pub async fn invite_guest(state: State<'_, AppState>, guest: GuestForm) -> Result<InvitedGuestView, IpcError> {
    let rec = state.recorder().await?;
    let input = guest_input(guest);
    let g = directory::guests::invite(&rec.client, &input, &directory::new_user::Patience::default()).await;
    rec.record(
        &g,
        |g| capture::guest_invited(&g.user),
        || (Action::InviteGuest, typed(TargetKind::User, &input.email)),
    )
    .await;
    let g = g?;
    Ok(InvitedGuestView {
        message: g.summary(),
        user_type: g.user.user_type.as_ref().map(|t| t.to_string()),
        user: UserRow::from(g.user),
        invitation_id: g.invitation_id,
        redeem_url: g.redeem_url,
        status: g.status,
    })
}

/// The form as Create Guest User's use case takes it (the command and "Show the request" both use it).
pub(crate) fn guest_input(guest: GuestForm) -> directory::guests::GuestInput {
    directory::guests::GuestInput {
        email: guest.email,
        display_name: guest.display_name,
        redirect_url: guest.redirect_url,
        send_invitation_message: guest.send_invitation_message.unwrap_or(false),
        message: guest.message,
        message_language: guest.message_language,
        cc: guest.cc,
        cc_name: guest.cc_name,
        as_member: guest.as_member.unwrap_or(false),
    }
}
