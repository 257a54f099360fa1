//! Reading and writing the register: SQL for family cards and residents, and
//! the mapping between rows and `gerbang-core` types. Stored codes are
//! checked on the way out, so a damaged row becomes a `Corrupt` error rather
//! than a wrong answer.

use chrono::{Datelike, NaiveDate};
use gerbang_core::resident::{Address, Family, LifeStatus, Resident};
use gerbang_core::vocab::{
    Agama, GolonganDarah, HubunganKeluarga, JenisKelamin, Pekerjaan, Pendidikan, StatusEktp, StatusKawin,
};
use gerbang_core::{Nik, NoKk};
use gerbang_store::{Household, RegisterHealth, StoreError};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use crate::error::from_sqlite;

/// The residents table's columns, in [`RawResident::read`]'s order. A macro
/// so that the look-ups' SQL is built at compile time (`concat!`): a
/// look-up runs for every call, and formatting its SQL each time, then
/// finding the cached statement by that text, was a measurable part of it.
macro_rules! resident_columns {
    () => {
        "nik, no_kk, full_name, sex, birth_place, birth_date, birth_certificate, blood_type, \
         religion, marital_status, married_on, marriage_certificate, divorced_on, divorce_certificate, education, \
         occupation, relationship, father_nik, father_name, mother_nik, mother_name, ektp_status, died_on, active, \
         duplicate"
    };
}

/// The families table's columns, in [`RawFamily::read`]'s order.
macro_rules! family_columns {
    () => {
        "no_kk, street, hamlet, rt, rw, village_code, postal_code"
    };
}

const RESIDENT_COLUMNS: &str = resident_columns!();

/// The look-up index of residents by family card. Also in migration 0001;
/// repeated here because a bulk load drops and rebuilds it.
pub(crate) const NO_KK_INDEX: &str = "create index if not exists residents_by_no_kk on residents (no_kk)";

const FAMILY_COLUMNS: &str = family_columns!();

fn date_to_int(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 10_000 + i64::from(date.month()) * 100 + i64::from(date.day())
}

fn int_to_date(value: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt((value / 10_000) as i32, ((value / 100) % 100) as u32, (value % 100) as u32)
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("nilai {what} tersimpan tidak valid"))
}

/// A row's raw columns, read without interpretation so that decoding errors
/// can be reported as corruption.
struct RawResident {
    nik: i64,
    no_kk: i64,
    full_name: String,
    sex: u8,
    birth_place: String,
    birth_date: i64,
    birth_certificate: Option<String>,
    blood_type: u8,
    religion: u8,
    marital_status: u8,
    married_on: Option<i64>,
    marriage_certificate: Option<String>,
    divorced_on: Option<i64>,
    divorce_certificate: Option<String>,
    education: u8,
    occupation: u8,
    relationship: u8,
    father_nik: Option<i64>,
    father_name: String,
    mother_nik: Option<i64>,
    mother_name: String,
    ektp_status: u8,
    died_on: Option<i64>,
    active: bool,
    duplicate: bool,
}

impl RawResident {
    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        let at = |i: usize| first + i;
        Ok(RawResident {
            nik: row.get(at(0))?,
            no_kk: row.get(at(1))?,
            full_name: row.get(at(2))?,
            sex: row.get(at(3))?,
            birth_place: row.get(at(4))?,
            birth_date: row.get(at(5))?,
            birth_certificate: row.get(at(6))?,
            blood_type: row.get(at(7))?,
            religion: row.get(at(8))?,
            marital_status: row.get(at(9))?,
            married_on: row.get(at(10))?,
            marriage_certificate: row.get(at(11))?,
            divorced_on: row.get(at(12))?,
            divorce_certificate: row.get(at(13))?,
            education: row.get(at(14))?,
            occupation: row.get(at(15))?,
            relationship: row.get(at(16))?,
            father_nik: row.get(at(17))?,
            father_name: row.get(at(18))?,
            mother_nik: row.get(at(19))?,
            mother_name: row.get(at(20))?,
            ektp_status: row.get(at(21))?,
            died_on: row.get(at(22))?,
            active: row.get(at(23))?,
            duplicate: row.get(at(24))?,
        })
    }

    fn decode(self) -> Result<Resident, StoreError> {
        let nik = |value: i64| u64::try_from(value).ok().and_then(Nik::from_stored);
        let optional_nik = |value: Option<i64>, what| value.map(|v| nik(v).ok_or_else(|| corrupt(what))).transpose();
        let optional_date =
            |value: Option<i64>, what| value.map(|v| int_to_date(v).ok_or_else(|| corrupt(what))).transpose();
        Ok(Resident {
            nik: nik(self.nik).ok_or_else(|| corrupt("NIK"))?,
            no_kk: u64::try_from(self.no_kk).ok().and_then(NoKk::from_stored).ok_or_else(|| corrupt("NO_KK"))?,
            full_name: self.full_name,
            sex: JenisKelamin::from_code(self.sex).ok_or_else(|| corrupt("JENIS_KLMIN"))?,
            birth_place: self.birth_place,
            birth_date: int_to_date(self.birth_date).ok_or_else(|| corrupt("TGL_LHR"))?,
            birth_certificate: self.birth_certificate,
            blood_type: GolonganDarah::from_code(self.blood_type).ok_or_else(|| corrupt("GOL_DARAH"))?,
            religion: Agama::from_code(self.religion).ok_or_else(|| corrupt("AGAMA"))?,
            marital_status: StatusKawin::from_code(self.marital_status).ok_or_else(|| corrupt("STATUS_KAWIN"))?,
            married_on: optional_date(self.married_on, "TGL_KWN")?,
            marriage_certificate: self.marriage_certificate,
            divorced_on: optional_date(self.divorced_on, "TGL_CRAI")?,
            divorce_certificate: self.divorce_certificate,
            education: Pendidikan::from_code(self.education).ok_or_else(|| corrupt("PDDK_AKH"))?,
            occupation: Pekerjaan::from_code(self.occupation).ok_or_else(|| corrupt("JENIS_PKRJN"))?,
            relationship: HubunganKeluarga::from_code(self.relationship).ok_or_else(|| corrupt("STAT_HBKEL"))?,
            father_nik: optional_nik(self.father_nik, "NIK_AYAH")?,
            father_name: self.father_name,
            mother_nik: optional_nik(self.mother_nik, "NIK_IBU")?,
            mother_name: self.mother_name,
            ektp_status: StatusEktp::from_code(self.ektp_status).ok_or_else(|| corrupt("EKTP_STATUS"))?,
            life: LifeStatus {
                died_on: optional_date(self.died_on, "tanggal kematian")?,
                active: self.active,
                duplicate: self.duplicate,
            },
        })
    }
}

struct RawFamily {
    no_kk: i64,
    street: String,
    hamlet: Option<String>,
    rt: u16,
    rw: u16,
    village_code: i64,
    postal_code: Option<u32>,
}

impl RawFamily {
    fn read(row: &Row<'_>, first: usize) -> rusqlite::Result<Self> {
        Ok(RawFamily {
            no_kk: row.get(first)?,
            street: row.get(first + 1)?,
            hamlet: row.get(first + 2)?,
            rt: row.get(first + 3)?,
            rw: row.get(first + 4)?,
            village_code: row.get(first + 5)?,
            postal_code: row.get(first + 6)?,
        })
    }

    fn decode(self) -> Result<Family, StoreError> {
        Ok(Family {
            no_kk: u64::try_from(self.no_kk).ok().and_then(NoKk::from_stored).ok_or_else(|| corrupt("NO_KK"))?,
            address: Address {
                street: self.street,
                hamlet: self.hamlet,
                rt: self.rt,
                rw: self.rw,
                village_code: u64::try_from(self.village_code).map_err(|_| corrupt("kode desa"))?,
                postal_code: self.postal_code,
            },
        })
    }
}

/// A resident and their family card.
pub(crate) fn resident(connection: &Connection, nik: Nik) -> Result<Option<(Resident, Family)>, StoreError> {
    // The family's columns are named only in `families` (`no_kk` is the
    // join's own column), so both lists read unqualified.
    const SQL: &str = concat!(
        "select ",
        resident_columns!(),
        ", ",
        family_columns!(),
        " from residents r join families f using (no_kk) where r.nik = ?1"
    );
    let mut statement = connection.prepare_cached(SQL).map_err(from_sqlite)?;
    let raw = statement
        .query_row(params![nik.value() as i64], |row| Ok((RawResident::read(row, 0)?, RawFamily::read(row, 25)?)))
        .optional()
        .map_err(from_sqlite)?;
    raw.map(|(resident, family)| Ok((resident.decode()?, family.decode()?))).transpose()
}

/// A family card and its members, head first.
pub(crate) fn household(connection: &Connection, no_kk: NoKk) -> Result<Option<Household>, StoreError> {
    const FAMILY_SQL: &str = concat!("select ", family_columns!(), " from families where no_kk = ?1");
    const MEMBERS_SQL: &str = concat!(
        "select ",
        resident_columns!(),
        " from residents where no_kk = ?1 order by relationship, birth_date, nik"
    );
    let mut statement = connection.prepare_cached(FAMILY_SQL).map_err(from_sqlite)?;
    let key = no_kk.value() as i64;
    let Some(family) =
        statement.query_row(params![key], |row| RawFamily::read(row, 0)).optional().map_err(from_sqlite)?
    else {
        return Ok(None);
    };
    let mut statement = connection.prepare_cached(MEMBERS_SQL).map_err(from_sqlite)?;
    let members = statement
        .query_map(params![key], |row| RawResident::read(row, 0))
        .map_err(from_sqlite)?
        .map(|raw| raw.map_err(from_sqlite)?.decode())
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Household { family: family.decode()?, members }))
}

/// A keyset page of residents in NIK order.
pub(crate) fn residents_after(
    connection: &Connection,
    after: Option<Nik>,
    limit: u32,
) -> Result<Vec<Resident>, StoreError> {
    const SQL: &str = concat!("select ", resident_columns!(), " from residents where nik > ?1 order by nik limit ?2");
    let mut statement = connection.prepare_cached(SQL).map_err(from_sqlite)?;
    let after = after.map_or(0, |nik| nik.value() as i64);
    statement
        .query_map(params![after, limit], |row| RawResident::read(row, 0))
        .map_err(from_sqlite)?
        .map(|raw| raw.map_err(from_sqlite)?.decode())
        .collect()
}

/// Rows per multi-row insert statement: fewer statements to step through
/// makes bulk loads markedly faster (25 × 16 = 400 parameters per statement).
const ROWS_PER_STATEMENT: usize = 16;

fn insert_sql(table: &str, columns: &str, column_count: usize, rows: usize) -> String {
    let row: Vec<String> = (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=column_count).map(|c| format!("?{}", r * column_count + c)).collect();
            format!("({})", cells.join(", "))
        })
        .collect();
    format!("insert into {table} ({columns}) values {}", row.join(", "))
}

fn bind_family(statement: &mut rusqlite::Statement<'_>, first: usize, family: &Family) -> rusqlite::Result<()> {
    let address = &family.address;
    statement.raw_bind_parameter(first, family.no_kk.value() as i64)?;
    statement.raw_bind_parameter(first + 1, &address.street)?;
    statement.raw_bind_parameter(first + 2, &address.hamlet)?;
    statement.raw_bind_parameter(first + 3, address.rt)?;
    statement.raw_bind_parameter(first + 4, address.rw)?;
    statement.raw_bind_parameter(first + 5, address.village_code as i64)?;
    statement.raw_bind_parameter(first + 6, address.postal_code)
}

fn bind_resident(statement: &mut rusqlite::Statement<'_>, first: usize, r: &Resident) -> rusqlite::Result<()> {
    let nik = |n: Option<Nik>| n.map(|n| n.value() as i64);
    statement.raw_bind_parameter(first, r.nik.value() as i64)?;
    statement.raw_bind_parameter(first + 1, r.no_kk.value() as i64)?;
    statement.raw_bind_parameter(first + 2, &r.full_name)?;
    statement.raw_bind_parameter(first + 3, r.sex.code())?;
    statement.raw_bind_parameter(first + 4, &r.birth_place)?;
    statement.raw_bind_parameter(first + 5, date_to_int(r.birth_date))?;
    statement.raw_bind_parameter(first + 6, &r.birth_certificate)?;
    statement.raw_bind_parameter(first + 7, r.blood_type.code())?;
    statement.raw_bind_parameter(first + 8, r.religion.code())?;
    statement.raw_bind_parameter(first + 9, r.marital_status.code())?;
    statement.raw_bind_parameter(first + 10, r.married_on.map(date_to_int))?;
    statement.raw_bind_parameter(first + 11, &r.marriage_certificate)?;
    statement.raw_bind_parameter(first + 12, r.divorced_on.map(date_to_int))?;
    statement.raw_bind_parameter(first + 13, &r.divorce_certificate)?;
    statement.raw_bind_parameter(first + 14, r.education.code())?;
    statement.raw_bind_parameter(first + 15, r.occupation.code())?;
    statement.raw_bind_parameter(first + 16, r.relationship.code())?;
    statement.raw_bind_parameter(first + 17, nik(r.father_nik))?;
    statement.raw_bind_parameter(first + 18, &r.father_name)?;
    statement.raw_bind_parameter(first + 19, nik(r.mother_nik))?;
    statement.raw_bind_parameter(first + 20, &r.mother_name)?;
    statement.raw_bind_parameter(first + 21, r.ektp_status.code())?;
    statement.raw_bind_parameter(first + 22, r.life.died_on.map(date_to_int))?;
    statement.raw_bind_parameter(first + 23, r.life.active)?;
    statement.raw_bind_parameter(first + 24, r.life.duplicate)
}

/// Inserts `rows` with multi-row statements of [`ROWS_PER_STATEMENT`] rows
/// and single-row statements for the remainder.
fn insert_rows<T>(
    transaction: &Transaction<'_>,
    table: &str,
    columns: &str,
    column_count: usize,
    rows: &[&T],
    bind: fn(&mut rusqlite::Statement<'_>, usize, &T) -> rusqlite::Result<()>,
) -> Result<(), StoreError> {
    let mut chunks = rows.chunks_exact(ROWS_PER_STATEMENT);
    let mut many = transaction
        .prepare_cached(&insert_sql(table, columns, column_count, ROWS_PER_STATEMENT))
        .map_err(from_sqlite)?;
    for chunk in &mut chunks {
        for (index, row) in chunk.iter().enumerate() {
            bind(&mut many, index * column_count + 1, row).map_err(from_sqlite)?;
        }
        many.raw_execute().map_err(from_sqlite)?;
    }
    let mut one = transaction.prepare_cached(&insert_sql(table, columns, column_count, 1)).map_err(from_sqlite)?;
    for row in chunks.remainder() {
        bind(&mut one, 1, row).map_err(from_sqlite)?;
        one.raw_execute().map_err(from_sqlite)?;
    }
    Ok(())
}

/// Writes households inside the caller's transaction. Rows go in key order:
/// SQLite appends to a table B-tree far faster (and packs its pages fuller)
/// than it inserts in the middle, and a bulk load of whole districts in
/// district order then becomes almost pure appends.
pub(crate) fn insert_households(transaction: &Transaction<'_>, households: &[Household]) -> Result<(), StoreError> {
    let mut families: Vec<&Family> = households.iter().map(|h| &h.family).collect();
    families.sort_unstable_by_key(|f| f.no_kk);
    insert_rows(transaction, "families", FAMILY_COLUMNS, 7, &families, bind_family)?;
    let mut residents: Vec<&Resident> = households.iter().flat_map(|h| &h.members).collect();
    residents.sort_unstable_by_key(|r| r.nik);
    insert_rows(transaction, "residents", RESIDENT_COLUMNS, 25, &residents, bind_resident)
}

/// Counts and structural checks over the whole register.
pub(crate) fn health(connection: &Connection) -> Result<RegisterHealth, StoreError> {
    fn count(connection: &Connection, sql: &str, parameters: impl rusqlite::Params) -> Result<u64, StoreError> {
        connection.query_row(sql, parameters, |row| row.get::<_, i64>(0)).map(|n| n.max(0) as u64).map_err(from_sqlite)
    }
    Ok(RegisterHealth {
        residents: count(connection, "select count(*) from residents", [])?,
        families: count(connection, "select count(*) from families", [])?,
        families_without_one_head: count(
            connection,
            "select count(*) from families f \
             where (select count(*) from residents r where r.no_kk = f.no_kk and r.relationship = ?1) <> 1",
            params![HubunganKeluarga::KepalaKeluarga.code()],
        )?,
        empty_families: count(
            connection,
            "select count(*) from families f where not exists (select 1 from residents r where r.no_kk = f.no_kk)",
            [],
        )?,
    })
}
