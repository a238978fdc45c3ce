//! `canhgiac-train`: trains, evaluates and benchmarks the message model.
//!
//! ```text
//! cargo run --release -p canhgiac-train -- train       # writes crates/detect/model/message-model.json
//! cargo run --release -p canhgiac-train -- evaluate    # precision, recall, F1 on held-out messages
//! ```

mod corpus;
mod fit;
mod knowledge;
mod lookalikes;
mod metrics;
mod real;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use canhgiac_core::i18n::Lang;
use canhgiac_detect::lookalike::Registry;
use canhgiac_detect::message::model::Model;
use canhgiac_detect::message::{Analyzer, SUSPICIOUS};
use clap::{Parser, Subcommand};

use corpus::Example;
use metrics::{Binary, PerMethod};

/// The benchmarks measure what the server binary runs, with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "canhgiac-train",
    about = "Trains and evaluates the message model"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Trains on every message of the corpus and writes the model the binary ships.
    Train {
        /// Corpus directory (every .jsonl file in it) or files.
        #[arg(long, default_value = "corpus/messages", num_args = 1..)]
        corpus: Vec<PathBuf>,
        /// Where to write the model.
        #[arg(long, default_value = "crates/detect/model/message-model.json")]
        out: PathBuf,
    },
    /// Trains without the held-out fifth and reports on it; real messages also by 5-fold
    /// cross-validation (each real message judged by a model that never saw it).
    Evaluate {
        /// Corpus directory or files.
        #[arg(long, default_value = "corpus/messages", num_args = 1..)]
        corpus: Vec<PathBuf>,
    },
    /// Writes the held-out split as train.jsonl and test.jsonl (for bench/message.sh).
    Split {
        /// Corpus directory or files.
        #[arg(long, default_value = "corpus/messages", num_args = 1..)]
        corpus: Vec<PathBuf>,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
    },
    /// Checks the official knowledge files (protected brands, official senders,
    /// established sites); with --ranking, lists a ranking's Vietnamese sites that the
    /// list of established sites lacks.
    Knowledge {
        /// A site ranking as CSV lines "rank,domain" (the Tranco list, downloaded by hand).
        #[arg(long)]
        ranking: Option<PathBuf>,
        /// How many of the ranking's first lines to read.
        #[arg(long, default_value_t = 100_000)]
        top: usize,
    },
    /// Measures one core's throughput and the F1 of a model on test messages (JSON).
    Bench {
        /// Model file.
        #[arg(long)]
        model: PathBuf,
        /// Test messages (corpus format): F1.
        #[arg(long)]
        test: PathBuf,
        /// Messages to time (corpus format); the test messages when absent.
        #[arg(long)]
        speed: Option<PathBuf>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 3.0)]
        seconds: f64,
    },
}

fn corpus_files(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            out.extend(corpus::files(p)?);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Train { corpus, out } => train(&corpus, &out),
        Command::Evaluate { corpus } => evaluate(&corpus),
        Command::Split { corpus, out } => split(&corpus, &out),
        Command::Knowledge { ranking, top } => knowledge::check(ranking.as_deref(), top),
        Command::Bench {
            model,
            test,
            speed,
            seconds,
        } => bench(&model, &test, speed.as_ref(), seconds),
    }
}

fn train(inputs: &[PathBuf], out: &PathBuf) -> anyhow::Result<()> {
    let (examples, described) = corpus::load(&corpus_files(inputs)?)?;
    let started = Instant::now();
    let hashes = fit::featurize(&examples);
    let all: Vec<usize> = (0..examples.len()).collect();
    let model = fit::fit(
        &examples,
        &hashes,
        &all,
        &fit::Settings::default(),
        described,
    )?;
    let json = serde_json::to_string(model.file())?;
    std::fs::write(out, json + "\n").with_context(|| format!("writing {}", out.display()))?;
    eprintln!(
        "trained on {} messages ({} scam) in {:.1} s: {} features, {} methods → {}",
        examples.len(),
        examples.iter().filter(|e| e.is_scam()).count(),
        started.elapsed().as_secs_f64(),
        model.file().features.len(),
        model.method_keys().len(),
        out.display()
    );
    Ok(())
}

pub(crate) struct Judged {
    pub(crate) scam: bool,
    pub(crate) predicted: bool,
    method: Option<String>,
    predicted_method: Option<String>,
}

fn judge(model: &Model, examples: &[&Example]) -> Vec<Judged> {
    let analyzer = Analyzer::new(model, Registry::default_brands());
    let none = |_: &canhgiac_core::Identifier| None;
    examples
        .iter()
        .map(|e| {
            let a = analyzer.analyze(&e.text, &none, Lang::Vi);
            // the method is judged on its own (given a scam): the first of the model's ranking
            let predicted_method = a.methods.first().map(|m| m.key.clone());
            Judged {
                scam: e.is_scam(),
                predicted: a.likelihood >= SUSPICIOUS,
                method: e.method.clone(),
                predicted_method,
            }
        })
        .collect()
}

fn evaluate(inputs: &[PathBuf]) -> anyhow::Result<()> {
    let (examples, described) = corpus::load(&corpus_files(inputs)?)?;
    println!("corpus: {described}");
    let hashes = fit::featurize(&examples);
    let settings = fit::Settings::default();

    let train: Vec<usize> = (0..examples.len())
        .filter(|&i| !examples[i].held_out())
        .collect();
    let test: Vec<&Example> = examples.iter().filter(|e| e.held_out()).collect();
    let model = fit::fit(&examples, &hashes, &train, &settings, "held-out".into())?;
    let judged = judge(&model, &test);
    println!(
        "\nheld-out fifth ({} messages; trained on the other {}):",
        test.len(),
        train.len()
    );
    println!(
        "  {:<28} {:>5} {:>9} {:>7} {:>6}",
        "", "n", "precision", "recall", "F1"
    );
    for (name, keep) in [
        ("all", None),
        ("synthetic", Some(true)),
        ("real", Some(false)),
    ] {
        let b = Binary::of(
            test.iter()
                .zip(&judged)
                .filter(|(e, _)| keep.is_none_or(|synthetic| e.is_synthetic() == synthetic))
                .map(|(_, j)| (j.scam, j.predicted)),
        );
        println!("  {}", b.row(&format!("scam vs legitimate, {name}")));
    }

    // Real messages: 5-fold cross-validation by publisher, synthetic messages always
    // in training: a real message is judged by a model that saw nothing of its source.
    let real: Vec<usize> = (0..examples.len())
        .filter(|&i| !examples[i].is_synthetic())
        .collect();
    let mut real_judged = Vec::new();
    for k in 0..5 {
        let in_fold = |i: usize| corpus::fold_of(examples[i].publisher(), 5) == k;
        let train: Vec<usize> = (0..examples.len())
            .filter(|&i| examples[i].is_synthetic() || !in_fold(i))
            .collect();
        let ids: Vec<usize> = real.iter().copied().filter(|&i| in_fold(i)).collect();
        if ids.is_empty() {
            continue;
        }
        let test: Vec<&Example> = ids.iter().map(|&i| &examples[i]).collect();
        let model = fit::fit(&examples, &hashes, &train, &settings, "fold".into())?;
        real_judged.extend(ids.into_iter().zip(judge(&model, &test)));
    }
    real::report(&examples, &real_judged);
    lookalikes::report()?;

    println!("\nmethods, held-out scams (top-ranked method vs the labelled one):");
    let per = PerMethod::of(judged.iter().filter(|j| j.scam).map(|j| {
        (
            j.method.clone().unwrap_or_default(),
            j.predicted_method.clone(),
        )
    }));
    per.print();
    Ok(())
}

fn split(inputs: &[PathBuf], out: &PathBuf) -> anyhow::Result<()> {
    let (examples, _) = corpus::load(&corpus_files(inputs)?)?;
    std::fs::create_dir_all(out)?;
    let write = |name: &str, held: bool| -> anyhow::Result<usize> {
        let lines: Vec<String> = examples
            .iter()
            .filter(|e| e.held_out() == held)
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()?;
        std::fs::write(out.join(name), lines.join("\n") + "\n")?;
        Ok(lines.len())
    };
    let train = write("train.jsonl", false)?;
    let test = write("test.jsonl", true)?;
    eprintln!(
        "{train} training and {test} test messages in {}",
        out.display()
    );
    Ok(())
}

fn bench(
    model_path: &PathBuf,
    test: &PathBuf,
    speed: Option<&PathBuf>,
    seconds: f64,
) -> anyhow::Result<()> {
    let json = std::fs::read_to_string(model_path)
        .with_context(|| format!("reading {}", model_path.display()))?;
    let model = Model::from_json(&json)?;
    let (examples, _) = corpus::load(std::slice::from_ref(test))?;
    let refs: Vec<&Example> = examples.iter().collect();
    let judged = judge(&model, &refs);
    let b = Binary::of(judged.iter().map(|j| (j.scam, j.predicted)));
    let analyzer = Analyzer::new(&model, Registry::default_brands());
    let none = |_: &canhgiac_core::Identifier| None;
    let (timed, _) = corpus::load(std::slice::from_ref(speed.unwrap_or(test)))?;
    let texts: Vec<&str> = timed.iter().map(|e| e.text.as_str()).collect();
    let mean_chars =
        texts.iter().map(|t| t.chars().count()).sum::<usize>() as f64 / texts.len().max(1) as f64;
    let rate = |f: &dyn Fn(&str) -> f32| {
        let started = Instant::now();
        let mut n = 0u64;
        let mut sink = 0.0f32;
        while started.elapsed().as_secs_f64() < seconds {
            for t in &texts {
                sink += f(t);
            }
            n += texts.len() as u64;
        }
        std::hint::black_box(sink);
        n as f64 / started.elapsed().as_secs_f64()
    };
    let full = rate(&|t| analyzer.analyze(t, &none, Lang::Vi).likelihood);
    let classify = rate(&|t| analyzer.likelihood(t));
    // Cold: the same timed messages, each analysed once per pass on a new thread, so
    // the per-thread memo of words starts empty (as for a stream of unseen messages).
    let cold_texts = &texts;
    let started = Instant::now();
    let mut cold_n = 0u64;
    while started.elapsed().as_secs_f64() < seconds {
        cold_n += std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let mut sink = 0.0f32;
                    for t in cold_texts.iter() {
                        sink += analyzer.analyze(t, &none, Lang::Vi).likelihood;
                    }
                    std::hint::black_box(sink);
                    cold_texts.len() as u64
                })
                .join()
                .unwrap_or(0)
        });
    }
    let cold = cold_n as f64 / started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "messages": examples.len(),
            "timed_messages": texts.len(),
            "mean_chars": (mean_chars * 10.0).round() / 10.0,
            "precision": b.precision(),
            "recall": b.recall(),
            "f1": b.f1(),
            "analyses_per_second": full.round(),
            "cold_analyses_per_second": cold.round(),
            "classifications_per_second": classify.round(),
        })
    );
    Ok(())
}
