//! The read model: the mirror as the app's local copy of the directory. Tables, searches and
//! pickers read windows of it (sorted, filtered and counted in SQLite), so a table of 100,000
//! people costs what a table of 100 does, and a refresh after a change costs no Graph request.
//!
//! Search is word-prefix search: every word typed must start a word of the object's name,
//! sign-in name, addresses, department, job title, office, city, country, employee id or phones
//! (FTS5 `unicode61` with accents removed, so "jose" finds "José" and "seat" finds "Seattle"). The
//! index is keyed by the rows' name keys (`name_order`), so its matches come out in name order.

use rusqlite::types::Value as SqlValue;
use rusqlite::{params_from_iter, OptionalExtension};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::error::WatchError;
use crate::model::{ObjectType, Relation, Resource};
use crate::read_schema::USER_INDEXED_SORTS;
use crate::source::select_for;
use crate::store::{from_unix, Mirror};

/// How a criterion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum MatchOp {
    /// The property equals the value (case-insensitive; `true`/`false` for yes/no properties).
    Equals,
    /// The property starts with the value (case-insensitive).
    StartsWith,
    /// A list property (other mails, proxy addresses, phones, group types) holds the value.
    Any,
}

/// One criterion of an advanced search: property, operator, value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct Criterion {
    pub property: String,
    pub op: MatchOp,
    pub value: String,
}

/// Which window of which rows, in which order.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Words typed in the search box; each must start a word of the object (see the module doc).
    pub text: Option<String>,
    /// Every criterion must hold.
    pub criteria: Vec<Criterion>,
    /// A tracked property to sort by; `None` = by name.
    pub sort: Option<String>,
    pub descending: bool,
    pub offset: u32,
    /// At most `MAX_WINDOW` rows are returned whatever is asked (0 = `MAX_WINDOW`).
    pub limit: u32,
}

/// The largest window one read returns.
pub const MAX_WINDOW: u32 = 500;

/// A user or group of the local copy (or a group member the copy cannot name).
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub object_type: ObjectType,
    /// The tracked properties as Graph last reported them (`select_for`), e.g. `displayName`;
    /// a user's `manager` is the manager's id.
    pub props: Map<String, Value>,
}

impl Record {
    pub fn text(&self, property: &str) -> Option<String> {
        self.props.get(property).and_then(Value::as_str).map(str::to_owned)
    }

    pub fn flag(&self, property: &str) -> Option<bool> {
        self.props.get(property).and_then(Value::as_bool)
    }

    /// The record as a Graph model (`msgraph::User`, `msgraph::Group`): the copy keeps Graph's
    /// own property names and shapes, so one definition of each field serves both.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, WatchError> {
        let mut object = self.props.clone();
        object.insert("id".into(), Value::String(self.id.clone()));
        serde_json::from_value(Value::Object(object))
            .map_err(|e| WatchError::Corrupt(format!("stored properties of {}: {e}", self.id)))
    }

    pub fn texts(&self, property: &str) -> Vec<String> {
        self.props
            .get(property)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    }
}

/// One window of a list, and how many rows the whole list has.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub total: u64,
    pub offset: u32,
    pub rows: Vec<Record>,
}

/// The FTS5 query for what a person typed: each word a quoted prefix, all required. `None` when
/// nothing searchable was typed (only spaces or punctuation).
fn match_query(text: &str) -> Option<String> {
    let terms: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// The properties a criterion or sort may name: the tracked ones (never free SQL).
fn tracked(resource: Resource, property: &str) -> Result<&'static str, WatchError> {
    select_for(resource)
        .iter()
        .copied()
        .find(|p| *p == property && !matches!(*p, "members" | "owners"))
        .ok_or_else(|| {
            WatchError::BadQuery(format!(
                "The local copy does not keep “{property}” for {}. Use “Search in Microsoft Graph” for it.",
                resource.table()
            ))
        })
}

/// Above this many matches, a search sorted by another property walks that property's index (see
/// `Mirror::list`).
const BROAD_SEARCH: i64 = 2_000;

/// The property `sort` orders by; `None` is the name order (the rows' name keys, `name_order`).
fn sort_property(sort: Option<&str>) -> Option<&str> {
    sort.filter(|p| *p != "displayName")
}

/// The index that serves a sort order, if one does.
fn sort_index(resource: Resource, sort: Option<&str>) -> Option<String> {
    match sort_property(sort) {
        None => Some(format!("{}_key", resource.table())),
        Some(p) if resource == Resource::Users && USER_INDEXED_SORTS.contains(&p) => Some(format!("users_sort_{p}")),
        Some(_) => None,
    }
}

/// The `ORDER BY` terms before the direction, over the table aliased `t`.
fn sort_expr(resource: Resource, sort: Option<&str>) -> Result<String, WatchError> {
    match sort_property(sort) {
        None => Ok("t.name_key".into()),
        Some(p) => {
            let p = tracked(resource, p)?;
            Ok(format!("json_extract(props, '$.{p}') COLLATE NOCASE"))
        }
    }
}

/// Appends `AND …` conditions for `query`'s text and criteria over the table aliased `t`.
fn push_filters(
    resource: Resource,
    alias: &str,
    query: &ListQuery,
    sql: &mut String,
    args: &mut Vec<SqlValue>,
) -> Result<(), WatchError> {
    if let Some(m) = query.text.as_deref().and_then(match_query) {
        let t = resource.table();
        sql.push_str(&format!(
            " AND {alias}.name_key IN (SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH ?)"
        ));
        args.push(m.into());
    }
    for c in &query.criteria {
        let p = tracked(resource, &c.property)?;
        let value = c.value.trim();
        match c.op {
            MatchOp::Equals => match value.to_ascii_lowercase().as_str() {
                // JSON true/false read back as 1/0.
                b @ ("true" | "false") if is_flag(p) => {
                    sql.push_str(&format!(" AND json_extract({alias}.props, '$.{p}') = ?"));
                    args.push(i64::from(b == "true").into());
                }
                _ => {
                    sql.push_str(&format!(" AND json_extract({alias}.props, '$.{p}') = ? COLLATE NOCASE"));
                    args.push(value.to_owned().into());
                }
            },
            MatchOp::StartsWith => {
                sql.push_str(&format!(" AND json_extract({alias}.props, '$.{p}') LIKE ? ESCAPE '\\'"));
                args.push(format!("{}%", like_escape(value)).into());
            }
            MatchOp::Any => {
                sql.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM json_each({alias}.props, '$.{p}') WHERE value = ? COLLATE NOCASE)"
                ));
                args.push(value.to_owned().into());
            }
        }
    }
    Ok(())
}

fn is_flag(property: &str) -> bool {
    matches!(
        property,
        "accountEnabled" | "mailEnabled" | "securityEnabled" | "isAssignableToRole"
    )
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn parse_props(id: &str, json: Option<String>) -> Result<Map<String, Value>, WatchError> {
    match json {
        None => Ok(Map::new()),
        Some(j) => serde_json::from_str(&j).map_err(|e| WatchError::Corrupt(format!("stored properties of {id}: {e}"))),
    }
}

/// Rows of `(id, props)` as records of one type.
fn records(rows: Vec<(String, Option<String>)>, object_type: ObjectType) -> Result<Vec<Record>, WatchError> {
    rows.into_iter()
        .map(|(id, props)| {
            Ok(Record {
                props: parse_props(&id, props)?,
                object_type: object_type.clone(),
                id,
            })
        })
        .collect()
}

fn window(query: &ListQuery) -> (i64, i64) {
    let limit = match query.limit {
        0 => MAX_WINDOW,
        n => n.min(MAX_WINDOW),
    };
    (i64::from(limit), i64::from(query.offset))
}

/// The SQL of `Mirror::list`'s window over `filter` (its `WHERE …`), in `query`'s order, for a
/// search or not, matching `total` objects; the arguments are the filter's, then limit and offset.
/// `indexed` says whether an index exists (a full walk drops the sort indexes until it ends).
fn window_sql(
    resource: Resource,
    query: &ListQuery,
    search: bool,
    filter: &str,
    total: i64,
    indexed: &dyn Fn(&str) -> bool,
) -> Result<String, WatchError> {
    let t = resource.table();
    let dir = if query.descending { "DESC" } else { "ASC" };
    Ok(match search {
        // The search index's rowids are the name keys: FTS5 reads the window of matches in
        // name order and stops there, however many people match.
        // (The filter's only argument is then the match: there are no criteria.)
        true if query.criteria.is_empty() && sort_property(query.sort.as_deref()).is_none() => format!(
            "WITH m(k) AS MATERIALIZED (SELECT rowid FROM {t}_fts WHERE {t}_fts MATCH ? ORDER BY rowid {dir} LIMIT ? OFFSET ?)
             SELECT t.id, t.props FROM m JOIN {t} t ON t.name_key = m.k ORDER BY m.k {dir}"
        ),
        _ => {
            let order = sort_expr(resource, query.sort.as_deref())?;
            // A search matching many objects is read fastest by walking the sort's index and
            // keeping the matches (it stops after one window); a narrow one by looking its few
            // matches up by key and sorting them (left alone, SQLite walks the sort's index).
            let key = format!("{t}_key");
            let index = match (search, sort_index(resource, query.sort.as_deref())) {
                (true, Some(index)) if total > BROAD_SEARCH => Some(index),
                (true, _) => Some(key),
                // The name order is the key index's order (left alone, SQLite reads the active
                // rows through another index and sorts them all: 200 ms at 100,000 people).
                (false, _) if sort_property(query.sort.as_deref()).is_none() => Some(key),
                (false, _) => None,
            };
            let hint = match index {
                Some(index) if indexed(&index) => format!(" INDEXED BY {index}"),
                _ => String::new(),
            };
            format!("SELECT t.id, t.props FROM {t} t{hint}{filter} ORDER BY {order} {dir}, t.rowid {dir} LIMIT ? OFFSET ?")
        }
    })
}

impl Mirror {
    /// Whether the index `name` exists now.
    fn has_index(&self, name: &str) -> bool {
        self.conn
            .prepare_cached("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1")
            .and_then(|mut s| s.exists([name]))
            .unwrap_or(false)
    }

    /// A window of the active users or groups matching `query`, in its order, with the count of
    /// all matches.
    pub fn list(&self, resource: Resource, query: &ListQuery) -> Result<Page, WatchError> {
        let t = resource.table();
        let mut filter = String::from(" WHERE t.state = 'active'");
        let mut args = Vec::new();
        push_filters(resource, "t", query, &mut filter, &mut args)?;
        let search = query.text.as_deref().and_then(match_query);
        let total: i64 = match (&search, query.criteria.is_empty()) {
            // The search index holds active objects only: counted there, without the table.
            (Some(m), true) => self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM {t}_fts WHERE {t}_fts MATCH ?1"))?
                .query_row([m], |r| r.get(0))?,
            _ => self
                .conn
                .prepare_cached(&format!("SELECT count(*) FROM {t} t{filter}"))?
                .query_row(params_from_iter(args.iter()), |r| r.get(0))?,
        };
        let indexed = |name: &str| self.has_index(name);
        let sql = window_sql(resource, query, search.is_some(), &filter, total, &indexed)?;
        let (limit, offset) = window(query);
        args.push(limit.into());
        args.push(offset.into());
        let object_type = match resource {
            Resource::Users => ObjectType::User,
            Resource::Groups => ObjectType::Group,
        };
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let rows = rows
            .into_iter()
            .map(|(id, props)| {
                Ok(Record {
                    props: parse_props(&id, props)?,
                    id,
                    object_type: object_type.clone(),
                })
            })
            .collect::<Result<Vec<_>, WatchError>>()?;
        Ok(Page {
            total: total.max(0) as u64,
            offset: query.offset,
            rows,
        })
    }

    /// A window of a group's current members (users, groups, and members of other types the copy
    /// cannot name), by name. `query.text` searches the users and groups among them; criteria and
    /// sort are not offered here.
    pub fn group_members(&self, group_id: &str, query: &ListQuery) -> Result<Page, WatchError> {
        self.related_page(group_id, Relation::Member, query)
    }

    /// A window of a group's current owners, like `group_members`.
    pub fn group_owners(&self, group_id: &str, query: &ListQuery) -> Result<Page, WatchError> {
        self.related_page(group_id, Relation::Owner, query)
    }

    fn related_page(&self, group_id: &str, relation: Relation, query: &ListQuery) -> Result<Page, WatchError> {
        self.holders_page(relation.table(), "m.group_id = ?1 AND m.present = 1", group_id, query)
    }

    /// A window of the users and groups that `table` (`member_id`, `member_type`) lists for `key`
    /// (`scope`: an SQL condition on `m` with `?1` = `key`), by name; others by id at the end.
    pub(crate) fn holders_page(
        &self,
        table: &str,
        scope: &str,
        key: &str,
        query: &ListQuery,
    ) -> Result<Page, WatchError> {
        // ?1 is the key; ?2 the search, when there is one.
        let mut filter = format!(" WHERE {scope}");
        let mut args: Vec<SqlValue> = vec![key.to_owned().into()];
        if let Some(m) = query.text.as_deref().and_then(match_query) {
            filter.push_str(
                " AND (u.name_key IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ?2)
                   OR g.name_key IN (SELECT rowid FROM groups_fts WHERE groups_fts MATCH ?2))",
            );
            args.push(m.into());
        }
        let from = format!(
            "FROM {table} m
             LEFT JOIN users u ON m.member_type = 'user' AND u.id = m.member_id
             LEFT JOIN groups g ON m.member_type = 'group' AND g.id = m.member_id"
        );
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {from}{filter}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let (limit, offset) = window(query);
        let n = args.len();
        let sql = format!(
            "SELECT m.member_id, m.member_type, coalesce(u.props, g.props) {from}{filter}
             ORDER BY coalesce(u.display_name, g.display_name) IS NULL,
                      coalesce(u.display_name, g.display_name) COLLATE NOCASE, m.member_id
             LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        args.push(limit.into());
        args.push(offset.into());
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let rows = rows
            .into_iter()
            .map(|(id, t, props)| {
                Ok(Record {
                    props: parse_props(&id, props)?,
                    object_type: ObjectType::from_stored(&t),
                    id,
                })
            })
            .collect::<Result<Vec<_>, WatchError>>()?;
        Ok(Page {
            total: total.max(0) as u64,
            offset: query.offset,
            rows,
        })
    }

    /// The groups a user or group is a direct member of, by name.
    pub fn groups_of(&self, member_id: &str) -> Result<Vec<Record>, WatchError> {
        self.groups_related(member_id, Relation::Member)
    }

    /// The groups a user owns, by name.
    pub fn groups_owned_by(&self, owner_id: &str) -> Result<Vec<Record>, WatchError> {
        self.groups_related(owner_id, Relation::Owner)
    }

    /// A window of the people whose manager is `manager_id` (their direct reports), by name;
    /// `query.text` searches them.
    pub fn direct_reports(&self, manager_id: &str, query: &ListQuery) -> Result<Page, WatchError> {
        self.people_window(
            "FROM users u WHERE json_extract(u.props, '$.manager') = ?1 AND u.state = 'active'",
            manager_id,
            query,
        )
    }

    /// A window of the people holding a licence (`skuId`), by name; `query.text` searches them.
    pub fn licence_holders(&self, sku_id: &str, query: &ListQuery) -> Result<Page, WatchError> {
        self.people_window(
            "FROM user_licences l JOIN users u ON u.rowid = l.user_rowid
             WHERE l.sku_id = ?1 AND u.state = 'active'",
            sku_id,
            query,
        )
    }

    /// A window of the active users `u` that `from` (a FROM … WHERE with `?1` = `key`) selects,
    /// by name, counted, and narrowed by `query.text`.
    fn people_window(&self, from: &str, key: &str, query: &ListQuery) -> Result<Page, WatchError> {
        let mut filter = from.to_owned();
        let mut args: Vec<SqlValue> = vec![key.to_owned().into()];
        if let Some(m) = query.text.as_deref().and_then(match_query) {
            filter.push_str(" AND u.name_key IN (SELECT rowid FROM users_fts WHERE users_fts MATCH ?2)");
            args.push(m.into());
        }
        let total: i64 = self
            .conn
            .prepare_cached(&format!("SELECT count(*) {filter}"))?
            .query_row(params_from_iter(args.iter()), |r| r.get(0))?;
        let (limit, offset) = window(query);
        let n = args.len();
        let sql = format!(
            "SELECT u.id, u.props {filter} ORDER BY u.display_name COLLATE NOCASE, u.id LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2
        );
        args.push(limit.into());
        args.push(offset.into());
        let rows = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args.iter()), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            total: total.max(0) as u64,
            offset: query.offset,
            rows: records(rows, ObjectType::User)?,
        })
    }

    fn groups_related(&self, member_id: &str, relation: Relation) -> Result<Vec<Record>, WatchError> {
        let rows = self
            .conn
            .prepare_cached(&format!(
                "SELECT g.id, g.props FROM {} m JOIN groups g ON g.id = m.group_id
                 WHERE m.member_id = ?1 AND m.present = 1 AND g.state = 'active'
                 ORDER BY g.display_name COLLATE NOCASE, g.id",
                relation.table()
            ))?
            .query_map([member_id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        records(rows, ObjectType::Group)
    }

    /// One active user or group of the copy, by id.
    pub fn get(&self, resource: Resource, id: &str) -> Result<Option<Record>, WatchError> {
        let props: Option<Option<String>> = self
            .conn
            .prepare_cached(&format!(
                "SELECT props FROM {} WHERE id = ?1 COLLATE NOCASE AND state = 'active'",
                resource.table()
            ))?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let object_type = match resource {
            Resource::Users => ObjectType::User,
            Resource::Groups => ObjectType::Group,
        };
        props
            .map(|p| {
                Ok(Record {
                    props: parse_props(id, p)?,
                    id: id.to_owned(),
                    object_type,
                })
            })
            .transpose()
    }

    /// Read User by ID or email: the active user whose object id or sign-in name is `key`, or who
    /// has `key` among their addresses (mail, other mails, proxy addresses), ignoring case.
    pub fn find_user(&self, key: &str) -> Result<Option<Record>, WatchError> {
        let key = key.trim();
        if key.is_empty() {
            return Ok(None);
        }
        let id: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT id FROM users WHERE state = 'active' AND (
                    id = ?1 COLLATE NOCASE
                    OR json_extract(props, '$.userPrincipalName') = ?1 COLLATE NOCASE
                    OR json_extract(props, '$.mail') = ?1 COLLATE NOCASE
                    OR EXISTS (SELECT 1 FROM json_each(props, '$.otherMails') WHERE value = ?1 COLLATE NOCASE)
                    OR EXISTS (SELECT 1 FROM json_each(props, '$.proxyAddresses')
                               WHERE substr(value, instr(value, ':') + 1) = ?1 COLLATE NOCASE))
                 ORDER BY display_name COLLATE NOCASE LIMIT 1",
            )?
            .query_row([key], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => self.get(Resource::Users, &id),
            None => Ok(None),
        }
    }

    /// When the copy of a resource was last brought up to date (`None`: never read completely).
    pub fn synced_at(&self, resource: Resource) -> Result<Option<OffsetDateTime>, WatchError> {
        let at: Option<i64> = self
            .conn
            .query_row(
                "SELECT synced_at FROM cursors WHERE resource = ?1",
                [resource.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        Ok(at.map(from_unix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How SQLite reads each kind of window, in a copy with every index: never by sorting the
    /// whole table (a timing would not catch this; the plan does).
    #[test]
    fn every_window_is_read_in_index_order_or_from_its_few_matches() {
        let m = Mirror::open_in_memory().unwrap();
        let plan = |query: &ListQuery, search: bool, total: i64| -> String {
            let mut filter = String::from(" WHERE t.state = 'active'");
            let mut args = Vec::new();
            push_filters(Resource::Users, "t", query, &mut filter, &mut args).unwrap();
            let sql = window_sql(Resource::Users, query, search, &filter, total, &|name| {
                m.has_index(name)
            })
            .unwrap();
            args.push(200.into());
            args.push(0.into());
            m.conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let text = |t: &str| ListQuery {
            text: Some(t.into()),
            ..Default::default()
        };
        let by = |p: &str| ListQuery {
            sort: Some(p.into()),
            ..Default::default()
        };
        // The table by name, the first window: the key index, no sort.
        let p = plan(&ListQuery::default(), false, 100_000);
        assert!(p.contains("users_key") && !p.contains("TEMP B-TREE"), "{p}");
        // By another sorted column: its index, no sort.
        let p = plan(&by("city"), false, 100_000);
        assert!(p.contains("users_sort_city") && !p.contains("TEMP B-TREE"), "{p}");
        // A search by name: straight from the search index.
        let p = plan(&text("a"), true, 100_000);
        assert!(
            p.contains("users_fts") && !p.contains("TEMP B-TREE FOR ORDER BY"),
            "{p}"
        );
        // A narrow search by city: its matches looked up by key, then sorted.
        let mut q = text("sea");
        q.sort = Some("city".into());
        let p = plan(&q, true, 12);
        assert!(p.contains("users_key"), "{p}");
        // A broad one by city: the city index walked, keeping the matches.
        let p = plan(&q, true, 50_000);
        assert!(
            p.contains("users_sort_city") && !p.contains("TEMP B-TREE FOR ORDER BY"),
            "{p}"
        );
    }

    #[test]
    fn typed_words_become_required_prefixes_and_punctuation_separates_them() {
        assert_eq!(match_query("adele"), Some("\"adele\"*".into()));
        assert_eq!(match_query("  Adele  V. "), Some("\"Adele\"* \"V\"*".into()));
        assert_eq!(match_query("adelev@contoso"), Some("\"adelev\"* \"contoso\"*".into()));
        assert_eq!(
            match_query("\"; DROP TABLE users; --"),
            Some("\"DROP\"* \"TABLE\"* \"users\"*".into())
        );
        assert_eq!(match_query(" - . "), None);
    }

    #[test]
    fn only_tracked_properties_can_be_named() {
        assert!(tracked(Resource::Users, "city").is_ok());
        let e = tracked(Resource::Users, "city') OR 1=1 --").unwrap_err().to_string();
        assert!(e.contains("does not keep"), "{e}");
        assert!(tracked(Resource::Groups, "members").is_err());
    }
}
