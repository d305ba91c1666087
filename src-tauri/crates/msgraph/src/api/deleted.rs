//! `/directory/deletedItems`: deleted users and groups, restore, delete for good (cards.md §0.8).
//! A deleted user or Microsoft 365 group stays here for 30 days; security groups are deleted for
//! good at once (Microsoft's pages disagree on that; an empty list says nothing either way).

use reqwest::Method;

use super::users::pager;
use crate::client::{Client, Req};
use crate::encode;
use crate::error::Error;
use crate::ids::DirectoryObjectId;
use crate::models::{DeletedObject, DirectoryObject};
use crate::paging::Pager;
use crate::query::ListQuery;

/// `client.deleted_items()`
#[derive(Debug, Clone, Copy)]
pub struct DeletedItems<'a> {
    client: &'a Client,
}

impl Client {
    pub fn deleted_items(&self) -> DeletedItems<'_> {
        DeletedItems { client: self }
    }
}

/// What kind of deleted object to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeletedKind {
    User,
    Group,
}

impl DeletedItems<'_> {
    /// `GET /directory/deletedItems/microsoft.graph.user` (or `.group`) with query options.
    pub fn list(&self, kind: DeletedKind, query: ListQuery) -> Pager<DeletedObject> {
        let cast = match kind {
            DeletedKind::User => "microsoft.graph.user",
            DeletedKind::Group => "microsoft.graph.group",
        };
        pager(
            self.client,
            Req::get(format!("/directory/deletedItems/{cast}")).list_query(&query),
        )
    }

    /// `POST /directory/deletedItems/{id}/restore` (no body in v1.0): the restored object.
    pub async fn restore(&self, id: &DirectoryObjectId) -> Result<DirectoryObject, Error> {
        let path = format!("{}/restore", item_path(id));
        self.client.json(&Req::new(Method::POST, path)).await
    }

    /// `DELETE /directory/deletedItems/{id}`: gone for good, no way back.
    pub async fn delete_permanently(&self, id: &DirectoryObjectId) -> Result<(), Error> {
        self.client.no_content(&Req::new(Method::DELETE, item_path(id))).await
    }
}

fn item_path(id: &DirectoryObjectId) -> String {
    encode::entity_path("directory/deletedItems", id.as_str())
}
