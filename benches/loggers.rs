//! Making loggers and reconfiguring a large tree, against CPython's `logging` in the same
//! run, each in processes of its own (the tree only grows, so each scenario starts afresh).
//!
//! Loggers are named as a service that names one per tenant and per connection would:
//! `svc.tenant{T}.conn{C}`, a thousand connections per tenant, connections arriving
//! round-robin across tenants. Each tenant's own logger `svc.tenant{T}` is made after its
//! first ten connections, so those ten hang below a placeholder until then and are
//! re-parented when it is made.
//!
//! Scenarios:
//!
//! - `make`: the time to make the loggers (1,000,000 by default), in total and per logger in
//!   the first and the last tenth (flat when making a logger costs the same in a large tree
//!   as in a small one, but for the growth of the name map, amortised), and the process's
//!   peak memory;
//! - `change`: with the loggers present (100,000 by default), the median time of
//!   `set_level` on the root (every logger inherits it), on one tenant (its thousand
//!   connections inherit it) and on one connection, and of `add_handler` and
//!   `remove_handler` on the root.
//!
//! CPython's `setLevel` clears the level cache of every logger, so it is a peer figure for
//! the same work, not a lower bound.
//!
//! `cargo bench -p logkit-benches --bench loggers [-- MADE PRESENT]`

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use logkit::{Level, NullHandler, get_logger, root};

const SUBJECT_ENV: &str = "LOGKIT_LOGGERS_BENCH";
/// Connections per tenant.
const CONNECTIONS: usize = 1_000;
/// A tenant's own logger is made after this many of its connections.
const TENANT_AFTER: usize = 10;
/// Repetitions of each change (the median is reported).
const CHANGES: usize = 51;

fn main() {
    if let Ok(spec) = std::env::var(SUBJECT_ENV) {
        child(&spec);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: run small.
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = !args.iter().any(|a| a == "--bench");
    let mut counts = args.iter().filter_map(|a| a.parse::<usize>().ok());
    let made = counts
        .next()
        .unwrap_or(if quick { 3_000 } else { 1_000_000 });
    let present = counts.next().unwrap_or(if quick { 2_000 } else { 100_000 });
    let changes = if quick { 3 } else { CHANGES };

    let ours_make = run_logkit(&format!("make {made}"));
    let peer_make = run_python(&["make", &made.to_string()]);
    let ours_change = run_logkit(&format!("change {present} {changes}"));
    let peer_change = run_python(&["change", &present.to_string(), &changes.to_string()]);

    let tenant = format!("svc.tenant{}", tenants(present) / 2);
    println!(
        "loggers: {made} loggers made, then changes with {present} present (median of \
         {changes}); logkit and CPython each in a process of its own"
    );
    println!();
    println!("| operation | logkit | CPython | logkit / CPython |");
    println!("|---|---:|---:|---:|");
    let made_rows = [
        ("total_s", format!("make {made} loggers (s)")),
        ("first_us", "make one, first tenth (µs)".into()),
        ("last_us", "make one, last tenth (µs)".into()),
        ("peak_mb", "peak memory of the process (MB)".into()),
    ];
    for (key, label) in made_rows {
        row(&label, key, &ours_make, &peer_make);
    }
    let change_rows = [
        (
            "root_us",
            format!("set_level on root, {present} below (µs)"),
        ),
        (
            "tenant_us",
            format!("set_level on {tenant}, {CONNECTIONS} below (µs)"),
        ),
        ("leaf_us", "set_level on one connection (µs)".into()),
        ("add_us", "add_handler on root (µs)".into()),
        ("remove_us", "remove_handler on root (µs)".into()),
    ];
    for (key, label) in change_rows {
        row(&label, key, &ours_change, &peer_change);
    }
}

/// What a child printed: figures by name.
type Figures = BTreeMap<String, f64>;

/// Prints the table row `label` of the figure `key`.
fn row(label: &str, key: &str, ours: &Figures, peer: &Figures) {
    let a = ours.get(key).copied().unwrap_or(f64::NAN);
    match peer.get(key) {
        Some(&b) => println!("| {label} | {a:.3} | {b:.3} | {:.2}× |", a / b),
        None => println!("| {label} | {a:.3} | n/a | |"),
    }
}

/// The number of tenants among `count` loggers.
fn tenants(count: usize) -> usize {
    count.div_ceil(CONNECTIONS).max(1)
}

/// The name of the `i`th connection's logger among `count`, and the tenant logger to make
/// right after it, if any.
fn connection(i: usize, count: usize) -> (String, Option<String>) {
    let tenants = tenants(count);
    let (tenant, conn) = (i % tenants, i / tenants);
    let name = format!("svc.tenant{tenant}.conn{conn}");
    let own = (conn + 1 == TENANT_AFTER).then(|| format!("svc.tenant{tenant}"));
    (name, own)
}

/// Runs a scenario of logkit's in a child process: what it printed.
fn run_logkit(spec: &str) -> Figures {
    let out = Command::new(std::env::current_exe().expect("the bench binary"))
        .env(SUBJECT_ENV, spec)
        .env_remove("LOGKIT_LEVEL")
        .env_remove("RUST_LOG")
        .output()
        .expect("start the bench's child");
    parse("logkit", &out)
}

/// Runs a scenario of CPython's (`loggers.py`): what it printed, or nothing without
/// `python3`.
fn run_python(args: &[&str]) -> Figures {
    let out = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/loggers.py"))
        .args(args)
        .output();
    match out {
        Ok(out) => parse("CPython", &out),
        Err(e) => {
            eprintln!("CPython not measured: {e}");
            Figures::new()
        }
    }
}

/// The `key value` lines a child printed.
fn parse(subject: &str, out: &std::process::Output) -> Figures {
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{subject} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
        .lines()
        .filter_map(|line| {
            let (key, value) = line.split_once(' ')?;
            Some((key.to_owned(), value.trim().parse().ok()?))
        })
        .collect()
}

/// In the child: runs the scenario `spec` and prints its figures.
fn child(spec: &str) {
    let mut parts = spec.split(' ');
    let scenario = parts.next().unwrap_or_default();
    let mut numbers = parts.filter_map(|p| p.parse::<usize>().ok());
    let count = numbers.next().unwrap_or(1_000);
    match scenario {
        "make" => make(count),
        "change" => change(count, numbers.next().unwrap_or(CHANGES)),
        other => panic!("unknown scenario {other}"),
    }
}

/// Makes `count` connection loggers (and their tenants' loggers), timing each tenth.
fn make(count: usize) {
    let tenth = (count / 10).max(1);
    let mut tenths = Vec::new();
    let start = Instant::now();
    let mut at = start;
    make_loggers(count, |made| {
        if made % tenth == 0 {
            tenths.push(at.elapsed().as_secs_f64() * 1e6 / tenth as f64);
            at = Instant::now();
        }
    });
    println!("total_s {}", start.elapsed().as_secs_f64());
    println!("first_us {}", tenths.first().copied().unwrap_or_default());
    println!("last_us {}", tenths.last().copied().unwrap_or_default());
    println!("peak_mb {}", peak_megabytes());
}

/// Makes the service's logger and `count` connection loggers (with their tenants'),
/// calling `after` with how many connections are made so far after each one.
fn make_loggers(count: usize, mut after: impl FnMut(usize)) {
    get_logger("svc");
    for i in 0..count {
        let (name, own) = connection(i, count);
        get_logger(&name);
        if let Some(tenant) = own {
            get_logger(&tenant);
        }
        after(i + 1);
    }
}

/// The process's peak resident memory in MB (Linux's `VmHWM`; NaN elsewhere).
fn peak_megabytes() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// With `count` connection loggers present, times `changes` of each change.
fn change(count: usize, changes: usize) {
    make_loggers(count, |_| {});
    let tenant = get_logger(&format!("svc.tenant{}", tenants(count) / 2));
    let leaf = get_logger("svc.tenant1.conn1");
    let levels = [Level::DEBUG, Level::INFO];
    for (key, logger) in [
        ("root_us", root()),
        ("tenant_us", tenant),
        ("leaf_us", leaf),
    ] {
        let us = median(changes, |n| logger.set_level(levels[n % 2]));
        println!("{key} {us}");
    }
    let handler = Arc::new(NullHandler::new());
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for _ in 0..changes {
        added.push(micros(|| root().add_handler(Arc::clone(&handler))));
        removed.push(micros(|| root().remove_handler(&*handler)));
    }
    println!("add_us {}", middle(&mut added));
    println!("remove_us {}", middle(&mut removed));
}

/// The median time of `changes` calls of `f` (given the call's index), in microseconds.
fn median(changes: usize, mut f: impl FnMut(usize)) -> f64 {
    let mut samples: Vec<f64> = (0..changes).map(|n| micros(|| f(n))).collect();
    middle(&mut samples)
}

/// How long `f` took, in microseconds.
fn micros(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64() * 1e6
}

/// The median of `samples`.
fn middle(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples.get(samples.len() / 2).copied().unwrap_or(f64::NAN)
}
