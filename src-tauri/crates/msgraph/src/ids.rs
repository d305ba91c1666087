//! Typed ids, so a group id cannot be passed where a user id is expected, and `UserRef` for the
//! "Id or Username" input of most cards.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::encode;

macro_rules! typed_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }
        impl From<String> for $name {
            fn from(s: String) -> Self {
                Self(s)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

typed_id!(
    /// A user's object id.
    UserId
);
typed_id!(
    /// A group's object id.
    GroupId
);
typed_id!(
    /// Any directory object's id (user, group, device, service principal, orgContact…).
    DirectoryObjectId
);
typed_id!(
    /// A licence SKU GUID (`skuId`), not the `skuPartNumber`.
    SkuId
);
typed_id!(
    /// A service plan GUID inside a SKU.
    ServicePlanId
);
typed_id!(
    /// The id of an activated `directoryRole` (not its template id).
    DirectoryRoleId
);
typed_id!(
    /// A directory role template id (equals the built-in role definition id).
    RoleTemplateId
);
typed_id!(
    /// A `unifiedRoleDefinition` id (for built-in roles: the template id).
    RoleDefinitionId
);
typed_id!(
    /// A `unifiedRoleAssignment` id.
    RoleAssignmentId
);
typed_id!(
    /// An invitation id.
    InvitationId
);
typed_id!(
    /// An Outlook contact id.
    ContactId
);
typed_id!(
    /// An Outlook contact folder id.
    ContactFolderId
);

impl From<UserId> for DirectoryObjectId {
    fn from(u: UserId) -> Self {
        DirectoryObjectId(u.0)
    }
}
impl From<&UserId> for DirectoryObjectId {
    fn from(u: &UserId) -> Self {
        DirectoryObjectId(u.0.clone())
    }
}
impl From<GroupId> for DirectoryObjectId {
    fn from(g: GroupId) -> Self {
        DirectoryObjectId(g.0)
    }
}
impl From<&GroupId> for DirectoryObjectId {
    fn from(g: &GroupId) -> Self {
        DirectoryObjectId(g.0.clone())
    }
}

/// How a card addresses a user: object id, user principal name, or the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    Id(UserId),
    Upn(String),
    /// `/me`
    Me,
}

impl UserRef {
    /// Interprets "Id or Username" input: a GUID is an id, anything else a UPN.
    pub fn parse(input: &str) -> UserRef {
        let s = input.trim();
        if is_guid(s) {
            UserRef::Id(UserId::new(s))
        } else {
            UserRef::Upn(s.to_string())
        }
    }

    /// `/users/{id}`, `/users/{upn}` (strictly encoded: `#EXT#` → `%23EXT%23`), `/users('$x@y')`
    /// for names Graph would misread as a segment (see `encode::entity_path`), or `/me`.
    pub(crate) fn path(&self) -> String {
        match self {
            UserRef::Me => "/me".to_string(),
            UserRef::Id(id) => encode::entity_path("users", id.as_str()),
            UserRef::Upn(upn) => encode::entity_path("users", upn),
        }
    }
}

impl From<UserId> for UserRef {
    fn from(id: UserId) -> Self {
        UserRef::Id(id)
    }
}
impl From<&UserId> for UserRef {
    fn from(id: &UserId) -> Self {
        UserRef::Id(id.clone())
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Id(id) => f.write_str(id.as_str()),
            UserRef::Upn(u) => f.write_str(u),
            UserRef::Me => f.write_str("me"),
        }
    }
}

/// `8-4-4-4-12` hex digits.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_paths_follow_graph_rules() {
        assert_eq!(
            UserRef::parse("87d349ed-44d7-43e1-9a83-5f2406dee5bd").path(),
            "/users/87d349ed-44d7-43e1-9a83-5f2406dee5bd"
        );
        assert_eq!(
            UserRef::parse("AdeleVance_adatum.com#EXT#@contoso.com").path(),
            "/users/AdeleVance_adatum.com%23EXT%23@contoso.com"
        );
        assert_eq!(UserRef::parse("a+b@x.com").path(), "/users/a%2Bb@x.com");
        assert_eq!(UserRef::parse("O'Brien@x.com").path(), "/users/O%27Brien@x.com");
        assert_eq!(
            UserRef::parse("$admin@contoso.com").path(),
            "/users('$admin@contoso.com')"
        );
        // Found by the round trip through the practice tenant (tests/roundtrip_sandbox.rs):
        // `/users/%24` is Graph's system segment `$`, not the user `$`.
        // `/users/%28%29` is read as `/users()`.
        assert_eq!(UserRef::Id(UserId::new("$")).path(), "/users('$')");
        assert_eq!(UserRef::Upn("()".into()).path(), "/users('%28%29')");
        assert_eq!(UserRef::parse("zoë@x.com").path(), "/users/zo%C3%AB@x.com");
        assert_eq!(UserRef::Me.path(), "/me");
    }
}
