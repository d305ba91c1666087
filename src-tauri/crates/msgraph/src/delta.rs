//! Delta walks over `/users/delta` and `/groups/delta`.

use std::collections::HashSet;

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::client::{Client, Req};
use crate::delta_types::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta, RemovedReason};
use crate::error::{Error, ErrorKind};

/// Which directory collection to track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeltaResource {
    Users,
    Groups,
}

impl DeltaResource {
    fn path(self) -> &'static str {
        match self {
            DeltaResource::Users => "/users/delta",
            DeltaResource::Groups => "/groups/delta",
        }
    }
}

impl Client {
    /// Starts a delta walk. Nothing is sent until [`DeltaWalk::next_page`].
    ///
    /// `select` is only used for `Full` and `Latest` (a resumed walk's options live in its
    /// cursor). For groups, `members` is added to `select` when missing, so membership changes
    /// arrive as `members@delta`.
    pub fn delta(&self, resource: DeltaResource, select: &[&str], start: DeltaStart) -> DeltaWalk {
        let mut props: Vec<&str> = select.to_vec();
        if resource == DeltaResource::Groups && !props.contains(&"members") {
            props.push("members");
        }
        let first = match start {
            DeltaStart::Resume(cursor) => Req::absolute(Method::GET, cursor.0),
            DeltaStart::Full => Req::get(resource.path()).select(&props),
            DeltaStart::Latest => Req::get(resource.path())
                .select(&props)
                .query_pairs([("$deltatoken", "latest")]),
        };
        DeltaWalk {
            client: self.clone(),
            next: Some(first),
            seen: HashSet::new(),
        }
    }
}

/// One delta walk: pages until the one carrying `@odata.deltaLink`. Owns its client (`'static`,
/// `Send`). Both token-expiry signals (400 `syncStateNotFound` & co., 410 Gone) surface as
/// [`ErrorKind::DeltaExpired`].
pub struct DeltaWalk {
    client: Client,
    next: Option<Req>,
    seen: HashSet<String>,
}

impl std::fmt::Debug for DeltaWalk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeltaWalk").field("done", &self.next.is_none()).finish()
    }
}

#[derive(Deserialize)]
struct RawPage {
    #[serde(default)]
    value: Vec<Map<String, Value>>,
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
    #[serde(rename = "@odata.deltaLink")]
    delta_link: Option<String>,
}

impl DeltaWalk {
    /// The next page; `None` after the page that carried the deltaLink. Empty pages with a
    /// nextLink are returned as empty pages (the walk is not over).
    pub async fn next_page(&mut self) -> Result<Option<DeltaPage>, Error> {
        let Some(req) = self.next.take() else {
            return Ok(None);
        };
        let resp = match self.client.execute(&req).await {
            Ok(r) => r,
            Err(e) if e.status() == Some(410) => return Err(e.with_kind(ErrorKind::DeltaExpired)),
            Err(e) => return Err(e),
        };
        let DecodedPage {
            objects,
            next_link,
            delta_link,
        } = decode_page(&resp.body)?;
        match (next_link, delta_link) {
            (Some(next), _) => {
                if !self.seen.insert(next.clone()) {
                    return Err(Error::decode(
                        "Graph sent the same delta next-page link twice; stopped to avoid an endless loop",
                        None,
                        None,
                    ));
                }
                self.next = Some(Req::absolute(Method::GET, next));
                Ok(Some(DeltaPage {
                    objects,
                    delta_link: None,
                }))
            }
            (None, Some(delta)) => Ok(Some(DeltaPage {
                objects,
                delta_link: Some(DeltaCursor(delta)),
            })),
            (None, None) => Err(Error::decode(
                "a delta page carried neither @odata.nextLink nor @odata.deltaLink",
                None,
                None,
            )),
        }
    }
}

/// One delta answer's body: its objects and links.
pub(crate) struct DecodedPage {
    pub objects: Vec<DeltaObject>,
    pub next_link: Option<String>,
    pub delta_link: Option<String>,
}

/// Decodes one delta answer's body.
pub(crate) fn decode_page(body: &[u8]) -> Result<DecodedPage, Error> {
    let raw: RawPage = crate::client::decode(body)?;
    let mut objects = Vec::with_capacity(raw.value.len());
    for (i, item) in raw.value.into_iter().enumerate() {
        objects.push(parse_object(item).map_err(|msg| Error::decode(msg, Some(format!("value[{i}]")), None))?);
    }
    Ok(DecodedPage {
        objects,
        next_link: raw.next_link,
        delta_link: raw.delta_link,
    })
}

fn parse_reason(v: &Value) -> RemovedReason {
    match v.get("reason").and_then(Value::as_str) {
        Some("changed") => RemovedReason::Changed,
        Some("deleted") => RemovedReason::Deleted,
        Some(other) => RemovedReason::Unknown(other.to_string()),
        None => RemovedReason::Unknown(String::new()),
    }
}

/// Turns one delta item into a [`DeltaObject`].
pub(crate) fn parse_object(mut item: Map<String, Value>) -> Result<DeltaObject, String> {
    let id = match item.remove("id") {
        Some(Value::String(s)) => s,
        _ => return Err("a delta item has no string `id`".to_string()),
    };
    let removed = item.remove("@removed").map(|v| parse_reason(&v));
    let members_delta = relation_entries(item.remove("members@delta"), "members@delta")?;
    let owners_delta = relation_entries(item.remove("owners@delta"), "owners@delta")?;
    item.retain(|k, _| !k.starts_with("@odata."));
    Ok(DeltaObject {
        id,
        removed,
        properties: item,
        members_delta,
        owners_delta,
    })
}

/// The entries of a relationship annotation (`members@delta`, `owners@delta`).
fn relation_entries(value: Option<Value>, name: &str) -> Result<Vec<MemberDelta>, String> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(entries)) => {
            let mut out = Vec::with_capacity(entries.len());
            for (j, e) in entries.into_iter().enumerate() {
                let id = e
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{name}[{j}] has no string `id`"))?;
                out.push(MemberDelta {
                    id: id.to_string(),
                    odata_type: e.get("@odata.type").and_then(Value::as_str).map(str::to_string),
                    removed: e.get("@removed").is_some(),
                });
            }
            Ok(out)
        }
        Some(_) => Err(format!("`{name}` is not a list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owners_are_split_out_like_members() {
        let Value::Object(item) = json!({
            "id": "g1",
            "displayName": "Sales",
            "owners@delta": [
                {"@odata.type": "#microsoft.graph.user", "id": "u1"},
                {"@odata.type": "#microsoft.graph.user", "id": "u2", "@removed": {"reason": "deleted"}}
            ]
        }) else {
            unreachable!()
        };
        let o = parse_object(item).unwrap();
        assert_eq!(o.properties.keys().collect::<Vec<_>>(), ["displayName"]);
        assert!(o.members_delta.is_empty());
        assert_eq!(
            o.owners_delta
                .iter()
                .map(|m| (m.id.as_str(), m.removed))
                .collect::<Vec<_>>(),
            [("u1", false), ("u2", true)]
        );
        let Value::Object(bad) = json!({"id": "g1", "owners@delta": {"id": "u1"}}) else {
            unreachable!()
        };
        assert_eq!(parse_object(bad).unwrap_err(), "`owners@delta` is not a list");
    }

    #[test]
    fn removed_members_and_annotations_are_split_out() {
        let Value::Object(item) = json!({
            "@odata.type": "#microsoft.graph.group",
            "displayName": "TestGroup3",
            "description": null,
            "id": "2e5807ce-58f3-4a94-9b37-ffff2e085957",
            "members@delta": [
                {"@odata.type": "#microsoft.graph.user", "id": "632f", "@removed": {"reason": "deleted"}},
                {"@odata.type": "#microsoft.graph.user", "id": "37de"}
            ]
        }) else {
            unreachable!()
        };
        let o = parse_object(item).unwrap();
        assert_eq!(o.id, "2e5807ce-58f3-4a94-9b37-ffff2e085957");
        assert_eq!(o.removed, None);
        assert_eq!(o.properties.keys().collect::<Vec<_>>(), ["description", "displayName"]);
        assert_eq!(o.properties["description"], Value::Null);
        assert_eq!(
            o.members_delta,
            vec![
                MemberDelta {
                    id: "632f".into(),
                    odata_type: Some("#microsoft.graph.user".into()),
                    removed: true
                },
                MemberDelta {
                    id: "37de".into(),
                    odata_type: Some("#microsoft.graph.user".into()),
                    removed: false
                },
            ]
        );
    }

    #[test]
    fn removed_reason_variants() {
        for (reason, want) in [
            ("changed", RemovedReason::Changed),
            ("deleted", RemovedReason::Deleted),
            ("purged", RemovedReason::Unknown("purged".into())),
        ] {
            let Value::Object(item) = json!({"id": "x", "@removed": {"reason": reason}}) else {
                unreachable!()
            };
            assert_eq!(parse_object(item).unwrap().removed, Some(want));
        }
    }
}
