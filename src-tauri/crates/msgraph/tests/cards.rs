//! One test per action card: the exact method, path, query, headers and body sent (cards.md §1),
//! and the answer decoded from Microsoft's own documentation example where one exists.

mod common;

use common::*;
use mockito::{Matcher, Mock};
use msgraph::*;
use serde_json::{json, Value};

const ADELE: &str = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
const GROUP: &str = "02bd9fd6-8f93-4758-87c3-1fb73740a315";

struct Expect<'a> {
    method: &'a str,
    path: &'a str,
    query: Option<&'a str>,
    body: Option<Value>,
    status: usize,
    answer: Option<String>,
    eventual: bool,
}

impl<'a> Expect<'a> {
    fn new(method: &'a str, path: &'a str) -> Self {
        Expect {
            method,
            path,
            query: None,
            body: None,
            status: 200,
            answer: None,
            eventual: false,
        }
    }
    fn query(mut self, q: &'a str) -> Self {
        self.query = Some(q);
        self
    }
    fn body(mut self, b: Value) -> Self {
        self.body = Some(b);
        self
    }
    fn status(mut self, s: usize) -> Self {
        self.status = s;
        self
    }
    fn answer(mut self, a: String) -> Self {
        self.answer = Some(a);
        self
    }
    fn eventual(mut self) -> Self {
        self.eventual = true;
        self
    }
    async fn on(self, h: &mut Harness) -> Mock {
        let mut m = h
            .server
            .mock(self.method, self.path)
            .match_query(match self.query {
                Some(q) => Matcher::Exact(q.into()),
                None => Matcher::Missing,
            })
            .match_header("authorization", bearer(1).as_str())
            .match_header(
                "consistencylevel",
                if self.eventual {
                    Matcher::Exact("eventual".into())
                } else {
                    Matcher::Missing
                },
            )
            .with_status(self.status)
            .expect(1);
        m = match self.body {
            Some(b) => m
                .match_header("content-type", "application/json")
                .match_body(Matcher::Json(b)),
            None => m.match_body(Matcher::Exact(String::new())),
        };
        if let Some(a) = self.answer {
            m = m.with_header("content-type", "application/json").with_body(a);
        }
        m.create_async().await
    }
}

// ---- 1.1 Add User to Group -------------------------------------------------------------

#[tokio::test]
async fn card_add_user_to_group_posts_a_directory_object_ref() {
    let mut h = harness().await;
    let odata_id = format!("{}/directoryObjects/{ADELE}", h.base());
    let m = Expect::new("POST", &format!("/v1.0/groups/{GROUP}/members/$ref"))
        .body(json!({ "@odata.id": odata_id }))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .groups()
        .add_member(&GroupId::new(GROUP), &DirectoryObjectId::new(ADELE))
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_add_user_to_group_already_member_is_a_conflict() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("POST", format!("/v1.0/groups/{GROUP}/members/$ref").as_str())
        .with_status(400)
        .with_body(error_body(
            "Request_BadRequest",
            "One or more added object references already exist for the following modified properties: 'members'.",
            "rid-dup",
        ))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .groups()
        .add_member(&GroupId::new(GROUP), &DirectoryObjectId::new(ADELE))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_add_members_in_bulk_binds_up_to_20() {
    let mut h = harness().await;
    let ids: Vec<DirectoryObjectId> = (0..20).map(|i| DirectoryObjectId::new(format!("m{i}"))).collect();
    let urls: Vec<String> = ids
        .iter()
        .map(|i| format!("{}/directoryObjects/{}", h.base(), i))
        .collect();
    let m = Expect::new("PATCH", &format!("/v1.0/groups/{GROUP}"))
        .body(json!({ "members@odata.bind": urls }))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client.groups().add_members(&GroupId::new(GROUP), &ids).await.unwrap();
    let too_many: Vec<DirectoryObjectId> = (0..21).map(|i| DirectoryObjectId::new(format!("m{i}"))).collect();
    let err = h
        .client
        .groups()
        .add_members(&GroupId::new(GROUP), &too_many)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    m.assert_async().await;
    unexpected.assert_async().await;
}

// ---- 1.2 / 1.21 Assign / Remove License ----------------------------------------------------

#[tokio::test]
async fn card_assign_license_always_sends_remove_licenses() {
    let mut h = harness().await;
    let m = Expect::new("POST", &format!("/v1.0/users/{ADELE}/assignLicense"))
        .body(json!({
            "addLicenses": [{ "skuId": "45715bb8-13f9-4bf6-927f-ef96c102d394",
                              "disabledPlans": ["11b0131d-43c8-4bbb-b2c8-e80f9a50834a"] }],
            "removeLicenses": []
        }))
        .answer(h.fixture("assign_license"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let user = h
        .client
        .users()
        .assign_license(
            &UserRef::parse(ADELE),
            &[AssignedLicense {
                sku_id: SkuId::new("45715bb8-13f9-4bf6-927f-ef96c102d394"),
                disabled_plans: vec![ServicePlanId::new("11b0131d-43c8-4bbb-b2c8-e80f9a50834a")],
            }],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(user.assigned_licenses.len(), 2);
    assert_eq!(
        user.assigned_licenses[0].sku_id.as_str(),
        "84a661c4-e949-4bd2-a560-ed7766fcaf2b"
    );
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_remove_license_sends_empty_add_licenses() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/users/AdeleV@contoso.com/assignLicense")
        .body(json!({ "addLicenses": [], "removeLicenses": ["c7df2760-2c81-4ef7-b578-5b5392b571df"] }))
        .answer(h.fixture("assign_license"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .users()
        .assign_license(
            &UserRef::parse("AdeleV@contoso.com"),
            &[],
            &[SkuId::new("c7df2760-2c81-4ef7-b578-5b5392b571df")],
        )
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_assign_license_without_usage_location_explains_graphs_answer() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("POST", format!("/v1.0/users/{ADELE}/assignLicense").as_str())
        .with_status(400)
        .with_body(error_body(
            "Request_BadRequest",
            "License assignment cannot be done for user with invalid usage location.",
            "rid-ul",
        ))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .users()
        .assign_license(
            &UserRef::parse(ADELE),
            &[AssignedLicense {
                sku_id: SkuId::new("x"),
                disabled_plans: vec![],
            }],
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.to_string().contains("invalid usage location"));
    assert_eq!(err.request_id(), Some("rid-ul"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

// ---- 1.3 / 1.28 Assign / Unassign Role ---------------------------------------------------

#[tokio::test]
async fn card_assign_role_creates_a_unified_role_assignment() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/roleManagement/directory/roleAssignments")
        .body(json!({
            "@odata.type": "#microsoft.graph.unifiedRoleAssignment",
            "roleDefinitionId": "c2cf284d-6c41-4e6b-afac-4b80928c9034",
            "principalId": "f8ca5a85-489a-49a0-b555-0a6d81e56f0d",
            "directoryScopeId": "/"
        }))
        .status(201)
        .answer(h.fixture("role_assignment_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let a = h
        .client
        .roles()
        .assign(
            &RoleDefinitionId::new("c2cf284d-6c41-4e6b-afac-4b80928c9034"),
            &DirectoryObjectId::new("f8ca5a85-489a-49a0-b555-0a6d81e56f0d"),
            "/",
        )
        .await
        .unwrap();
    assert_eq!(a.id.as_str(), "YUb1sHQtUEyvox7IA_Eu_mm3jqnUe4lEhvatluHVi2I-1");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_assign_role_legacy_by_template_id() {
    let mut h = harness().await;
    let m = Expect::new(
        "POST",
        "/v1.0/directoryRoles/roleTemplateId=fe930be7-5e62-47db-91af-98c3a49a38b1/members/$ref",
    )
    .body(json!({ "@odata.id": format!("{}/directoryObjects/{ADELE}", h.base()) }))
    .status(204)
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    h.client
        .roles()
        .add_directory_role_member(
            &DirectoryRoleKey::Template(RoleTemplateId::new("fe930be7-5e62-47db-91af-98c3a49a38b1")),
            &DirectoryObjectId::new(ADELE),
        )
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_unassign_role_finds_the_assignment_then_deletes_it() {
    let mut h = harness().await;
    let find = Expect::new("GET", "/v1.0/roleManagement/directory/roleAssignments")
        .query("$filter=%28principalId%20eq%20%27f1847572-48aa-47aa-96a3-2ec61904f41f%27%29%20and%20%28roleDefinitionId%20eq%20%2762e90394-69f5-4237-9190-012177145e10%27%29&$expand=roleDefinition")
        .answer(h.fixture("role_assignments_by_principal"))
        .on(&mut h)
        .await;
    let delete = Expect::new(
        "DELETE",
        "/v1.0/roleManagement/directory/roleAssignments/lAPpYvVpN0KRkAEhdxReEHJ1hPGqSKpHlqMuxhkE9B8-1",
    )
    .status(204)
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    let found = h
        .client
        .roles()
        .role_assignments_of(
            &DirectoryObjectId::new("f1847572-48aa-47aa-96a3-2ec61904f41f"),
            Some(&RoleDefinitionId::new("62e90394-69f5-4237-9190-012177145e10")),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    h.client.roles().delete_assignment(&found[0].id).await.unwrap();
    for m in [find, delete] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_unassign_role_legacy_always_uses_ref() {
    let mut h = harness().await;
    let m = Expect::new(
        "DELETE",
        "/v1.0/directoryRoles/f8e85ed8-f66f-4058-b170-3efae8b9c6e5/members/bb165b45-151c-4cf6-9911-cd7188912848/$ref",
    )
    .status(204)
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    h.client
        .roles()
        .remove_directory_role_member(
            &DirectoryRoleKey::Id(DirectoryRoleId::new("f8e85ed8-f66f-4058-b170-3efae8b9c6e5")),
            &DirectoryObjectId::new("bb165b45-151c-4cf6-9911-cd7188912848"),
        )
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

// ---- 1.4 / 1.19 Manager ----------------------------------------------------------------

#[tokio::test]
async fn card_assign_user_manager_puts_a_users_ref() {
    let mut h = harness().await;
    let m = Expect::new("PUT", "/v1.0/users/10f17b99-784c-4526-8747-aec8a3159d6a/manager/$ref")
        .body(json!({ "@odata.id": format!("{}/users/7d54cb02-aaa3-4016-9f9c-a4b49422dd9b", h.base()) }))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .users()
        .set_manager(
            &UserRef::parse("10f17b99-784c-4526-8747-aec8a3159d6a"),
            &DirectoryObjectId::new("7d54cb02-aaa3-4016-9f9c-a4b49422dd9b"),
        )
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_remove_manager_deletes_the_ref() {
    let mut h = harness().await;
    let m = Expect::new(
        "DELETE",
        "/v1.0/users/10f17b99-784c-4526-8747-aec8a3159d6a/manager/$ref",
    )
    .status(204)
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    h.client
        .users()
        .remove_manager(&UserRef::parse("10f17b99-784c-4526-8747-aec8a3159d6a"))
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_read_user_manager_decodes_and_no_manager_is_none() {
    let mut h = harness().await;
    let m = Expect::new("GET", "/v1.0/users/AdeleV@contoso.com/manager")
        .query("$select=id%2CdisplayName%2CjobTitle%2Cmail%2CuserPrincipalName")
        .answer(h.fixture("user_manager"))
        .on(&mut h)
        .await;
    let none = h
        .server
        .mock("GET", "/v1.0/users/new@contoso.com/manager")
        .with_status(404)
        .with_body(error_body(
            "Request_ResourceNotFound",
            "Resource 'manager' does not exist or one of its queried reference-property objects are not present.",
            "rid-nm",
        ))
        .expect(1)
        .create_async()
        .await;
    let missing_user = h
        .server
        .mock("GET", "/v1.0/users/ghost@contoso.com/manager")
        .with_status(404)
        .with_body(error_body(
            "Request_ResourceNotFound",
            "Resource 'ghost@contoso.com' does not exist or one of its queried reference-property objects are not present.",
            "rid-nu",
        ))
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mgr = h
        .client
        .users()
        .manager(
            &UserRef::parse("AdeleV@contoso.com"),
            &["id", "displayName", "jobTitle", "mail", "userPrincipalName"],
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mgr.display_name.as_deref(), Some("Sara Davis"));
    assert_eq!(
        h.client
            .users()
            .manager(&UserRef::parse("new@contoso.com"), &[])
            .await
            .unwrap(),
        None
    );
    let err = h
        .client
        .users()
        .manager(&UserRef::parse("ghost@contoso.com"), &[])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    for x in [m, none, missing_user] {
        x.assert_async().await;
    }
    unexpected.assert_async().await;
}

// ---- 1.5 Create Cloud User / 1.30 Update / 1.11 Delete / 1.12-13 Enable-Disable / 1.18 Read

#[tokio::test]
async fn card_create_cloud_user_sends_the_required_properties() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/users")
        .body(json!({
            "accountEnabled": true, "displayName": "Adele Vance", "mailNickname": "AdeleV",
            "userPrincipalName": "AdeleV@contoso.onmicrosoft.com",
            "passwordProfile": { "forceChangePasswordNextSignIn": true, "password": "xWwvJ]6NMw+bWH-d" },
            "usageLocation": "GB"
        }))
        .status(201)
        .answer(h.fixture("user_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let mut nu = NewUser::new(
        "Adele Vance",
        "AdeleV",
        "AdeleV@contoso.onmicrosoft.com",
        PasswordProfile {
            password: "xWwvJ]6NMw+bWH-d".into(),
            force_change_password_next_sign_in: true,
            force_change_password_next_sign_in_with_mfa: None,
        },
    );
    nu.profile.usage_location = Some("GB".into());
    let u = h.client.users().create(&nu).await.unwrap();
    assert_eq!(u.id.as_str(), "d36894ae-94ae-d368-ae94-68d3ae9468d3");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_create_cloud_user_duplicate_upn_is_a_conflict() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("POST", "/v1.0/users")
        .with_status(400)
        .with_body(
            json!({"error": {"code": "Request_BadRequest",
                "message": "Another object with the same value for property userPrincipalName already exists.",
                "details": [{"target": "userPrincipalName", "code": "ObjectConflict"}],
                "innerError": {"request-id": "rid-dupupn"}}})
            .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .users()
        .create(&NewUser::new(
            "A",
            "a",
            "a@contoso.com",
            PasswordProfile {
                password: "p".into(),
                force_change_password_next_sign_in: true,
                force_change_password_next_sign_in_with_mfa: None,
            },
        ))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(err.request_id(), Some("rid-dupupn"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_update_user_patches_only_changed_properties() {
    let mut h = harness().await;
    let m = Expect::new("PATCH", &format!("/v1.0/users/{ADELE}"))
        .body(json!({ "jobTitle": "Retail Manager", "department": "Sales", "usageLocation": "US", "officeLocation": null }))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let upd = UserUpdate {
        profile: msgraph::UserProfile {
            job_title: Some(Some("Retail Manager".into())),
            department: Some(Some("Sales".into())),
            usage_location: Some("US".into()),
            office_location: Some(None),
            ..Default::default()
        },
        ..UserUpdate::default()
    };
    h.client.users().update(&UserRef::parse(ADELE), &upd).await.unwrap();
    // mixing a SharePoint-backed property is refused before sending
    let mixed = UserUpdate {
        about_me: Some(Some("hi".into())),
        ..upd
    };
    let err = h
        .client
        .users()
        .update(&UserRef::parse(ADELE), &mixed)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_disable_and_enable_user_patch_account_enabled() {
    let mut h = harness().await;
    let off = Expect::new("PATCH", "/v1.0/users/AdeleVance_adatum.com%23EXT%23@contoso.com")
        .body(json!({ "accountEnabled": false }))
        .status(204)
        .on(&mut h)
        .await;
    let on = Expect::new("PATCH", &format!("/v1.0/users/{ADELE}"))
        .body(json!({ "accountEnabled": true }))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .users()
        .set_account_enabled(&UserRef::parse("AdeleVance_adatum.com#EXT#@contoso.com"), false)
        .await
        .unwrap();
    h.client
        .users()
        .set_account_enabled(&UserRef::parse(ADELE), true)
        .await
        .unwrap();
    for m in [off, on] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_delete_user_sends_delete() {
    let mut h = harness().await;
    let m = Expect::new("DELETE", "/v1.0/users('$admin@contoso.com')")
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .users()
        .delete(&UserRef::parse("$admin@contoso.com"))
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_read_user_selects_and_decodes() {
    let mut h = harness().await;
    let m = Expect::new("GET", "/v1.0/users/AdeleV@contoso.com")
        .query("$select=id%2CdisplayName%2CuserPrincipalName%2CbusinessPhones%2CmobilePhone")
        .answer(h.fixture("user_get"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let u = h
        .client
        .users()
        .get(
            &UserRef::parse("AdeleV@contoso.com"),
            &[
                "id",
                "displayName",
                "userPrincipalName",
                "businessPhones",
                "mobilePhone",
            ],
        )
        .await
        .unwrap();
    assert_eq!(u.id.as_str(), ADELE);
    assert_eq!(u.business_phones, ["+1 425 555 0109"]);
    assert_eq!(u.office_location.as_deref(), Some("18/2111"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_read_user_by_email_filters_on_mail() {
    let mut h = harness().await;
    let m = Expect::new("GET", "/v1.0/users")
        .query("$filter=%28mail%20eq%20%27o%27%27brien%2Btest%40contoso.com%27%29%20or%20%28otherMails%2Fany%28x%3Ax%20eq%20%27o%27%27brien%2Btest%40contoso.com%27%29%29")
        .answer(h.fixture("users_filter_endswith"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let email = "o'brien+test@contoso.com";
    let found = h
        .client
        .users()
        .list(ListQuery::new().filter(Filter::eq("mail", email).or(Filter::any_eq("otherMails", email))))
        .first()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.display_name.as_deref(), Some("Grady Archie"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

// ---- 1.20 Read User Roles / memberships / licence details / 1.23 revoke --------------------

#[tokio::test]
async fn card_read_user_roles_casts_member_of_to_directory_roles() {
    let mut h = harness().await;
    let m = Expect::new(
        "GET",
        &format!("/v1.0/users/{ADELE}/memberOf/microsoft.graph.directoryRole"),
    )
    .answer(h.fixture("directory_roles"))
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    let roles = h
        .client
        .users()
        .directory_roles(&UserRef::parse(ADELE))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(roles[0].display_name.as_deref(), Some("Global Administrator"));
    assert_eq!(
        roles[0].role_template_id.as_ref().unwrap().as_str(),
        "62e90394-69f5-4237-9190-012177145e10"
    );
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn user_member_of_and_license_details_decode() {
    let mut h = harness().await;
    let member_of = Expect::new("GET", &format!("/v1.0/users/{ADELE}/memberOf"))
        .query("$select=id%2CdisplayName")
        .answer(h.fixture("user_member_of_groups"))
        .on(&mut h)
        .await;
    let lic = Expect::new("GET", "/v1.0/me/licenseDetails")
        .answer(h.fixture("license_details"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let groups = h
        .client
        .users()
        .member_of(&UserRef::parse(ADELE), ListQuery::new().select(&["id", "displayName"]))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(groups[1].display_name.as_deref(), Some("AAD Contoso Users"));
    let details = h
        .client
        .users()
        .license_details(&UserRef::Me)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(details[0].sku_part_number.as_deref(), Some("ENTERPRISEPREMIUM"));
    assert_eq!(details[0].service_plans.len(), 5);
    for m in [member_of, lic] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_revoke_sign_in_sessions_returns_graphs_value_and_accepts_204() {
    let mut h = harness().await;
    let ok = Expect::new("POST", "/v1.0/me/revokeSignInSessions")
        .answer(h.fixture("revoke_sign_in_sessions"))
        .on(&mut h)
        .await;
    let no_content = Expect::new("POST", &format!("/v1.0/users/{ADELE}/revokeSignInSessions"))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    assert!(h.client.users().revoke_sign_in_sessions(&UserRef::Me).await.unwrap());
    assert!(h
        .client
        .users()
        .revoke_sign_in_sessions(&UserRef::parse(ADELE))
        .await
        .unwrap());
    for m in [ok, no_content] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

// ---- Groups: 1.7 create, 1.10 delete, 1.17 read, 1.22 remove member, 1.25/1.26 search, 1.29 update

#[tokio::test]
async fn card_create_group_microsoft365_with_owner_and_member() {
    let mut h = harness().await;
    let base = h.base();
    let m = Expect::new("POST", "/v1.0/groups")
        .body(json!({
            "description": "Self help community for library", "displayName": "Library Assist",
            "groupTypes": ["Unified"], "mailEnabled": true, "mailNickname": "library", "securityEnabled": false,
            "owners@odata.bind": [format!("{base}/users/26be1845-4119-4801-a799-aea79d09f1a2")],
            "members@odata.bind": [format!("{base}/directoryObjects/ff7cb387-6688-423c-8188-3da9532a73cc")]
        }))
        .status(201)
        .answer(h.fixture("group_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let mut g = NewGroup::new(NewGroupType::Microsoft365, "Library Assist", "library");
    g.description = Some("Self help community for library".into());
    g.owners = vec![UserId::new("26be1845-4119-4801-a799-aea79d09f1a2")];
    g.members = vec![DirectoryObjectId::new("ff7cb387-6688-423c-8188-3da9532a73cc")];
    let created = h.client.groups().create(&g).await.unwrap();
    assert_eq!(created.mail.as_deref(), Some("library7423@contoso.com"));
    assert_eq!(created.kind(), Some(GroupKind::Microsoft365));
    assert_eq!(created.visibility, Some(GroupVisibility::Public));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_create_group_security_and_limits() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/groups")
        .body(json!({
            "displayName": "Finance", "groupTypes": [], "mailEnabled": false,
            "mailNickname": "finance", "securityEnabled": true
        }))
        .status(201)
        .answer(h.fixture("group_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .groups()
        .create(&NewGroup::new(NewGroupType::Security, "Finance", "finance"))
        .await
        .unwrap();
    let mut too_big = NewGroup::new(NewGroupType::Security, "Big", "big");
    too_big.members = (0..21).map(|i| DirectoryObjectId::new(format!("m{i}"))).collect();
    assert_eq!(
        h.client.groups().create(&too_big).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_read_group_and_its_mail_settings() {
    let mut h = harness().await;
    let core = Expect::new("GET", &format!("/v1.0/groups/{GROUP}"))
        .answer(h.fixture("group_get"))
        .on(&mut h)
        .await;
    let mail = Expect::new("GET", &format!("/v1.0/groups/{GROUP}"))
        .query("$select=allowExternalSenders%2CautoSubscribeNewMembers%2ChideFromAddressLists%2ChideFromOutlookClients%2CisSubscribedByMail%2CunseenCount")
        .answer(h.fixture("group_exchange_settings"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let g = h.client.groups().get(&GroupId::new(GROUP), &[]).await.unwrap();
    assert_eq!(g.display_name.as_deref(), Some("HR Taskforce"));
    assert_eq!(g.visibility, Some(GroupVisibility::Private));
    assert_eq!(g.resource_provisioning_options, ["Team"]);
    let s = h.client.groups().get_mail_settings(&GroupId::new(GROUP)).await.unwrap();
    assert_eq!(s.unseen_count, Some(3));
    assert_eq!(s.allow_external_senders, Some(false));
    for m in [core, mail] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_update_group_core_and_each_mail_setting_alone() {
    let mut h = harness().await;
    let core = Expect::new("PATCH", &format!("/v1.0/groups/{GROUP}"))
        .body(
            json!({ "description": "Library Assist", "displayName": "Library Assist", "mailNickname": "library-help" }),
        )
        .status(204)
        .on(&mut h)
        .await;
    let ext = Expect::new("PATCH", &format!("/v1.0/groups/{GROUP}"))
        .body(json!({ "allowExternalSenders": true }))
        .status(200)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let id = GroupId::new(GROUP);
    h.client
        .groups()
        .update(
            &id,
            &GroupUpdate {
                display_name: Some("Library Assist".into()),
                description: Some(Some("Library Assist".into())),
                mail_nickname: Some("library-help".into()),
                ..GroupUpdate::default()
            },
        )
        .await
        .unwrap();
    h.client
        .groups()
        .set_mail_setting(&id, GroupMailSetting::AllowExternalSenders(true))
        .await
        .unwrap();
    let hidden = GroupUpdate {
        visibility: Some(GroupVisibility::HiddenMembership),
        ..GroupUpdate::default()
    };
    assert_eq!(
        h.client.groups().update(&id, &hidden).await.unwrap_err().kind(),
        ErrorKind::Validation
    );
    for m in [core, ext] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_delete_group_sends_delete() {
    let mut h = harness().await;
    let m = Expect::new("DELETE", &format!("/v1.0/groups/{GROUP}"))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client.groups().delete(&GroupId::new(GROUP)).await.unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_remove_user_from_group_never_omits_ref() {
    let mut h = harness().await;
    let m = Expect::new("DELETE", &format!("/v1.0/groups/{GROUP}/members/{ADELE}/$ref"))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    h.client
        .groups()
        .remove_member(&GroupId::new(GROUP), &DirectoryObjectId::new(ADELE))
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_search_groups_sends_advanced_query() {
    let mut h = harness().await;
    let m = Expect::new("GET", "/v1.0/groups")
        .query("$select=id%2CdisplayName%2Cmail&$filter=%28startswith%28displayName%2C%27Fin%27%29%29%20and%20%28mailEnabled%20eq%20true%29&$count=true&$top=999")
        .eventual()
        .answer(h.fixture("groups_list"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let groups = h
        .client
        .groups()
        .list(
            ListQuery::new()
                .select(&["id", "displayName", "mail"])
                .filter(Filter::starts_with("displayName", "Fin").and(Filter::eq("mailEnabled", true)))
                .top(999)
                .advanced(),
        )
        .collect_all()
        .await
        .unwrap();
    assert!(groups.len() >= 2);
    assert_eq!(groups[0].display_name.as_deref(), Some("Golf Assist"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_search_group_members_casts_to_users_with_search() {
    let mut h = harness().await;
    let m = Expect::new("GET", &format!("/v1.0/groups/{GROUP}/members/microsoft.graph.user"))
        .query("$select=displayName%2Cid&$search=%22displayName%3APr%22&$orderby=displayName&$count=true")
        .eventual()
        .answer(h.fixture("group_members_users_search"))
        .on(&mut h)
        .await;
    let owners = Expect::new("GET", &format!("/v1.0/groups/{GROUP}/owners"))
        .answer(h.fixture("group_owners"))
        .on(&mut h)
        .await;
    let members = Expect::new("GET", &format!("/v1.0/groups/{GROUP}/members"))
        .answer(h.fixture("group_members"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let mut p = h.client.groups().member_users(
        &GroupId::new(GROUP),
        ListQuery::new()
            .select(&["displayName", "id"])
            .search(Search::term("displayName", "Pr"))
            .order_by("displayName", Order::Asc)
            .count(true),
    );
    let page = p.next_page().await.unwrap().unwrap();
    assert_eq!(p.count(), Some(7));
    assert_eq!(page[1].display_name.as_deref(), Some("Preston Morales"));
    let o = h
        .client
        .groups()
        .owners(&GroupId::new(GROUP), ListQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert!(o.iter().all(DirectoryObject::is_user));
    let all = h
        .client
        .groups()
        .members(&GroupId::new(GROUP), ListQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all[0].mail.as_deref(), Some("user1@contoso.com"));
    for x in [m, owners, members] {
        x.assert_async().await;
    }
    unexpected.assert_async().await;
}

// ---- 1.14 Get Licenses, 1.16 Read Directory Roles, role definitions ------------------------

#[tokio::test]
async fn card_get_licenses_decodes_skus_and_free_seats() {
    let mut h = harness().await;
    let m = Expect::new("GET", "/v1.0/subscribedSkus")
        .answer(h.fixture("subscribed_skus"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let skus = h.client.licenses().subscribed_skus().await.unwrap();
    assert_eq!(skus[0].sku_part_number.as_deref(), Some("ENTERPRISEPREMIUM"));
    assert_eq!(skus[0].available_units(), Some(11));
    assert_eq!(skus[1].capability_status, Some(CapabilityStatus::Suspended));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_read_directory_roles_and_role_definitions() {
    let mut h = harness().await;
    let roles = Expect::new("GET", "/v1.0/directoryRoles")
        .answer(h.fixture("directory_roles"))
        .on(&mut h)
        .await;
    let defs = Expect::new("GET", "/v1.0/roleManagement/directory/roleDefinitions")
        .answer(h.fixture("role_definitions"))
        .on(&mut h)
        .await;
    let activate = Expect::new("POST", "/v1.0/directoryRoles")
        .body(json!({ "roleTemplateId": "fe930be7-5e62-47db-91af-98c3a49a38b1" }))
        .status(201)
        .answer(h.fixture("directory_role_activate"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let r = h.client.roles().directory_roles().collect_all().await.unwrap();
    assert_eq!(r.len(), 3);
    let d = h
        .client
        .roles()
        .role_definitions(ListQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(d[0].display_name.as_deref(), Some("Helpdesk Administrator"));
    assert_eq!(d[0].is_built_in, Some(true));
    let a = h
        .client
        .roles()
        .activate_directory_role(&RoleTemplateId::new("fe930be7-5e62-47db-91af-98c3a49a38b1"))
        .await
        .unwrap();
    assert_eq!(a.display_name.as_deref(), Some("User Administrator"));
    for m in [roles, defs, activate] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

// ---- 1.8 Create Guest User ------------------------------------------------------------------

#[tokio::test]
async fn card_create_guest_user_posts_an_invitation() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/invitations")
        .body(json!({
            "invitedUserEmailAddress": "admin@fabrikam.com",
            "inviteRedirectUrl": "https://myapp.contoso.com",
            "sendInvitationMessage": false,
            "invitedUserType": "Guest",
            "invitedUserMessageInfo": { "messageLanguage": "en-US",
                "ccRecipients": [{ "emailAddress": { "address": "x@y.com", "name": "X" } }] }
        }))
        .status(201)
        .answer(h.fixture("invitation_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let inv = h
        .client
        .invitations()
        .create(&NewInvitation {
            invited_user_email_address: "admin@fabrikam.com".into(),
            invite_redirect_url: "https://myapp.contoso.com".into(),
            invited_user_display_name: None,
            send_invitation_message: false,
            invited_user_type: Some(InvitedUserType::Guest),
            invited_user_message_info: Some(InvitedUserMessageInfo {
                message_language: Some("en-US".into()),
                customized_message_body: None,
                cc_recipients: vec![Recipient {
                    email_address: EmailAddress {
                        name: Some("X".into()),
                        address: Some("x@y.com".into()),
                    },
                }],
            }),
        })
        .await
        .unwrap();
    assert_eq!(
        inv.invited_user.unwrap().id.as_str(),
        "cbb896f9-8306-49d0-b56b-b8e39cd28825"
    );
    assert_eq!(inv.status.as_deref(), Some("PendingAcceptance"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

// ---- 1.6 Create Contact, 1.15 List Contact Folders, 1.24 Search Contacts ---------------------

#[tokio::test]
async fn card_create_contact_in_default_folder_and_in_a_folder() {
    let mut h = harness().await;
    let default = Expect::new("POST", "/v1.0/me/contacts")
        .body(json!({ "givenName": "Pavel", "surname": "Bansky",
            "emailAddresses": [{ "address": "pavelb@contoso.com", "name": "Pavel Bansky" }],
            "businessPhones": ["+1 732 555 0102"] }))
        .status(201)
        .answer(h.fixture("contact_create"))
        .on(&mut h)
        .await;
    let in_folder = Expect::new(
        "POST",
        "/v1.0/users/AdeleV@contoso.com/contactFolders/AAMkAGI2TKI5AAA%3D/contacts",
    )
    .body(json!({ "givenName": "Pavel" }))
    .status(201)
    .answer(h.fixture("contact_create"))
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    let c = h
        .client
        .contacts(&UserRef::Me)
        .create(
            None,
            &ContactInput {
                given_name: Some("Pavel".into()),
                surname: Some("Bansky".into()),
                email_addresses: Some(vec![EmailAddress {
                    address: Some("pavelb@contoso.com".into()),
                    name: Some("Pavel Bansky".into()),
                }]),
                business_phones: Some(vec!["+1 732 555 0102".into()]),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(c.display_name.as_deref(), Some("Pavel Bansky"));
    h.client
        .contacts(&UserRef::parse("AdeleV@contoso.com"))
        .create(
            Some(&ContactFolderId::new("AAMkAGI2TKI5AAA=")),
            &ContactInput {
                given_name: Some("Pavel".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let err = h
        .client
        .contacts(&UserRef::Me)
        .create(None, &ContactInput::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    for m in [default, in_folder] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_list_contact_folders_builds_two_nested_levels() {
    let mut h = harness().await;
    let top_id = "AQMkADIxYjJiYgEzLTFmNjYALTRjYTMtODA1NC0wZDkxZGNmOTcxNTQALgAAA8RJzXYaLKZPlmn0ge0edZkBADa3qi2IMXRNg6RwQSHe_F8AAAIBDgAAAA%3D%3D";
    let top = Expect::new("GET", "/v1.0/me/contactFolders")
        .answer(h.fixture("contact_folders"))
        .on(&mut h)
        .await;
    let level1 = Expect::new("GET", &format!("/v1.0/me/contactFolders/{top_id}/childFolders"))
        .answer(h.fixture("contact_child_folders"))
        .on(&mut h)
        .await;
    let level2 = Expect::new("GET", "/v1.0/me/contactFolders/id-value/childFolders")
        .answer(r#"{"value":[]}"#.into())
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let tree = h.client.contacts(&UserRef::Me).folder_tree().await.unwrap();
    assert_eq!(tree.len(), 1);
    assert_eq!(tree[0].folder.display_name.as_deref(), Some("Contacts"));
    assert_eq!(tree[0].children[0].folder.id.as_str(), "id-value");
    assert!(tree[0].children[0].children.is_empty());
    for m in [top, level1, level2] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn contact_folder_crud() {
    let mut h = harness().await;
    let create = Expect::new("POST", "/v1.0/me/contactFolders")
        .body(json!({ "displayName": "Important contacts" }))
        .status(201)
        .answer(h.fixture("contact_folder_create"))
        .on(&mut h)
        .await;
    let child = Expect::new("POST", "/v1.0/me/contactFolders/AAMkAGI2TKI5AAA%3D/childFolders")
        .body(json!({ "displayName": "Family" }))
        .status(201)
        .answer(h.fixture("contact_child_folder_create"))
        .on(&mut h)
        .await;
    let get = Expect::new("GET", "/v1.0/me/contactFolders/AAMkAGI2TKI5AAA%3D")
        .answer(h.fixture("contact_folder_get"))
        .on(&mut h)
        .await;
    let rename = Expect::new("PATCH", "/v1.0/me/contactFolders/AAMkAGI2TKI5AAA%3D")
        .body(json!({ "displayName": "Finance 2" }))
        .answer(h.fixture("contact_folder_update"))
        .on(&mut h)
        .await;
    let delete = Expect::new("DELETE", "/v1.0/me/contactFolders/AAMkAGI2TKI5AAA%3D")
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let c = h.client.contacts(&UserRef::Me);
    let f = ContactFolderId::new("AAMkAGI2TKI5AAA=");
    assert_eq!(
        c.create_folder("Important contacts", None)
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("Important contacts")
    );
    assert_eq!(
        c.create_folder("Family", Some(&f))
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("Family")
    );
    assert_eq!(c.get_folder(&f).await.unwrap().display_name.as_deref(), Some("Finance"));
    c.rename_folder(&f, "Finance 2").await.unwrap();
    c.delete_folder(&f).await.unwrap();
    for m in [create, child, get, rename, delete] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_search_contacts_by_email_and_contact_crud() {
    let mut h = harness().await;
    let contact_id = "AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEOAAAiIsqMbYjsT5e-T7KzowPTAAAYbuK-AAA%3D";
    // Microsoft's list examples omit ids; the single-contact example is served as a one-item page.
    let page = format!(r#"{{"value":[{}]}}"#, h.fixture("contact_get"));
    let search = Expect::new("GET", "/v1.0/users/AdeleV@contoso.com/contacts")
        .query("$filter=emailAddresses%2Fany%28x%3Ax%2Faddress%20eq%20%27garth%40contoso.com%27%29")
        .answer(page)
        .on(&mut h)
        .await;
    let get = Expect::new("GET", &format!("/v1.0/users/AdeleV@contoso.com/contacts/{contact_id}"))
        .answer(h.fixture("contact_get"))
        .on(&mut h)
        .await;
    let update = Expect::new(
        "PATCH",
        &format!("/v1.0/users/AdeleV@contoso.com/contacts/{contact_id}"),
    )
    .body(json!({ "homePhones": ["+1 732 555 0102"] }))
    .answer(h.fixture("contact_update"))
    .on(&mut h)
    .await;
    let delete = Expect::new(
        "DELETE",
        &format!("/v1.0/users/AdeleV@contoso.com/contacts/{contact_id}"),
    )
    .status(204)
    .on(&mut h)
    .await;
    let unexpected = h.catch_all().await;
    let c = h.client.contacts(&UserRef::parse("AdeleV@contoso.com"));
    let found = c
        .search_by_email(None, "garth@contoso.com")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found[0].display_name.as_deref(), Some("Alex Wilber"));
    let got = c.get(&found[0].id).await.unwrap();
    assert_eq!(got.surname.as_deref(), Some("Wilber"));
    let updated = c
        .update(
            &found[0].id,
            &ContactInput {
                home_phones: Some(vec!["+1 732 555 0102".into()]),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.department.as_deref(), Some("Sales & Marketing"));
    c.delete(&found[0].id).await.unwrap();
    for m in [search, get, update, delete] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

// ---- 1.9 Custom API Action ------------------------------------------------------------------

#[tokio::test]
async fn card_custom_api_action_passes_method_path_query_headers_body() {
    let mut h = harness().await;
    let m = h
        .server
        .mock("PATCH", "/v1.0/users/ann_x.com%23EXT%23@contoso.com")
        .match_query(Matcher::Exact(
            "$select=id&$filter=mail%20eq%20%27a%2Bb@x.com%27&note=a%2Bb%20%26%20c".into(),
        ))
        .match_header("authorization", bearer(1).as_str())
        .match_header("prefer", "return=minimal")
        .match_header("content-type", "application/json")
        .match_body(Matcher::Json(json!({ "jobTitle": "Lead" })))
        .with_status(200)
        .with_header("request-id", "rid-c")
        .with_body(r#"{"id":"x","jobTitle":"Lead"}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mut req = CustomRequest::new(
        HttpMethod::Patch,
        "/users/ann_x.com#EXT#@contoso.com?$select=id&$filter=mail eq 'a+b@x.com'",
    );
    req.query.push(("note".into(), "a+b & c".into()));
    req.headers.push(("Prefer".into(), "return=minimal".into()));
    req.body = Some(json!({ "jobTitle": "Lead" }));
    let resp = h.client.custom(&req).await.unwrap();
    assert_eq!(resp.status, 200);
    assert_eq!(resp.body, CustomBody::Json(json!({"id":"x","jobTitle":"Lead"})));
    assert!(resp.headers.iter().any(|(k, v)| k == "request-id" && v == "rid-c"));
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_custom_api_action_guard_rails() {
    let mut h = harness().await;
    let unexpected = h.catch_all().await;
    for path in [
        "https://evil.example.com/users",
        "//evil.example.com/users",
        "users",
        "/users/../../x",
        "/a\\b",
        // `%2e` is a dot to URL parsers: each of these leaves /v1.0 (onto the practice tenant's
        // admin API, say) unless refused.
        "/.%2e/.%2e/_sandbox/reset",
        "/%2e./_sandbox/reset",
        "/%2E%2e/beta/users",
        "/users/%2e",
    ] {
        let err = h
            .client
            .custom(&CustomRequest::new(HttpMethod::Get, path))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{path}");
    }
    // An id is a path segment too: `..` must not turn /users/{id} into another address.
    // (A typed `%2e` in an id is sent as `%252e`, a literal percent sign: no dot.)
    for id in ["..", "."] {
        let err = h.client.users().get(&UserRef::parse(id), &[]).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Validation, "{id}");
    }
    let mut r = CustomRequest::new(HttpMethod::Get, "/me");
    r.headers.push(("Authorization".into(), "Bearer stolen".into()));
    assert_eq!(h.client.custom(&r).await.unwrap_err().kind(), ErrorKind::Validation);
    assert_eq!(h.tokens.calls(), 0);
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_custom_api_action_auto_paging() {
    let mut h = harness().await;
    let base = h.base();
    let p1 = h
        .server
        .mock("GET", "/v1.0/groups")
        .match_query(Matcher::Exact("$top=1".into()))
        .with_body(
            json!({"@odata.nextLink": format!("{base}/groups?$top=1&$skiptoken=2"), "value": [{"id": "g1"}]})
                .to_string(),
        )
        .expect(1)
        .create_async()
        .await;
    let p2 = h
        .server
        .mock("GET", "/v1.0/groups")
        .match_query(Matcher::Exact("$top=1&$skiptoken=2".into()))
        .with_body(r#"{"value":[{"id":"g2"}]}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let all = h
        .client
        .custom_pages(&CustomRequest::new(HttpMethod::Get, "/groups?$top=1"))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(all, vec![json!({"id":"g1"}), json!({"id":"g2"})]);
    for m in [p1, p2] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_custom_api_action_sends_one_content_type_whatever_was_typed() {
    let mut h = harness().await;
    // Graph gets exactly one Content-Type (two make some Graph front ends answer 400).
    let m = h
        .server
        .mock("POST", "/v1.0/groups")
        .match_request(|req| {
            let types = req.header("content-type");
            types.len() == 1 && types[0] == "application/json"
        })
        .match_body(Matcher::Json(json!({ "displayName": "Sales" })))
        .with_status(201)
        .with_body(r#"{"id":"g1","displayName":"Sales"}"#)
        .expect(2)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    for typed in ["Content-Type", "content-type"] {
        let mut req = CustomRequest::new(HttpMethod::Post, "/groups");
        req.headers
            .push((typed.into(), "application/json; charset=utf-8".into()));
        req.body = Some(json!({ "displayName": "Sales" }));
        assert_eq!(h.client.custom(&req).await.unwrap().status, 201, "{typed}");
    }
    // Any other type would mislabel the JSON body: refused before anything is sent.
    let mut req = CustomRequest::new(HttpMethod::Post, "/groups");
    req.headers.push(("Content-Type".into(), "text/plain".into()));
    req.body = Some(json!({ "displayName": "Sales" }));
    let err = h.client.custom(&req).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    assert!(err.message().unwrap().contains("always sent as JSON"), "{err}");
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_custom_api_action_follows_next_pages_up_to_the_limit() {
    let mut h = harness().await;
    let base = h.base();
    // Five pages of two groups each; every page repeats the typed ConsistencyLevel header.
    let m = h
        .server
        .mock("GET", "/v1.0/groups")
        .match_query(Matcher::Any)
        .match_header("consistencylevel", "eventual")
        .with_body_from_request(move |req| {
            let q = req.path_and_query().split_once('?').map(|x| x.1).unwrap_or("");
            let page: usize = q
                .split('&')
                .find_map(|kv| kv.strip_prefix("$skiptoken="))
                .map(|n| n.parse().unwrap())
                .unwrap_or(0);
            let mut body = json!({
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups",
                "value": [{ "id": format!("g{page}a") }, { "id": format!("g{page}b") }],
            });
            if page < 4 {
                body["@odata.nextLink"] = format!("{base}/groups?$top=2&$skiptoken={}", page + 1).into();
            }
            body.to_string().into()
        })
        .with_header("request-id", "rid-first")
        .expect(3 + 5)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let mut req = CustomRequest::new(HttpMethod::Get, "/groups?$top=2");
    req.headers.push(("ConsistencyLevel".into(), "eventual".into()));

    // A limit of 3 pages: 6 groups, and the link to the 4th page kept so the person sees there is more.
    let out = h.client.custom_follow(&req, 3).await.unwrap();
    assert_eq!((out.pages, out.items), (3, Some(6)));
    let next = format!("{}/groups?$top=2&$skiptoken=3", h.base());
    assert_eq!(out.next_link.as_deref(), Some(next.as_str()));
    let CustomBody::Json(body) = &out.response.body else {
        panic!("{:?}", out.response.body)
    };
    assert_eq!(body["value"].as_array().unwrap().len(), 6);
    assert_eq!(body["value"][5]["id"], "g2b");
    assert_eq!(body["@odata.nextLink"], next.as_str());
    assert_eq!(
        body["@odata.context"],
        "https://graph.microsoft.com/v1.0/$metadata#groups"
    );
    assert!(out
        .response
        .headers
        .iter()
        .any(|(k, v)| k == "request-id" && v == "rid-first"));

    // A limit above the collection: every page, and no next link left in the body.
    let out = h.client.custom_follow(&req, 20).await.unwrap();
    assert_eq!((out.pages, out.items, out.next_link.clone()), (5, Some(10), None));
    let CustomBody::Json(body) = &out.response.body else {
        panic!()
    };
    assert!(body.get("@odata.nextLink").is_none());
    m.assert_async().await;
    unexpected.assert_async().await;
}

#[tokio::test]
async fn card_custom_api_action_follow_stops_on_a_repeated_link_and_leaves_single_objects_alone() {
    let mut h = harness().await;
    let base = h.base();
    let looping = h
        .server
        .mock("GET", "/v1.0/groups")
        .match_query(Matcher::Any)
        .with_body(
            json!({ "@odata.nextLink": format!("{base}/groups?$skiptoken=same"), "value": [{ "id": "g" }] })
                .to_string(),
        )
        .expect(2)
        .create_async()
        .await;
    let me = h
        .server
        .mock("GET", "/v1.0/me")
        .with_body(r#"{"id":"u1","displayName":"Adele Vance"}"#)
        .expect(1)
        .create_async()
        .await;
    let unexpected = h.catch_all().await;
    let err = h
        .client
        .custom_follow(&CustomRequest::new(HttpMethod::Get, "/groups"), 20)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("same next-page link twice"), "{err}");
    let out = h
        .client
        .custom_follow(&CustomRequest::new(HttpMethod::Get, "/me"), 20)
        .await
        .unwrap();
    assert_eq!((out.pages, out.items), (1, None));
    assert_eq!(
        out.response.body,
        CustomBody::Json(json!({"id":"u1","displayName":"Adele Vance"}))
    );
    let err = h
        .client
        .custom_follow(&CustomRequest::new(HttpMethod::Delete, "/groups/g"), 20)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Validation);
    for m in [looping, me] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

#[tokio::test]
async fn transitive_memberships_and_group_owners() {
    let mut h = harness().await;
    let odata_id = format!("{}/directoryObjects/{ADELE}", h.base());
    let trans = Expect::new("GET", &format!("/v1.0/groups/{GROUP}/transitiveMembers"))
        .answer(h.fixture("group_transitive_members"))
        .on(&mut h)
        .await;
    // Microsoft's transitiveMemberOf example omits ids; the memberOf example has the same shape.
    let trans_of = Expect::new("GET", &format!("/v1.0/users/{ADELE}/transitiveMemberOf"))
        .query("$select=id%2CdisplayName")
        .answer(h.fixture("user_member_of_groups"))
        .on(&mut h)
        .await;
    let add_owner = Expect::new("POST", &format!("/v1.0/groups/{GROUP}/owners/$ref"))
        .body(json!({ "@odata.id": odata_id }))
        .status(204)
        .on(&mut h)
        .await;
    let remove_owner = Expect::new("DELETE", &format!("/v1.0/groups/{GROUP}/owners/{ADELE}/$ref"))
        .status(204)
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let g = GroupId::new(GROUP);
    let members = h
        .client
        .groups()
        .transitive_members(&g, ListQuery::new())
        .collect_all()
        .await
        .unwrap();
    assert!(members[0].is_user());
    assert_eq!(members[0].mail.as_deref(), Some("group1@contoso.com"));
    let of = h
        .client
        .users()
        .transitive_member_of(&UserRef::parse(ADELE), ListQuery::new().select(&["id", "displayName"]))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(of.len(), 2);
    h.client
        .groups()
        .add_owner(&g, &DirectoryObjectId::new(ADELE))
        .await
        .unwrap();
    h.client
        .groups()
        .remove_owner(&g, &DirectoryObjectId::new(ADELE))
        .await
        .unwrap();
    for m in [trans, trans_of, add_owner, remove_owner] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

/// Assign Role by a role's id and in an administrative unit: the definition (built-in or custom) or
/// the activated role is read by id, the units are listed, the assignment carries the unit's
/// scope, and a person's assignment is read back by id with its role definition.
#[tokio::test]
async fn card_assign_role_by_id_in_an_administrative_unit() {
    let mut h = harness().await;
    let custom = "5c4d3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a";
    let unit = "8a2f6b1c-3d4e-4f5a-9b6c-7d8e9f0a1b2c";
    let definition_path = format!("/v1.0/roleManagement/directory/roleDefinitions/{custom}");
    let definition = Expect::new("GET", &definition_path)
        .answer(json!({"id": custom, "displayName": "Contoso Password Helper", "isBuiltIn": false, "isEnabled": true, "rolePermissions": []}).to_string())
        .on(&mut h)
        .await;
    let activated = Expect::new("GET", "/v1.0/directoryRoles/f8e85ed8-f66f-4058-b170-3efae8b9c6e5")
        .answer(json!({"id": "f8e85ed8-f66f-4058-b170-3efae8b9c6e5", "displayName": "User Administrator", "roleTemplateId": "fe930be7-5e62-47db-91af-98c3a49a38b1"}).to_string())
        .on(&mut h)
        .await;
    let units = Expect::new("GET", "/v1.0/directory/administrativeUnits")
        .query("$select=id%2CdisplayName%2Cdescription")
        .answer(json!({"value": [{"id": unit, "displayName": "Seattle office", "description": null}]}).to_string())
        .on(&mut h)
        .await;
    let scope = format!("/administrativeUnits/{unit}");
    let assign = Expect::new("POST", "/v1.0/roleManagement/directory/roleAssignments")
        .body(json!({"@odata.type": "#microsoft.graph.unifiedRoleAssignment", "roleDefinitionId": custom,
                     "principalId": "f1847572-48aa-47aa-96a3-2ec61904f41f", "directoryScopeId": scope}))
        .status(201)
        .answer(json!({"id": "a1", "roleDefinitionId": custom, "principalId": "f1847572-48aa-47aa-96a3-2ec61904f41f", "directoryScopeId": scope}).to_string())
        .on(&mut h)
        .await;
    let read = Expect::new("GET", "/v1.0/roleManagement/directory/roleAssignments/a1")
        .query("$expand=roleDefinition")
        .answer(json!({"id": "a1", "roleDefinitionId": custom, "principalId": "f1847572-48aa-47aa-96a3-2ec61904f41f", "directoryScopeId": scope,
                       "roleDefinition": {"id": custom, "displayName": "Contoso Password Helper", "isBuiltIn": false}}).to_string())
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let roles = h.client.roles();
    let d = roles.role_definition(&RoleDefinitionId::new(custom)).await.unwrap();
    assert_eq!(
        (d.display_name.as_deref(), d.is_built_in),
        (Some("Contoso Password Helper"), Some(false))
    );
    let r = roles
        .directory_role(&DirectoryRoleId::new("f8e85ed8-f66f-4058-b170-3efae8b9c6e5"))
        .await
        .unwrap();
    assert_eq!(
        r.role_template_id.unwrap().as_str(),
        "fe930be7-5e62-47db-91af-98c3a49a38b1"
    );
    let u = roles.administrative_units().collect_all().await.unwrap();
    assert_eq!(u[0].display_name.as_deref(), Some("Seattle office"));
    let a = roles
        .assign(
            &d.id,
            &DirectoryObjectId::new("f1847572-48aa-47aa-96a3-2ec61904f41f"),
            &scope,
        )
        .await
        .unwrap();
    let back = roles.assignment(&a.id).await.unwrap();
    assert_eq!(back.directory_scope_id.as_deref(), Some(scope.as_str()));
    assert_eq!(
        back.role_definition.and_then(|d| d.display_name).as_deref(),
        Some("Contoso Password Helper")
    );
    for m in [definition, activated, units, assign, read] {
        m.assert_async().await;
    }
    unexpected.assert_async().await;
}

/// Create Contact with every property of the card: the addresses and lists are sent as Graph names them.
#[tokio::test]
async fn card_create_contact_sends_every_property_of_the_card() {
    let mut h = harness().await;
    let m = Expect::new("POST", "/v1.0/me/contacts")
        .body(json!({
            "givenName": "Pavel", "spouseName": "Ana", "profession": "Engineer", "manager": "Dana Smith",
            "yomiGivenName": "パヴェル", "yomiSurname": "バンスキー", "yomiCompanyName": "コントソ",
            "birthday": "1990-05-17T00:00:00Z", "children": ["Mia"], "categories": ["Suppliers"], "homePhones": ["+1 732 555 0103"],
            "imAddresses": ["pavel@im.contoso.com"],
            "businessAddress": {"street": "1 Main Street", "city": "Redmond", "state": "WA", "postalCode": "98052", "countryOrRegion": "United States"},
            "homeAddress": {"city": "Seattle"}
        }))
        .status(201)
        .answer(h.fixture("contact_create"))
        .on(&mut h)
        .await;
    let unexpected = h.catch_all().await;
    let s = |v: &str| Some(v.to_string());
    h.client
        .contacts(&UserRef::Me)
        .create(
            None,
            &ContactInput {
                given_name: s("Pavel"),
                spouse_name: s("Ana"),
                profession: s("Engineer"),
                manager: s("Dana Smith"),
                yomi_given_name: s("パヴェル"),
                yomi_surname: s("バンスキー"),
                yomi_company_name: s("コントソ"),
                birthday: s("1990-05-17T00:00:00Z"),
                children: Some(vec!["Mia".into()]),
                categories: Some(vec!["Suppliers".into()]),
                home_phones: Some(vec!["+1 732 555 0103".into()]),
                im_addresses: Some(vec!["pavel@im.contoso.com".into()]),
                business_address: Some(PhysicalAddress {
                    street: s("1 Main Street"),
                    city: s("Redmond"),
                    state: s("WA"),
                    postal_code: s("98052"),
                    country_or_region: s("United States"),
                }),
                home_address: Some(PhysicalAddress {
                    city: s("Seattle"),
                    ..Default::default()
                }),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    m.assert_async().await;
    unexpected.assert_async().await;
}
