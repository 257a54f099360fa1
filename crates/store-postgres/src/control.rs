//! Reading and writing the control plane (providers, institutions,
//! agreements, accounts, networks). Nested parts of an agreement are stored
//! as JSON documents (text) of `gerbang-core` types; everything else has
//! columns.

use deadpool_postgres::{Client, GenericClient, Transaction};
use gerbang_core::access::{
    Account, Agreement, ControlPlane, ControlWrite, Institution, NetworkRule, Provider, ProviderLevel, Request, Role,
};
use gerbang_core::card_reader::Sam;
use gerbang_store::StoreError;
use tokio_postgres::Row;
use tokio_postgres::types::FromSql;

use crate::error::from_postgres;

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(format!("data kendali {what} tersimpan tidak valid"))
}

fn column<'a, T: FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(|_| corrupt("kolom"))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|e| StoreError::Backend(format!("gagal menyusun JSON: {e}")))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|_| corrupt(what))
}

fn role_from(name: &str) -> Result<Role, StoreError> {
    Role::from_name(name).ok_or_else(|| corrupt("peran akun"))
}

async fn collect<T>(
    client: &impl GenericClient,
    sql: &str,
    decode: impl Fn(&Row) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let statement = client.prepare_cached(sql).await.map_err(from_postgres)?;
    let rows = client.query(&statement, &[]).await.map_err(from_postgres)?;
    rows.iter().map(decode).collect()
}

fn provider(row: &Row) -> Result<Provider, StoreError> {
    let level: String = column(row, 2)?;
    let region: Option<i64> = column(row, 3)?;
    let level = match (level.as_str(), region.map(u32::try_from)) {
        ("national", _) => ProviderLevel::National,
        ("regional", Some(Ok(region_code))) => ProviderLevel::Regional { region_code },
        _ => return Err(corrupt("tingkat penyelenggara")),
    };
    Ok(Provider { code: column(row, 0)?, name: column(row, 1)?, level })
}

fn institution(row: &Row) -> Result<Institution, StoreError> {
    let customer_id: Option<i64> = column(row, 4)?;
    Ok(Institution {
        code: column(row, 0)?,
        provider: column(row, 1)?,
        name: column(row, 2)?,
        instansi: column(row, 3)?,
        customer_id: customer_id.map(|id| u64::try_from(id).map_err(|_| corrupt("customer id"))).transpose()?,
        active: column(row, 5)?,
    })
}

fn agreement(row: &Row) -> Result<Agreement, StoreError> {
    let termination: Option<String> = column(row, 8)?;
    Ok(Agreement {
        id: column(row, 0)?,
        institution: column(row, 1)?,
        provider_number: column(row, 2)?,
        partner_number: column(row, 3)?,
        signed_on: column(row, 4)?,
        valid_from: column(row, 5)?,
        valid_until: column(row, 6)?,
        addenda: from_json(column(row, 7)?, "adendum")?,
        termination: termination.map(|t| from_json(&t, "pengakhiran")).transpose()?,
        scope: from_json(column(row, 9)?, "ruang lingkup")?,
        return_schema: column(row, 10)?,
        obligations: from_json(column(row, 11)?, "kewajiban")?,
    })
}

fn account(row: &Row) -> Result<Account, StoreError> {
    let role: String = column(row, 2)?;
    let daily_quota: i64 = column(row, 6)?;
    Ok(Account {
        user_id: column(row, 0)?,
        holder: column(row, 1)?,
        role: role_from(&role)?,
        password_hash: column(row, 3)?,
        token_hash: column(row, 4)?,
        active: column(row, 5)?,
        daily_quota: u32::try_from(daily_quota).map_err(|_| corrupt("kuota harian"))?,
        quota_approval: column(row, 7)?,
        nda_on: column(row, 8)?,
        totp_secret: column(row, 9)?,
    })
}

fn request(row: &Row) -> Result<Request, StoreError> {
    from_json(column(row, 0)?, "permintaan")
}

fn sam(row: &Row) -> Result<Sam, StoreError> {
    from_json(column(row, 0)?, "SAM")
}

fn network(row: &Row) -> Result<NetworkRule, StoreError> {
    let user_id: String = column(row, 1)?;
    let network: String = column(row, 2)?;
    Ok(NetworkRule {
        institution: column(row, 0)?,
        user_id: Some(user_id).filter(|u| !u.is_empty()),
        network: network.parse().map_err(|_| corrupt("jaringan"))?,
    })
}

/// The whole control plane, read inside the caller's read-only
/// repeatable-read transaction so that the five tables describe one moment
/// even while another node applies control writes.
pub(crate) async fn load(client: &Transaction<'_>) -> Result<ControlPlane, StoreError> {
    Ok(ControlPlane::new(
        collect(client, "select code, name, level, region_code from providers", provider).await?,
        collect(client, "select code, provider, name, instansi, customer_id, active from institutions", institution)
            .await?,
        collect(
            client,
            "select id, institution, provider_number, partner_number, signed_on, valid_from, valid_until, addenda, \
             termination, scope, return_schema, obligations from agreements",
            agreement,
        )
        .await?,
        collect(
            client,
            "select user_id, holder, role, password_hash, token_hash, active, daily_quota, quota_approval, nda_on, \
             totp_secret from accounts",
            account,
        )
        .await?,
        collect(client, "select institution, user_id, network from networks", network).await?,
    )
    .with_requests(collect(client, "select body from requests", request).await?)
    .with_sams(collect(client, "select body from sams", sam).await?))
}

/// The control-plane version.
pub(crate) async fn version(client: &Client) -> Result<u64, StoreError> {
    let row = client.query_one("select version from control_version where id = 1", &[]).await.map_err(from_postgres)?;
    Ok(column::<i64>(&row, 0)?.max(0) as u64)
}

/// Applies writes and bumps the version, inside the caller's transaction.
pub(crate) async fn apply(transaction: &Transaction<'_>, writes: &[ControlWrite]) -> Result<(), StoreError> {
    for write in writes {
        apply_one(transaction, write).await?;
    }
    transaction
        .execute("update control_version set version = version + 1 where id = 1", &[])
        .await
        .map_err(from_postgres)?;
    Ok(())
}

async fn apply_one(tx: &Transaction<'_>, write: &ControlWrite) -> Result<u64, StoreError> {
    match write {
        ControlWrite::Provider(p) => {
            let (level, region) = match p.level {
                ProviderLevel::National => ("national", None),
                ProviderLevel::Regional { region_code } => ("regional", Some(i64::from(region_code))),
            };
            tx.execute(
                "insert into providers (code, name, level, region_code) values ($1, $2, $3, $4)
                 on conflict (code) do update set name = $2, level = $3, region_code = $4",
                &[&p.code, &p.name, &level, &region],
            )
            .await
        }
        ControlWrite::Institution(i) => {
            let customer_id = i.customer_id.map(|id| id as i64);
            tx.execute(
                "insert into institutions (code, provider, name, instansi, customer_id, active)
                 values ($1, $2, $3, $4, $5, $6)
                 on conflict (code) do update set provider = $2, name = $3, instansi = $4, customer_id = $5, active = $6",
                &[&i.code, &i.provider, &i.name, &i.instansi, &customer_id, &i.active],
            )
            .await
        }
        ControlWrite::Agreement(a) => {
            let addenda = to_json(&a.addenda)?;
            let termination = a.termination.as_ref().map(to_json).transpose()?;
            let scope = to_json(&a.scope)?;
            let obligations = to_json(&a.obligations)?;
            tx.execute(
                "insert into agreements (id, institution, provider_number, partner_number, signed_on, valid_from, \
                 valid_until, addenda, termination, scope, return_schema, obligations)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                 on conflict (id) do update set institution = $2, provider_number = $3, partner_number = $4, \
                 signed_on = $5, valid_from = $6, valid_until = $7, addenda = $8, termination = $9, scope = $10, \
                 return_schema = $11, obligations = $12",
                &[
                    &a.id,
                    &a.institution,
                    &a.provider_number,
                    &a.partner_number,
                    &a.signed_on,
                    &a.valid_from,
                    &a.valid_until,
                    &addenda,
                    &termination,
                    &scope,
                    &a.return_schema,
                    &obligations,
                ],
            )
            .await
        }
        ControlWrite::Account(a) => {
            let daily_quota = i64::from(a.daily_quota);
            tx.execute(
                "insert into accounts (user_id, holder, role, password_hash, token_hash, active, daily_quota, \
                 quota_approval, nda_on, totp_secret) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 on conflict (user_id) do update set holder = $2, role = $3, password_hash = $4, token_hash = $5, \
                 active = $6, daily_quota = $7, quota_approval = $8, nda_on = $9, totp_secret = $10",
                &[
                    &a.user_id,
                    &a.holder,
                    &a.role.name(),
                    &a.password_hash,
                    &a.token_hash,
                    &a.active,
                    &daily_quota,
                    &a.quota_approval,
                    &a.nda_on,
                    &a.totp_secret,
                ],
            )
            .await
        }
        ControlWrite::AllowNetwork(rule) => {
            tx.execute(
                "insert into networks (institution, user_id, network) values ($1, $2, $3) on conflict do nothing",
                &[&rule.institution, &rule.user_id.as_deref().unwrap_or(""), &rule.network.to_string()],
            )
            .await
        }
        ControlWrite::RevokeNetwork(rule) => {
            tx.execute(
                "delete from networks where institution = $1 and user_id = $2 and network = $3",
                &[&rule.institution, &rule.user_id.as_deref().unwrap_or(""), &rule.network.to_string()],
            )
            .await
        }
        ControlWrite::Request(r) => {
            tx.execute(
                "insert into requests (id, institution, body) values ($1, $2, $3)
                 on conflict (id) do update set institution = $2, body = $3",
                &[&r.id, &r.institution, &to_json(r)?],
            )
            .await
        }
        ControlWrite::Sam(sam) => {
            tx.execute(
                "insert into sams (id, institution, body) values ($1, $2, $3)
                 on conflict (id) do update set institution = $2, body = $3",
                &[&sam.id, &sam.institution, &to_json(sam)?],
            )
            .await
        }
    }
    .map_err(from_postgres)
}

/// The last counter accepted from each SAM, by SAM id.
pub(crate) async fn sam_counters(client: &Client) -> Result<Vec<(String, u64)>, StoreError> {
    collect(client, "select sam, last_counter from sam_counters order by sam", |row| {
        let counter: i64 = column(row, 1)?;
        Ok((column(row, 0)?, u64::try_from(counter).map_err(|_| corrupt("penghitung SAM"))?))
    })
    .await
}
