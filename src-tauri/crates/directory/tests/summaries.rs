//! What a person is told after each action: one table of outcomes and their sentences.

use directory::groups::{CreatedGroup, DeletedGroup, Member, OwnerChange, RemoveMemberOutcome};
use directory::guests::InvitedGuest;
use directory::licenses::LicenseChange;
use directory::roles::RoleChange;
use directory::users::{DeletedUser, ManagerChange, RevokedSessions, SignInChange};
use msgraph::{DirectoryObjectId, Group, User};
use serde_json::json;

fn user(name: &str) -> User {
    serde_json::from_value(json!({"id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd", "displayName": name})).unwrap()
}

fn group(name: &str) -> Group {
    serde_json::from_value(json!({"id": "02bd9fd6-8f93-4758-87c3-1fb73740a315", "displayName": name})).unwrap()
}

fn role(name: &str) -> directory::roles::Role {
    directory::roles::Role {
        id: "fe930be7-5e62-47db-91af-98c3a49a38b1".into(),
        display_name: name.into(),
        description: None,
        built_in: true,
    }
}

// Long: one table: each action's outcome and the sentence it must give, read together as the app's wording.
#[test]
fn every_action_says_what_it_did_in_plain_words() {
    let adele = user("Adele Vance");
    let megan = Member {
        id: DirectoryObjectId::new("48d31887-5fad-4d73-a9f5-3c356e68a038"),
        name: "Megan Bowen".into(),
        is_group: false,
    };
    let licence = |assigned| LicenseChange {
        user: adele.clone(),
        license_name: "Microsoft 365 E5".into(),
        switched_off: vec![],
        licenses: vec![],
        assigned,
    };
    let role_change = |assigned, changed| RoleChange {
        user: adele.clone(),
        role: role("User Administrator"),
        scope: directory::roles::Scope::directory(),
        changed,
        assigned,
    };
    let in_seattle = |assigned| RoleChange {
        user: adele.clone(),
        role: role("Contoso Password Helper"),
        scope: directory::roles::Scope {
            id: "/administrativeUnits/8a2f6b1c-3d4e-4f5a-9b6c-7d8e9f0a1b2c".into(),
            name: Some("Seattle office".into()),
        },
        changed: true,
        assigned,
    };
    let removed = |was_member| RemoveMemberOutcome {
        group: group("Sales"),
        member: megan.clone(),
        was_member,
    };
    let manager = |manager: Option<User>, changed| ManagerChange {
        user: adele.clone(),
        manager,
        changed,
    };
    let invited = |email_sent| InvitedGuest {
        user: user("Sam Guest"),
        invitation_id: "i1".into(),
        redeem_url: None,
        status: Some("PendingAcceptance".into()),
        email_sent,
    };
    let cases: Vec<(String, &str)> =
        vec![
        (
            SignInChange { user: adele.clone(), enabled: true }.summary(),
            "Adele Vance can sign in again.",
        ),
        (
            SignInChange { user: adele.clone(), enabled: false }.summary(),
            "Adele Vance can no longer sign in. Sessions already open stay valid until you revoke them.",
        ),
        (
            DeletedUser { user: adele.clone() }.summary(),
            "Adele Vance was deleted. It can be restored from Deleted items for 30 days.",
        ),
        (
            RevokedSessions { user: adele.clone(), all: true }.summary(),
            "Every session of Adele Vance was revoked: apps must sign in again within a few minutes.",
        ),
        (
            RevokedSessions { user: adele.clone(), all: false }.summary(),
            "Microsoft Graph accepted the request for Adele Vance but did not confirm that every session was revoked.",
        ),
        (
            manager(Some(user("Megan Bowen")), true).summary(),
            "Megan Bowen is now Adele Vance's manager.",
        ),
        (manager(None, true).summary(), "Adele Vance's manager was removed."),
        (
            manager(None, false).summary(),
            "Adele Vance had no manager; nothing was changed.",
        ),
        (
            CreatedGroup { group: group("Sales"), members_added_afterwards: 0 }.summary(),
            "The group Sales was created.",
        ),
        (
            DeletedGroup { group: group("Sales"), restorable: true }.summary(),
            "The group Sales was deleted. It can be restored for 30 days.",
        ),
        (
            DeletedGroup { group: group("Sales"), restorable: false }.summary(),
            "The group Sales was deleted. Security groups cannot always be restored.",
        ),
        (removed(true).summary(), "Megan Bowen was removed from Sales."),
        (
            removed(false).summary(),
            "Megan Bowen was not a member of Sales; nothing was changed.",
        ),
        (
            invited(true).summary(),
            "Sam Guest was invited; Microsoft sent them an email to accept.",
        ),
        (
            invited(false).summary(),
            "Sam Guest was invited. No email was sent: share the acceptance link with them.",
        ),
        (licence(true).summary(), "Adele Vance now has Microsoft 365 E5."),
        (
            LicenseChange { switched_off: vec!["Yammer Enterprise".into()], ..licence(true) }.summary(),
            "Adele Vance now has Microsoft 365 E5, with Yammer Enterprise switched off.",
        ),
        (
            LicenseChange {
                switched_off: vec!["Yammer Enterprise".into(), "Sway".into(), "Microsoft Forms (Plan E5)".into()],
                ..licence(true)
            }
            .summary(),
            "Adele Vance now has Microsoft 365 E5, with Yammer Enterprise, Sway and Microsoft Forms (Plan E5) switched off.",
        ),
        (
            OwnerChange { group: group("Sales"), owner: megan.clone(), added: true, changed: true }.summary(),
            "Megan Bowen is now an owner of Sales.",
        ),
        (
            OwnerChange { group: group("Sales"), owner: megan.clone(), added: false, changed: true }.summary(),
            "Megan Bowen is no longer an owner of Sales.",
        ),
        (
            OwnerChange { group: group("Sales"), owner: megan.clone(), added: false, changed: false }.summary(),
            "Megan Bowen was not an owner of Sales; nothing was changed.",
        ),
        (licence(false).summary(), "Microsoft 365 E5 was removed from Adele Vance."),
        (role_change(true, true).summary(), "Adele Vance is now User Administrator."),
        (
            in_seattle(true).summary(),
            "Adele Vance is now Contoso Password Helper in the Seattle office administrative unit.",
        ),
        (
            in_seattle(false).summary(),
            "Adele Vance no longer has the Contoso Password Helper role in the Seattle office administrative unit.",
        ),
        (
            role_change(true, false).summary(),
            "Adele Vance already has the User Administrator role; nothing was changed.",
        ),
        (
            role_change(false, true).summary(),
            "Adele Vance no longer has the User Administrator role.",
        ),
        (
            role_change(false, false).summary(),
            "Adele Vance did not have the User Administrator role; nothing was changed.",
        ),
    ];
    for (said, expected) in cases {
        assert_eq!(said, expected);
    }
}
