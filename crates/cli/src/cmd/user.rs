//! `canhgiac user`: officer accounts from the command line (the first admin, and
//! recovery when nobody can sign in).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::Context;
use base64::Engine;
use canhgiac_core::roles::Role;
use canhgiac_store::audit::Actor;
use canhgiac_store::officers::NewOfficer;
use clap::{Args, Subcommand};

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Create an officer account. Without --password-stdin a strong password is
    /// generated and printed once.
    Add(AddArgs),
    /// List the accounts.
    List(ListArgs),
    /// List the police units (codes for --unit).
    Units(ListArgs),
    /// List the agencies (ids for --agency).
    Agencies(ListArgs),
}

#[derive(Debug, Args)]
struct AddArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Login name: letters, digits, '.', '_' or '-'.
    #[arg(long)]
    username: String,
    /// Full name shown in the console.
    #[arg(long)]
    name: String,
    /// admin, leader, investigator, analyst or liaison.
    #[arg(long)]
    role: String,
    /// Unit code (see `canhgiac user units`). Default: PA05, the provincial cyber unit.
    #[arg(long, default_value = canhgiac_store::units::INTAKE_UNIT)]
    unit: String,
    /// For a liaison: the id of the agency (see `canhgiac user agencies`).
    #[arg(long)]
    agency: Option<i64>,
    /// Read the password from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    store: StoreArgs,
}

pub async fn run(args: UserArgs) -> anyhow::Result<ExitCode> {
    match args.command {
        UserCommand::Add(a) => add(a).await,
        UserCommand::List(a) => {
            let store = super::open_store(&a.store).await?;
            for o in store.officers().await? {
                println!(
                    "{}\t{}\t{}\t{}",
                    o.username,
                    o.role.as_str(),
                    o.display_name,
                    o.unit_name
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::Agencies(a) => {
            let store = super::open_store(&a.store).await?;
            for g in store.agencies().await? {
                println!("{}\t{}\t{}", g.id, g.kind.key(), g.name);
            }
            Ok(ExitCode::SUCCESS)
        }
        UserCommand::Units(a) => {
            let store = super::open_store(&a.store).await?;
            for u in store.units().await? {
                println!("{}\t{}", u.code, u.name);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn add(a: AddArgs) -> anyhow::Result<ExitCode> {
    let role = Role::parse(&a.role).with_context(|| {
        format!(
            "unknown role {:?}; use one of: {}",
            a.role,
            Role::ALL.map(Role::as_str).join(", ")
        )
    })?;
    let (password, generated) = if a.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the password")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        let bytes: [u8; 15] = rand::random();
        (
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
            true,
        )
    };
    anyhow::ensure!(
        (role == Role::Liaison) == a.agency.is_some(),
        "a liaison needs --agency (see `canhgiac user agencies`), and only a liaison takes it"
    );
    let store = super::open_store(&a.store).await?;
    let created = store
        .add_officer(
            NewOfficer {
                username: a.username.clone(),
                display_name: a.name,
                role,
                unit_code: a.unit,
                password: password.clone(),
            },
            &Actor::cli(),
        )
        .await?;
    match created {
        Ok(id) => {
            if let Some(agency) = a.agency {
                if let Err(e) = store.set_liaison_agency(&a.username, agency).await? {
                    anyhow::bail!("agency {agency}: {e}");
                }
            }
            eprintln!(
                "created officer {} (id {id}, {})",
                a.username,
                role.as_str()
            );
            if generated {
                // Printed once, to the terminal only; never logged.
                if std::io::stdout().is_terminal() {
                    println!("password: {password}");
                } else {
                    println!("{password}");
                }
                eprintln!("give the password to the officer in person; they can change it under /console/mat-khau");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("canhgiac: {e}");
            Ok(ExitCode::from(2))
        }
    }
}
