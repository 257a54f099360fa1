//! Reading and writing the control plane (providers, institutions,
//! agreements, accounts, networks). Nested parts of an agreement are stored
//! as JSON documents of `gerbang-core` types; everything else has columns.

use gerbang_core::access::{
    Account, Agreement, ControlPlane, ControlWrite, Institution, NetworkRule, Provider, ProviderLevel, Request, Role,
};
use gerbang_core::card_reader::Sam;
use gerbang_store::StoreError;
use rusqlite::{Connection, Row, Transaction, params};

use crate::error::from_sqlite;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("data kendali {what} tersimpan tidak valid"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("gagal menyusun JSON: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| corrupt(what))
}

fn parse_date(text: &str, what: &str) -> Result<chrono::NaiveDate, StoreError> {
    text.parse().map_err(|_| corrupt(what))
}

fn role_from(name: &str) -> Result<Role, StoreError> {
    Role::from_name(name).ok_or_else(|| corrupt("peran akun"))
}

fn collect<T>(
    connection: &Connection,
    sql: &str,
    decode: impl Fn(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut statement = connection.prepare_cached(sql).map_err(from_sqlite)?;
    let mut rows = statement.query([]).map_err(from_sqlite)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(from_sqlite)? {
        out.push(decode(row)?);
    }
    Ok(out)
}

fn provider(row: &Row<'_>) -> Result<Provider, StoreError> {
    let level: String = row.get(2).map_err(from_sqlite)?;
    let region: Option<u32> = row.get(3).map_err(from_sqlite)?;
    let level = match (level.as_str(), region) {
        ("national", _) => ProviderLevel::National,
        ("regional", Some(region_code)) => ProviderLevel::Regional { region_code },
        _ => return Err(corrupt("tingkat penyelenggara")),
    };
    Ok(Provider { code: row.get(0).map_err(from_sqlite)?, name: row.get(1).map_err(from_sqlite)?, level })
}

fn institution(row: &Row<'_>) -> Result<Institution, StoreError> {
    let customer_id: Option<i64> = row.get(4).map_err(from_sqlite)?;
    Ok(Institution {
        code: row.get(0).map_err(from_sqlite)?,
        provider: row.get(1).map_err(from_sqlite)?,
        name: row.get(2).map_err(from_sqlite)?,
        instansi: row.get(3).map_err(from_sqlite)?,
        customer_id: customer_id.map(|id| u64::try_from(id).map_err(|_| corrupt("customer id"))).transpose()?,
        active: row.get(5).map_err(from_sqlite)?,
    })
}

fn agreement(row: &Row<'_>) -> Result<Agreement, StoreError> {
    let text = |i: usize| -> Result<String, StoreError> { row.get(i).map_err(from_sqlite) };
    let termination: Option<String> = row.get(8).map_err(from_sqlite)?;
    Ok(Agreement {
        id: text(0)?,
        institution: text(1)?,
        provider_number: text(2)?,
        partner_number: text(3)?,
        signed_on: parse_date(&text(4)?, "tanggal tanda tangan")?,
        valid_from: parse_date(&text(5)?, "awal berlaku")?,
        valid_until: parse_date(&text(6)?, "akhir berlaku")?,
        addenda: from_json(&text(7)?, "adendum")?,
        termination: termination.map(|t| from_json(&t, "pengakhiran")).transpose()?,
        scope: from_json(&text(9)?, "ruang lingkup")?,
        return_schema: row.get(10).map_err(from_sqlite)?,
        obligations: from_json(&text(11)?, "kewajiban")?,
    })
}

fn account(row: &Row<'_>) -> Result<Account, StoreError> {
    let role: String = row.get(2).map_err(from_sqlite)?;
    Ok(Account {
        user_id: row.get(0).map_err(from_sqlite)?,
        holder: row.get(1).map_err(from_sqlite)?,
        role: role_from(&role)?,
        password_hash: row.get(3).map_err(from_sqlite)?,
        token_hash: row.get(4).map_err(from_sqlite)?,
        active: row.get(5).map_err(from_sqlite)?,
        daily_quota: row.get(6).map_err(from_sqlite)?,
        quota_approval: row.get(7).map_err(from_sqlite)?,
        nda_on: row
            .get::<_, Option<String>>(8)
            .map_err(from_sqlite)?
            .map(|day| parse_date(&day, "tanggal NDA"))
            .transpose()?,
        totp_secret: row.get(9).map_err(from_sqlite)?,
    })
}

fn request(row: &Row<'_>) -> Result<Request, StoreError> {
    from_json(&row.get::<_, String>(0).map_err(from_sqlite)?, "permintaan")
}

fn sam(row: &Row<'_>) -> Result<Sam, StoreError> {
    from_json(&row.get::<_, String>(0).map_err(from_sqlite)?, "SAM")
}

fn network(row: &Row<'_>) -> Result<NetworkRule, StoreError> {
    let user_id: String = row.get(1).map_err(from_sqlite)?;
    let network: String = row.get(2).map_err(from_sqlite)?;
    Ok(NetworkRule {
        institution: row.get(0).map_err(from_sqlite)?,
        user_id: Some(user_id).filter(|u| !u.is_empty()),
        network: network.parse().map_err(|_| corrupt("jaringan"))?,
    })
}

/// The whole control plane.
pub(crate) fn load(connection: &Connection) -> Result<ControlPlane, StoreError> {
    Ok(ControlPlane::new(
        collect(connection, "select code, name, level, region_code from providers", provider)?,
        collect(
            connection,
            "select code, provider, name, instansi, customer_id, active from institutions",
            institution,
        )?,
        collect(
            connection,
            "select id, institution, provider_number, partner_number, signed_on, valid_from, valid_until, addenda, \
             termination, scope, return_schema, obligations from agreements",
            agreement,
        )?,
        collect(
            connection,
            "select user_id, holder, role, password_hash, token_hash, active, daily_quota, quota_approval, nda_on, \
             totp_secret from accounts",
            account,
        )?,
        collect(connection, "select institution, user_id, network from networks", network)?,
    )
    .with_requests(collect(connection, "select body from requests", request)?)
    .with_sams(collect(connection, "select body from sams", sam)?))
}

/// The control-plane version.
pub(crate) fn version(connection: &Connection) -> Result<u64, StoreError> {
    connection
        .query_row("select version from control_version where id = 1", [], |row| row.get::<_, i64>(0))
        .map_err(from_sqlite)
        .map(|v| v.max(0) as u64)
}

/// Applies writes and bumps the version, inside the caller's transaction.
pub(crate) fn apply(transaction: &Transaction<'_>, writes: &[ControlWrite]) -> Result<(), StoreError> {
    for write in writes {
        apply_one(transaction, write)?;
    }
    transaction.execute("update control_version set version = version + 1 where id = 1", []).map_err(from_sqlite)?;
    Ok(())
}

fn apply_one(tx: &Transaction<'_>, write: &ControlWrite) -> Result<usize, StoreError> {
    match write {
        ControlWrite::Provider(p) => {
            let (level, region) = match p.level {
                ProviderLevel::National => ("national", None),
                ProviderLevel::Regional { region_code } => ("regional", Some(region_code)),
            };
            tx.execute(
                "insert into providers (code, name, level, region_code) values (?1, ?2, ?3, ?4)
                 on conflict (code) do update set name = ?2, level = ?3, region_code = ?4",
                params![p.code, p.name, level, region],
            )
        }
        ControlWrite::Institution(i) => tx.execute(
            "insert into institutions (code, provider, name, instansi, customer_id, active) values (?1, ?2, ?3, ?4, ?5, ?6)
             on conflict (code) do update set provider = ?2, name = ?3, instansi = ?4, customer_id = ?5, active = ?6",
            params![i.code, i.provider, i.name, i.instansi, i.customer_id.map(|id| id as i64), i.active],
        ),
        ControlWrite::Agreement(a) => tx.execute(
            "insert into agreements (id, institution, provider_number, partner_number, signed_on, valid_from, \
             valid_until, addenda, termination, scope, return_schema, obligations)
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             on conflict (id) do update set institution = ?2, provider_number = ?3, partner_number = ?4, \
             signed_on = ?5, valid_from = ?6, valid_until = ?7, addenda = ?8, termination = ?9, scope = ?10, \
             return_schema = ?11, obligations = ?12",
            params![
                a.id,
                a.institution,
                a.provider_number,
                a.partner_number,
                a.signed_on.to_string(),
                a.valid_from.to_string(),
                a.valid_until.to_string(),
                to_json(&a.addenda)?,
                a.termination.as_ref().map(to_json).transpose()?,
                to_json(&a.scope)?,
                a.return_schema,
                to_json(&a.obligations)?,
            ],
        ),
        ControlWrite::Account(a) => tx.execute(
            "insert into accounts (user_id, holder, role, password_hash, token_hash, active, daily_quota, quota_approval, \
             nda_on, totp_secret)
             values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             on conflict (user_id) do update set holder = ?2, role = ?3, password_hash = ?4, token_hash = ?5, \
             active = ?6, daily_quota = ?7, quota_approval = ?8, nda_on = ?9, totp_secret = ?10",
            params![
                a.user_id,
                a.holder,
                a.role.name(),
                a.password_hash,
                a.token_hash,
                a.active,
                a.daily_quota,
                a.quota_approval,
                a.nda_on.map(|day| day.to_string()),
                a.totp_secret
            ],
        ),
        ControlWrite::AllowNetwork(rule) => tx.execute(
            "insert or ignore into networks (institution, user_id, network) values (?1, ?2, ?3)",
            params![rule.institution, rule.user_id.as_deref().unwrap_or(""), rule.network.to_string()],
        ),
        ControlWrite::RevokeNetwork(rule) => tx.execute(
            "delete from networks where institution = ?1 and user_id = ?2 and network = ?3",
            params![rule.institution, rule.user_id.as_deref().unwrap_or(""), rule.network.to_string()],
        ),
        ControlWrite::Request(r) => tx.execute(
            "insert into requests (id, institution, body) values (?1, ?2, ?3)
             on conflict (id) do update set institution = ?2, body = ?3",
            params![r.id, r.institution, to_json(r)?],
        ),
        ControlWrite::Sam(sam) => tx.execute(
            "insert into sams (id, institution, body) values (?1, ?2, ?3)
             on conflict (id) do update set institution = ?2, body = ?3",
            params![sam.id, sam.institution, to_json(sam)?],
        ),
    }
    .map_err(from_sqlite)
}

/// Accepts `counter` from SAM `sam` if it is above the last one accepted.
pub(crate) fn accept_sam_counter(tx: &Transaction<'_>, sam: &str, counter: u64) -> Result<bool, StoreError> {
    let counter = i64::try_from(counter).unwrap_or(i64::MAX);
    let changed = tx
        .execute(
            "insert into sam_counters (sam, last_counter) values (?1, ?2)
             on conflict (sam) do update set last_counter = excluded.last_counter
             where excluded.last_counter > sam_counters.last_counter",
            params![sam, counter],
        )
        .map_err(from_sqlite)?;
    Ok(changed == 1)
}

/// The last counter accepted from each SAM, by SAM id.
pub(crate) fn sam_counters(connection: &Connection) -> Result<Vec<(String, u64)>, StoreError> {
    collect(connection, "select sam, last_counter from sam_counters order by sam", |row| {
        let counter: i64 = row.get(1).map_err(from_sqlite)?;
        Ok((row.get(0).map_err(from_sqlite)?, u64::try_from(counter).map_err(|_| corrupt("penghitung SAM"))?))
    })
}
