use serde::{Deserialize, Serialize};

use super::{null_as_empty, EmailAddress};
use crate::ids::{ContactFolderId, ContactId};

/// An Outlook personal contact (not a directory orgContact).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    pub id: ContactId,
    pub parent_folder_id: Option<ContactFolderId>,
    pub created_date_time: Option<String>,
    pub last_modified_date_time: Option<String>,
    pub display_name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub surname: Option<String>,
    pub nick_name: Option<String>,
    pub initials: Option<String>,
    pub file_as: Option<String>,
    pub generation: Option<String>,
    pub title: Option<String>,
    pub birthday: Option<String>,
    pub job_title: Option<String>,
    pub company_name: Option<String>,
    pub department: Option<String>,
    pub office_location: Option<String>,
    pub profession: Option<String>,
    pub business_home_page: Option<String>,
    pub assistant_name: Option<String>,
    pub manager: Option<String>,
    pub mobile_phone: Option<String>,
    pub personal_notes: Option<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub email_addresses: Vec<EmailAddress>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub im_addresses: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub business_phones: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub home_phones: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub categories: Vec<String>,
    #[serde(default, deserialize_with = "null_as_empty")]
    pub children: Vec<String>,
}

/// A postal address of a contact (`physicalAddress`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct PhysicalAddress {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_or_region: Option<String>,
}

impl PhysicalAddress {
    pub fn is_empty(&self) -> bool {
        [
            &self.street,
            &self.city,
            &self.state,
            &self.postal_code,
            &self.country_or_region,
        ]
        .iter()
        .all(|v| v.as_deref().is_none_or(|s| s.trim().is_empty()))
    }
}

/// Body of contact create (`POST …/contacts`) and update (`PATCH …/contacts/{id}`), every
/// property of the Create Contact card; the New contact form sends it as it is (`specta`).
/// `givenName` is what Okta requires on create; on update every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct ContactInput {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initials: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_as: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// ISO 8601 date-time, UTC.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profession: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spouse_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yomi_given_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yomi_surname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub yomi_company_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_home_page: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assistant_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_notes: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_addresses: Option<Vec<EmailAddress>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub im_addresses: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_phones: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_phones: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_address: Option<PhysicalAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub home_address: Option<PhysicalAddress>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_address: Option<PhysicalAddress>,
}

/// An Outlook contact folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactFolder {
    pub id: ContactFolderId,
    pub display_name: Option<String>,
    pub parent_folder_id: Option<ContactFolderId>,
}

/// A folder with its child folders, as List Contact Folders shows them (two nested levels).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFolderTree {
    pub folder: ContactFolder,
    pub children: Vec<ContactFolderTree>,
}
