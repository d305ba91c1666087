//! Typed Graph models: `Option` fields (Graph omits what was not selected), `#[serde(default)]`
//! collections that also accept `null`, typed ids, and enums with an `Unknown(String)` fallback.
//! Date-times are kept as Graph's ISO-8601 strings.

mod contact;
mod directory;
mod group;
mod invitation;
mod license;
mod role;
mod user;

pub use contact::*;
pub use directory::*;
pub use group::*;
pub use invitation::*;
pub use license::*;
pub use role::*;
pub use user::*;

use serde::{Deserialize, Deserializer};

/// For a change: a missing property stays `None` (left alone, with `#[serde(default)]`), `null`
/// becomes `Some(None)` (cleared), a value `Some(Some(v))` (set).
pub(crate) fn set_or_clear<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A missing or `null` collection becomes empty.
pub(crate) fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Declares a string enum whose unknown values are kept, not rejected.
macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know yet, kept verbatim.
            Unknown(String),
        }
        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)+
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($text => $name::$variant,)+
                    other => $name::Unknown(other.to_string()),
                }
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok($name::from(s.as_str()))
            }
        }
        /// The UI sees Graph's text (an unknown value is kept as it came).
        #[cfg(feature = "specta")]
        impl specta::Type for $name {
            fn definition(types: &mut specta::Types) -> specta::datatype::DataType {
                <String as specta::Type>::definition(types)
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_enum_values_are_kept() {
        let v: GroupVisibility = serde_json::from_str("\"Public\"").unwrap();
        assert_eq!(v, GroupVisibility::Public);
        let v: GroupVisibility = serde_json::from_str("\"Secret\"").unwrap();
        assert_eq!(v, GroupVisibility::Unknown("Secret".into()));
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"Secret\"");
    }

    #[test]
    fn a_member_of_entry_becomes_a_group_with_what_it_carries() {
        let o: DirectoryObject = serde_json::from_str(
            r##"{"@odata.type":"#microsoft.graph.group","id":"g1","displayName":"Sales",
                "mailEnabled":false,"securityEnabled":true,"groupTypes":null}"##,
        )
        .unwrap();
        let g = Group::from(o);
        assert_eq!(g.id, crate::ids::GroupId::new("g1"));
        assert_eq!(g.display_name.as_deref(), Some("Sales"));
        assert_eq!(g.kind(), Some(GroupKind::Security));
        assert_eq!(g.mail_nickname, None);
        assert!(g.group_types.is_empty());
    }

    #[test]
    fn null_collections_become_empty() {
        let u: User = serde_json::from_str(r#"{"id":"x","businessPhones":null}"#).unwrap();
        assert!(u.business_phones.is_empty());
        assert!(u.other_mails.is_empty());
    }
}
