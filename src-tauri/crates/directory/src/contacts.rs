//! Outlook contacts in a person's mailbox: folders (two levels), search, create.
//! Cards 1.6, 1.15, 1.24.

use msgraph::{
    Client, Contact, ContactFolderId, ContactFolderTree, ContactInput, EmailAddress, Filter, ListQuery, UserRef,
};

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

/// Search Contacts (1.24) in a folder (empty: the Contacts folder), optionally also its child
/// folders two levels down. An email address is matched exactly (Outlook allows only that);
/// other text matches the start of the display name, given name or surname, or the company.
pub async fn search(
    client: &Client,
    user_key: Option<&str>,
    folder: Option<&str>,
    text: &str,
    include_child_folders: bool,
) -> Result<Vec<Contact>, Error> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("text", "Enter a name or email address to search for."));
    }
    let is_email = text.contains('@');
    if is_email {
        validate::email("text", text)
            .map_err(|_| Error::invalid("text", format!("{text} is not an email address.")))?;
    }
    let who = mailbox(client, user_key).await?;
    let contacts = client.contacts(&who);
    let start = folder_id(folder);
    let mut folders: Vec<Option<ContactFolderId>> = vec![start.clone()];
    if include_child_folders {
        let first: Vec<ContactFolderId> = match &start {
            Some(f) => contacts
                .child_folders(f)
                .collect_all()
                .await
                .map_err(explain_contacts)?,
            None => contacts.folders().collect_all().await.map_err(explain_contacts)?,
        }
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
    }
    let mut found: Vec<Contact> = Vec::new();
    for f in &folders {
        let page = if is_email {
            contacts.search_by_email(f.as_ref(), text).collect_all().await
        } else {
            let filter = Filter::starts_with("displayName", text)
                .or(Filter::starts_with("givenName", text))
                .or(Filter::starts_with("surname", text))
                .or(Filter::starts_with("companyName", text));
            contacts
                .list(f.as_ref(), ListQuery::new().filter(filter).top(999))
                .collect_all()
                .await
        }
        .map_err(explain_contacts)?;
        for c in page {
            if !found.iter().any(|x| x.id == c.id) {
                found.push(c);
            }
        }
    }
    Ok(found)
}

/// Create Contact (1.6) in a folder (empty: the Contacts folder). Checked first: a given name
/// (required, as in Okta), email addresses well-formed.
pub async fn create(
    client: &Client,
    user_key: Option<&str>,
    folder: Option<&str>,
    contact: &ContactInput,
) -> Result<Contact, Error> {
    let mut c = contact.clone();
    c.given_name = Some(validate::required(
        "givenName",
        "first name",
        c.given_name.as_deref().unwrap_or_default(),
        256,
    )?);
    if let Some(list) = &c.email_addresses {
        let mut clean = Vec::new();
        for e in list {
            let Some(addr) = validate::optional(e.address.as_deref()) else {
                continue;
            };
            let (local, domain) = addr.rsplit_once('@').unwrap_or(("", ""));
            if local.is_empty() || !domain.contains('.') || addr.contains(char::is_whitespace) {
                return Err(Error::invalid(
                    "emailAddresses",
                    format!("{addr} is not an email address."),
                ));
            }
            clean.push(EmailAddress {
                name: validate::optional(e.name.as_deref()).or_else(|| Some(addr.clone())),
                address: Some(addr),
            });
        }
        c.email_addresses = Some(clean);
    }
    if c.display_name.as_deref().is_none_or(|d| d.trim().is_empty()) {
        let name = [c.given_name.as_deref(), c.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        c.display_name = Some(name);
    }
    let who = mailbox(client, user_key).await?;
    client
        .contacts(&who)
        .create(folder_id(folder).as_ref(), &c)
        .await
        .map_err(explain_contacts)
}
