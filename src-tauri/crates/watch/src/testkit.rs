//! Helpers for tests of this crate and of its users (xtask): Graph delta JSON → typed pages, a
//! scripted `DeltaSource` that plays back prepared walks, and a clock moved by hand.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use msgraph::{DeltaCursor, DeltaObject, DeltaPage, DeltaStart, MemberDelta, RemovedReason};
use serde_json::{Map, Value};
use time::{Duration, OffsetDateTime};

use crate::engine::Clock;
use crate::model::Resource;
use crate::source::{DeltaPages, DeltaSource, SourceError};

/// One delta response body (`{"value": [...], "@odata.nextLink" | "@odata.deltaLink": ...}`) as a
/// typed page, following the agreed `msgraph::delta_types` contract: `id`, `@removed`,
/// `members@delta` and `@odata.*` annotations are taken out of `properties`.
///
/// Panics on a body that is not a delta page: it is meant for fixtures.
pub fn page_from_json(body: &Value) -> DeltaPage {
    let values = body.get("value").and_then(Value::as_array).cloned().unwrap_or_default();
    let objects = values.iter().map(object_from_json).collect();
    let delta_link = body
        .get("@odata.deltaLink")
        .and_then(Value::as_str)
        .map(|s| DeltaCursor(s.to_owned()));
    DeltaPage { objects, delta_link }
}

fn reason(v: &Value) -> RemovedReason {
    match v.get("reason").and_then(Value::as_str) {
        Some("changed") => RemovedReason::Changed,
        Some("deleted") => RemovedReason::Deleted,
        other => RemovedReason::Unknown(other.unwrap_or_default().to_owned()),
    }
}

/// One delta item as a typed object (see `page_from_json`).
pub fn object_from_json(item: &Value) -> DeltaObject {
    let mut map: Map<String, Value> = item.as_object().cloned().unwrap_or_default();
    let id = map
        .remove("id")
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    let removed = map.remove("@removed").map(|v| reason(&v));
    let mut relation = |name: &str| -> Vec<MemberDelta> {
        map.remove(name)
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|m| MemberDelta {
                id: m.get("id").and_then(Value::as_str).unwrap_or_default().to_owned(),
                odata_type: m.get("@odata.type").and_then(Value::as_str).map(str::to_owned),
                removed: m.get("@removed").is_some(),
            })
            .collect()
    };
    let members_delta = relation("members@delta");
    let owners_delta = relation("owners@delta");
    map.retain(|k, _| !k.starts_with("@odata.") && !k.contains("@odata."));
    DeltaObject {
        id,
        removed,
        properties: map,
        members_delta,
        owners_delta,
    }
}

/// A scripted walk: its pages, or an error at some point.
#[derive(Debug, Clone)]
pub enum Step {
    Page(DeltaPage),
    Fail(SourceError),
}

/// A `DeltaSource` that plays back queued walks per resource, and records how each walk started.
/// A walk requested when none is queued returns an empty page with the given cursor unchanged
/// (nothing changed).
#[derive(Debug, Default, Clone)]
pub struct ScriptedSource {
    inner: Arc<Mutex<Scripted>>,
}

#[derive(Debug, Default)]
struct Scripted {
    users: VecDeque<Vec<Step>>,
    groups: VecDeque<Vec<Step>>,
    starts: Vec<(Resource, DeltaStart)>,
}

impl ScriptedSource {
    pub fn new() -> ScriptedSource {
        ScriptedSource::default()
    }

    /// Queues the next walk of `resource`.
    pub fn push(&self, resource: Resource, steps: Vec<Step>) {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        match resource {
            Resource::Users => s.users.push_back(steps),
            Resource::Groups => s.groups.push_back(steps),
        }
    }

    /// Queues a walk made of JSON response bodies.
    pub fn push_json(&self, resource: Resource, bodies: &[Value]) {
        self.push(resource, bodies.iter().map(|b| Step::Page(page_from_json(b))).collect());
    }

    /// How every walk so far was started.
    pub fn starts(&self) -> Vec<(Resource, DeltaStart)> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).starts.clone()
    }
}

struct ScriptedWalk {
    steps: VecDeque<Step>,
}

impl DeltaPages for ScriptedWalk {
    fn next_page(&mut self) -> BoxFuture<'_, Result<Option<DeltaPage>, SourceError>> {
        let step = self.steps.pop_front();
        Box::pin(async move {
            match step {
                None => Ok(None),
                Some(Step::Page(p)) => Ok(Some(p)),
                Some(Step::Fail(e)) => Err(e),
            }
        })
    }
}

impl DeltaSource for ScriptedSource {
    fn walk(&self, resource: Resource, start: DeltaStart) -> Box<dyn DeltaPages> {
        let mut s = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        s.starts.push((resource, start.clone()));
        let queued = match resource {
            Resource::Users => s.users.pop_front(),
            Resource::Groups => s.groups.pop_front(),
        };
        let steps = queued.unwrap_or_else(|| {
            let link = match start {
                DeltaStart::Resume(c) => c,
                _ => DeltaCursor(format!("scripted://{}/delta?$deltatoken=empty", resource.as_str())),
            };
            vec![Step::Page(DeltaPage {
                objects: Vec::new(),
                delta_link: Some(link),
            })]
        });
        Box::new(ScriptedWalk { steps: steps.into() })
    }
}

/// A clock a harness moves: it starts at a given time and moves only by `advance`, or (made with
/// `ticking`) by a fixed step at every reading, so that every check, and the cursor it stores
/// (`synced_at`), has its own time, also across restarts: that is how a harness tells which
/// resources a check committed.
#[derive(Debug)]
pub struct StepClock {
    now: Mutex<OffsetDateTime>,
    per_reading: Duration,
}

impl StepClock {
    /// Stands still at `start` until `advance`.
    pub fn at(start: OffsetDateTime) -> StepClock {
        StepClock::ticking(start, Duration::ZERO)
    }

    /// Every reading is `step` later than the one before (the first is `start + step`).
    pub fn ticking(start: OffsetDateTime, step: Duration) -> StepClock {
        StepClock {
            now: Mutex::new(start),
            per_reading: step,
        }
    }

    /// Moves the clock on by `by`.
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(|e| e.into_inner()) += by;
    }
}

impl Clock for StepClock {
    fn now(&self) -> OffsetDateTime {
        let mut t = self.now.lock().unwrap_or_else(|e| e.into_inner());
        *t += self.per_reading;
        *t
    }
}

/// What a person types into the Users search box, as `cargo xtask bench` and the `read_model`
/// example time it: the first 1–5 letters of the name, city and department of 40 people spread
/// over the copy of `everyone` people (in name order), one query per key press.
pub fn typed_prefixes(mirror: &crate::Mirror, everyone: u64) -> Result<Vec<String>, crate::WatchError> {
    let mut typed = Vec::new();
    for k in 0..40u64 {
        let page = mirror.list(
            Resource::Users,
            &crate::ListQuery {
                offset: (k * everyone / 40) as u32,
                limit: 1,
                ..Default::default()
            },
        )?;
        let Some(person) = page.rows.first() else { continue };
        for field in ["displayName", "city", "department"] {
            if let Some(word) = person
                .text(field)
                .and_then(|t| t.split_whitespace().next().map(str::to_owned))
            {
                for n in 1..=word.chars().count().min(5) {
                    typed.push(word.chars().take(n).collect::<String>());
                }
            }
        }
    }
    Ok(typed)
}
