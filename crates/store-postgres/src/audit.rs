//! The audit trail. Records arrive already sealed into the hash chain; this
//! module only stores and reads them. A batch is one multi-row insert (every
//! column as one array parameter, turned back into rows by `unnest`) in the
//! caller's transaction, together with the batch's additions to the daily
//! usage (see [`crate::quota`]): the primary key on `seq` refuses a repeated
//! sequence number, and then neither records nor usage are written.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, GenericClient, Transaction};
use gerbang_core::Element;
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, ChainLink, Digest32, ResidentKey, SealedRecord, seal_all};
use gerbang_core::clock::JAKARTA;
use gerbang_store::StoreError;
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql};

use crate::error::from_postgres;

const COLUMNS: &str = "seq, operation_id, at, interface, institution, user_id, source_ip, mechanism, resident, \
                       elements, outcome, latency_us, charged, prev_hash, hash";

const INSERT_RECORDS: &str = "insert into audit_trail (seq, operation_id, at, interface, institution, user_id, \
     source_ip, mechanism, resident, elements, outcome, latency_us, charged, prev_hash, hash) \
     select * from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], \
     $7::text[], $8::text[], $9::bytea[], $10::text[], $11::text[], $12::bigint[], $13::boolean[], $14::bytea[], \
     $15::bytea[])";

const ADD_USAGE: &str = "insert into quota_usage (user_id, day, used) \
     select * from unnest($1::text[], $2::date[], $3::bigint[]) \
     on conflict (user_id, day) do update set used = quota_usage.used + excluded.used";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("catatan audit: {what} tidak valid"))
}

fn column<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(|_| corrupt("kolom"))
}

fn digest(bytes: Vec<u8>, what: &str) -> Result<Digest32, StoreError> {
    bytes.try_into().map_err(|_| corrupt(what))
}

fn decode(row: &Row) -> Result<SealedRecord, StoreError> {
    let seq: i64 = column(row, 0)?;
    let source_ip: String = column(row, 6)?;
    let mechanism: Option<String> = column(row, 7)?;
    let resident: Option<Vec<u8>> = column(row, 8)?;
    let elements: String = column(row, 9)?;
    let latency_us: i64 = column(row, 11)?;
    let elements = elements
        .split(',')
        .filter(|e| !e.is_empty())
        .map(|e| Element::from_wire_name(e).ok_or_else(|| corrupt("elemen")))
        .collect::<Result<Vec<_>, _>>()?;
    let record = AuditRecord {
        operation_id: column(row, 1)?,
        at: column(row, 2)?,
        interface: column(row, 3)?,
        institution: column(row, 4)?,
        user_id: column(row, 5)?,
        source_ip: source_ip.parse::<IpAddr>().map_err(|_| corrupt("alamat IP"))?,
        mechanism: mechanism.map(|m| Mechanism::from_name(&m).ok_or_else(|| corrupt("mekanisme"))).transpose()?,
        resident: resident.map(|r| digest(r, "kunci penduduk").map(ResidentKey)).transpose()?,
        elements,
        outcome: column(row, 10)?,
        latency_us: u64::try_from(latency_us).map_err(|_| corrupt("latensi"))?,
        charged: column(row, 12)?,
    };
    Ok(SealedRecord {
        seq: u64::try_from(seq).map_err(|_| corrupt("urutan"))?,
        prev_hash: digest(column(row, 13)?, "hash sebelumnya")?,
        hash: digest(column(row, 14)?, "hash")?,
        record,
    })
}

/// The Jakarta calendar day a record counts against.
fn jakarta_day(record: &AuditRecord) -> NaiveDate {
    record.at.with_timezone(&JAKARTA).date_naive()
}

/// The columns of a batch of records, one array per column.
#[derive(Default)]
struct RecordArrays<'a> {
    seq: Vec<i64>,
    operation_id: Vec<&'a str>,
    at: Vec<DateTime<Utc>>,
    interface: Vec<&'a str>,
    institution: Vec<Option<&'a str>>,
    user_id: Vec<Option<&'a str>>,
    source_ip: Vec<String>,
    mechanism: Vec<Option<&'static str>>,
    resident: Vec<Option<&'a [u8]>>,
    elements: Vec<String>,
    outcome: Vec<&'a str>,
    latency_us: Vec<i64>,
    charged: Vec<bool>,
    prev_hash: Vec<&'a [u8]>,
    hash: Vec<&'a [u8]>,
}

impl<'a> RecordArrays<'a> {
    fn push(&mut self, sealed: &'a SealedRecord) {
        let r = &sealed.record;
        let elements: Vec<&str> = r.elements.iter().map(|e| e.wire_name()).collect();
        self.seq.push(sealed.seq as i64);
        self.operation_id.push(&r.operation_id);
        self.at.push(r.at);
        self.interface.push(&r.interface);
        self.institution.push(r.institution.as_deref());
        self.user_id.push(r.user_id.as_deref());
        self.source_ip.push(r.source_ip.to_string());
        self.mechanism.push(r.mechanism.map(|m| m.name()));
        self.resident.push(r.resident.as_ref().map(|k| k.0.as_slice()));
        self.elements.push(elements.join(","));
        self.outcome.push(&r.outcome);
        self.latency_us.push(r.latency_us as i64);
        self.charged.push(r.charged);
        self.prev_hash.push(sealed.prev_hash.as_slice());
        self.hash.push(sealed.hash.as_slice());
    }

    fn parameters(&self) -> [&(dyn ToSql + Sync); 15] {
        [
            &self.seq,
            &self.operation_id,
            &self.at,
            &self.interface,
            &self.institution,
            &self.user_id,
            &self.source_ip,
            &self.mechanism,
            &self.resident,
            &self.elements,
            &self.outcome,
            &self.latency_us,
            &self.charged,
            &self.prev_hash,
            &self.hash,
        ]
    }
}

/// Appends sealed records and adds their charged hits to the daily usage,
/// inside the caller's transaction.
pub(crate) async fn append(transaction: &Transaction<'_>, records: &[SealedRecord]) -> Result<(), StoreError> {
    let mut arrays = RecordArrays::default();
    let mut charges: BTreeMap<(&str, NaiveDate), i64> = BTreeMap::new();
    for sealed in records {
        arrays.push(sealed);
        let r = &sealed.record;
        if r.charged
            && let Some(user_id) = r.user_id.as_deref()
        {
            *charges.entry((user_id, jakarta_day(r))).or_default() += 1;
        }
    }
    let statement = transaction.prepare_cached(INSERT_RECORDS).await.map_err(from_postgres)?;
    transaction.execute(&statement, &arrays.parameters()).await.map_err(from_postgres)?;
    if charges.is_empty() {
        return Ok(());
    }
    // One row per (account, day): an upsert may not touch a row twice.
    let mut users = Vec::with_capacity(charges.len());
    let mut days = Vec::with_capacity(charges.len());
    let mut counts = Vec::with_capacity(charges.len());
    for ((user_id, day), count) in charges {
        users.push(user_id);
        days.push(day);
        counts.push(count);
    }
    let statement = transaction.prepare_cached(ADD_USAGE).await.map_err(from_postgres)?;
    transaction.execute(&statement, &[&users, &days, &counts]).await.map_err(from_postgres)?;
    Ok(())
}

/// The last link of the chain.
pub(crate) async fn tail(client: &impl GenericClient) -> Result<Option<ChainLink>, StoreError> {
    let row = client
        .query_opt("select seq, hash from audit_trail order by seq desc limit 1", &[])
        .await
        .map_err(from_postgres)?;
    row.map(|row| {
        let seq: i64 = column(&row, 0)?;
        Ok(ChainLink {
            seq: u64::try_from(seq).map_err(|_| corrupt("urutan"))?,
            hash: digest(column(&row, 1)?, "hash")?,
        })
    })
    .transpose()
}

/// The lock every process takes, inside its transaction, before it reads
/// the tail and seals records onto it ("gerbaud\x01"); released at commit.
const CHAIN_LOCK: i64 = 0x6765_7262_6175_6401;

/// Seals `records` after the stored tail and appends them, in `transaction`.
/// The transaction-scoped advisory lock makes processes take turns from
/// reading the tail to committing, so several nodes build one chain.
pub(crate) async fn record(transaction: &Transaction<'_>, records: Vec<AuditRecord>) -> Result<Vec<u64>, StoreError> {
    transaction.execute("select pg_advisory_xact_lock($1)", &[&CHAIN_LOCK]).await.map_err(from_postgres)?;
    let sealed = seal_all(tail(transaction).await?, records);
    append(transaction, &sealed).await?;
    Ok(sealed.iter().map(|record| record.seq).collect())
}

async fn query(client: &Client, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<SealedRecord>, StoreError> {
    let statement = client.prepare_cached(sql).await.map_err(from_postgres)?;
    let rows = client.query(&statement, params).await.map_err(from_postgres)?;
    rows.iter().map(decode).collect()
}

/// A page of the chain after `after`.
pub(crate) async fn page(client: &Client, after: u64, limit: u32) -> Result<Vec<SealedRecord>, StoreError> {
    let sql = format!("select {COLUMNS} from audit_trail where seq > $1 order by seq limit $2");
    query(client, &sql, &[&(after as i64), &i64::from(limit)]).await
}

/// The records about one resident.
pub(crate) async fn of_resident(client: &Client, resident: ResidentKey) -> Result<Vec<SealedRecord>, StoreError> {
    let sql = format!("select {COLUMNS} from audit_trail where resident = $1 order by seq");
    query(client, &sql, &[&resident.0.as_slice()]).await
}

/// Whether the institution had this outcome for the resident.
pub(crate) async fn had_outcome(
    client: &Client,
    institution: &str,
    resident: ResidentKey,
    mechanism: Mechanism,
    outcome: &str,
) -> Result<bool, StoreError> {
    let statement = client
        .prepare_cached(
            "select exists (select 1 from audit_trail where resident = $1 and institution = $2 \
             and mechanism = $3 and outcome = $4)",
        )
        .await
        .map_err(from_postgres)?;
    let row = client
        .query_one(&statement, &[&resident.0.as_slice(), &institution, &mechanism.name(), &outcome])
        .await
        .map_err(from_postgres)?;
    column(&row, 0)
}

/// The installation secret.
pub(crate) async fn installation_key(client: &Client) -> Result<[u8; 32], StoreError> {
    let row = client
        .query_opt("select value from installation where name = 'nik_key'", &[])
        .await
        .map_err(from_postgres)?
        .ok_or_else(|| corrupt("kunci instalasi"))?;
    digest(column(&row, 0)?, "kunci instalasi")
}

/// Stores a fresh random installation secret unless one exists. Several
/// nodes starting on a new database race here harmlessly: the first insert
/// wins and the others change nothing.
pub(crate) async fn ensure_installation_key(client: &Client) -> Result<(), StoreError> {
    let mut key = [0u8; 32];
    getrandom::fill(&mut key)
        .map_err(|error| StoreError::Backend(format!("pembangkit acak sistem operasi gagal: {error}")))?;
    client
        .execute(
            "insert into installation (name, value) values ('nik_key', $1) on conflict (name) do nothing",
            &[&key.as_slice()],
        )
        .await
        .map_err(from_postgres)?;
    Ok(())
}

/// Replaces the installation secret while the trail is still empty (one
/// statement, so a record written meanwhile makes it refuse).
pub(crate) async fn adopt_installation_key(client: &Client, key: [u8; 32]) -> Result<(), StoreError> {
    let changed = client
        .execute(
            "update installation set value = $1 where name = 'nik_key' and not exists (select 1 from audit_trail)",
            &[&key.as_slice()],
        )
        .await
        .map_err(from_postgres)?;
    if changed == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "basis data tujuan sudah punya jejak audit; kunci instalasinya tidak boleh diganti".into(),
        ))
    }
}
