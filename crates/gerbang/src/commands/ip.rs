//! `gerbang ip allow|revoke|list`: the closed-network allow-list of each
//! partner institution, or of one of its accounts (SPEC.md §4 guards; 001
//! Ps.2(1)e, 004 Juknis 1). A bare address means that one host (/32 or
//! /128).

use gerbang_core::access::NetworkRule;
use ipnet::IpNet;

use crate::cli::{IpCommand, NetworkArgs};
use crate::commands::admin::{Admin, print_json, print_table};
use crate::config::Config;
use crate::error::CliError;

/// Runs `gerbang ip …`.
pub async fn run(config: &Config, command: IpCommand) -> Result<(), CliError> {
    let admin = Admin::open(config).await?;
    match command {
        IpCommand::Allow(args) => {
            let network = parse_network(&args.cidr)?;
            let write = admin.plane.allow_network(&args.institution, args.user.as_deref(), network)?;
            admin.commit(vec![write]).await?;
            println!("{}: {} diizinkan", subject(&args), network.trunc());
            Ok(())
        }
        IpCommand::Revoke(args) => {
            let network = parse_network(&args.cidr)?;
            let write = admin.plane.revoke_network(&args.institution, args.user.as_deref(), network)?;
            admin.commit(vec![write]).await?;
            println!("{}: {} dicabut", subject(&args), network.trunc());
            Ok(())
        }
        IpCommand::List { institution, json } => {
            let rules: Vec<&NetworkRule> = admin
                .plane
                .networks()
                .iter()
                .filter(|r| institution.as_deref().is_none_or(|i| r.institution == i))
                .collect();
            if json {
                return print_json(&rules);
            }
            let rows: Vec<Vec<String>> = rules
                .iter()
                .map(|r| {
                    let user = r.user_id.clone().unwrap_or_else(|| "(semua)".to_owned());
                    vec![r.institution.clone(), user, r.network.to_string()]
                })
                .collect();
            print_table(&["INSTANSI", "USER_ID", "JARINGAN"], &rows);
            Ok(())
        }
    }
}

fn subject(args: &NetworkArgs) -> String {
    match &args.user {
        Some(user) => format!("{}/{user}", args.institution),
        None => args.institution.clone(),
    }
}

/// A CIDR block, or one address as a /32 (IPv4) or /128 (IPv6) block.
pub fn parse_network(text: &str) -> Result<IpNet, CliError> {
    let text = text.trim();
    gerbang_core::access::control::parse_network(text).ok_or_else(|| {
        CliError::new(
            "ip.invalid",
            format!("'{text}' bukan alamat IP atau blok CIDR (contoh: 10.1.2.0/24, 127.0.0.1, ::1)"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_addresses_are_single_hosts() {
        assert_eq!(parse_network("127.0.0.1").unwrap().to_string(), "127.0.0.1/32");
        assert_eq!(parse_network("::1").unwrap().to_string(), "::1/128");
        assert_eq!(parse_network(" 10.1.2.0/24 ").unwrap().to_string(), "10.1.2.0/24");
        assert_eq!(parse_network("10.1.2.300").unwrap_err().code, "ip.invalid");
        assert_eq!(parse_network("10.1.2.0/33").unwrap_err().code, "ip.invalid");
    }
}
