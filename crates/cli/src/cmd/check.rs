//! `canhgiac check`: the public check from the command line.

use std::io::Read;
use std::process::ExitCode;

use canhgiac_core::i18n::Lang;
use canhgiac_core::verdict::{format_vnd, Level, Verdict};
use canhgiac_detect::check::{CheckResponse, Checker};
use canhgiac_detect::message::{Analyzer, MessageAnalysis, Risk, Sender};
use canhgiac_store::LookupIndex;
use clap::Args;

use crate::config::StoreArgs;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// What to check; "-" reads standard input.
    value: String,
    /// Print JSON (exactly what `GET /api/v1/check?q=` answers) instead of text.
    #[arg(long)]
    json: bool,
    /// Answer in English.
    #[arg(long)]
    english: bool,
    /// Analyse the value as a message someone received (SMS, Zalo, e-mail text):
    /// scam likelihood, methods, red flags, and every identifier in it.
    #[arg(long)]
    message: bool,
    /// With --message: who sent it (brandname such as Viettel or VCB, short code such
    /// as 191, phone number, or zalo:/facebook.com/ account).
    #[arg(long, requires = "message")]
    sender: Option<String>,
}

fn print_message(text: &str, a: &MessageAnalysis, lang: Lang) {
    println!(
        "[{}] {} ({:.0}%)",
        a.level.as_str(),
        a.title,
        a.likelihood * 100.0
    );
    for m in &a.methods {
        println!(
            "  {}: {} ({:.0}%)",
            lang.pick("thủ đoạn", "method"),
            m.name,
            m.score * 100.0
        );
    }
    for f in &a.red_flags {
        let quoted: String = text.chars().skip(f.start).take(f.end - f.start).collect();
        println!("  ! {} — «{}»", f.text, quoted.replace('\n', " "));
    }
    for i in &a.identifiers {
        println!(
            "  {}  [{}] {}",
            i.verdict.display,
            i.verdict.level.as_str(),
            i.verdict.title
        );
    }
    for f in &a.factors {
        let mark = match f.effect_key() {
            "raises" => "+",
            "lowers" => "-",
            _ => "·",
        };
        println!("  {mark} {}", f.text);
    }
    for line in &a.advice {
        println!("  {line}");
    }
}

fn print_human(v: &Verdict) {
    println!("{}  [{}] {}", v.display, v.level.as_str(), v.title);
    for r in &v.reasons {
        println!("  - {}", r.text);
    }
    if v.reported_loss_vnd > 0 {
        println!("  loss: {} VND", format_vnd(v.reported_loss_vnd));
    }
    for m in &v.methods {
        println!("  method: {} ({})", m.name, m.count);
    }
    println!("  {}", v.advice);
}

fn flagged(v: &Verdict) -> bool {
    matches!(
        v.level,
        Level::Reported | Level::Suspicious | Level::Dangerous
    )
}

pub async fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let lang = if args.english { Lang::En } else { Lang::Vi };
    let value = if args.value == "-" {
        let mut s = String::new();
        std::io::stdin().take(1_000_000).read_to_string(&mut s)?;
        s
    } else {
        args.value.clone()
    };
    if args.message {
        return check_message(&args, &value, lang).await;
    }
    let store = super::open_store(&args.store).await?;
    let index = LookupIndex::new();
    index.catch_up(&store).await?;
    // The same check as the web: the brands as officers edited them, the same index.
    let registry = canhgiac_web::load_brands(&store).await?;
    let lookup = |i: &canhgiac_core::Identifier| index.lookup(i);
    let accounts = |number: &str| index.knows_account_number(number);
    let answer = match Checker::new(&registry, &lookup)
        .with_account_numbers(&accounts)
        .check(&value, lang)
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{}", e.message(lang));
            return Ok(ExitCode::from(2));
        }
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else {
        match &answer {
            CheckResponse::One(v) => print_human(v),
            CheckResponse::Text(t) => {
                print_message(value.trim(), &t.message, lang);
                if t.items.is_empty() {
                    println!(
                        "{}",
                        lang.pick(
                            "Không tìm thấy số điện thoại, tài khoản hay trang web nào.",
                            "No phone number, account or website found."
                        )
                    );
                }
                for item in &t.items {
                    print_human(&item.verdict);
                }
            }
            CheckResponse::Number(n) => {
                if n.accounts.is_empty() {
                    println!(
                        "{} {}: {}",
                        lang.pick("Số tài khoản", "Account number"),
                        n.number,
                        lang.pick(
                            "chưa ngân hàng nào có báo cáo về tài khoản mang số này.",
                            "no bank has reports on an account with this number."
                        )
                    );
                }
                for v in n.phone.iter().map(|v| v.as_ref()).chain(&n.accounts) {
                    print_human(v);
                }
            }
        }
    }
    let flagged_message = answer
        .message()
        .is_some_and(|m| m.level >= Risk::Suspicious);
    Ok(
        if answer.verdicts().into_iter().any(flagged) || flagged_message {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        },
    )
}

async fn check_message(args: &CheckArgs, text: &str, lang: Lang) -> anyhow::Result<ExitCode> {
    if text.trim().is_empty() {
        eprintln!(
            "{}",
            lang.pick(
                "Tin nhắn trống: không có gì để kiểm tra.",
                "The message is empty: nothing to check."
            )
        );
        return Ok(ExitCode::from(2));
    }
    let sender = match Sender::parse(args.sender.as_deref().unwrap_or("")) {
        Ok(sender) => sender,
        Err(e) => {
            eprintln!("{}", e.message(lang));
            return Ok(ExitCode::from(2));
        }
    };
    let store = super::open_store(&args.store).await?;
    let index = LookupIndex::new();
    index.catch_up(&store).await?;
    let registry = canhgiac_web::load_brands(&store).await?;
    let lookup = |i: &canhgiac_core::Identifier| index.lookup(i);
    let analysis =
        Analyzer::with_registry(&registry).analyze_from(text, sender.as_ref(), &lookup, lang);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&analysis)?);
    } else {
        print_message(text, &analysis, lang);
    }
    Ok(if analysis.level >= Risk::Suspicious {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
