//! Name keys: every user and group row carries `name_key`, an integer that sorts like its name
//! (`coalesce(display_name, '')` case-folded as `COLLATE NOCASE`, then the row's age). The search
//! index uses the keys as its rowids, and FTS5 hands matches out in rowid order and can stop after a
//! window: a search as you type that matches most of the tenant reads its first 200 rows by name
//! without collecting and sorting every match (see `read::Mirror::list`).
//!
//! Keys are spaced `SPACING` apart when numbered in bulk (migration, the end of a full walk). A
//! delta walk places a new or renamed row between its neighbours' keys (the midpoint), and when two
//! neighbours have no number left between them, the keys of a small neighbourhood are spread out
//! again (an order-maintenance list: the neighbourhood doubles until it has room, so the cost per
//! placement stays small however the names arrive, sorted ones included).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::WatchError;

/// The distance between keys numbered in bulk: 2^32 leaves 32 halvings at one place before a
/// neighbourhood is spread out, and room for 2^31 rows.
const SPACING: i64 = 1 << 32;

/// Keys given at a full walk's checkpoints to rows that have none yet: above every bulk-numbered
/// key, and replaced when the walk ends.
pub(crate) const PROVISIONAL: i64 = 1 << 62;

/// The name as keys order it.
const NAME: &str = "coalesce(display_name, '') COLLATE NOCASE";

/// Numbers every row of `table` in name order, `SPACING` apart (no search triggers may be
/// installed: the index is rebuilt afterwards).
pub(crate) fn renumber_sql(table: &str) -> String {
    format!(
        "UPDATE {table} SET name_key = k.n FROM (
             SELECT rowid AS r, row_number() OVER (ORDER BY {NAME}, rowid) * {SPACING} AS n FROM {table}
         ) AS k WHERE {table}.rowid = k.r;\n"
    )
}

/// The indexes keys need: reading rows in key order (tables, the search index's matches), and
/// finding a name's neighbours.
pub(crate) fn indexes_sql(table: &str) -> String {
    format!(
        "CREATE INDEX IF NOT EXISTS {table}_key ON {table} (name_key);
         CREATE INDEX IF NOT EXISTS {table}_name_key ON {table} ({NAME}, name_key);\n"
    )
}

/// The key row `id` should have when it is written with `name` (`None`: the name it has), during a
/// delta walk. An unchanged name keeps its key; a new or renamed row is placed among the others
/// (its old key, if any, is cleared first, which takes it out of the search index until written).
pub(crate) fn key_for(conn: &Connection, table: &str, id: &str, name: Option<&str>) -> Result<i64, WatchError> {
    let stored: Option<(Option<String>, Option<i64>)> = conn
        .prepare_cached(&format!("SELECT display_name, name_key FROM {table} WHERE id = ?1"))?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let name = name
        .map(str::to_owned)
        .or_else(|| stored.as_ref().and_then(|(n, _)| n.clone()))
        .unwrap_or_default();
    if let Some((old, Some(key))) = &stored {
        if old.as_deref().unwrap_or("") == name {
            return Ok(*key);
        }
        conn.prepare_cached(&format!("UPDATE {table} SET name_key = NULL WHERE id = ?1"))?
            .execute([id])?;
    }
    place(conn, table, &name)
}

/// A key for a row named `name` that has none: after every row whose name sorts before or equal to
/// it, before every row whose name sorts after.
fn place(conn: &Connection, table: &str, name: &str) -> Result<i64, WatchError> {
    let prev: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT name_key FROM {table} WHERE {NAME} <= ?1 AND name_key IS NOT NULL
             ORDER BY {NAME} DESC, name_key DESC LIMIT 1"
        ))?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let next: Option<i64> = conn
        .prepare_cached(&format!(
            "SELECT name_key FROM {table} WHERE {NAME} > ?1 AND name_key IS NOT NULL
             ORDER BY {NAME}, name_key LIMIT 1"
        ))?
        .query_row([name], |r| r.get(0))
        .optional()?;
    let key = match (prev, next) {
        (None, None) => Some(SPACING),
        (Some(p), None) => p.checked_add(SPACING).filter(|k| *k < PROVISIONAL),
        (None, Some(n)) => n.checked_sub(SPACING).filter(|k| *k > -PROVISIONAL),
        (Some(p), Some(n)) => (n - p >= 2).then(|| p + (n - p) / 2),
    };
    match key {
        Some(k) => Ok(k),
        None => spread(conn, table, prev, next),
    }
}

/// No key is free between `prev` and `next`: the rows around them get evenly spaced keys, leaving
/// room for one more between the two, whose key is returned. The neighbourhood starts with 16 rows
/// on each side and grows fourfold until its keys are at least 2^16 apart once spread (or it is the
/// whole table, which then gets `SPACING` again).
fn spread(conn: &Connection, table: &str, prev: Option<i64>, next: Option<i64>) -> Result<i64, WatchError> {
    let mut width: i64 = 16;
    loop {
        let below = keys(conn, table, prev, width, true)?;
        let above = keys(conn, table, next, width, false)?;
        let left_end = (below.len() as i64) < width;
        let right_end = (above.len() as i64) < width;
        // The slots, in order: the rows below (lowest first), the new row, the rows above.
        let slots = (below.len() + 1 + above.len()) as i64;
        let room = slots.saturating_mul(SPACING);
        let low = match below.last() {
            Some(k) if !left_end => *k,
            Some(k) => k.saturating_sub(room).max(-PROVISIONAL + 1),
            None => next.unwrap_or(0).saturating_sub(room).max(-PROVISIONAL + 1),
        };
        let high = match above.last() {
            Some(k) if !right_end => *k,
            Some(k) => k.saturating_add(room).min(PROVISIONAL - 1),
            None => prev.unwrap_or(0).saturating_add(room).min(PROVISIONAL - 1),
        };
        let step = (high - low) / (slots + 1);
        if step >= 1 << 16 || (left_end && right_end) {
            let mut rows: Vec<(i64, i64)> = below.iter().rev().copied().zip(std::iter::repeat(0)).collect();
            let new_slot = rows.len();
            rows.push((0, 0));
            rows.extend(above.iter().copied().zip(std::iter::repeat(0)));
            for (i, row) in rows.iter_mut().enumerate() {
                row.1 = low + step * (i as i64 + 1);
            }
            rekey(conn, table, &rows, new_slot)?;
            return Ok(rows[new_slot].1);
        }
        width *= 4;
    }
}

/// Up to `width` keys from `from` (inclusive) downwards or upwards.
fn keys(conn: &Connection, table: &str, from: Option<i64>, width: i64, down: bool) -> Result<Vec<i64>, WatchError> {
    let Some(from) = from else { return Ok(Vec::new()) };
    let sql = if down {
        format!("SELECT name_key FROM {table} WHERE name_key <= ?1 ORDER BY name_key DESC LIMIT ?2")
    } else {
        format!("SELECT name_key FROM {table} WHERE name_key >= ?1 ORDER BY name_key LIMIT ?2")
    };
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![from, width], |r| r.get(0))?
        .collect::<Result<Vec<i64>, _>>()?)
}

/// Gives each `(old key, new key)` row its new key (the `skip` slot is the row being placed).
/// Keys are cleared first, so no new key meets an old one in the search index.
fn rekey(conn: &Connection, table: &str, rows: &[(i64, i64)], skip: usize) -> Result<(), WatchError> {
    let moving: Vec<(i64, i64)> = rows
        .iter()
        .enumerate()
        .filter(|(i, (old, new))| *i != skip && old != new)
        .map(|(_, r)| *r)
        .collect();
    let mut rowids = Vec::with_capacity(moving.len());
    for (old, _) in &moving {
        let rowid: i64 = conn
            .prepare_cached(&format!("SELECT rowid FROM {table} WHERE name_key = ?1"))?
            .query_row([old], |r| r.get(0))?;
        conn.prepare_cached(&format!("UPDATE {table} SET name_key = NULL WHERE rowid = ?1"))?
            .execute([rowid])?;
        rowids.push(rowid);
    }
    for (rowid, (_, new)) in rowids.iter().zip(&moving) {
        conn.prepare_cached(&format!("UPDATE {table} SET name_key = ?2 WHERE rowid = ?1"))?
            .execute(params![rowid, new])?;
    }
    Ok(())
}
