use std::fmt;

use serde::{Deserialize, Serialize};

use super::{null_as_empty, open_enum, AssignedLicense, AssignedPlan, LicenseAssignmentState};
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

/// A directory user. Only `id` is always present; everything else depends on `$select`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub other_mails: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub proxy_addresses: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub im_addresses: Vec<String>,
    pub on_premises_sync_enabled: Option<bool>,
    pub on_premises_immutable_id: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_licenses: Vec<AssignedLicense>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub assigned_plans: Vec<AssignedPlan>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub license_assignment_states: Vec<LicenseAssignmentState>,
    // SharePoint-backed (only on a single-user GET with an explicit $select):
    pub about_me: Option<String>,
    pub birthday: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub interests: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub skills: Vec<String>,
}

/// `passwordProfile`. Its `Debug` never prints the password.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordProfile {
    pub password: String,
    pub force_change_password_next_sign_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// Body of `POST /users` (Create Cloud User). The five required properties are not optional.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub account_enabled: bool,
    pub display_name: String,
    pub mail_nickname: String,
    pub user_principal_name: String,
    pub password_profile: PasswordProfile,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_premises_immutable_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub business_phones: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_group: Option<AgeGroup>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_provided_for_minor: Option<ConsentProvidedForMinor>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
}

impl NewUser {
    /// The required properties; everything else `None`.
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
            on_premises_immutable_id: None,
            given_name: None,
            surname: None,
            job_title: None,
            department: None,
            company_name: None,
            office_location: None,
            mobile_phone: None,
            business_phones: Vec::new(),
            city: None,
            state: None,
            country: None,
            street_address: None,
            postal_code: None,
            usage_location: None,
            preferred_language: None,
            employee_id: None,
            age_group: None,
            consent_provided_for_minor: None,
            user_type: None,
        }
    }
}

/// Body of `PATCH /users/{id}`. Each field: `None` = leave alone, `Some(None)` = clear (JSON
/// `null`), `Some(Some(v))` = set.
///
/// SharePoint-backed properties (`aboutMe`, `birthday`, `interests`, `mySite`, `pastProjects`,
/// `preferredName`, `responsibilities`, `schools`, `skills`) must travel in their own PATCH;
/// [`UserUpdate::split`] does that, and `Users::update` refuses a mixed update.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account_enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_principal_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mail_nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_location: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_phones: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<Option<String>>,
    /// Not nullable in Graph: can be changed, not cleared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_hire_date: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_type: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age_group: Option<Option<AgeGroup>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consent_provided_for_minor: Option<Option<ConsentProvidedForMinor>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_mails: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_profile: Option<PasswordProfile>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_policies: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_type: Option<UserType>,
    // SharePoint-backed:
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about_me: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interests: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_site: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub past_projects: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred_name: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub responsibilities: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schools: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
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
            job_title: Some(Some("Retail Manager".into())),
            department: Some(None),
            ..UserUpdate::default()
        };
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            serde_json::json!({"jobTitle": "Retail Manager", "department": null})
        );
    }

    #[test]
    fn sharepoint_properties_are_split_into_their_own_patches() {
        let u = UserUpdate {
            job_title: Some(Some("x".into())),
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
