use std::fmt;

use serde::{Deserialize, Serialize};

use super::{null_as_empty, open_enum, set_or_clear, AssignedLicense, AssignedPlan, LicenseAssignmentState};
use crate::ids::UserId;

open_enum!(
    /// `userType`
    UserType { Member => "Member", Guest => "Guest" }
);
open_enum!(
    /// `ageGroup`
    AgeGroup { Minor => "Minor", NotAdult => "NotAdult", Adult => "Adult" }
);
open_enum!(
    /// `consentProvidedForMinor`
    ConsentProvidedForMinor { Granted => "Granted", Denied => "Denied", NotRequired => "NotRequired" }
);

/// A directory user, as Graph returns it (and as Read User shows it, `specta`). Only `id` is
/// always present; everything else depends on `$select`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: UserId,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub mail_nickname: Option<String>,
    pub account_enabled: Option<bool>,
    pub user_type: Option<UserType>,
    pub age_group: Option<AgeGroup>,
    pub consent_provided_for_minor: Option<ConsentProvidedForMinor>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub business_phones: Vec<String>,
    pub mobile_phone: Option<String>,
    pub fax_number: Option<String>,
    pub job_title: Option<String>,
    pub department: Option<String>,
    pub company_name: Option<String>,
    pub office_location: Option<String>,
    pub employee_id: Option<String>,
    pub employee_type: Option<String>,
    pub employee_hire_date: Option<String>,
    pub street_address: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    /// ISO 3166 alpha-2; required before a licence can be assigned.
    pub usage_location: Option<String>,
    pub preferred_language: Option<String>,
    pub created_date_time: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub other_mails: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub proxy_addresses: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub im_addresses: Vec<String>,
    pub on_premises_sync_enabled: Option<bool>,
    pub on_premises_immutable_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<AssignedLicense>))]
    pub assigned_licenses: Vec<AssignedLicense>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<AssignedPlan>))]
    pub assigned_plans: Vec<AssignedPlan>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<LicenseAssignmentState>))]
    pub license_assignment_states: Vec<LicenseAssignmentState>,
    // SharePoint-backed (only on a single-user GET with an explicit $select):
    pub about_me: Option<String>,
    pub birthday: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub interests: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub skills: Vec<String>,
}

/// `passwordProfile`. Its `Debug` never prints the password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct PasswordProfile {
    pub password: String,
    pub force_change_password_next_sign_in: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub force_change_password_next_sign_in_with_mfa: Option<bool>,
}

impl fmt::Debug for PasswordProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordProfile")
            .field("password", &"<redacted>")
            .field(
                "force_change_password_next_sign_in",
                &self.force_change_password_next_sign_in,
            )
            .finish()
    }
}

/// The properties Create and Update User may set besides the sign-in essentials — each user
/// property the app writes is defined here once, and reaches the UI as it is (`specta`). Each
/// field: `None` = not sent (left alone), `Some(None)` = sent as `null` (cleared; on a create,
/// same as not set), `Some(Some(v))` = set. Lists: `None` = not sent, `Some(list)` = replaced.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UserProfile {
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub given_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub surname: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub job_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub department: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub company_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub office_location: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub employee_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub employee_type: Option<Option<String>>,
    /// ISO-8601 date-time, e.g. `2026-03-01T00:00:00Z`.
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub employee_hire_date: Option<Option<String>>,
    /// Graph keeps one business phone at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_phones: Option<Vec<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub mobile_phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub fax_number: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other_mails: Option<Vec<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub street_address: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub state: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub postal_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub country: Option<Option<String>>,
    /// ISO 3166 alpha-2; required before a licence can be assigned. Can be changed, not cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    /// ISO 639-1 and country, e.g. `en-US`.
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub preferred_language: Option<Option<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<AgeGroup>>))]
    pub age_group: Option<Option<AgeGroup>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<ConsentProvidedForMinor>>))]
    pub consent_provided_for_minor: Option<Option<ConsentProvidedForMinor>>,
    /// Needed when the sign-in name's domain is federated.
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub on_premises_immutable_id: Option<Option<String>>,
}

/// Body of `POST /users` (Create Cloud User): the five required properties, then the profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub account_enabled: bool,
    pub display_name: String,
    pub mail_nickname: String,
    pub user_principal_name: String,
    pub password_profile: PasswordProfile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    #[serde(flatten)]
    pub profile: UserProfile,
}

impl NewUser {
    /// The required properties; nothing else set.
    pub fn new(
        display_name: impl Into<String>,
        mail_nickname: impl Into<String>,
        user_principal_name: impl Into<String>,
        password_profile: PasswordProfile,
    ) -> Self {
        NewUser {
            account_enabled: true,
            display_name: display_name.into(),
            mail_nickname: mail_nickname.into(),
            user_principal_name: user_principal_name.into(),
            password_profile,
            user_type: None,
            profile: UserProfile::default(),
        }
    }
}

/// Body of `PATCH /users/{id}`: the sign-in essentials, the [`UserProfile`], and the
/// SharePoint-backed properties. Each field: `None` = leave alone, `Some(None)` = clear (JSON
/// `null`), `Some(Some(v))` = set.
///
/// SharePoint-backed properties (`aboutMe`, `birthday`, `interests`, `mySite`, `pastProjects`,
/// `preferredName`, `responsibilities`, `schools`, `skills`) must travel in their own PATCH;
/// [`UserUpdate::split`] does that, and `Users::update` refuses a mixed update.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_profile: Option<PasswordProfile>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub password_policies: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    #[serde(flatten)]
    pub profile: UserProfile,
    // SharePoint-backed:
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub about_me: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interests: Option<Vec<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub my_site: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub past_projects: Option<Vec<String>>,
    #[serde(default, deserialize_with = "set_or_clear", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "specta", specta(type = Option<Option<String>>))]
    pub preferred_name: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsibilities: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schools: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<String>>,
}

/// Property names Graph stores in SharePoint (each needs its own PATCH).
pub const SHAREPOINT_USER_PROPERTIES: &[&str] = &[
    "aboutMe",
    "birthday",
    "interests",
    "mySite",
    "pastProjects",
    "preferredName",
    "responsibilities",
    "schools",
    "skills",
];

impl UserUpdate {
    /// The JSON keys this update would send.
    pub fn keys(&self) -> Vec<String> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys().is_empty()
    }

    /// Whether Graph accepts this as one PATCH (no SharePoint property mixed with others,
    /// at most one SharePoint property).
    pub fn is_single_patch(&self) -> bool {
        let keys = self.keys();
        let spo = keys
            .iter()
            .filter(|k| SHAREPOINT_USER_PROPERTIES.contains(&k.as_str()))
            .count();
        spo == 0 || keys.len() == 1
    }

    /// Splits into the PATCHes Graph accepts: one with all directory properties, then one per
    /// SharePoint-backed property. Empty parts are omitted.
    pub fn split(&self) -> Vec<UserUpdate> {
        let mut core = self.clone();
        core.about_me = None;
        core.birthday = None;
        core.interests = None;
        core.my_site = None;
        core.past_projects = None;
        core.preferred_name = None;
        core.responsibilities = None;
        core.schools = None;
        core.skills = None;
        let mut out = Vec::new();
        if !core.is_empty() {
            out.push(core);
        }
        macro_rules! one {
            ($f:ident) => {
                if self.$f.is_some() {
                    out.push(UserUpdate {
                        $f: self.$f.clone(),
                        ..UserUpdate::default()
                    });
                }
            };
        }
        one!(about_me);
        one!(birthday);
        one!(interests);
        one!(my_site);
        one!(past_projects);
        one!(preferred_name);
        one!(responsibilities);
        one!(schools);
        one!(skills);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_sends_null_and_untouched_fields_are_absent() {
        let u = UserUpdate {
            profile: UserProfile {
                job_title: Some(Some("Retail Manager".into())),
                department: Some(None),
                ..UserProfile::default()
            },
            ..UserUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            serde_json::json!({"jobTitle": "Retail Manager", "department": null})
        );
    }

    #[test]
    fn a_change_from_the_ui_tells_left_alone_from_cleared_from_set() {
        let u: UserUpdate = serde_json::from_value(serde_json::json!({
            "jobTitle": "Buyer", "department": null, "otherMails": ["a@b.com"], "aboutMe": null
        }))
        .unwrap();
        assert_eq!(u.profile.job_title, Some(Some("Buyer".into())));
        assert_eq!(u.profile.department, Some(None), "null clears");
        assert_eq!(u.profile.city, None, "absent is left alone");
        assert_eq!(u.about_me, Some(None));
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            serde_json::json!({"jobTitle": "Buyer", "department": null, "otherMails": ["a@b.com"], "aboutMe": null})
        );
    }

    #[test]
    fn a_new_user_sends_its_profile_beside_the_required_properties() {
        let mut nu = NewUser::new(
            "Kim",
            "kim",
            "kim@contoso.com",
            PasswordProfile {
                password: "p".into(),
                force_change_password_next_sign_in: true,
                force_change_password_next_sign_in_with_mfa: None,
            },
        );
        nu.profile.city = Some(Some("Oslo".into()));
        nu.profile.age_group = Some(Some(AgeGroup::Adult));
        let v = serde_json::to_value(&nu).unwrap();
        assert_eq!(v["city"], "Oslo");
        assert_eq!(v["ageGroup"], "Adult");
        assert_eq!(v["mailNickname"], "kim");
        assert!(v.get("surname").is_none(), "unset properties are not sent");
    }

    #[test]
    fn sharepoint_properties_are_split_into_their_own_patches() {
        let u = UserUpdate {
            profile: UserProfile {
                job_title: Some(Some("x".into())),
                ..UserProfile::default()
            },
            about_me: Some(Some("hi".into())),
            skills: Some(vec!["rust".into()]),
            ..UserUpdate::default()
        };
        assert!(!u.is_single_patch());
        let parts = u.split();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(UserUpdate::is_single_patch));
        assert_eq!(parts[0].keys(), ["jobTitle"]);
        assert_eq!(parts[1].keys(), ["aboutMe"]);
        assert_eq!(parts[2].keys(), ["skills"]);
    }

    #[test]
    fn password_never_shows_in_debug() {
        let p = PasswordProfile {
            password: "xWwvJ]6NMw+bWH-d".into(),
            force_change_password_next_sign_in: true,
            force_change_password_next_sign_in_with_mfa: None,
        };
        let nu = NewUser::new("A", "a", "a@x.com", p);
        assert!(!format!("{nu:?}").contains("xWwvJ"));
    }
}
