//! Create Cloud User (1.5) as one chain: the account, then its manager, groups and licence.
//! Everything is checked before the account is created (the groups can take members, the licence
//! has a free seat and the person a usage location). Right after a create, Microsoft's directory
//! may still answer "does not exist" for the new account (replication lag, documented for
//! Graph); those answers are retried with a bounded backoff ([`Patience`]). A step that fails
//! after the create is reported with the account, never as "the user was not created".

use std::time::Duration;

use msgraph::{AssignedLicense, Client, DirectoryObjectId, ErrorKind, Group, NewUser, User, UserRef};
use serde::{Deserialize, Serialize};

use crate::explain::{explain, Action};
use crate::{groups, licenses, users, Error};

/// What the New user form sends: the account, and what to give it at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct NewUserRequest {
    pub user: NewUser,
    /// The manager: object id, sign-in name or email address.
    #[serde(default)]
    pub manager: Option<String>,
    /// Groups to add the person to (object ids or names).
    #[serde(default)]
    pub groups: Vec<String>,
    /// A licence to give (SKU id or part number).
    #[serde(default)]
    pub license: Option<String>,
}

/// How long to wait out "does not exist" right after a create: one wait before each retry.
#[derive(Debug, Clone, PartialEq)]
pub struct Patience {
    pub waits: Vec<Duration>,
}

impl Default for Patience {
    /// 1, 2, 4, 8 and 10 seconds: at most 25 s in all.
    fn default() -> Self {
        Patience {
            waits: [1, 2, 4, 8, 10].into_iter().map(Duration::from_secs).collect(),
        }
    }
}

/// One step after the create, as the person is shown it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Step {
    /// "added to Sales", "licensed: Microsoft 365 E5", "manager: Adele Vance".
    Done { what: String },
    /// Microsoft needed time before the next step could be done.
    Waited { seconds: u32 },
    /// Not done; the account exists.
    Failed { what: String, reason: String },
}

/// What Create Cloud User did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct CreatedUser {
    pub user: User,
    pub steps: Vec<Step>,
}

impl CreatedUser {
    /// "Kim Lee was created · added to Sales · waited 3 s for Microsoft · licensed: Microsoft 365 E5."
    /// or, when a step failed, what exists and what was not done.
    pub fn summary(&self) -> String {
        let name = users::name_of(&self.user);
        let mut parts = vec![format!("{name} was created")];
        for s in &self.steps {
            match s {
                Step::Done { what } => parts.push(what.clone()),
                Step::Waited { seconds } => parts.push(format!("waited {seconds} s for Microsoft")),
                Step::Failed { .. } => {}
            }
        }
        let mut out = format!("{}.", parts.join(" · "));
        let failed: Vec<String> = self
            .steps
            .iter()
            .filter_map(|s| match s {
                Step::Failed { what, reason } => Some(format!("{what} ({reason})")),
                _ => None,
            })
            .collect();
        if !failed.is_empty() {
            out.push_str(&format!(
                " The account exists, but this was not done: {}. Do it from {name}'s page.",
                failed.join("; ")
            ));
        }
        out
    }

    pub fn complete(&self) -> bool {
        !self.steps.iter().any(|s| matches!(s, Step::Failed { .. }))
    }
}

/// Checked before anything is created: what the chain will give.
struct Plan {
    manager: Option<User>,
    groups: Vec<Group>,
    license: Option<(AssignedLicense, String)>,
}

async fn plan(client: &Client, req: &NewUserRequest) -> Result<Plan, Error> {
    let manager = match req.manager.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Some(users::find(client, "manager", m, &["id", "displayName", "userPrincipalName"]).await?),
        None => None,
    };
    let mut found: Vec<Group> = Vec::new();
    for key in req.groups.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        let g = groups::find(
            client,
            "groups",
            key,
            &[
                "id",
                "displayName",
                "groupTypes",
                "onPremisesSyncEnabled",
                "membershipRule",
            ],
        )
        .await?;
        groups::check_membership_editable("groups", &g)?;
        if !found.iter().any(|f| f.id == g.id) {
            found.push(g);
        }
    }
    let license = match req.license.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        Some(key) => {
            if req
                .user
                .profile
                .usage_location
                .as_deref()
                .is_none_or(|l| l.trim().is_empty())
            {
                return Err(Error::invalid(
                    "usageLocation",
                    "Microsoft requires a usage location (the country where the licence is used, such as US or GB) before a licence can be given. Fill in Usage location, or give the licence later.",
                ));
            }
            let all = licenses::list(client).await?;
            let l = licenses::find(&all, "license", key)?;
            if l.free <= 0 {
                return Err(Error::invalid(
                    "license",
                    format!(
                        "No {} licences are free. Choose another licence, or give one later.",
                        l.name
                    ),
                ));
            }
            let add = AssignedLicense {
                sku_id: l.sku.sku_id.clone(),
                disabled_plans: Vec::new(),
            };
            Some((add, l.name.clone()))
        }
        None => None,
    };
    Ok(Plan {
        manager,
        groups: found,
        license,
    })
}

/// Whether Graph's answer is the "does not exist" it gives for an object created a moment ago.
fn not_replicated_yet(e: &msgraph::Error) -> bool {
    e.kind() == ErrorKind::NotFound || e.has_code("Request_ResourceNotFound")
}

/// Runs `op`, waiting out "does not exist" answers as `patience` allows; the waits are added to
/// `steps`. The last error is returned when patience runs out.
async fn patiently<F, Fut>(patience: &Patience, steps: &mut Vec<Step>, mut op: F) -> Result<(), msgraph::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), msgraph::Error>>,
{
    let mut waits = patience.waits.iter();
    let mut waited = Duration::ZERO;
    let result = loop {
        match op().await {
            Err(e) if not_replicated_yet(&e) => match waits.next() {
                Some(w) => {
                    tokio::time::sleep(*w).await;
                    waited += *w;
                }
                None => break Err(e),
            },
            other => break other,
        }
    };
    if !waited.is_zero() {
        steps.push(Step::Waited {
            seconds: u32::try_from(waited.as_secs()).unwrap_or(u32::MAX).max(1),
        });
    }
    result
}

fn failed(what: String, e: msgraph::Error, action: Action) -> Step {
    let reason = match explain(action, e) {
        Error::Explained { hint, graph } => format!("{hint} Request id {}", graph.request_id().unwrap_or("unknown")),
        other => other.to_string(),
    };
    Step::Failed { what, reason }
}

/// Create Cloud User with its manager, groups and licence (see the module doc).
pub async fn create(client: &Client, req: &NewUserRequest, patience: &Patience) -> Result<CreatedUser, Error> {
    let checked = users::checked_new_user(&req.user)?;
    let plan = plan(client, req).await?;
    let user = users::create(client, &checked).await?;
    let id = DirectoryObjectId::from(&user.id);
    let r = UserRef::Id(user.id.clone());
    let mut steps = Vec::new();
    if let Some(m) = &plan.manager {
        let manager = DirectoryObjectId::from(&m.id);
        let name = users::name_of(m);
        match patiently(patience, &mut steps, || async {
            client.users().set_manager(&r, &manager).await
        })
        .await
        {
            Ok(()) => steps.push(Step::Done {
                what: format!("manager: {name}"),
            }),
            Err(e) => steps.push(failed(format!("manager {name} not set"), e, Action::ManageUsers)),
        }
    }
    for g in &plan.groups {
        let name = groups::name_of(g);
        match patiently(patience, &mut steps, || async {
            client.groups().add_member(&g.id, &id).await
        })
        .await
        {
            Ok(()) => steps.push(Step::Done {
                what: format!("added to {name}"),
            }),
            Err(e) => steps.push(failed(format!("not added to {name}"), e, Action::ManageMembership)),
        }
    }
    if let Some((add, name)) = &plan.license {
        let assign = || async {
            client
                .users()
                .assign_license(&r, std::slice::from_ref(add), &[])
                .await
                .map(|_| ())
        };
        match patiently(patience, &mut steps, assign).await {
            Ok(()) => steps.push(Step::Done {
                what: format!("licensed: {name}"),
            }),
            Err(e) => steps.push(failed(format!("{name} not given"), e, Action::ManageLicenses)),
        }
    }
    Ok(CreatedUser { user, steps })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        serde_json::from_value(serde_json::json!({"id": "u1", "displayName": "Kim Lee"})).unwrap()
    }

    #[test]
    fn the_summary_lists_each_step_in_order() {
        let c = CreatedUser {
            user: user(),
            steps: vec![
                Step::Done {
                    what: "added to Sales".into(),
                },
                Step::Waited { seconds: 3 },
                Step::Done {
                    what: "licensed: Microsoft 365 E5".into(),
                },
            ],
        };
        assert!(c.complete());
        assert_eq!(
            c.summary(),
            "Kim Lee was created · added to Sales · waited 3 s for Microsoft · licensed: Microsoft 365 E5."
        );
    }

    #[test]
    fn a_failed_step_says_the_account_exists_and_what_was_not_done() {
        let c = CreatedUser {
            user: user(),
            steps: vec![
                Step::Done {
                    what: "added to Sales".into(),
                },
                Step::Failed {
                    what: "Microsoft 365 E5 not given".into(),
                    reason: "No seats are free.".into(),
                },
            ],
        };
        assert!(!c.complete());
        assert_eq!(
            c.summary(),
            "Kim Lee was created · added to Sales. The account exists, but this was not done: Microsoft 365 E5 not given (No seats are free.). Do it from Kim Lee's page."
        );
    }
}
