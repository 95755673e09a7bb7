//! A dependency's `log` and `tracing` calls through logkit's bridges against the same calls
//! under env_logger and tracing-subscriber, in the same run: each subject in a process of
//! its own (each facade takes one logger or global subscriber per process), each scenario
//! timed the same way, and a table of ratios at the end.
//!
//! Scenarios, with the same levels for every subject:
//!
//! - `disabled`: a `debug!` of target `wire::conn` with every level at WARNING: the
//!   facade's own check (`log`'s maximum level, `tracing`'s level filter);
//! - `disabled, another target at DEBUG`: the same call while `other` is at DEBUG, so that
//!   the facade's check passes and the logger or subscriber rejects the call (env_logger's
//!   directives, tracing's per-call-site interest, logkit's logger threshold);
//! - `enabled`: an INFO record of target `app::db`, `"request {} took {} ms"`, formatted
//!   as `%(asctime)s - %(name)s - %(levelname)s - %(message)s` (env_logger: the same
//!   layout; tracing-subscriber: its default line) into a writer that discards it.
//!
//! `cargo bench -p logkit-benches --bench bridges`

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use logkit::{Formatter, Handler, Level, StreamHandler, get_logger, root};
use logkit_benches::{CountingSink, PATH, env_logger_builder};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

const SUBJECT_ENV: &str = "LOGKIT_BRIDGES_BENCH";
const LAYOUT: &str = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Facade {
    Log,
    Tracing,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Scenario {
    Disabled,
    DisabledOtherDebug,
    Enabled,
}

const SCENARIOS: [(Scenario, &str); 3] = [
    (Scenario::Disabled, "disabled"),
    (Scenario::DisabledOtherDebug, "other-debug"),
    (Scenario::Enabled, "enabled"),
];

fn main() {
    if let Ok(spec) = std::env::var(SUBJECT_ENV) {
        child(&spec);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run once there.
    let quick = !std::env::args().any(|a| a == "--bench");
    println!("bridges: ns per call, median of 9 rounds; each subject in its own process");
    println!();
    println!("| scenario | logkit | peer | logkit / peer |");
    println!("|---|---:|---:|---:|");
    for (facade, ours, peer) in [
        (Facade::Log, "logkit-log", "env_logger"),
        (Facade::Tracing, "logkit-tracing", "tracing-subscriber"),
    ] {
        for (_, scenario) in SCENARIOS {
            let a = run(ours, scenario, quick);
            let b = run(peer, scenario, quick);
            let facade_name = match facade {
                Facade::Log => "log",
                Facade::Tracing => "tracing",
            };
            println!(
                "| {facade_name} {scenario} | {a:.2} | {peer} {b:.2} | {:.2}× |",
                a / b
            );
        }
    }
}

/// Runs `subject` on `scenario` in a child process: its ns per call.
fn run(subject: &str, scenario: &str, quick: bool) -> f64 {
    let exe = std::env::current_exe().expect("the bench binary");
    let out = Command::new(exe)
        .env(
            SUBJECT_ENV,
            format!("{subject}/{scenario}/{}", u8::from(quick)),
        )
        .env_remove("LOGKIT_LEVEL")
        .env_remove("RUST_LOG")
        .output()
        .expect("start the bench's child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{subject}/{scenario} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("{subject}/{scenario} printed {stdout:?}"))
}

/// In the child: sets `subject` up for `scenario`, times it, prints ns per call.
fn child(spec: &str) {
    let mut parts = spec.split('/');
    let (subject, scenario, quick) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next() == Some("1"),
    );
    let scenario = SCENARIOS
        .iter()
        .find(|(_, name)| *name == scenario)
        .map(|(s, _)| *s)
        .expect("a scenario");
    let sink = CountingSink::new();
    let facade = match subject {
        "logkit-log" | "logkit-tracing" => {
            let handler = StreamHandler::new(sink.clone());
            handler.set_formatter(Formatter::new(LAYOUT).expect("the layout"));
            root().add_handler(handler);
            match scenario {
                Scenario::Disabled => {}
                Scenario::DisabledOtherDebug => get_logger("other").set_level(Level::DEBUG),
                Scenario::Enabled => get_logger("app").set_level(Level::INFO),
            }
            if subject == "logkit-log" {
                logkit::log_bridge::init().expect("the log bridge");
                Facade::Log
            } else {
                logkit::tracing_bridge::init().expect("the tracing bridge");
                Facade::Tracing
            }
        }
        "env_logger" => {
            env_logger_builder(Box::new(sink.clone()))
                .parse_filters(filters(scenario))
                .init();
            Facade::Log
        }
        "tracing-subscriber" => {
            let target = sink.clone();
            let targets: Targets = filters(scenario).parse().expect("the directives");
            tracing_subscriber::fmt()
                .with_ansi(false)
                .with_writer(move || target.clone())
                .finish()
                .with(targets)
                .init();
            Facade::Tracing
        }
        other => panic!("unknown subject {other}"),
    };
    let ns = match (facade, scenario) {
        (Facade::Log, Scenario::Enabled) => time(quick, |n| {
            log::info!(target: "app::db", "request {} took {} ms", PATH, n);
        }),
        (Facade::Log, _) => {
            time(quick, |n| {
                ten(|| log::debug!(target: "wire::conn", "chatter {}", n));
            }) / 10.0
        }
        (Facade::Tracing, Scenario::Enabled) => time(quick, |n| {
            tracing::info!(target: "app::db", "request {} took {} ms", PATH, n);
        }),
        (Facade::Tracing, _) => {
            time(quick, |n| {
                ten(|| tracing::debug!(target: "wire::conn", "chatter {}", n));
            }) / 10.0
        }
    };
    if scenario == Scenario::Enabled {
        assert!(sink.bytes() > 0, "{subject} wrote its records");
    } else {
        assert_eq!(sink.bytes(), 0, "{subject} wrote a disabled record");
    }
    println!("{ns}");
}

/// The levels of a scenario as env_logger's and tracing's directives.
fn filters(scenario: Scenario) -> &'static str {
    match scenario {
        Scenario::Disabled => "warn",
        Scenario::DisabledOtherDebug => "warn,other=debug",
        Scenario::Enabled => "warn,app=info",
    }
}

/// Ten calls in a row (a disabled call is too short to time alone, and a loop of one would
/// be timed by where the linker places it).
#[inline(always)]
fn ten(call: impl Fn()) {
    call();
    call();
    call();
    call();
    call();
    call();
    call();
    call();
    call();
    call();
}

/// The median over 9 rounds of ns per call of `f`, each round long enough to time (once,
/// briefly, when `quick`).
fn time(quick: bool, mut f: impl FnMut(u64)) -> f64 {
    let round = if quick {
        Duration::from_millis(1)
    } else {
        Duration::from_millis(200)
    };
    // Calibrate: how many calls fill a round.
    let mut calls: u64 = 1_000;
    loop {
        let start = Instant::now();
        for i in 0..calls {
            f(black_box(i));
        }
        if start.elapsed() >= round / 4 || quick {
            break;
        }
        calls *= 4;
    }
    let scale = round.as_secs_f64() / (round / 4).as_secs_f64();
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let calls = if quick {
        calls
    } else {
        (calls as f64 * scale) as u64
    };
    let rounds = if quick { 1 } else { 9 };
    let mut samples: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for i in 0..calls {
                f(black_box(i));
            }
            start.elapsed().as_nanos() as f64 / calls as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
