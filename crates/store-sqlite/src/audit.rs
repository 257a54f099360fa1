//! The audit trail and the daily quota usage it carries, in the audit file
//! (attached as `audit`). Records arrive already sealed into the hash
//! chain; this module only stores and reads them, and adds each charged
//! record to its account's usage of that day in the same transaction, so
//! usage and trail never disagree.
//!
//! Retention removes a prefix of the chain: every record up to the first one
//! whose time falls in or after the month kept (so a record sealed late
//! across a month boundary stays with the later month, as PostgreSQL files
//! it), and remembers the last removed link as the anchor.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate};
use gerbang_core::Element;
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, ChainLink, Digest32, ResidentKey, SealedRecord};
use gerbang_core::clock::{JAKARTA, jakarta_date, month_start};
use gerbang_store::{AuditRemoval, StoreError};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::error::from_sqlite;
use crate::resident_index::{about_resident, prefix};

/// The trail's columns, in [`decode`]'s order. A macro so that the
/// append, run for every batch, uses SQL built at compile time.
macro_rules! trail_columns {
    () => {
        "seq, operation_id, at_us, interface, institution, user_id, source_ip, mechanism, resident, \
         elements, outcome, latency_us, charged, prev_hash, hash"
    };
}

pub(crate) const COLUMNS: &str = trail_columns!();

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("catatan audit: {what} tidak valid"))
}

fn digest(bytes: Vec<u8>, what: &str) -> Result<Digest32, StoreError> {
    bytes.try_into().map_err(|_| corrupt(what))
}

fn decode(row: &Row<'_>) -> Result<SealedRecord, StoreError> {
    let get_err = from_sqlite;
    let seq: i64 = row.get(0).map_err(get_err)?;
    let at_us: i64 = row.get(2).map_err(get_err)?;
    let source_ip: String = row.get(6).map_err(get_err)?;
    let mechanism: Option<String> = row.get(7).map_err(get_err)?;
    let resident: Option<Vec<u8>> = row.get(8).map_err(get_err)?;
    let elements: String = row.get(9).map_err(get_err)?;
    let latency_us: i64 = row.get(11).map_err(get_err)?;
    let elements = elements
        .split(',')
        .filter(|e| !e.is_empty())
        .map(|e| Element::from_wire_name(e).ok_or_else(|| corrupt("elemen")))
        .collect::<Result<Vec<_>, _>>()?;
    let record = AuditRecord {
        operation_id: row.get(1).map_err(get_err)?,
        at: DateTime::from_timestamp_micros(at_us).ok_or_else(|| corrupt("waktu"))?,
        interface: row.get(3).map_err(get_err)?,
        institution: row.get(4).map_err(get_err)?,
        user_id: row.get(5).map_err(get_err)?,
        source_ip: source_ip.parse::<IpAddr>().map_err(|_| corrupt("alamat IP"))?,
        mechanism: mechanism.map(|m| Mechanism::from_name(&m).ok_or_else(|| corrupt("mekanisme"))).transpose()?,
        resident: resident.map(|r| digest(r, "kunci penduduk").map(ResidentKey)).transpose()?,
        elements,
        outcome: row.get(10).map_err(get_err)?,
        latency_us: u64::try_from(latency_us).map_err(|_| corrupt("latensi"))?,
        charged: row.get(12).map_err(get_err)?,
    };
    Ok(SealedRecord {
        seq: u64::try_from(seq).map_err(|_| corrupt("urutan"))?,
        prev_hash: digest(row.get(13).map_err(get_err)?, "hash sebelumnya")?,
        hash: digest(row.get(14).map_err(get_err)?, "hash")?,
        record,
    })
}

fn jakarta_day(record: &AuditRecord) -> NaiveDate {
    jakarta_date(record.at)
}

/// Appends sealed records and their quota charges.
pub(crate) fn append(tx: &Transaction<'_>, records: &[SealedRecord]) -> Result<(), StoreError> {
    const INSERT: &str = concat!(
        "insert into audit.audit_trail (",
        trail_columns!(),
        ") values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    );
    let mut insert = tx.prepare_cached(INSERT).map_err(from_sqlite)?;
    let mut charges: BTreeMap<(&str, NaiveDate), u32> = BTreeMap::new();
    for sealed in records {
        let r = &sealed.record;
        let elements: Vec<&str> = r.elements.iter().map(|e| e.wire_name()).collect();
        insert
            .execute(params![
                sealed.seq as i64,
                r.operation_id,
                r.at.timestamp_micros(),
                r.interface,
                r.institution,
                r.user_id,
                r.source_ip.to_string(),
                r.mechanism.map(|m| m.name()),
                r.resident.as_ref().map(|k| &k.0[..]),
                elements.join(","),
                r.outcome,
                r.latency_us as i64,
                r.charged,
                &sealed.prev_hash[..],
                &sealed.hash[..],
            ])
            .map_err(from_sqlite)?;
        if r.charged
            && let Some(user_id) = r.user_id.as_deref()
        {
            *charges.entry((user_id, jakarta_day(r))).or_default() += 1;
        }
    }
    let mut upsert = tx
        .prepare_cached(
            "insert into audit.quota_usage (user_id, day, used) values (?1, ?2, ?3)
             on conflict (user_id, day) do update set used = used + excluded.used",
        )
        .map_err(from_sqlite)?;
    for ((user_id, day), used) in charges {
        upsert.execute(params![user_id, day.to_string(), used]).map_err(from_sqlite)?;
    }
    Ok(())
}

/// One link read by `sql` (sequence number, hash), if any. The statement
/// is cached: the tail is read for every batch.
fn link(connection: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Option<ChainLink>, StoreError> {
    let mut statement = connection.prepare_cached(sql).map_err(from_sqlite)?;
    let row: Option<(i64, Vec<u8>)> =
        statement.query_row(params, |row| Ok((row.get(0)?, row.get(1)?))).optional().map_err(from_sqlite)?;
    row.map(|(seq, hash)| {
        Ok(ChainLink { seq: u64::try_from(seq).map_err(|_| corrupt("urutan"))?, hash: digest(hash, "hash")? })
    })
    .transpose()
}

/// The last link of the chain: the last record, or else the anchor.
pub(crate) fn tail(connection: &Connection) -> Result<Option<ChainLink>, StoreError> {
    match link(connection, "select seq, hash from audit.audit_trail order by seq desc limit 1", [])? {
        Some(last) => Ok(Some(last)),
        None => anchor(connection),
    }
}

/// Where the stored chain begins.
pub(crate) fn anchor(connection: &Connection) -> Result<Option<ChainLink>, StoreError> {
    link(connection, "select last_seq, last_hash from audit.audit_retention order by last_seq desc limit 1", [])
}

/// Removes the prefix of the chain filed before `before`'s month.
pub(crate) fn remove_before(tx: &Transaction<'_>, before: NaiveDate) -> Result<AuditRemoval, StoreError> {
    let month = month_start(before);
    let cut = month
        .and_hms_opt(0, 0, 0)
        .and_then(|start| start.and_local_timezone(JAKARTA).single())
        .ok_or_else(|| corrupt("batas bulan"))?
        .timestamp_micros();
    // The last record before the first one of a kept month.
    let last = link(
        tx,
        "select seq, hash from audit.audit_trail
          where seq < coalesce((select min(seq) from audit.audit_trail where at_us >= ?1), 9223372036854775807)
          order by seq desc limit 1",
        params![cut],
    )?;
    let Some(last) = last else {
        return Ok(AuditRemoval { records: 0, anchor: anchor(tx)? });
    };
    let records =
        tx.execute("delete from audit.audit_trail where seq <= ?1", params![last.seq as i64]).map_err(from_sqlite)?;
    tx.execute(
        "insert into audit.audit_retention (last_seq, last_hash, before, records) values (?1, ?2, ?3, ?4)",
        params![last.seq as i64, last.hash.to_vec(), month.to_string(), records as i64],
    )
    .map_err(from_sqlite)?;
    Ok(AuditRemoval { records: records as u64, anchor: Some(last) })
}

/// Makes an empty trail start after `link`.
pub(crate) fn adopt_anchor(tx: &Transaction<'_>, link: ChainLink) -> Result<(), StoreError> {
    if tail(tx)?.is_some() {
        return Err(StoreError::Conflict(
            "jejak audit tujuan tidak kosong; titik awal rantainya tidak boleh diganti".into(),
        ));
    }
    tx.execute(
        "insert into audit.audit_retention (last_seq, last_hash, before, records) values (?1, ?2, '', 0)",
        params![link.seq as i64, link.hash.to_vec()],
    )
    .map_err(from_sqlite)?;
    Ok(())
}

pub(crate) fn query(
    connection: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<SealedRecord>, StoreError> {
    let mut statement = connection.prepare_cached(sql).map_err(from_sqlite)?;
    let mut rows = statement.query(params).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        out.push(decode(row)?);
    }
    Ok(out)
}

/// A page of the chain after `after`.
pub(crate) fn page(connection: &Connection, after: u64, limit: u32) -> Result<Vec<SealedRecord>, StoreError> {
    query(
        connection,
        &format!("select {COLUMNS} from audit.audit_trail where seq > ?1 order by seq limit ?2"),
        params![after as i64, limit],
    )
}

/// The records about one resident: those the by-resident index names and
/// those past its reach, each compared on the whole key.
pub(crate) fn of_resident(connection: &Connection, resident: ResidentKey) -> Result<Vec<SealedRecord>, StoreError> {
    query(connection, OF_RESIDENT, params![prefix(&resident), &resident.0[..]])
}

pub(crate) const OF_RESIDENT: &str = concat!(about_resident!(trail_columns!(), ""), " order by seq");

/// Whether the institution had this outcome for the resident. `+institution`
/// keeps SQLite from scanning all of the partner's records by the
/// (institution, time) index instead of probing the candidates.
pub(crate) fn had_outcome(
    connection: &Connection,
    institution: &str,
    resident: ResidentKey,
    mechanism: Mechanism,
    outcome: &str,
) -> Result<bool, StoreError> {
    connection
        .prepare_cached(HAD_OUTCOME)
        .and_then(|mut statement| {
            statement
                .query_row(params![prefix(&resident), &resident.0[..], institution, mechanism.name(), outcome], |row| {
                    row.get(0)
                })
        })
        .map_err(from_sqlite)
}

pub(crate) const HAD_OUTCOME: &str =
    concat!("select exists (", about_resident!("1", " and +institution = ?3 and mechanism = ?4 and outcome = ?5"), ")");

/// Hits recorded for an account on a day.
pub(crate) fn quota_used(connection: &Connection, user_id: &str, day: NaiveDate) -> Result<u32, StoreError> {
    let used: Option<u32> = connection
        .query_row(
            "select used from audit.quota_usage where user_id = ?1 and day = ?2",
            params![user_id, day.to_string()],
            |row| row.get(0),
        )
        .optional()
        .map_err(from_sqlite)?;
    Ok(used.unwrap_or(0))
}

/// The preparation step of migration 0003: copies the trail and quota
/// usage of a database from before the audit file into it and gives the
/// audit file its identity. Writes only the audit file and may run again
/// (it copies only records after the last one already there).
pub(crate) fn move_into_audit_file(tx: &Transaction<'_>) -> Result<(), StoreError> {
    tx.execute_batch(&format!(
        "insert into audit.identity (id, token) select 1, randomblob(16) where not exists (select 1 from audit.identity);
         insert into audit.audit_trail ({COLUMNS}) select {COLUMNS} from main.audit_trail
             where seq > (select coalesce(max(seq), 0) from audit.audit_trail) order by seq;
         insert or replace into audit.quota_usage (user_id, day, used) select user_id, day, used from main.quota_usage;"
    ))
    .map_err(from_sqlite)
}

/// Whether the attached audit file is the one this register was paired with.
pub(crate) fn is_paired(connection: &Connection) -> Result<bool, StoreError> {
    let token = |sql: &str| -> Result<Option<Vec<u8>>, StoreError> {
        connection.query_row(sql, [], |row| row.get(0)).optional().map_err(from_sqlite)
    };
    let expected = token("select token from main.audit_file where id = 1")?;
    Ok(expected.is_some() && expected == token("select token from audit.identity where id = 1")?)
}

/// The installation secret.
pub(crate) fn installation_key(connection: &Connection) -> Result<[u8; 32], StoreError> {
    let bytes: Vec<u8> = connection
        .query_row("select value from installation where name = 'nik_key'", [], |row| row.get(0))
        .map_err(from_sqlite)?;
    digest(bytes, "kunci instalasi")
}

/// Replaces the installation secret while the trail is still empty.
pub(crate) fn adopt_installation_key(tx: &Transaction<'_>, key: [u8; 32]) -> Result<(), StoreError> {
    let changed = tx
        .execute(
            "update main.installation set value = ?1 where name = 'nik_key' \
             and not exists (select 1 from audit.audit_trail) and not exists (select 1 from audit.audit_retention)",
            params![key.to_vec()],
        )
        .map_err(from_sqlite)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "basis data tujuan sudah punya jejak audit; kunci instalasinya tidak boleh diganti".into(),
        ))
    }
}
