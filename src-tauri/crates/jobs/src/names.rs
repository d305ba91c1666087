//! Jobs over people named by sign-in name or email (CSV import's "add members" and "assign
//! licences"): the names are looked up in Graph (20 per `$batch`), and the people found are
//! previewed by [`crate::plan`] as if they had been chosen in a table. A name no one has is its
//! own refused row, in the file's order.

use std::collections::HashMap;

use directory::explain::{explain, Action};
use directory::Error;
use msgraph::{BatchRequest, Client, Filter, ListQuery, User, MAX_BATCH};
use serde::Deserialize;

use crate::model::{JobKind, JobRow, RowCheck, RowStatus};
use crate::plan::{plan, Planned};

#[derive(Deserialize)]
struct Found {
    #[serde(default)]
    value: Vec<User>,
}

/// Each name's person: by sign-in name, else by email; keyed folded.
async fn look_up(client: &Client, names: &[String]) -> Result<HashMap<String, Option<User>>, Error> {
    let mut requests = Vec::with_capacity(names.len());
    for (n, name) in names.iter().enumerate() {
        let filter = Filter::eq("userPrincipalName", name.as_str()).or(Filter::eq("mail", name.as_str()));
        let query = ListQuery::new()
            .filter(filter)
            .select(&["id", "displayName", "userPrincipalName"])
            .top(1);
        requests
            .push(BatchRequest::list(n.to_string(), "/users", &query).map_err(|e| explain(Action::ReadDirectory, e))?);
    }
    let mut out = HashMap::new();
    for (chunk_names, chunk) in names.chunks(MAX_BATCH).zip(requests.chunks(MAX_BATCH)) {
        let answers = client
            .batch(chunk)
            .await
            .map_err(|e| explain(Action::ReadDirectory, e))?;
        for (name, a) in chunk_names.iter().zip(answers) {
            if let Some(e) = a.error() {
                return Err(explain(Action::ReadDirectory, e));
            }
            let found: Found = a.decode().map_err(|e| explain(Action::ReadDirectory, e))?;
            out.insert(name.to_lowercase(), found.value.into_iter().next());
        }
    }
    Ok(out)
}

/// The preview of `kind` (add to group, assign licence) over the people `names` name, in order.
pub async fn plan_by_names(client: &Client, kind: &JobKind, names: &[String]) -> Result<Planned, Error> {
    if names.is_empty() {
        return Err(Error::invalid("rows", "Choose at least one row."));
    }
    let found = look_up(client, names).await?;
    let id_of = |name: &String| {
        found
            .get(&name.to_lowercase())
            .and_then(|u| u.as_ref())
            .map(|u| u.id.as_str().to_string())
    };
    let ids: Vec<String> = names.iter().filter_map(id_of).collect();
    let (title, mut by_id): (String, HashMap<String, JobRow>) = if ids.is_empty() {
        (kind.label().to_string(), HashMap::new())
    } else {
        let planned = plan(client, kind, &ids).await?;
        let rows = planned
            .rows
            .into_iter()
            .map(|r| (r.object_id.to_lowercase(), r))
            .collect();
        (planned.title, rows)
    };
    let mut rows = Vec::with_capacity(names.len());
    for (n, name) in names.iter().enumerate() {
        let index = n as u32 + 1;
        let id = id_of(name);
        let planned = id.as_ref().and_then(|id| by_id.remove(&id.to_lowercase()));
        let reason = match id {
            Some(_) => format!("{name} is a person another row already names: each person once per job."),
            None => format!("No one in the directory signs in as {name} or has it as their email."),
        };
        rows.push(match planned {
            Some(r) => JobRow { index, ..r },
            None => JobRow {
                index,
                object_id: name.clone(),
                name: name.clone(),
                check: RowCheck::Refused { reason },
                status: RowStatus::Planned,
                reason: None,
                request_id: None,
                change: None,
            },
        });
    }
    Ok(Planned {
        kind: kind.clone(),
        title,
        rows,
    })
}
