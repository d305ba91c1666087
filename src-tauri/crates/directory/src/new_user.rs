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

/// Where the chain is, told as it goes (the New user form shows it while it runs): the account
/// was created, the steps done so far, and whether Microsoft is being waited for now.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// The new account's name.
    pub created: String,
    pub steps: Vec<Step>,
    /// Microsoft said "does not exist" for the new account a moment ago: waiting before trying again.
    pub waiting: bool,
}

/// The steps of one run, each told to `tell` as it happens.
struct Chain<'a> {
    progress: Progress,
    tell: &'a (dyn Fn(&Progress) + Send + Sync),
}

impl Chain<'_> {
    fn push(&mut self, step: Step) {
        self.progress.steps.push(step);
        self.progress.waiting = false;
        (self.tell)(&self.progress);
    }

    fn waiting(&mut self) {
        if !self.progress.waiting {
            self.progress.waiting = true;
            (self.tell)(&self.progress);
        }
    }
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
/// the chain's steps. The last error is returned when patience runs out.
async fn patiently<F, Fut>(patience: &Patience, chain: &mut Chain<'_>, op: F) -> Result<(), msgraph::Error>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<(), msgraph::Error>>,
{
    let (result, waited) = until_replicated(patience, op, || chain.waiting()).await;
    if !waited.is_zero() {
        chain.push(Step::Waited {
            seconds: u32::try_from(waited.as_secs()).unwrap_or(u32::MAX).max(1),
        });
    }
    result
}

/// Runs `op` until it answers something other than "does not exist yet" (replication lag right
/// after a create), waiting as `patience` allows and calling `on_wait` before each wait. Returns
/// the last answer and the time waited. Create Cloud User's chain and Create Guest User's read of
/// the new guest both wait this way.
pub async fn until_replicated<T, F, Fut>(
    patience: &Patience,
    mut op: F,
    mut on_wait: impl FnMut(),
) -> (Result<T, msgraph::Error>, Duration)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, msgraph::Error>>,
{
    let mut waits = patience.waits.iter();
    let mut waited = Duration::ZERO;
    let result = loop {
        match op().await {
            Err(e) if not_replicated_yet(&e) => match waits.next() {
                Some(w) => {
                    on_wait();
                    tokio::time::sleep(*w).await;
                    waited += *w;
                }
                None => break Err(e),
            },
            other => break other,
        }
    };
    (result, waited)
}

fn failed(what: String, e: msgraph::Error, action: Action) -> Step {
    let reason = match explain(action, e) {
        Error::Explained { hint, graph } => format!("{hint} Request id {}", graph.request_id().unwrap_or("unknown")),
        other => other.to_string(),
    };
    Step::Failed { what, reason }
}

/// Create Cloud User with its manager, groups and licence (see the module doc). `tell` hears
/// where the chain is after the create, after each step and when a wait for Microsoft starts.
pub async fn create(
    client: &Client,
    req: &NewUserRequest,
    patience: &Patience,
    tell: &(dyn Fn(&Progress) + Send + Sync),
) -> Result<CreatedUser, Error> {
    let checked = users::checked_new_user(&req.user)?;
    let plan = plan(client, req).await?;
    let user = users::create(client, &checked).await?;
    let id = DirectoryObjectId::from(&user.id);
    let r = UserRef::Id(user.id.clone());
    let mut chain = Chain {
        progress: Progress {
            created: users::name_of(&user),
            steps: Vec::new(),
            waiting: false,
        },
        tell,
    };
    tell(&chain.progress);
    if let Some(m) = &plan.manager {
        let manager = DirectoryObjectId::from(&m.id);
        let name = users::name_of(m);
        match patiently(patience, &mut chain, || async {
            client.users().set_manager(&r, &manager).await
        })
        .await
        {
            Ok(()) => chain.push(Step::Done {
                what: format!("manager: {name}"),
            }),
            Err(e) => chain.push(failed(format!("manager {name} not set"), e, Action::ManageUsers)),
        }
    }
    for g in &plan.groups {
        let name = groups::name_of(g);
        match patiently(patience, &mut chain, || async {
            client.groups().add_member(&g.id, &id).await
        })
        .await
        {
            Ok(()) => chain.push(Step::Done {
                what: format!("added to {name}"),
            }),
            Err(e) => chain.push(failed(format!("not added to {name}"), e, Action::ManageMembership)),
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
        match patiently(patience, &mut chain, assign).await {
            Ok(()) => chain.push(Step::Done {
                what: format!("licensed: {name}"),
            }),
            Err(e) => chain.push(failed(format!("{name} not given"), e, Action::ManageLicenses)),
        }
    }
    Ok(CreatedUser {
        user,
        steps: chain.progress.steps,
    })
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
