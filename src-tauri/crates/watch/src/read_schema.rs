//! The read model's schema in the mirror: the search index (FTS5 tables and the triggers that
//! keep them current), the sort indexes, licence holders and the manager index. The migrations
//! (`store`) create it, a full walk (`derive`) suspends and resumes it, and the queries (`read`)
//! name its tables and indexes.

use crate::model::Resource;

/// Where a searchable word comes from.
#[derive(Debug, Clone, Copy)]
enum Word {
    /// A string property.
    One(&'static str),
    /// A list of strings (otherMails, businessPhones).
    Many(&'static str),
    /// Proxy addresses: `SMTP:adele@contoso.com` is searched without its `SMTP:` prefix.
    Addresses(&'static str),
}

/// What a person can search users by.
const USER_WORDS: &[Word] = &[
    Word::One("displayName"),
    Word::One("givenName"),
    Word::One("surname"),
    Word::One("userPrincipalName"),
    Word::One("mail"),
    Word::Many("otherMails"),
    Word::Addresses("proxyAddresses"),
    Word::One("department"),
    Word::One("jobTitle"),
    Word::One("officeLocation"),
    Word::One("city"),
    Word::One("country"),
    Word::One("employeeId"),
    Word::One("mobilePhone"),
    Word::Many("businessPhones"),
];

/// What a person can search groups by.
const GROUP_WORDS: &[Word] = &[
    Word::One("displayName"),
    Word::One("mail"),
    Word::One("mailNickname"),
    Word::One("description"),
    Word::Addresses("proxyAddresses"),
];

/// Sort orders backed by an index (the expression must match `sort_expr` exactly).
pub(crate) const USER_INDEXED_SORTS: &[&str] =
    &["userPrincipalName", "mail", "department", "jobTitle", "city", "country"];

fn words(resource: Resource) -> &'static [Word] {
    match resource {
        Resource::Users => USER_WORDS,
        Resource::Groups => GROUP_WORDS,
    }
}

/// The SQL expression of an object's searchable text, over the JSON column `props`
/// (`new.props` in a trigger).
fn words_expr(resource: Resource, props: &str) -> String {
    words(resource)
        .iter()
        .map(|w| match w {
            Word::One(p) => format!("coalesce(json_extract({props}, '$.{p}'), '')"),
            Word::Many(p) => {
                format!("coalesce((SELECT group_concat(value, ' ') FROM json_each({props}, '$.{p}')), '')")
            }
            Word::Addresses(p) => format!(
                "coalesce((SELECT group_concat(substr(value, instr(value, ':') + 1), ' ') \
                 FROM json_each({props}, '$.{p}')), '')"
            ),
        })
        .collect::<Vec<_>>()
        .join(" || ' ' || ")
}

/// Schema migration: the search tables (active objects only, so a search is counted in the
/// search index alone), the triggers that keep them current, what the mirror already holds, and
/// the sort indexes.
pub(crate) fn migration_sql() -> String {
    let mut sql = String::new();
    for resource in [Resource::Users, Resource::Groups] {
        let t = resource.table();
        sql.push_str(&format!(
            "CREATE VIRTUAL TABLE {t}_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', detail = none);
             CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN
                 DELETE FROM {t}_fts WHERE rowid = old.rowid;
             END;\n"
        ));
        sql.push_str(&search_resume_sql(resource, FtsKey::Rowid));
    }
    sql
}

/// Migration 3's part of the read model: who holds which licence (`user_licences`, kept from
/// each user's `assignedLicenses` by triggers) and the manager index.
pub(crate) fn licences_migration_sql() -> String {
    "CREATE TABLE user_licences (
         sku_id     TEXT NOT NULL,
         user_rowid INTEGER NOT NULL,
         PRIMARY KEY (sku_id, user_rowid)
     ) WITHOUT ROWID;
     CREATE INDEX user_licences_user ON user_licences (user_rowid);
     CREATE TRIGGER users_licences_delete AFTER DELETE ON users BEGIN
         DELETE FROM user_licences WHERE user_rowid = old.rowid;
     END;\n"
        .to_owned()
        + &extras_resume_sql(Resource::Users)
}

/// Schema migration: the search tables rebuilt with prefix indexes for 1–5 letters (they had
/// 1–3). Search as you type sends every key press; a 4- or 5-letter prefix without its own index
/// made FTS5 merge the doclists of every word starting with it (`read_model` example, 100,000
/// people: the bench's query mix went from median 6.5 / p95 13.2 ms to 4.3 / 9.1 ms).
pub(crate) fn prefix_migration_sql() -> String {
    let mut sql = String::new();
    for resource in [Resource::Users, Resource::Groups] {
        let t = resource.table();
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS {t}_fts_insert; DROP TRIGGER IF EXISTS {t}_fts_update;
             DROP TRIGGER IF EXISTS {t}_fts_delete; DROP TABLE IF EXISTS {t}_fts;
             CREATE VIRTUAL TABLE {t}_fts USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4 5', detail = none);
             CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN
                 DELETE FROM {t}_fts WHERE rowid = old.rowid;
             END;\n"
        ));
        sql.push_str(&fts_sql(resource, FtsKey::Rowid));
    }
    sql
}

/// Schema migration: every user and group gets a name key, a number that follows the name order
/// (`name_order`), and the search index is keyed by it instead of the rowid. FTS5 hands its matches
/// out in key order and can stop after a window, so a search that matches most of 100,000 people
/// reads its first window without collecting every match first (`read_model` example: the broad
/// one-letter searches went from ~24 ms to a few).
pub(crate) fn name_key_migration_sql() -> String {
    let mut sql = String::new();
    for resource in [Resource::Users, Resource::Groups] {
        let t = resource.table();
        sql.push_str(&format!(
            "ALTER TABLE {t} ADD COLUMN name_key INTEGER;
             DROP TRIGGER IF EXISTS {t}_fts_insert; DROP TRIGGER IF EXISTS {t}_fts_update;
             DROP TRIGGER IF EXISTS {t}_fts_delete; DROP INDEX IF EXISTS {t}_active_name;
             DELETE FROM {t}_fts;
             CREATE TRIGGER {t}_fts_delete AFTER DELETE ON {t} BEGIN
                 DELETE FROM {t}_fts WHERE rowid = old.name_key;
             END;\n"
        ));
        sql.push_str(&crate::name_order::renumber_sql(t));
        sql.push_str(&search_resume_sql(resource, FtsKey::NameKey));
    }
    sql
}

/// Before a full walk (first sync, resync) rewrites every row: the search index and the sort
/// indexes stop following row by row (maintaining them per row makes a 100,000-person first sync
/// ten times slower); `resume_sql` rebuilds them in bulk in the same transaction.
pub(crate) fn suspend_sql(resource: Resource) -> String {
    let t = resource.table();
    let mut sql = format!(
        "DROP TRIGGER IF EXISTS {t}_fts_insert; DROP TRIGGER IF EXISTS {t}_fts_update; DELETE FROM {t}_fts;
         DROP INDEX IF EXISTS {t}_key; DROP INDEX IF EXISTS {t}_name_key;\n"
    );
    for p in sort_indexes(resource) {
        sql.push_str(&format!("DROP INDEX IF EXISTS {t}_sort_{p};\n"));
    }
    if resource == Resource::Users {
        sql.push_str(
            "DROP INDEX IF EXISTS users_manager;
             DROP TRIGGER IF EXISTS users_licences_insert; DROP TRIGGER IF EXISTS users_licences_update;
             DELETE FROM user_licences;\n",
        );
    }
    sql
}

/// The licences a user row holds, for `user_licences` (`{props}` is `new.props` or `props`).
const LICENCE_ROWS: &str = "SELECT DISTINCT json_extract(l.value, '$.skuId'), {rowid}
     FROM json_each({props}, '$.assignedLicenses') l WHERE json_extract(l.value, '$.skuId') IS NOT NULL";

/// Direct reports (users by `manager`) and licence holders (`user_licences`): indexes and
/// triggers, and the licence rows filled from what the mirror holds.
fn extras_resume_sql(resource: Resource) -> String {
    if resource != Resource::Users {
        return String::new();
    }
    let new_rows = LICENCE_ROWS
        .replace("{props}", "new.props")
        .replace("{rowid}", "new.rowid");
    let all_rows = LICENCE_ROWS
        .replace("{props}", "users.props")
        .replace("{rowid}", "users.rowid")
        .replace("FROM json_each", "FROM users, json_each")
        + " AND users.state = 'active'";
    format!(
        "CREATE INDEX IF NOT EXISTS users_manager ON users (json_extract(props, '$.manager')) WHERE state = 'active';
         CREATE TRIGGER users_licences_insert AFTER INSERT ON users WHEN new.state = 'active' BEGIN
             INSERT OR IGNORE INTO user_licences (sku_id, user_rowid) {new_rows};
         END;
         CREATE TRIGGER users_licences_update AFTER UPDATE OF props, state ON users BEGIN
             DELETE FROM user_licences WHERE user_rowid = old.rowid;
             INSERT OR IGNORE INTO user_licences (sku_id, user_rowid) {new_rows} AND new.state = 'active';
         END;
         INSERT OR IGNORE INTO user_licences (sku_id, user_rowid) {all_rows};\n"
    )
}

/// Everything `suspend_sql` stopped, rebuilt from the rows (a first sync's checkpoints may have
/// indexed part of them already: the index is rebuilt whole).
pub(crate) fn resume_sql(resource: Resource) -> String {
    let t = resource.table();
    format!("DELETE FROM {t}_fts;\n")
        + &crate::name_order::renumber_sql(t)
        + &search_resume_sql(resource, FtsKey::NameKey)
        + &extras_resume_sql(resource)
}

/// The searchable words of a row (for `Mirror::checkpoint`).
pub(crate) fn words_sql(resource: Resource) -> String {
    words_expr(resource, "props")
}

/// What the search index's rowids are: the table's rowids (the schema before migration 6, kept
/// for the migrations that built it) or the name keys.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FtsKey {
    Rowid,
    NameKey,
}

/// The row-by-row triggers of the search index, and the index filled from the rows.
fn fts_sql(resource: Resource, key: FtsKey) -> String {
    let t = resource.table();
    let new_words = words_expr(resource, "new.props");
    let words = words_expr(resource, "props");
    match key {
        FtsKey::Rowid => format!(
            "CREATE TRIGGER {t}_fts_insert AFTER INSERT ON {t} WHEN new.state = 'active' BEGIN
                 INSERT INTO {t}_fts (rowid, words) VALUES (new.rowid, {new_words});
             END;
             CREATE TRIGGER {t}_fts_update AFTER UPDATE OF props, state ON {t} BEGIN
                 DELETE FROM {t}_fts WHERE rowid = old.rowid;
                 INSERT INTO {t}_fts (rowid, words) SELECT new.rowid, {new_words} WHERE new.state = 'active';
             END;
             INSERT INTO {t}_fts (rowid, words) SELECT rowid, {words} FROM {t} WHERE state = 'active';\n"
        ),
        // A row without a key yet (a full walk's new rows between checkpoints) is not searchable.
        FtsKey::NameKey => format!(
            "CREATE TRIGGER {t}_fts_insert AFTER INSERT ON {t}
                 WHEN new.state = 'active' AND new.name_key IS NOT NULL BEGIN
                 INSERT INTO {t}_fts (rowid, words) VALUES (new.name_key, {new_words});
             END;
             CREATE TRIGGER {t}_fts_update AFTER UPDATE OF props, state, name_key ON {t} BEGIN
                 DELETE FROM {t}_fts WHERE rowid = old.name_key;
                 INSERT INTO {t}_fts (rowid, words) SELECT new.name_key, {new_words}
                     WHERE new.state = 'active' AND new.name_key IS NOT NULL;
             END;
             INSERT INTO {t}_fts (rowid, words) SELECT name_key, {words} FROM {t}
                 WHERE state = 'active' AND name_key IS NOT NULL;\n"
        ),
    }
}

/// The row-by-row triggers, the search index filled from the rows, and the sort indexes.
fn search_resume_sql(resource: Resource, key: FtsKey) -> String {
    let t = resource.table();
    let mut sql = fts_sql(resource, key);
    match key {
        FtsKey::Rowid => sql.push_str(&format!(
            "CREATE INDEX {t}_active_name ON {t} (state, display_name COLLATE NOCASE);\n"
        )),
        FtsKey::NameKey => sql.push_str(&crate::name_order::indexes_sql(t)),
    }
    for p in sort_indexes(resource) {
        sql.push_str(&format!(
            "CREATE INDEX IF NOT EXISTS {t}_sort_{p} ON {t} (state, json_extract(props, '$.{p}') COLLATE NOCASE);\n"
        ));
    }
    sql
}

fn sort_indexes(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Users => USER_INDEXED_SORTS,
        Resource::Groups => &[],
    }
}
