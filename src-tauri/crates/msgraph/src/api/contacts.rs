//! A mailbox's Outlook contacts and contact folders (Create Contact, List Contact Folders,
//! Search Contacts).

use reqwest::Method;
use serde_json::json;

use super::users::pager;
use crate::client::{Client, Req};
use crate::encode;
use crate::error::Error;
use crate::ids::{ContactFolderId, ContactId, UserRef};
use crate::models::{Contact, ContactFolder, ContactFolderTree, ContactInput};
use crate::paging::Pager;
use crate::query::{Filter, ListQuery};

/// `client.contacts(&user)`: contacts in that user's mailbox (`UserRef::Me` = the signed-in user).
#[derive(Debug, Clone)]
pub struct Contacts<'a> {
    client: &'a Client,
    user: UserRef,
}

impl Client {
    /// Contact operations on `user`'s mailbox. Another user's mailbox needs the `.Shared`
    /// permission and a sharing grant from that user.
    pub fn contacts(&self, user: &UserRef) -> Contacts<'_> {
        Contacts {
            client: self,
            user: user.clone(),
        }
    }
}

impl Contacts<'_> {
    fn folder(&self, id: &ContactFolderId) -> String {
        format!("{}/contactFolders/{}", self.user.path(), encode::segment(id.as_str()))
    }
    fn contacts_of(&self, folder: Option<&ContactFolderId>) -> String {
        match folder {
            Some(f) => format!("{}/contacts", self.folder(f)),
            None => format!("{}/contacts", self.user.path()),
        }
    }

    /// `GET /users/{id}/contactFolders` (the folders under the default Contacts folder).
    pub fn folders(&self) -> Pager<ContactFolder> {
        pager(
            self.client,
            Ok(Req::get(format!("{}/contactFolders", self.user.path()))),
        )
    }

    /// `GET /users/{id}/contactFolders/{id}/childFolders`.
    pub fn child_folders(&self, folder: &ContactFolderId) -> Pager<ContactFolder> {
        pager(
            self.client,
            Ok(Req::get(format!("{}/childFolders", self.folder(folder)))),
        )
    }

    /// List Contact Folders as Okta shows it: top-level folders with two nested levels of
    /// child folders.
    pub async fn folder_tree(&self) -> Result<Vec<ContactFolderTree>, Error> {
        let mut out = Vec::new();
        for top in self.folders().collect_all().await? {
            let mut level1 = Vec::new();
            for child in self.child_folders(&top.id).collect_all().await? {
                let mut level2 = Vec::new();
                for grandchild in self.child_folders(&child.id).collect_all().await? {
                    level2.push(ContactFolderTree {
                        folder: grandchild,
                        children: Vec::new(),
                    });
                }
                level1.push(ContactFolderTree {
                    folder: child,
                    children: level2,
                });
            }
            out.push(ContactFolderTree {
                folder: top,
                children: level1,
            });
        }
        Ok(out)
    }

    /// `GET /users/{id}/contactFolders/{id}`.
    pub async fn get_folder(&self, folder: &ContactFolderId) -> Result<ContactFolder, Error> {
        self.client.json(&Req::get(self.folder(folder))).await
    }

    /// `POST /users/{id}/contactFolders` or, with a parent, `…/contactFolders/{parent}/childFolders`.
    pub async fn create_folder(
        &self,
        display_name: &str,
        parent: Option<&ContactFolderId>,
    ) -> Result<ContactFolder, Error> {
        let path = match parent {
            Some(p) => format!("{}/childFolders", self.folder(p)),
            None => format!("{}/contactFolders", self.user.path()),
        };
        self.client
            .json(&Req::new(Method::POST, path).json(&json!({ "displayName": display_name }))?)
            .await
    }

    /// `PATCH /users/{id}/contactFolders/{id}` (rename).
    pub async fn rename_folder(&self, folder: &ContactFolderId, display_name: &str) -> Result<ContactFolder, Error> {
        self.client
            .json(&Req::new(Method::PATCH, self.folder(folder)).json(&json!({ "displayName": display_name }))?)
            .await
    }

    /// `DELETE /users/{id}/contactFolders/{id}`.
    pub async fn delete_folder(&self, folder: &ContactFolderId) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(Method::DELETE, self.folder(folder)))
            .await
    }

    /// `GET /users/{id}/contacts` or `…/contactFolders/{id}/contacts`, with query options.
    pub fn list(&self, folder: Option<&ContactFolderId>, query: ListQuery) -> Pager<Contact> {
        pager(self.client, Req::get(self.contacts_of(folder)).list_query(&query))
    }

    /// Search Contacts by email: `$filter=emailAddresses/any(a:a/address eq '…')` (Graph allows
    /// only exact `eq` on the address).
    pub fn search_by_email(&self, folder: Option<&ContactFolderId>, email: &str) -> Pager<Contact> {
        self.list(
            folder,
            ListQuery::new().filter(Filter::any_sub_eq("emailAddresses", "address", email)),
        )
    }

    /// `GET /users/{id}/contacts/{id}`.
    pub async fn get(&self, id: &ContactId) -> Result<Contact, Error> {
        self.client
            .json(&Req::get(format!(
                "{}/contacts/{}",
                self.user.path(),
                encode::segment(id.as_str())
            )))
            .await
    }

    /// `POST /users/{id}/contacts` (default Contacts folder) or `…/contactFolders/{id}/contacts`
    /// (Create Contact). Okta requires a given name.
    pub async fn create(&self, folder: Option<&ContactFolderId>, contact: &ContactInput) -> Result<Contact, Error> {
        if contact.given_name.as_deref().is_none_or(|g| g.trim().is_empty()) {
            return Err(Error::invalid_input("a contact needs a given name"));
        }
        self.client
            .json(&Req::new(Method::POST, self.contacts_of(folder)).json(contact)?)
            .await
    }

    /// `PATCH /users/{id}/contacts/{id}`.
    pub async fn update(&self, id: &ContactId, changes: &ContactInput) -> Result<Contact, Error> {
        self.client
            .json(
                &Req::new(
                    Method::PATCH,
                    format!("{}/contacts/{}", self.user.path(), encode::segment(id.as_str())),
                )
                .json(changes)?,
            )
            .await
    }

    /// `DELETE /users/{id}/contacts/{id}`.
    pub async fn delete(&self, id: &ContactId) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(
                Method::DELETE,
                format!("{}/contacts/{}", self.user.path(), encode::segment(id.as_str())),
            ))
            .await
    }
}
