//! Reading and writing the register: SQL for family cards and residents, and
//! the mapping between rows and `gerbang-core` types. Stored codes are
//! checked on the way out, so a damaged row becomes a `Corrupt` error rather
//! than a wrong answer.
//!
//! A batch of households is streamed into each table with a binary
//! `COPY … FROM STDIN`, PostgreSQL's fastest way in: no statement text or
//! parameter limit grows with the batch, and values travel in their binary
//! form.

use deadpool_postgres::{Client, Transaction};
use gerbang_core::resident::{Address, Family, LifeStatus, Resident};
use gerbang_core::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};
use gerbang_core::{Nik, NoKk};
use gerbang_store::{Household, RegisterHealth, StoreError};
use tokio_postgres::Row;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};

use crate::error::{corrupt, from_postgres};

/// What a bulk load sets aside and puts back: the look-up index of residents
/// by family card, and the rule that a resident's family card exists (a
/// check per copied row costs a third of the load; checked once over the
/// whole table at the end instead). Both are also in migration 0001.
/// Idempotent, so `connect` can heal a load that never finished.
pub(crate) const FAMILY_LINKS: &str = "create index if not exists residents_by_no_kk on residents (no_kk);
     do $$ begin
         if not exists (select 1 from pg_constraint where conname = 'residents_no_kk_fkey') then
             alter table residents add constraint residents_no_kk_fkey foreign key (no_kk) references families (no_kk);
         end if;
     end $$";

/// Dropped at the start of a bulk load; [`FAMILY_LINKS`] at its end.
pub(crate) const DROP_FAMILY_LINKS: &str = "drop index if exists residents_by_no_kk;
     alter table residents drop constraint if exists residents_no_kk_fkey";

const RESIDENT_COLUMNS: &str = "r.nik, r.no_kk, r.full_name, r.sex, r.birth_place, r.birth_date, \
     r.birth_certificate, r.blood_type, r.religion, r.marital_status, r.married_on, r.marriage_certificate, \
     r.divorced_on, r.divorce_certificate, r.education, r.occupation, r.relationship, r.father_nik, r.father_name, \
     r.mother_nik, r.mother_name, r.ektp_status, r.died_on, r.active, r.duplicate";

/// How many columns [`RESIDENT_COLUMNS`] lists; family columns follow.
const RESIDENT_COLUMN_COUNT: usize = 25;

const FAMILY_COLUMNS: &str = "f.no_kk, f.street, f.hamlet, f.rt, f.rw, f.village_code, f.postal_code";

fn column<'a, T: tokio_postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(|_| corrupt("kolom register"))
}

fn code<T>(row: &Row, index: usize, what: &str, decode: fn(u8) -> Option<T>) -> Result<T, StoreError> {
    let stored: i16 = column(row, index)?;
    u8::try_from(stored).ok().and_then(decode).ok_or_else(|| corrupt(what))
}

fn nik(stored: i64, what: &str) -> Result<Nik, StoreError> {
    u64::try_from(stored).ok().and_then(Nik::from_stored).ok_or_else(|| corrupt(what))
}

fn no_kk(stored: i64) -> Result<NoKk, StoreError> {
    u64::try_from(stored).ok().and_then(NoKk::from_stored).ok_or_else(|| corrupt("NO_KK"))
}

/// Decodes a resident from the columns starting at `first`.
fn decode_resident(row: &Row, first: usize) -> Result<Resident, StoreError> {
    let at = |i: usize| first + i;
    let optional_nik = |i: usize, what: &str| -> Result<Option<Nik>, StoreError> {
        column::<Option<i64>>(row, at(i))?.map(|v| nik(v, what)).transpose()
    };
    Ok(Resident {
        nik: nik(column(row, at(0))?, "NIK")?,
        no_kk: no_kk(column(row, at(1))?)?,
        full_name: column(row, at(2))?,
        sex: code(row, at(3), "JENIS_KLMIN", JenisKelamin::from_code)?,
        birth_place: column(row, at(4))?,
        birth_date: column(row, at(5))?,
        birth_certificate: column(row, at(6))?,
        blood_type: code(row, at(7), "GOL_DARAH", GolonganDarah::from_code)?,
        religion: code(row, at(8), "AGAMA", Agama::from_code)?,
        marital_status: code(row, at(9), "STATUS_KAWIN", StatusKawin::from_code)?,
        married_on: column(row, at(10))?,
        marriage_certificate: column(row, at(11))?,
        divorced_on: column(row, at(12))?,
        divorce_certificate: column(row, at(13))?,
        education: code(row, at(14), "PDDK_AKH", Pendidikan::from_code)?,
        occupation: code(row, at(15), "JENIS_PKRJN", Pekerjaan::from_code)?,
        relationship: code(row, at(16), "STAT_HBKEL", HubunganKeluarga::from_code)?,
        father_nik: optional_nik(17, "NIK_AYAH")?,
        father_name: column(row, at(18))?,
        mother_nik: optional_nik(19, "NIK_IBU")?,
        mother_name: column(row, at(20))?,
        ektp_status: code(row, at(21), "EKTP_STATUS", StatusEktp::from_code)?,
        life: LifeStatus {
            died_on: column(row, at(22))?,
            active: column(row, at(23))?,
            duplicate: column(row, at(24))?,
        },
    })
}

/// Decodes a family card from the columns starting at `first`.
fn decode_family(row: &Row, first: usize) -> Result<Family, StoreError> {
    let small = |i: usize, what: &str| -> Result<u16, StoreError> {
        u16::try_from(column::<i32>(row, first + i)?).map_err(|_| corrupt(what))
    };
    let postal_code: Option<i32> = column(row, first + 6)?;
    Ok(Family {
        no_kk: no_kk(column(row, first)?)?,
        address: Address {
            street: column(row, first + 1)?,
            hamlet: column(row, first + 2)?,
            rt: small(3, "RT")?,
            rw: small(4, "RW")?,
            village_code: u64::try_from(column::<i64>(row, first + 5)?).map_err(|_| corrupt("kode desa"))?,
            postal_code: postal_code.map(|p| u32::try_from(p).map_err(|_| corrupt("kode pos"))).transpose()?,
        },
    })
}

fn decode_residents(rows: &[Row]) -> Result<Vec<Resident>, StoreError> {
    rows.iter().map(|row| decode_resident(row, 0)).collect()
}

/// A resident and their family card.
pub(crate) async fn resident(client: &Client, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError> {
    let sql = format!(
        "select {RESIDENT_COLUMNS}, {FAMILY_COLUMNS} from residents r join families f using (no_kk) where r.nik = $1"
    );
    let statement = client.prepare_cached(&sql).await.map_err(from_postgres)?;
    let key = nik.value() as i64;
    let Some(row) = client.query_opt(&statement, &[&key]).await.map_err(from_postgres)? else {
        return Ok(None);
    };
    Ok(Some((decode_resident(&row, 0)?, decode_family(&row, RESIDENT_COLUMN_COUNT)?)))
}

/// A family card and its members, head first.
pub(crate) async fn household(client: &Client, card: NoKk) -> Result<Option<Household>, StoreError> {
    let key = card.value() as i64;
    let family_sql = format!("select {FAMILY_COLUMNS} from families f where f.no_kk = $1");
    let statement = client.prepare_cached(&family_sql).await.map_err(from_postgres)?;
    let Some(row) = client.query_opt(&statement, &[&key]).await.map_err(from_postgres)? else {
        return Ok(None);
    };
    let family = decode_family(&row, 0)?;
    let members_sql = format!(
        "select {RESIDENT_COLUMNS} from residents r where r.no_kk = $1 order by r.relationship, r.birth_date, r.nik"
    );
    let statement = client.prepare_cached(&members_sql).await.map_err(from_postgres)?;
    let rows = client.query(&statement, &[&key]).await.map_err(from_postgres)?;
    Ok(Some(Household { family, members: decode_residents(&rows)? }))
}

/// A keyset page of residents in NIK order.
pub(crate) async fn residents_after(
    client: &Client,
    after: Option<Nik>,
    limit: u32,
) -> Result<Vec<Resident>, StoreError> {
    let sql = format!("select {RESIDENT_COLUMNS} from residents r where r.nik > $1 order by r.nik limit $2");
    let statement = client.prepare_cached(&sql).await.map_err(from_postgres)?;
    let after = after.map_or(0, |nik| nik.value() as i64);
    let rows = client.query(&statement, &[&after, &i64::from(limit)]).await.map_err(from_postgres)?;
    decode_residents(&rows)
}

/// One family card as the values of its row, in [`FAMILY_COPY`]'s order.
struct FamilyRow<'a> {
    no_kk: i64,
    street: &'a str,
    hamlet: Option<&'a str>,
    rt: i32,
    rw: i32,
    village_code: i64,
    postal_code: Option<i32>,
}

impl<'a> FamilyRow<'a> {
    fn of(family: &'a Family) -> Result<Self, StoreError> {
        let address = &family.address;
        // A postal code too large for the column is refused, never wrapped.
        let postal_code = address
            .postal_code
            .map(i32::try_from)
            .transpose()
            .map_err(|_| StoreError::Conflict("kode pos di luar jangkauan".into()))?;
        Ok(FamilyRow {
            no_kk: family.no_kk.value() as i64,
            street: &address.street,
            hamlet: address.hamlet.as_deref(),
            rt: i32::from(address.rt),
            rw: i32::from(address.rw),
            village_code: address.village_code as i64,
            postal_code,
        })
    }

    fn values(&self) -> [&(dyn ToSql + Sync); 7] {
        [&self.no_kk, &self.street, &self.hamlet, &self.rt, &self.rw, &self.village_code, &self.postal_code]
    }
}

const FAMILY_COPY: &str =
    "copy families (no_kk, street, hamlet, rt, rw, village_code, postal_code) from stdin (format binary)";

const FAMILY_TYPES: [Type; 7] = [Type::INT8, Type::TEXT, Type::TEXT, Type::INT4, Type::INT4, Type::INT8, Type::INT4];

/// One resident as the values of its row, in [`RESIDENT_COPY`]'s order.
struct ResidentRow<'a> {
    nik: i64,
    no_kk: i64,
    sex: i16,
    blood_type: i16,
    religion: i16,
    marital_status: i16,
    education: i16,
    occupation: i16,
    relationship: i16,
    father_nik: Option<i64>,
    mother_nik: Option<i64>,
    ektp_status: i16,
    resident: &'a Resident,
}

impl<'a> ResidentRow<'a> {
    fn of(r: &'a Resident) -> Self {
        let nik = |n: Option<Nik>| n.map(|n| n.value() as i64);
        ResidentRow {
            nik: r.nik.value() as i64,
            no_kk: r.no_kk.value() as i64,
            sex: i16::from(r.sex.code()),
            blood_type: i16::from(r.blood_type.code()),
            religion: i16::from(r.religion.code()),
            marital_status: i16::from(r.marital_status.code()),
            education: i16::from(r.education.code()),
            occupation: i16::from(r.occupation.code()),
            relationship: i16::from(r.relationship.code()),
            father_nik: nik(r.father_nik),
            mother_nik: nik(r.mother_nik),
            ektp_status: i16::from(r.ektp_status.code()),
            resident: r,
        }
    }

    fn values(&self) -> [&(dyn ToSql + Sync); RESIDENT_COLUMN_COUNT] {
        let r = self.resident;
        [
            &self.nik,
            &self.no_kk,
            &r.full_name,
            &self.sex,
            &r.birth_place,
            &r.birth_date,
            &r.birth_certificate,
            &self.blood_type,
            &self.religion,
            &self.marital_status,
            &r.married_on,
            &r.marriage_certificate,
            &r.divorced_on,
            &r.divorce_certificate,
            &self.education,
            &self.occupation,
            &self.relationship,
            &self.father_nik,
            &r.father_name,
            &self.mother_nik,
            &r.mother_name,
            &self.ektp_status,
            &r.life.died_on,
            &r.life.active,
            &r.life.duplicate,
        ]
    }
}

const RESIDENT_COPY: &str = "copy residents (nik, no_kk, full_name, sex, birth_place, birth_date, \
     birth_certificate, blood_type, religion, marital_status, married_on, marriage_certificate, divorced_on, \
     divorce_certificate, education, occupation, relationship, father_nik, father_name, mother_nik, mother_name, \
     ektp_status, died_on, active, duplicate) from stdin (format binary)";

const RESIDENT_TYPES: [Type; RESIDENT_COLUMN_COUNT] = [
    Type::INT8,
    Type::INT8,
    Type::TEXT,
    Type::INT2,
    Type::TEXT,
    Type::DATE,
    Type::TEXT,
    Type::INT2,
    Type::INT2,
    Type::INT2,
    Type::DATE,
    Type::TEXT,
    Type::DATE,
    Type::TEXT,
    Type::INT2,
    Type::INT2,
    Type::INT2,
    Type::INT8,
    Type::TEXT,
    Type::INT8,
    Type::TEXT,
    Type::INT2,
    Type::DATE,
    Type::BOOL,
    Type::BOOL,
];

/// Streams rows into one table with a binary `COPY … FROM STDIN`.
async fn copy_rows<const N: usize>(
    transaction: &Transaction<'_>,
    copy: &str,
    types: &[Type; N],
    rows: impl Iterator<Item = [&(dyn ToSql + Sync); N]>,
) -> Result<(), StoreError> {
    let sink = transaction.copy_in(copy).await.map_err(from_postgres)?;
    let mut writer = std::pin::pin!(BinaryCopyInWriter::new(sink, types));
    for row in rows {
        writer.as_mut().write(&row).await.map_err(from_postgres)?;
    }
    writer.finish().await.map_err(from_postgres)?;
    Ok(())
}

/// Writes households inside the caller's transaction with binary `COPY`,
/// families first (the residents refer to them), each table in key order
/// so index pages fill from left to right. A duplicate key fails the copy,
/// and with it the caller's transaction: nothing of the batch is written.
pub(crate) async fn insert_households(
    transaction: &Transaction<'_>,
    households: &[Household],
) -> Result<(), StoreError> {
    let mut families =
        households.iter().map(|h| FamilyRow::of(&h.family)).collect::<Result<Vec<FamilyRow<'_>>, _>>()?;
    families.sort_unstable_by_key(|f| f.no_kk);
    copy_rows(transaction, FAMILY_COPY, &FAMILY_TYPES, families.iter().map(FamilyRow::values)).await?;

    let mut residents: Vec<ResidentRow<'_>> = households.iter().flat_map(|h| &h.members).map(ResidentRow::of).collect();
    residents.sort_unstable_by_key(|r| r.nik);
    copy_rows(transaction, RESIDENT_COPY, &RESIDENT_TYPES, residents.iter().map(ResidentRow::values)).await
}

/// Counts and structural checks over the whole register, in one statement
/// so the four numbers describe the same snapshot.
pub(crate) async fn health(client: &Client) -> Result<RegisterHealth, StoreError> {
    let row = client
        .query_one(
            "select (select count(*) from residents),
                    (select count(*) from families),
                    (select count(*) from families f
                      where (select count(*) from residents r where r.no_kk = f.no_kk and r.relationship = $1) <> 1),
                    (select count(*) from families f
                      where not exists (select 1 from residents r where r.no_kk = f.no_kk))",
            &[&i16::from(HubunganKeluarga::KepalaKeluarga.code())],
        )
        .await
        .map_err(from_postgres)?;
    let count = |i: usize| -> Result<u64, StoreError> { Ok(column::<i64>(&row, i)?.max(0) as u64) };
    Ok(RegisterHealth {
        residents: count(0)?,
        families: count(1)?,
        families_without_one_head: count(2)?,
        empty_families: count(3)?,
    })
}
