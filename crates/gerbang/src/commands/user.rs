//! `gerbang user create|disable|enable|set-quota|reset-password|issue-token|nda|list`:
//! User IDs of partner systems (service), operators, partner administrators
//! and provider administrators (SPEC.md §7). An operator is enabled only
//! once its NDA is recorded. Passwords are stored as argon2id hashes and
//! bearer tokens as SHA-256 digests; a secret is printed once, when it is
//! made, and never again (`user list` shows no hash either).

use gerbang_core::access::secret::{generate_password, generate_token, hash_password, token_hash};
use gerbang_core::access::{NewAccount, Role};
use serde::Serialize;

use crate::cli::{UserCommand, UserCreateArgs};
use crate::commands::admin::{Admin, or_dash, print_json, print_table, today, yes_no};
use crate::config::Config;
use crate::error::CliError;

/// Said on standard error whenever secrets go to standard output.
const SHOWN_ONCE: &str = "Simpan sekarang: kata sandi dan token tidak dapat ditampilkan lagi.";

/// Runs `gerbang user …`.
pub async fn run(config: &Config, command: UserCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        UserCommand::Create(args) => create(&admin, args).await,
        UserCommand::Disable { user_id } => set_active(&admin, &user_id, false).await,
        UserCommand::Enable { user_id } => set_active(&admin, &user_id, true).await,
        UserCommand::SetQuota { user_id, quota, national_approval } => {
            admin.commit(vec![admin.plane.set_quota(&user_id, quota, national_approval)?]).await?;
            println!("{user_id}: kuota harian {quota}");
            Ok(())
        }
        UserCommand::ResetPassword { user_id, password_stdin } => {
            let (password, generated) = new_password(password_stdin)?;
            let hash = hashed(password.clone()).await?;
            admin.commit(vec![admin.plane.set_account_secrets(&user_id, Some(hash), None)?]).await?;
            if generated {
                println!("password: {password}");
                eprintln!("{SHOWN_ONCE}");
            }
            Ok(())
        }
        UserCommand::IssueToken { user_id } => {
            let token = generate_token()?;
            admin.commit(vec![admin.plane.set_account_secrets(&user_id, None, Some(token_hash(&token)))?]).await?;
            println!("token: {token}");
            eprintln!("{SHOWN_ONCE}");
            Ok(())
        }
        UserCommand::Nda { user_id, signed_on } => {
            admin.commit(vec![admin.plane.record_nda(&user_id, signed_on, today())?]).await?;
            println!("{user_id}: NDA tercatat {signed_on}");
            Ok(())
        }
        UserCommand::List { institution, json } => list(&admin, institution.as_deref(), json),
    }
}

async fn create(admin: &Admin, args: UserCreateArgs) -> Result<(), CliError> {
    let holder = args.institution.or(args.provider).unwrap_or_default();
    let (password, generated) = new_password(args.password_stdin)?;
    let token = generate_token()?;
    let new = NewAccount {
        user_id: args.user_id,
        holder,
        role: Role::from(args.role),
        password_hash: hashed(password.clone()).await?,
        token_hash: Some(token_hash(&token)),
        nda_on: args.nda_on,
    };
    let write = admin.plane.add_account(new)?;
    admin.commit(vec![write.clone()]).await?;
    if let gerbang_core::access::ControlWrite::Account(account) = &write
        && !account.active
    {
        eprintln!("{}: nonaktif sampai NDA dicatat (gerbang user nda … lalu gerbang user enable …)", account.user_id);
    }
    if generated {
        println!("password: {password}");
    }
    println!("token: {token}");
    eprintln!("{SHOWN_ONCE}");
    Ok(())
}

/// A generated password, or the first line of standard input; and whether
/// it was generated (and so must be shown).
fn new_password(from_stdin: bool) -> Result<(String, bool), CliError> {
    if !from_stdin {
        return Ok((generate_password()?, true));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|error| {
        CliError::new("user.password_stdin", format!("kata sandi tidak dapat dibaca dari standard input: {error}"))
    })?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

/// The argon2id hash of `password`, computed off the async threads.
pub async fn hashed(password: String) -> Result<String, CliError> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| CliError::new("secret.hashing", "pembuatan hash kata sandi berhenti tak terduga"))?
        .map_err(CliError::from)
}

async fn set_active(admin: &Admin, user_id: &str, active: bool) -> Result<(), CliError> {
    admin.commit(vec![admin.plane.set_account_active(user_id, active)?]).await?;
    println!("{user_id}: {}", if active { "aktif" } else { "nonaktif" });
    Ok(())
}

/// An account as listed: everything but its secrets.
#[derive(Debug, Serialize)]
struct AccountView<'a> {
    user_id: &'a str,
    holder: &'a str,
    role: &'static str,
    active: bool,
    daily_quota: u32,
    quota_approval: Option<&'a str>,
    nda_on: Option<chrono::NaiveDate>,
    has_token: bool,
}

fn list(admin: &Admin, holder: Option<&str>, json: bool) -> Result<(), CliError> {
    let accounts: Vec<AccountView<'_>> = admin
        .plane
        .accounts()
        .filter(|a| holder.is_none_or(|h| a.holder == h))
        .map(|a| AccountView {
            user_id: &a.user_id,
            holder: &a.holder,
            role: a.role.name(),
            active: a.active,
            daily_quota: a.daily_quota,
            quota_approval: a.quota_approval.as_deref(),
            nda_on: a.nda_on,
            has_token: a.token_hash.is_some(),
        })
        .collect();
    if json {
        return print_json(&accounts);
    }
    let rows: Vec<Vec<String>> = accounts
        .iter()
        .map(|a| {
            vec![
                a.user_id.to_owned(),
                a.holder.to_owned(),
                a.role.to_owned(),
                yes_no(a.active).to_owned(),
                a.daily_quota.to_string(),
                or_dash(a.quota_approval),
                yes_no(a.has_token).to_owned(),
            ]
        })
        .collect();
    print_table(&["USER_ID", "PEMEGANG", "PERAN", "AKTIF", "KUOTA_HARIAN", "PERSETUJUAN_KUOTA", "TOKEN"], &rows);
    Ok(())
}
