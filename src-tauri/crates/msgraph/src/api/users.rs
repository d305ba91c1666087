//! Users: CRUD, enable/disable, manager, memberships, licences, sessions.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use crate::client::{Client, Req};
use crate::error::{Error, ErrorKind};
use crate::ids::{DirectoryObjectId, SkuId, UserRef};
use crate::models::{
    AssignLicenseResult, AssignedLicense, DirectoryObject, DirectoryRole, LicenseDetails, NewUser, User, UserUpdate,
};
use crate::paging::Pager;
use crate::query::ListQuery;

/// `client.users()`: every user card's request.
#[derive(Debug, Clone, Copy)]
pub struct Users<'a> {
    pub(crate) client: &'a Client,
}

impl Client {
    /// User operations.
    pub fn users(&self) -> Users<'_> {
        Users { client: self }
    }
}

pub(crate) fn pager<T: serde::de::DeserializeOwned + Send + 'static>(
    client: &Client,
    req: Result<Req, Error>,
) -> Pager<T> {
    match req {
        Ok(r) => Pager::new(client.clone(), r),
        Err(e) => Pager::failed(client.clone(), e),
    }
}

impl Users<'_> {
    /// `GET /users` with query options (Search Users; the users table).
    pub fn list(&self, query: ListQuery) -> Pager<User> {
        pager(self.client, Req::get("/users").list_query(&query))
    }

    /// `GET /users/{id|upn}?$select=…` (Read User).
    pub async fn get(&self, user: &UserRef, select: &[&str]) -> Result<User, Error> {
        self.client.json(&Req::get(user.path()).select(select)).await
    }

    /// `POST /users` (Create Cloud User).
    pub async fn create(&self, user: &NewUser) -> Result<User, Error> {
        self.client.json(&Req::new(Method::POST, "/users").json(user)?).await
    }

    /// `PATCH /users/{id|upn}` (Update User). Refuses an update Graph would reject for mixing
    /// SharePoint-backed properties with others; use [`UserUpdate::split`] and call once per part.
    pub async fn update(&self, user: &UserRef, update: &UserUpdate) -> Result<(), Error> {
        if update.is_empty() {
            return Err(Error::invalid_input("nothing to update"));
        }
        if !update.is_single_patch() {
            return Err(Error::invalid_input(
                "profile properties stored in SharePoint (about me, birthday, interests, skills, …) must be updated one at a time, separately from other properties",
            ));
        }
        self.client
            .no_content(&Req::new(Method::PATCH, user.path()).json(update)?)
            .await
    }

    /// `PATCH /users/{id|upn}` `{"accountEnabled": …}` (Enable / Disable User Account).
    pub async fn set_account_enabled(&self, user: &UserRef, enabled: bool) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(Method::PATCH, user.path()).json(&json!({ "accountEnabled": enabled }))?)
            .await
    }

    /// `DELETE /users/{id|upn}` (Delete User; restorable for 30 days).
    pub async fn delete(&self, user: &UserRef) -> Result<(), Error> {
        self.client.no_content(&Req::new(Method::DELETE, user.path())).await
    }

    /// `GET /users/{id|upn}/manager` (Read User Manager). `Ok(None)` when the user has no
    /// manager (Graph answers 404 about the `manager` resource); a missing *user* is still an error.
    pub async fn manager(&self, user: &UserRef, select: &[&str]) -> Result<Option<DirectoryObject>, Error> {
        let req = Req::get(format!("{}/manager", user.path())).select(select);
        match self.client.json(&req).await {
            Ok(m) => Ok(Some(m)),
            Err(e) if e.kind() == ErrorKind::NotFound && e.message().is_some_and(|m| m.contains("'manager'")) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// `PUT /users/{id|upn}/manager/$ref` (Assign User Manager; replaces any previous manager).
    pub async fn set_manager(&self, user: &UserRef, manager: &DirectoryObjectId) -> Result<(), Error> {
        let body = json!({ "@odata.id": self.client.entity_url("users", manager.as_str()) });
        self.client
            .no_content(&Req::new(Method::PUT, format!("{}/manager/$ref", user.path())).json(&body)?)
            .await
    }

    /// `DELETE /users/{id|upn}/manager/$ref`.
    pub async fn remove_manager(&self, user: &UserRef) -> Result<(), Error> {
        self.client
            .no_content(&Req::new(Method::DELETE, format!("{}/manager/$ref", user.path())))
            .await
    }

    /// `GET /users/{id|upn}/memberOf` (direct groups, roles, administrative units).
    pub fn member_of(&self, user: &UserRef, query: ListQuery) -> Pager<DirectoryObject> {
        pager(
            self.client,
            Req::get(format!("{}/memberOf", user.path())).list_query(&query),
        )
    }

    /// `GET /users/{id|upn}/transitiveMemberOf`.
    pub fn transitive_member_of(&self, user: &UserRef, query: ListQuery) -> Pager<DirectoryObject> {
        pager(
            self.client,
            Req::get(format!("{}/transitiveMemberOf", user.path())).list_query(&query),
        )
    }

    /// `GET /users/{id|upn}/memberOf/microsoft.graph.directoryRole` (Read User Roles, Okta-style:
    /// activated built-in roles the user is a direct member of).
    pub fn directory_roles(&self, user: &UserRef) -> Pager<DirectoryRole> {
        pager(
            self.client,
            Ok(Req::get(format!(
                "{}/memberOf/microsoft.graph.directoryRole",
                user.path()
            ))),
        )
    }

    /// `GET /users/{id|upn}/licenseDetails`.
    pub fn license_details(&self, user: &UserRef) -> Pager<LicenseDetails> {
        pager(self.client, Ok(Req::get(format!("{}/licenseDetails", user.path()))))
    }

    /// `POST /users/{id|upn}/assignLicense` (Assign License / Remove License). Both lists are
    /// always sent (`removeLicenses: []` is required by Graph even when empty).
    pub async fn assign_license(
        &self,
        user: &UserRef,
        add: &[AssignedLicense],
        remove: &[SkuId],
    ) -> Result<AssignLicenseResult, Error> {
        if add.is_empty() && remove.is_empty() {
            return Err(Error::invalid_input("no licence to add or remove"));
        }
        let body = json!({ "addLicenses": add, "removeLicenses": remove });
        self.client
            .json(&Req::new(Method::POST, format!("{}/assignLicense", user.path())).json(&body)?)
            .await
    }

    /// `POST /users/{id|upn}/revokeSignInSessions` (Revoke User Sign-In Sessions). Returns
    /// Graph's `value` ("are all sessions revoked?"); a 204 answer counts as `true`.
    pub async fn revoke_sign_in_sessions(&self, user: &UserRef) -> Result<bool, Error> {
        #[derive(Deserialize)]
        struct Answer {
            value: bool,
        }
        let resp = self
            .client
            .execute(&Req::new(Method::POST, format!("{}/revokeSignInSessions", user.path())))
            .await?;
        if resp.status == 204 || resp.body.is_empty() {
            return Ok(true);
        }
        Ok(resp.decode::<Answer>()?.value)
    }
}
