//! Outlook contacts in a person's mailbox: folders (two levels), search, create.
//! Cards 1.6, 1.15, 1.24.

use msgraph::{
    Client, Contact, ContactFolderId, ContactFolderTree, ContactInput, EmailAddress, Filter, ListQuery,
    PhysicalAddress, UserRef,
};

use serde::{Deserialize, Serialize};

use crate::explain::{explain, graph_says, hint, Action, Cause};
use crate::users;
use crate::validate;
use crate::Error;

/// Whose mailbox: empty = the signed-in person's own.
async fn mailbox(client: &Client, user_key: Option<&str>) -> Result<UserRef, Error> {
    match user_key.map(str::trim).filter(|k| !k.is_empty()) {
        None => Ok(UserRef::Me),
        Some(k) => Ok(UserRef::Id(users::find(client, "user", k, &["id"]).await?.id)),
    }
}

fn explain_contacts(e: msgraph::Error) -> Error {
    if graph_says(&e, Cause::NoMailbox) {
        return hint(e, "This person has no Exchange Online mailbox (an Exchange licence is needed), so they have no Outlook contacts.");
    }
    explain(Action::Contacts, e)
}

/// List Contact Folders (1.15): the folders under Contacts, two levels deep.
pub async fn folders(client: &Client, user_key: Option<&str>) -> Result<Vec<ContactFolderTree>, Error> {
    let who = mailbox(client, user_key).await?;
    client.contacts(&who).folder_tree().await.map_err(explain_contacts)
}

fn folder_id(folder: Option<&str>) -> Option<ContactFolderId> {
    folder
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(ContactFolderId::new)
}

/// Search Contacts' result set (Okta's "First Matching Record", "First 200 Matching Records",
/// "Stream Matching Records": here every match, following Graph's pages to the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum ResultSet {
    First,
    First200,
    All,
}

impl ResultSet {
    /// How many contacts are kept (none: all).
    pub fn limit(self) -> Option<usize> {
        match self {
            ResultSet::First => Some(1),
            ResultSet::First200 => Some(200),
            ResultSet::All => None,
        }
    }
}

/// The contacts found, and whether more matched than the result set keeps.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub contacts: Vec<Contact>,
    pub more: bool,
}

/// The page size asked of Graph when every match is wanted (Graph's pages are followed).
const PAGE: usize = 100;

/// Search Contacts (1.24) in a folder (empty: the Contacts folder), optionally also its child
/// folders two levels down, keeping the result set asked for (one more is read to know whether
/// more matched). An email address is matched exactly (Outlook allows only that); other text
/// matches the start of the display name, given name or surname, or the company.
pub async fn search(
    client: &Client,
    user_key: Option<&str>,
    folder: Option<&str>,
    text: &str,
    include_child_folders: bool,
    result_set: ResultSet,
) -> Result<Found, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "Enter a name or email address to search for."));
    }
    if text.contains('#') {
        return Err(Error::invalid("text", "Outlook cannot search for text with a # in it."));
    }
    let is_email = text.contains('@');
    if is_email {
        validate::email("text", text)
            .map_err(|_| Error::invalid("text", format!("{text} is not an email address.")))?;
    }
    let who = mailbox(client, user_key).await?;
    let contacts = client.contacts(&who);
    let folders = search_folders(&contacts, folder_id(folder), include_child_folders).await?;
    // One more than kept, to know whether more matched.
    let wanted = result_set.limit().map(|n| n + 1);
    let mut found: Vec<Contact> = Vec::new();
    for f in &folders {
        let left = wanted.map(|w| w.saturating_sub(found.len()));
        if left == Some(0) {
            break;
        }
        let query = if is_email {
            ListQuery::new().filter(Filter::any_sub_eq("emailAddresses", "address", text))
        } else {
            ListQuery::new().filter(
                Filter::starts_with("displayName", text)
                    .or(Filter::starts_with("givenName", text))
                    .or(Filter::starts_with("surname", text))
                    .or(Filter::starts_with("companyName", text)),
            )
        };
        let page_size = u32::try_from(left.unwrap_or(PAGE).min(PAGE)).unwrap_or(100);
        let pager = contacts.list(f.as_ref(), query.top(page_size));
        let page = match left {
            Some(n) => pager.take(n).await,
            None => pager.collect_all().await,
        }
        .map_err(explain_contacts)?;
        for c in page {
            if !found.iter().any(|x| x.id == c.id) {
                found.push(c);
            }
        }
    }
    let limit = result_set.limit().unwrap_or(usize::MAX);
    let more = found.len() > limit;
    found.truncate(limit);
    Ok(Found { contacts: found, more })
}

/// The folder searched, and with `children` its child folders two levels down.
async fn search_folders(
    contacts: &msgraph::Contacts<'_>,
    start: Option<ContactFolderId>,
    children: bool,
) -> Result<Vec<Option<ContactFolderId>>, Error> {
    let mut folders: Vec<Option<ContactFolderId>> = vec![start.clone()];
    if !children {
        return Ok(folders);
    }
    let first: Vec<ContactFolderId> = match &start {
        Some(f) => contacts.child_folders(f).collect_all().await,
        None => contacts.folders().collect_all().await,
    }
    .map_err(explain_contacts)?
    .into_iter()
    .map(|f| f.id)
    .collect();
    for f in &first {
        for g in contacts
            .child_folders(f)
            .collect_all()
            .await
            .map_err(explain_contacts)?
        {
            folders.push(Some(g.id));
        }
    }
    folders.extend(first.into_iter().map(Some));
    Ok(folders)
}

/// Create Contact (1.6) in a folder (empty: the Contacts folder), with every property of the
/// card. Checked first ([`checked`]); nothing is sent when a value is refused.
pub async fn create(
    client: &Client,
    user_key: Option<&str>,
    folder: Option<&str>,
    contact: &ContactInput,
) -> Result<Contact, Error> {
    let c = checked(contact)?;
    let who = mailbox(client, user_key).await?;
    client
        .contacts(&who)
        .create(folder_id(folder).as_ref(), &c)
        .await
        .map_err(explain_contacts)
}

/// The longest text Outlook keeps in a contact's name, job and address fields (its notes may be longer).
const MAX_TEXT: usize = 256;

/// A contact as it is sent: a first name (required, as in Okta); each text trimmed (empty = not
/// sent) and at most 256 characters; email addresses well-formed (named after the contact when
/// no name is given); the birthday a real day (sent as Graph's date-time, midnight UTC); the web
/// page an http(s) address; empty list entries and empty addresses dropped; the display name,
/// when not given, made from the first and last name (as Outlook does).
pub fn checked(contact: &ContactInput) -> Result<ContactInput, Error> {
    let mut c = contact.clone();
    c.given_name = Some(validate::required(
        "givenName",
        "first name",
        c.given_name.as_deref().unwrap_or_default(),
        MAX_TEXT,
    )?);
    for (name, label, v) in [
        ("surname", "last name", &mut c.surname),
        ("middleName", "middle name", &mut c.middle_name),
        ("displayName", "display name", &mut c.display_name),
        ("nickName", "nickname", &mut c.nick_name),
        ("initials", "initials", &mut c.initials),
        ("fileAs", "file as", &mut c.file_as),
        ("generation", "generation", &mut c.generation),
        ("title", "title", &mut c.title),
        ("jobTitle", "job title", &mut c.job_title),
        ("companyName", "company", &mut c.company_name),
        ("department", "department", &mut c.department),
        ("officeLocation", "office", &mut c.office_location),
        ("profession", "profession", &mut c.profession),
        ("manager", "manager", &mut c.manager),
        ("assistantName", "assistant", &mut c.assistant_name),
        ("spouseName", "spouse or partner", &mut c.spouse_name),
        ("mobilePhone", "mobile phone", &mut c.mobile_phone),
        ("yomiGivenName", "phonetic first name", &mut c.yomi_given_name),
        ("yomiSurname", "phonetic last name", &mut c.yomi_surname),
        ("yomiCompanyName", "phonetic company name", &mut c.yomi_company_name),
    ] {
        *v = text(name, label, v.as_deref(), MAX_TEXT)?;
    }
    c.personal_notes = text("personalNotes", "notes", c.personal_notes.as_deref(), 32_000)?;
    c.business_home_page = match text("businessHomePage", "web page", c.business_home_page.as_deref(), 2048)? {
        Some(page) => Some(web_page(&page)?),
        None => None,
    };
    c.birthday = match validate::optional(c.birthday.as_deref()) {
        Some(b) => Some(birthday(&b)?),
        None => None,
    };
    for (name, label, v) in [
        ("businessPhones", "business phone", &mut c.business_phones),
        ("homePhones", "home phone", &mut c.home_phones),
        ("imAddresses", "IM address", &mut c.im_addresses),
        ("categories", "category", &mut c.categories),
        ("children", "child's name", &mut c.children),
    ] {
        *v = list(name, label, v.take())?;
    }
    c.email_addresses = match c.email_addresses.take() {
        Some(list) => Some(emails(&list)?),
        None => None,
    };
    for (name, v) in [
        ("businessAddress", &mut c.business_address),
        ("homeAddress", &mut c.home_address),
        ("otherAddress", &mut c.other_address),
    ] {
        *v = address(name, v.take())?;
    }
    if c.display_name.is_none() {
        let name = [c.given_name.as_deref(), c.middle_name.as_deref(), c.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        c.display_name = Some(name);
    }
    Ok(c)
}

/// A text: trimmed, empty = not sent, at most `max` characters.
fn text(field: &'static str, label: &str, v: Option<&str>, max: usize) -> Result<Option<String>, Error> {
    let Some(v) = validate::optional(v) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("The {label} can be at most {max} characters long."),
        ));
    }
    Ok(Some(v))
}

/// A list: each entry a text, empty entries and repeats dropped; none left = not sent.
fn list(field: &'static str, label: &str, v: Option<Vec<String>>) -> Result<Option<Vec<String>>, Error> {
    let mut out: Vec<String> = Vec::new();
    for item in v.unwrap_or_default() {
        if let Some(t) = text(field, label, Some(&item), MAX_TEXT)? {
            if !out.contains(&t) {
                out.push(t);
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

fn emails(list: &[EmailAddress]) -> Result<Vec<EmailAddress>, Error> {
    let mut clean: Vec<EmailAddress> = Vec::new();
    for e in list {
        let Some(addr) = validate::optional(e.address.as_deref()) else {
            continue;
        };
        let (local, domain) = addr.rsplit_once('@').unwrap_or(("", ""));
        if local.is_empty()
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || addr.contains(char::is_whitespace)
        {
            return Err(Error::invalid(
                "emailAddresses",
                format!("“{addr}” is not an email address, such as kim@fabrikam.com."),
            ));
        }
        if clean
            .iter()
            .any(|c| c.address.as_deref().is_some_and(|a| a.eq_ignore_ascii_case(&addr)))
        {
            continue;
        }
        clean.push(EmailAddress {
            name: validate::optional(e.name.as_deref()).or_else(|| Some(addr.clone())),
            address: Some(addr),
        });
    }
    Ok(clean)
}

/// A web page: an http or https address with a host; a bare `www.fabrikam.com` gets `https://`.
fn web_page(v: &str) -> Result<String, Error> {
    let full = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    match url::Url::parse(&full) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.')) => Ok(full),
        _ => Err(Error::invalid(
            "businessHomePage",
            format!("“{v}” is not a web address, such as https://www.fabrikam.com."),
        )),
    }
}

/// A birthday: a day (`1990-05-17`) or Graph's date-time; sent as midnight UTC of that day.
fn birthday(v: &str) -> Result<String, Error> {
    let day = v.split_once('T').map_or(v, |(d, _)| d);
    if !crate::profile::is_day(day) {
        return Err(Error::invalid(
            "birthday",
            format!("“{v}” is not a date. Write the birthday as year-month-day, for example 1990-05-17."),
        ));
    }
    Ok(format!("{day}T00:00:00Z"))
}

/// An address: each part a text; all empty = not sent.
fn address(field: &'static str, a: Option<PhysicalAddress>) -> Result<Option<PhysicalAddress>, Error> {
    let Some(a) = a else { return Ok(None) };
    let part = |v: Option<String>| text(field, "address line", v.as_deref(), MAX_TEXT);
    let a = PhysicalAddress {
        street: part(a.street)?,
        city: part(a.city)?,
        state: part(a.state)?,
        postal_code: part(a.postal_code)?,
        country_or_region: part(a.country_or_region)?,
    };
    Ok((!a.is_empty()).then_some(a))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact() -> ContactInput {
        ContactInput {
            given_name: Some(" Pavel ".into()),
            surname: Some("Bansky".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_contact_is_tidied_and_named_before_it_is_sent() {
        let c = checked(&ContactInput {
            email_addresses: Some(vec![
                EmailAddress {
                    name: None,
                    address: Some(" pavelb@contoso.com ".into()),
                },
                EmailAddress {
                    name: None,
                    address: Some("".into()),
                },
                EmailAddress {
                    name: None,
                    address: Some("PAVELB@contoso.com".into()),
                },
            ]),
            business_phones: Some(vec!["+1 732 555 0102".into(), " ".into()]),
            categories: Some(vec![]),
            birthday: Some("1990-05-17".into()),
            business_home_page: Some("www.contoso.com".into()),
            home_address: Some(PhysicalAddress {
                city: Some(" ".into()),
                ..Default::default()
            }),
            business_address: Some(PhysicalAddress {
                city: Some("Redmond".into()),
                ..Default::default()
            }),
            job_title: Some("  ".into()),
            ..contact()
        })
        .unwrap();
        assert_eq!(c.given_name.as_deref(), Some("Pavel"));
        assert_eq!(c.display_name.as_deref(), Some("Pavel Bansky"));
        assert_eq!(
            c.email_addresses,
            Some(vec![EmailAddress {
                name: Some("pavelb@contoso.com".into()),
                address: Some("pavelb@contoso.com".into())
            }])
        );
        assert_eq!(c.business_phones, Some(vec!["+1 732 555 0102".to_string()]));
        assert_eq!(c.categories, None);
        assert_eq!(c.birthday.as_deref(), Some("1990-05-17T00:00:00Z"));
        assert_eq!(c.business_home_page.as_deref(), Some("https://www.contoso.com"));
        assert_eq!(c.home_address, None);
        assert_eq!(c.business_address.and_then(|a| a.city).as_deref(), Some("Redmond"));
        assert_eq!(c.job_title, None);
    }

    #[test]
    fn each_refused_value_names_its_field_in_plain_words() {
        let cases: Vec<(ContactInput, &str, &str)> = vec![
            (
                ContactInput {
                    given_name: Some(" ".into()),
                    ..contact()
                },
                "givenName",
                "first name",
            ),
            (
                ContactInput {
                    birthday: Some("1990-02-30".into()),
                    ..contact()
                },
                "birthday",
                "is not a date",
            ),
            (
                ContactInput {
                    birthday: Some("17/05/1990".into()),
                    ..contact()
                },
                "birthday",
                "year-month-day",
            ),
            (
                ContactInput {
                    business_home_page: Some("not a page".into()),
                    ..contact()
                },
                "businessHomePage",
                "is not a web address",
            ),
            (
                ContactInput {
                    business_home_page: Some("ftp://files.contoso.com".into()),
                    ..contact()
                },
                "businessHomePage",
                "is not a web address",
            ),
            (
                ContactInput {
                    email_addresses: Some(vec![EmailAddress {
                        name: None,
                        address: Some("pavel@contoso".into()),
                    }]),
                    ..contact()
                },
                "emailAddresses",
                "“pavel@contoso” is not an email address",
            ),
            (
                ContactInput {
                    job_title: Some("x".repeat(257)),
                    ..contact()
                },
                "jobTitle",
                "at most 256 characters",
            ),
            (
                ContactInput {
                    home_phones: Some(vec!["9".repeat(300)]),
                    ..contact()
                },
                "homePhones",
                "home phone",
            ),
            (
                ContactInput {
                    other_address: Some(PhysicalAddress {
                        street: Some("s".repeat(300)),
                        ..Default::default()
                    }),
                    ..contact()
                },
                "otherAddress",
                "address line",
            ),
        ];
        for (input, field, words) in cases {
            match checked(&input) {
                Err(Error::Invalid {
                    field: Some(f),
                    message,
                }) => {
                    assert_eq!(f, field, "{message}");
                    assert!(message.contains(words), "{field}: {message}");
                }
                other => panic!("{field}: expected a refusal, got {other:?}"),
            }
        }
    }
}
