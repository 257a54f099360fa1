//! The audit trail. Records arrive already sealed into the hash chain; this
//! module only stores and reads them. A batch is one multi-row insert (every
//! column as one array parameter, turned back into rows by `unnest`) in the
//! caller's transaction, together with the batch's additions to the daily
//! usage (see [`crate::quota`]): a repeated (month, sequence number) is
//! refused, and then neither records nor usage are written.
//!
//! The table is partitioned by the month each record is filed under (see
//! migration 0003 for why that is the later of its own month and its
//! predecessor's): a month's partition is created when the first record of
//! the month arrives (and ahead of time when a node starts), and retention
//! drops whole partitions, remembering the last removed link as the anchor
//! where the stored chain now begins.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use deadpool_postgres::{Client, GenericClient, Transaction};
use gerbang_core::Element;
use gerbang_core::access::Mechanism;
use gerbang_core::audit::{AuditRecord, ChainLink, Digest32, ResidentKey, SealedRecord, seal_all};
use gerbang_core::clock::{jakarta_date, month_start};
use gerbang_store::{AuditRemoval, StoreError};
use tokio_postgres::Row;
use tokio_postgres::types::{FromSql, ToSql};

use crate::error::from_postgres;

pub(crate) const COLUMNS: &str = "seq, operation_id, at, interface, institution, user_id, source_ip, mechanism, resident, \
                       elements, outcome, latency_us, charged, prev_hash, hash";

const INSERT_RECORDS: &str = "insert into audit_trail (seq, operation_id, at, interface, institution, user_id, \
     source_ip, mechanism, resident, elements, outcome, latency_us, charged, prev_hash, hash, month) \
     select * from unnest($1::bigint[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], \
     $7::text[], $8::text[], $9::bytea[], $10::text[], $11::text[], $12::bigint[], $13::boolean[], $14::bytea[], \
     $15::bytea[], $16::date[])";

/// The newest stored record, found in the newest partition alone.
const LAST_RECORD: &str = "select seq, hash, month from audit_trail order by month desc, seq desc limit 1";

/// The newest anchor left by retention or by a copied trail.
const LAST_ANCHOR: &str = "select last_seq, last_hash, last_month from audit_retention order by last_seq desc limit 1";

const ADD_USAGE: &str = "insert into quota_usage (user_id, day, used) \
     select * from unnest($1::text[], $2::date[], $3::bigint[]) \
     on conflict (user_id, day) do update set used = quota_usage.used + excluded.used";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("catatan audit: {what} tidak valid"))
}

pub(crate) fn column<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
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
    jakarta_date(record.at)
}

/// The months records are filed under, in chain order: each record's own
/// Jakarta month, or the month of the record before it if that is later.
fn filing_months(previous: Option<NaiveDate>, records: &[SealedRecord]) -> Vec<NaiveDate> {
    let mut month = previous;
    records
        .iter()
        .map(|sealed| {
            let own = month_start(jakarta_day(&sealed.record));
            let filed = month.map_or(own, |m| m.max(own));
            month = Some(filed);
            filed
        })
        .collect()
}

/// The end of the stored chain and the month it is filed under.
#[derive(Debug, Clone, Copy)]
struct Tail {
    link: ChainLink,
    month: NaiveDate,
    /// Whether it is a stored record (whose partition therefore exists)
    /// rather than the anchor.
    stored: bool,
}

fn tail_from(row: &Row) -> Result<Tail, StoreError> {
    let seq: i64 = column(row, 0)?;
    Ok(Tail {
        link: ChainLink {
            seq: u64::try_from(seq).map_err(|_| corrupt("urutan"))?,
            hash: digest(column(row, 1)?, "hash")?,
        },
        month: column(row, 2)?,
        stored: true,
    })
}

/// The last stored record, or else the anchor the trail starts after.
async fn stored_tail(client: &impl GenericClient) -> Result<Option<Tail>, StoreError> {
    if let Some(row) = client.query_opt(LAST_RECORD, &[]).await.map_err(from_postgres)? {
        return tail_from(&row).map(Some);
    }
    let anchor = client.query_opt(LAST_ANCHOR, &[]).await.map_err(from_postgres)?;
    anchor.map(|row| Ok(Tail { stored: false, ..tail_from(&row)? })).transpose()
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
    month: Vec<NaiveDate>,
}

impl<'a> RecordArrays<'a> {
    fn push(&mut self, sealed: &'a SealedRecord, month: NaiveDate) {
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
        self.month.push(month);
    }

    fn parameters(&self) -> [&(dyn ToSql + Sync); 16] {
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
            &self.month,
        ]
    }
}

/// Creates the partitions of `months` that do not exist yet.
pub(crate) async fn ensure_partitions(
    client: &impl GenericClient,
    months: impl IntoIterator<Item = NaiveDate>,
) -> Result<(), StoreError> {
    let months: std::collections::BTreeSet<NaiveDate> = months.into_iter().collect();
    for month in months {
        client.execute("select audit_partition($1)", &[&month]).await.map_err(from_postgres)?;
    }
    Ok(())
}

/// Makes sure of this Jakarta month's partition and the next two, by the
/// database's clock, so that the first record of a month rarely has to
/// create its partition (which briefly locks the whole trail). Run when a
/// node starts.
pub(crate) async fn prepare_partitions(client: &mut Client) -> Result<(), StoreError> {
    let transaction = client.transaction().await.map_err(from_postgres)?;
    lock_chain(&transaction).await?;
    transaction
        .execute(
            "select audit_partition(((now() at time zone 'Asia/Jakarta')::date + make_interval(months => ahead))::date) \
               from generate_series(0, 2) ahead",
            &[],
        )
        .await
        .map_err(from_postgres)?;
    transaction.commit().await.map_err(from_postgres)
}

/// Appends sealed records that continue the stored chain, filed under their
/// months, and adds their charged hits to the daily usage, inside the
/// caller's transaction (which holds the chain lock).
pub(crate) async fn append(transaction: &Transaction<'_>, records: &[SealedRecord]) -> Result<(), StoreError> {
    let tail = stored_tail(transaction).await?;
    write(transaction, records, tail).await
}

/// Writes records that follow `tail`, creating the partitions they need
/// (only a new month's, in the usual case).
async fn write(transaction: &Transaction<'_>, records: &[SealedRecord], tail: Option<Tail>) -> Result<(), StoreError> {
    let months = filing_months(tail.map(|t| t.month), records);
    let has_partition = |month: &NaiveDate| tail.is_some_and(|t| t.stored && t.month == *month);
    ensure_partitions(transaction, months.iter().copied().filter(|m| !has_partition(m))).await?;
    let mut arrays = RecordArrays::default();
    let mut charges: BTreeMap<(&str, NaiveDate), i64> = BTreeMap::new();
    for (sealed, month) in records.iter().zip(months) {
        arrays.push(sealed, month);
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

/// The last link of the chain (the anchor once retention removed every
/// record).
pub(crate) async fn tail(client: &impl GenericClient) -> Result<Option<ChainLink>, StoreError> {
    Ok(stored_tail(client).await?.map(|tail| tail.link))
}

/// Where the stored chain begins.
pub(crate) async fn anchor(client: &impl GenericClient) -> Result<Option<ChainLink>, StoreError> {
    let anchor = client.query_opt(LAST_ANCHOR, &[]).await.map_err(from_postgres)?;
    Ok(anchor.map(|row| tail_from(&row)).transpose()?.map(|tail| tail.link))
}

/// Takes the chain lock for the rest of `transaction`.
async fn lock_chain(transaction: &Transaction<'_>) -> Result<(), StoreError> {
    transaction.execute("select pg_advisory_xact_lock($1)", &[&CHAIN_LOCK]).await.map_err(from_postgres)?;
    Ok(())
}

/// Drops the partitions of every month before `before`'s, under the chain
/// lock, and records the last removed link as the new anchor.
pub(crate) async fn remove_before(
    transaction: &Transaction<'_>,
    before: NaiveDate,
) -> Result<AuditRemoval, StoreError> {
    lock_chain(transaction).await?;
    let before = month_start(before);
    let last = transaction
        .query_opt(
            "select seq, hash, month, (select count(*) from audit_trail where month < $1) \
               from audit_trail where month < $1 order by month desc, seq desc limit 1",
            &[&before],
        )
        .await
        .map_err(from_postgres)?;
    let mut records = 0;
    if let Some(row) = &last {
        let removed = tail_from(row)?;
        records = column::<i64>(row, 3)?;
        transaction
            .execute(
                "insert into audit_retention (last_seq, last_hash, last_month, before, records, removed_at) \
                 values ($1, $2, $3, $4, $5, now())",
                &[&(removed.link.seq as i64), &removed.link.hash.as_slice(), &removed.month, &before, &records],
            )
            .await
            .map_err(from_postgres)?;
    }
    let months = transaction
        .query("select month from audit_partition_months() month where month < $1", &[&before])
        .await
        .map_err(from_postgres)?;
    for row in &months {
        let month: NaiveDate = column(row, 0)?;
        transaction.execute("select audit_drop_partition($1)", &[&month]).await.map_err(from_postgres)?;
    }
    let records = u64::try_from(records).map_err(|_| corrupt("jumlah"))?;
    Ok(AuditRemoval { records, anchor: anchor(transaction).await? })
}

/// The month an adopted anchor is filed under: unknown, so earlier than any
/// record's.
const UNKNOWN_MONTH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// Makes an empty trail start after `link`.
pub(crate) async fn adopt_anchor(transaction: &Transaction<'_>, link: ChainLink) -> Result<(), StoreError> {
    lock_chain(transaction).await?;
    if stored_tail(transaction).await?.is_some() {
        return Err(StoreError::Conflict(
            "jejak audit tujuan tidak kosong; titik awal rantainya tidak boleh diganti".into(),
        ));
    }
    transaction
        .execute(
            "insert into audit_retention (last_seq, last_hash, last_month, before, records, removed_at) \
             values ($1, $2, $3, $3, 0, now())",
            &[&(link.seq as i64), &link.hash.as_slice(), &UNKNOWN_MONTH],
        )
        .await
        .map_err(from_postgres)?;
    Ok(())
}

/// The lock every process takes, inside its transaction, before it reads
/// the tail and seals records onto it ("gerbaud\x01"); released at commit.
const CHAIN_LOCK: i64 = 0x6765_7262_6175_6401;

/// Seals `records` after the stored tail and appends them, in `transaction`.
/// The transaction-scoped advisory lock makes processes take turns from
/// reading the tail to committing, so several nodes build one chain.
pub(crate) async fn record(transaction: &Transaction<'_>, records: Vec<AuditRecord>) -> Result<Vec<u64>, StoreError> {
    lock_chain(transaction).await?;
    let tail = stored_tail(transaction).await?;
    let sealed = seal_all(tail.map(|t| t.link), records);
    write(transaction, &sealed, tail).await?;
    Ok(sealed.iter().map(|record| record.seq).collect())
}

pub(crate) async fn query(
    client: &Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> Result<Vec<SealedRecord>, StoreError> {
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
            "update installation set value = $1 where name = 'nik_key' and not exists (select 1 from audit_trail) \
             and not exists (select 1 from audit_retention)",
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
