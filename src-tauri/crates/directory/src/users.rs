//! Users: list, read, create, update, enable/disable, delete.

use msgraph::{Client, ListQuery, User};

use crate::Error;

/// The properties the Users table shows.
pub const LIST_PROPERTIES: &[&str] = &[
    "id",
    "displayName",
    "userPrincipalName",
    "mail",
    "department",
    "jobTitle",
    "accountEnabled",
];

/// Every user of the tenant, with the Users table's properties. Pages of 999 (Graph's maximum),
/// followed to the end.
pub async fn list_all(client: &Client) -> Result<Vec<User>, Error> {
    let pager = client.users().list(ListQuery::new().select(LIST_PROPERTIES).top(999));
    Ok(pager.collect_all().await?)
}
