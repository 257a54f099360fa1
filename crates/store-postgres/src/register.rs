//! Reading and writing the register: SQL for family cards and residents, and
//! the mapping between rows and `gerbang-core` types. Stored codes are
//! checked on the way out, so a damaged row becomes a `Corrupt` error rather
//! than a wrong answer.
//!
//! A batch of households is written with one statement per table: every
//! column travels as one array parameter and `unnest` turns the arrays back
//! into rows, so the statement text is fixed whatever the batch size and
//! stays within PostgreSQL's limit of 65 535 parameters.

use chrono::NaiveDate;
use deadpool_postgres::{Client, Transaction};
use gerbang_core::resident::{Address, Family, LifeStatus, Resident};
use gerbang_core::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};
use gerbang_core::{Nik, NoKk};
use gerbang_store::{Household, RegisterHealth, StoreError};
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;

use crate::error::{corrupt, from_postgres};

/// The look-up index of residents by family card. Also in migration 0001;
/// repeated here because a bulk load drops and rebuilds it.
pub(crate) const NO_KK_INDEX: &str = "create index if not exists residents_by_no_kk on residents (no_kk)";

/// Dropped at the start of a bulk load; built once at its end.
pub(crate) const DROP_NO_KK_INDEX: &str = "drop index if exists residents_by_no_kk";

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

/// The family columns of a batch, one array per column.
#[derive(Default)]
struct FamilyArrays {
    no_kk: Vec<i64>,
    street: Vec<String>,
    hamlet: Vec<Option<String>>,
    rt: Vec<i32>,
    rw: Vec<i32>,
    village_code: Vec<i64>,
    postal_code: Vec<Option<i64>>,
}

impl FamilyArrays {
    fn push(&mut self, family: &Family) {
        let address = &family.address;
        self.no_kk.push(family.no_kk.value() as i64);
        self.street.push(address.street.clone());
        self.hamlet.push(address.hamlet.clone());
        self.rt.push(i32::from(address.rt));
        self.rw.push(i32::from(address.rw));
        self.village_code.push(address.village_code as i64);
        self.postal_code.push(address.postal_code.map(i64::from));
    }

    fn parameters(&self) -> [&(dyn ToSql + Sync); 7] {
        [&self.no_kk, &self.street, &self.hamlet, &self.rt, &self.rw, &self.village_code, &self.postal_code]
    }
}

const INSERT_FAMILIES: &str = "insert into families (no_kk, street, hamlet, rt, rw, village_code, postal_code) \
     select * from unnest($1::bigint[], $2::text[], $3::text[], $4::integer[], $5::integer[], $6::bigint[], \
     $7::bigint[]::integer[])";
// Postal codes travel as bigint (a `u32` always fits) and the cast to the
// column's integer refuses, rather than wraps, a value out of range.

/// The resident columns of a batch, one array per column.
#[derive(Default)]
struct ResidentArrays {
    nik: Vec<i64>,
    no_kk: Vec<i64>,
    full_name: Vec<String>,
    sex: Vec<i16>,
    birth_place: Vec<String>,
    birth_date: Vec<NaiveDate>,
    birth_certificate: Vec<Option<String>>,
    blood_type: Vec<i16>,
    religion: Vec<i16>,
    marital_status: Vec<i16>,
    married_on: Vec<Option<NaiveDate>>,
    marriage_certificate: Vec<Option<String>>,
    divorced_on: Vec<Option<NaiveDate>>,
    divorce_certificate: Vec<Option<String>>,
    education: Vec<i16>,
    occupation: Vec<i16>,
    relationship: Vec<i16>,
    father_nik: Vec<Option<i64>>,
    father_name: Vec<String>,
    mother_nik: Vec<Option<i64>>,
    mother_name: Vec<String>,
    ektp_status: Vec<i16>,
    died_on: Vec<Option<NaiveDate>>,
    active: Vec<bool>,
    duplicate: Vec<bool>,
}

impl ResidentArrays {
    fn push(&mut self, r: &Resident) {
        let nik = |n: Option<Nik>| n.map(|n| n.value() as i64);
        self.nik.push(r.nik.value() as i64);
        self.no_kk.push(r.no_kk.value() as i64);
        self.full_name.push(r.full_name.clone());
        self.sex.push(i16::from(r.sex.code()));
        self.birth_place.push(r.birth_place.clone());
        self.birth_date.push(r.birth_date);
        self.birth_certificate.push(r.birth_certificate.clone());
        self.blood_type.push(i16::from(r.blood_type.code()));
        self.religion.push(i16::from(r.religion.code()));
        self.marital_status.push(i16::from(r.marital_status.code()));
        self.married_on.push(r.married_on);
        self.marriage_certificate.push(r.marriage_certificate.clone());
        self.divorced_on.push(r.divorced_on);
        self.divorce_certificate.push(r.divorce_certificate.clone());
        self.education.push(i16::from(r.education.code()));
        self.occupation.push(i16::from(r.occupation.code()));
        self.relationship.push(i16::from(r.relationship.code()));
        self.father_nik.push(nik(r.father_nik));
        self.father_name.push(r.father_name.clone());
        self.mother_nik.push(nik(r.mother_nik));
        self.mother_name.push(r.mother_name.clone());
        self.ektp_status.push(i16::from(r.ektp_status.code()));
        self.died_on.push(r.life.died_on);
        self.active.push(r.life.active);
        self.duplicate.push(r.life.duplicate);
    }

    fn parameters(&self) -> [&(dyn ToSql + Sync); RESIDENT_COLUMN_COUNT] {
        [
            &self.nik,
            &self.no_kk,
            &self.full_name,
            &self.sex,
            &self.birth_place,
            &self.birth_date,
            &self.birth_certificate,
            &self.blood_type,
            &self.religion,
            &self.marital_status,
            &self.married_on,
            &self.marriage_certificate,
            &self.divorced_on,
            &self.divorce_certificate,
            &self.education,
            &self.occupation,
            &self.relationship,
            &self.father_nik,
            &self.father_name,
            &self.mother_nik,
            &self.mother_name,
            &self.ektp_status,
            &self.died_on,
            &self.active,
            &self.duplicate,
        ]
    }
}

const INSERT_RESIDENTS: &str = "insert into residents (nik, no_kk, full_name, sex, birth_place, birth_date, \
     birth_certificate, blood_type, religion, marital_status, married_on, marriage_certificate, divorced_on, \
     divorce_certificate, education, occupation, relationship, father_nik, father_name, mother_nik, mother_name, \
     ektp_status, died_on, active, duplicate) \
     select * from unnest($1::bigint[], $2::bigint[], $3::text[], $4::smallint[], $5::text[], $6::date[], \
     $7::text[], $8::smallint[], $9::smallint[], $10::smallint[], $11::date[], $12::text[], $13::date[], \
     $14::text[], $15::smallint[], $16::smallint[], $17::smallint[], $18::bigint[], $19::text[], $20::bigint[], \
     $21::text[], $22::smallint[], $23::date[], $24::boolean[], $25::boolean[])";

/// Writes households inside the caller's transaction, families first (the
/// residents refer to them), each table in key order so index pages fill
/// from left to right.
pub(crate) async fn insert_households(
    transaction: &Transaction<'_>,
    households: &[Household],
) -> Result<(), StoreError> {
    let mut families: Vec<&Family> = households.iter().map(|h| &h.family).collect();
    families.sort_unstable_by_key(|f| f.no_kk);
    let mut family_arrays = FamilyArrays::default();
    families.into_iter().for_each(|family| family_arrays.push(family));
    let statement = transaction.prepare_cached(INSERT_FAMILIES).await.map_err(from_postgres)?;
    transaction.execute(&statement, &family_arrays.parameters()).await.map_err(from_postgres)?;

    let mut residents: Vec<&Resident> = households.iter().flat_map(|h| &h.members).collect();
    residents.sort_unstable_by_key(|r| r.nik);
    let mut resident_arrays = ResidentArrays::default();
    residents.into_iter().for_each(|resident| resident_arrays.push(resident));
    let statement = transaction.prepare_cached(INSERT_RESIDENTS).await.map_err(from_postgres)?;
    transaction.execute(&statement, &resident_arrays.parameters()).await.map_err(from_postgres)?;
    Ok(())
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
