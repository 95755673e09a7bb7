//! logkit against its peers, to files and through queues, in one run: spdlog-rs,
//! tracing (tracing-subscriber, tracing-appender), slog (slog-term, slog-async), ftlog,
//! log4rs, env_logger and CPython 3's `logging`. The same record everywhere — logger
//! `app.db`, INFO, `"request /api/users took N ms"` — in each library's closest layout to
//! `%(asctime)s - %(name)s - %(levelname)s - %(message)s`.
//!
//! Each (library, scenario) runs in a process of its own (most install a global logger),
//! five times, in rounds that run every library once; each process logs untimed for 50 ms
//! first (but the queue's, timed until its writer is done, and the caller's, which does not
//! count its first burst); the table shows the median, logkit's time divided by each peer's,
//! the same ratio taken round by round (`paired`: the median of each round's logkit ÷ peer,
//! steadier when the machine's speed drifts between rounds), and what each lost (every line
//! is counted in the file afterwards). Scenarios:
//!
//! - `sink`: into a writer that discards (formatting alone);
//! - `file`: the library's file appender writing each record with a `write` of its own
//!   (CPython's durability);
//! - `file, buffered`: records gathered and written many at a time (logkit's
//!   `Buffering`, spdlog's `FileSink`);
//! - `4 threads`, unbuffered and buffered: four threads, one logger, one file (wall time per
//!   record);
//! - `queue → file`: the library's non-blocking mode, lossless where it can be, timed until
//!   every record is in the file;
//! - `queue caller`: each call of the non-blocking mode timed alone (p50/p99/p99.9), in
//!   bursts the queue holds.
//!
//! Every library appends to its file (`O_APPEND`, as log file handlers open theirs), each
//! run to a new one.
//!
//! `cargo bench -p logkit-benches --bench files` (about eight minutes); name scenarios after
//! `--` to run only those (`-- sink caller`).

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use logkit::{Buffering, FileHandler, Formatter, Handler, Level, QueueHandler, StreamHandler};
use logkit_benches::{
    CountingSink, Latency, PATH, append_to, caller_latency, env_logger_builder, env_logger_line,
    lines_in, ns_per_tick, timer_overhead,
};

const SUBJECT_ENV: &str = "LOGKIT_FILES_BENCH";
const LAYOUT: &str = "%(asctime)s - %(name)s - %(levelname)s - %(message)s";
/// Records per run (CPython: a twentieth).
const RECORDS: usize = 1_000_000;
const ROUNDS: usize = 5;
/// Untimed logging in each child before its timed records (but for the queue, timed until
/// its writer is done, and the caller, which does not count its first burst): one-time
/// costs — lazy set-up, buffers growing to size, logkit measuring its clock's rate over its
/// first 20 ms — then fall outside the figures, for every library alike.
const WARM_UP: Duration = Duration::from_millis(50);
/// Caller latency: bursts the queues hold, with a pause for the writer between them.
const BURST: usize = 4_000;
const BURSTS: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scenario {
    Sink,
    File,
    Buffered,
    Threads,
    ThreadsBuffered,
    Queue,
    Caller,
}

const SCENARIOS: [(Scenario, &str, &str, &[&str]); 7] = [
    (
        Scenario::Sink,
        "sink",
        "into a discarding writer",
        &[
            "logkit",
            "spdlog",
            "tracing",
            "tracing-utc",
            "slog",
            "env_logger",
            "env_logger-utc",
            "python",
        ],
    ),
    (
        Scenario::File,
        "file",
        "to a file, one write(2) per record",
        &[
            "logkit",
            "tracing",
            "tracing-utc",
            "slog",
            "log4rs",
            "env_logger",
            "env_logger-utc",
            "python",
        ],
    ),
    (
        Scenario::Buffered,
        "buffered",
        "to a file, buffered",
        &["logkit", "spdlog"],
    ),
    (
        Scenario::Threads,
        "threads",
        "4 threads, one file, one write(2) per record",
        &["logkit", "tracing", "slog", "log4rs", "env_logger"],
    ),
    (
        Scenario::ThreadsBuffered,
        "threads-buffered",
        "4 threads, one file, buffered",
        &["logkit", "spdlog"],
    ),
    (
        Scenario::Queue,
        "queue",
        "non-blocking into a file, until every record is in it",
        &["logkit", "spdlog", "tracing", "slog", "ftlog", "python"],
    ),
    (
        Scenario::Caller,
        "caller",
        "non-blocking: each call timed alone",
        &["logkit", "spdlog", "tracing", "slog", "ftlog"],
    ),
];

fn main() {
    if let Ok(spec) = std::env::var(SUBJECT_ENV) {
        child(&spec);
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` runs each subject once, briefly.
    let quick = !std::env::args().any(|a| a == "--bench");
    let dir = std::env::temp_dir().join(format!("logkit-bench-files-{}", std::process::id()));
    let rounds = if quick { 1 } else { ROUNDS };
    println!(
        "files: ns per record (caller: ns per call), median of {rounds} processes each, run in interleaved rounds; logkit ÷ peer < 1 is logkit ahead"
    );
    // `cargo bench -p logkit-benches --bench files -- caller queue`: those scenarios only.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    for (scenario, name, title, subjects) in SCENARIOS {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        println!();
        println!("{name}: {title}");
        // Round by round, every library once a round: a spell of a slower machine (a noisy
        // neighbour of this VM) then falls on all of them, not on one library's runs.
        let mut runs: Vec<Vec<Outcome>> = vec![Vec::new(); subjects.len()];
        for round in 0..rounds {
            for (subject, outcomes) in subjects.iter().zip(&mut runs) {
                let dir = dir.join(format!("{subject}-{name}-{round}"));
                outcomes.push(run(subject, name, &dir, quick));
            }
        }
        let paired: Vec<f64> = runs
            .iter()
            .map(|peer| paired_ratio(&runs[0], peer, scenario))
            .collect();
        let results: Vec<(&str, Outcome)> = subjects
            .iter()
            .zip(runs)
            .map(|(subject, outcomes)| (*subject, median(outcomes)))
            .collect();
        print_table(scenario, &results, &paired);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What a run measured.
#[derive(Clone, Copy, Debug, Default)]
struct Outcome {
    ns: f64,
    lost: usize,
    p50: f64,
    p99: f64,
    p999: f64,
}

/// The run whose time (for the caller: its mean per call) is the median.
fn median(mut runs: Vec<Outcome>) -> Outcome {
    runs.sort_by(|a, b| a.ns.total_cmp(&b.ns));
    runs[runs.len() / 2]
}

/// logkit's time divided by a peer's within each round (the two ran minutes apart at
/// most, so a slower spell of the machine weighs on both), the median over the rounds; for
/// the caller, of the p50s.
fn paired_ratio(logkit: &[Outcome], peer: &[Outcome], scenario: Scenario) -> f64 {
    let time = |o: &Outcome| {
        if scenario == Scenario::Caller {
            o.p50
        } else {
            o.ns
        }
    };
    let mut ratios: Vec<f64> = logkit
        .iter()
        .zip(peer)
        .map(|(l, p)| time(l) / time(p))
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs one (library, scenario) in a child process.
fn run(subject: &str, scenario: &str, dir: &Path, quick: bool) -> Outcome {
    std::fs::create_dir_all(dir).expect("temp dir");
    let records = if quick { 2_000 } else { RECORDS };
    let out = if subject == "python" {
        Command::new("python3")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/files.py"))
            .args([
                scenario,
                &(records / 20).to_string(),
                &dir.display().to_string(),
            ])
            .output()
    } else {
        Command::new(std::env::current_exe().expect("the bench binary"))
            .env(
                SUBJECT_ENV,
                format!("{subject}|{scenario}|{records}|{}", dir.display()),
            )
            .env_remove("LOGKIT_LEVEL")
            .env_remove("RUST_LOG")
            .output()
    };
    let out = out.unwrap_or_else(|e| panic!("cannot run {subject} {scenario}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{subject} {scenario} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(dir);
    let fields: Vec<f64> = stdout
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(f64::NAN))
        .collect();
    match fields[..] {
        [ns, lost] => Outcome {
            ns,
            lost: lost as usize,
            ..Outcome::default()
        },
        [ns, p50, p99, p999] => Outcome {
            ns,
            p50,
            p99,
            p999,
            lost: 0,
        },
        _ => panic!("{subject} {scenario} printed {stdout:?}"),
    }
}

fn print_table(scenario: Scenario, results: &[(&str, Outcome)], paired: &[f64]) {
    let logkit = results[0].1;
    if scenario == Scenario::Caller {
        println!(
            "| library | mean | p50 | p99 | p99.9 | logkit p50 ÷ it | paired | logkit p99 ÷ it |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for ((subject, o), paired) in results.iter().zip(paired) {
            println!(
                "| {subject} | {:.0} | {:.0} | {:.0} | {:.0} | {:.2} | {paired:.2} | {:.2} |",
                o.ns,
                o.p50,
                o.p99,
                o.p999,
                logkit.p50 / o.p50,
                logkit.p99 / o.p99
            );
        }
        return;
    }
    println!("| library | ns/record | logkit ÷ it | paired | lost |");
    println!("|---|---:|---:|---:|---:|");
    for ((subject, o), paired) in results.iter().zip(paired) {
        let lost = if o.lost == 0 {
            "0".to_owned()
        } else {
            format!("**{} (lossy)**", o.lost)
        };
        println!(
            "| {subject} | {:.0} | {:.2} | {paired:.2} | {lost} |",
            o.ns,
            logkit.ns / o.ns
        );
    }
}

// === the child: one library, one scenario ===

/// How a library logs a record and waits until everything is written.
///
/// `log` is each library's own closure type, so that every call is a direct call the
/// compiler can inline into the timing loop, as in a program that logs (a boxed closure
/// would add an indirect call, which weighs most on the fastest library).
struct Subject<F> {
    log: Arc<F>,
    /// Waits until every record is written (flush, drain, join); consumed once.
    finish: Box<dyn FnOnce()>,
    /// Where the records went (`None`: a discarding writer).
    file: Option<PathBuf>,
    sink: Option<CountingSink>,
}

fn child(spec: &str) {
    let mut parts = spec.splitn(4, '|');
    let (subject, scenario, records, dir) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts
            .next()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or(1000),
        PathBuf::from(parts.next().unwrap_or_default()),
    );
    let scenario = SCENARIOS
        .iter()
        .find(|(_, name, ..)| *name == scenario)
        .map(|(s, ..)| *s)
        .expect("a scenario");
    match subject {
        "logkit" => drive(subject, scenario, records, logkit(scenario, &dir)),
        "spdlog" => drive(subject, scenario, records, spdlog(scenario, &dir)),
        "tracing" => drive(subject, scenario, records, tracing(scenario, &dir, true)),
        "tracing-utc" => drive(subject, scenario, records, tracing(scenario, &dir, false)),
        "slog" => drive(subject, scenario, records, slog(scenario, &dir)),
        "ftlog" => drive(subject, scenario, records, ftlog(&dir)),
        "log4rs" => drive(subject, scenario, records, log4rs(&dir)),
        "env_logger" => drive(subject, scenario, records, env_logger(scenario, &dir, true)),
        "env_logger-utc" => {
            drive(
                subject,
                scenario,
                records,
                env_logger(scenario, &dir, false),
            );
        }
        other => panic!("unknown library {other}"),
    }
}

/// Runs `scenario` with one library's `made` subject and prints what it measured.
fn drive<F: Fn(u64) + Send + Sync + 'static>(
    subject: &str,
    scenario: Scenario,
    records: usize,
    made: Subject<F>,
) {
    if scenario == Scenario::Caller {
        caller(made);
        return;
    }
    let threads = matches!(scenario, Scenario::Threads | Scenario::ThreadsBuffered);
    let Subject {
        log,
        finish,
        file,
        sink,
    } = made;
    // The queue is timed until its writer is done, which a warm-up would have to wait for
    // too; a quick run (`cargo test --benches`) only checks that each subject works.
    let warmed = if scenario == Scenario::Queue || records < 100_000 {
        0
    } else {
        warm_up(&*log)
    };
    let start = Instant::now();
    if threads {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let log = Arc::clone(&log);
                std::thread::spawn(move || {
                    for i in 0..records / 4 {
                        log(black_box(i as u64));
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a logging thread");
        }
    } else {
        for i in 0..records {
            log(black_box(i as u64));
        }
    }
    // The library's handles in `log` go first: some wait for their writer only when the
    // last is dropped (spdlog's thread pool).
    drop(log);
    finish();
    let ns = start.elapsed().as_nanos() as f64 / records as f64;
    let expected = warmed + if threads { records / 4 * 4 } else { records };
    let written = match (&file, &sink) {
        (Some(path), _) => lines_in(path),
        (None, Some(sink)) => {
            assert!(sink.bytes() > 0, "{subject} wrote nothing");
            expected
        }
        (None, None) => expected,
    };
    println!("{ns} {}", expected.saturating_sub(written));
}

/// Logs untimed for [`WARM_UP`] before the timed records, as every library's child does;
/// how many records that was.
fn warm_up(log: &impl Fn(u64)) -> usize {
    let start = Instant::now();
    let mut logged = 0;
    while start.elapsed() < WARM_UP {
        for i in 0..1_000 {
            log(black_box(i));
        }
        logged += 1_000;
    }
    logged
}

/// Times each call alone, in bursts the queue holds, with a pause between bursts.
fn caller<F: Fn(u64)>(made: Subject<F>) {
    let Subject { log, finish, .. } = made;
    let latency = caller_latency(
        BURSTS,
        BURST,
        ns_per_tick(),
        timer_overhead(),
        |i| log(i),
        // Let the writer catch up before the next burst.
        || std::thread::sleep(Duration::from_millis(40)),
    );
    drop(log);
    finish();
    let Latency {
        mean,
        p50,
        p99,
        p999,
    } = latency;
    println!("{mean} {p50} {p99} {p999}");
}

// --- logkit ---

fn logkit(scenario: Scenario, dir: &Path) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    let path = dir.join("logkit.log");
    let logger = logkit::get_logger("app.db");
    logger.set_level(Level::INFO);
    logger.set_propagate(false);
    // Compiled, as spdlog's `pattern!` is; the run-time `Formatter` (what configuration
    // files build) is measured by `LOGKIT_FILES_BENCH_RUNTIME=1`.
    let formatter: logkit::FormatRef = if std::env::var_os("LOGKIT_FILES_BENCH_RUNTIME").is_some() {
        Arc::new(Formatter::new(LAYOUT).expect("the layout"))
    } else {
        Arc::new(logkit::formatter!(
            "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
        ))
    };
    let mut sink = None;
    let mut file = Some(path.clone());
    let finish: Box<dyn FnOnce()> = match scenario {
        Scenario::Sink => {
            let counting = CountingSink::new();
            let handler = StreamHandler::new(counting.clone());
            handler.set_formatter(formatter);
            logger.add_handler(handler);
            sink = Some(counting);
            file = None;
            Box::new(|| {})
        }
        Scenario::File | Scenario::Threads => {
            let handler = FileHandler::new(&path).expect("the file");
            handler.set_formatter(formatter);
            logger.add_handler(handler);
            Box::new(|| {})
        }
        Scenario::Buffered | Scenario::ThreadsBuffered => {
            let handler = Arc::new(
                FileHandler::options(&path)
                    .buffered(Buffering::new())
                    .open()
                    .expect("the file"),
            );
            handler.set_formatter(formatter);
            logger.add_handler(Arc::clone(&handler));
            Box::new(move || handler.flush().expect("flush"))
        }
        Scenario::Queue | Scenario::Caller => {
            let handler = FileHandler::new(&path).expect("the file");
            handler.set_formatter(formatter);
            let queue = QueueHandler::builder()
                .handler(handler)
                .capacity(32_768)
                .start()
                .expect("the listener");
            logger.add_handler(Arc::clone(&queue));
            Box::new(move || queue.flush().expect("flush"))
        }
    };
    Subject {
        log: Arc::new(move |i| logkit::info!(logger, "request %s took %d ms", PATH, i)),
        finish,
        file,
        sink,
    }
}

// --- spdlog-rs ---

fn spdlog(scenario: Scenario, dir: &Path) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    use spdlog::formatter::{PatternFormatter, pattern};
    use spdlog::sink::{AsyncPoolSink, FileSink, OverflowPolicy, Sink, WriteSink};
    use spdlog::{Logger, ThreadPool};

    let path = dir.join("spdlog.log");
    let layout = || {
        PatternFormatter::new(pattern!(
            "{date} {time},{millisecond} - {logger} - {level} - {payload}{eol}"
        ))
    };
    let file_sink = || -> Arc<dyn Sink> {
        Arc::new(
            FileSink::builder()
                .path(&path)
                .truncate(false)
                .formatter(layout())
                .build()
                .expect("file sink"),
        )
    };
    let counting = CountingSink::new();
    let (sink, pool): (Arc<dyn Sink>, Option<Arc<ThreadPool>>) = match scenario {
        Scenario::Sink => (
            Arc::new(
                WriteSink::builder()
                    .target(counting.clone())
                    .formatter(layout())
                    .build()
                    .expect("sink"),
            ),
            None,
        ),
        Scenario::Buffered | Scenario::ThreadsBuffered | Scenario::File | Scenario::Threads => {
            (file_sink(), None)
        }
        Scenario::Queue | Scenario::Caller => {
            let pool = ThreadPool::builder()
                .capacity(NonZeroUsize::new(8192).expect("non-zero"))
                .build_arc()
                .expect("thread pool");
            let sink = AsyncPoolSink::builder()
                .sink(file_sink())
                .overflow_policy(OverflowPolicy::Block)
                .thread_pool(Arc::clone(&pool))
                .build()
                .expect("async sink");
            (Arc::new(sink), Some(pool))
        }
    };
    let logger = Arc::new(
        Logger::builder()
            .name("app.db")
            .sink(sink)
            .build()
            .expect("logger"),
    );
    let log_with = Arc::clone(&logger);
    let is_sink = scenario == Scenario::Sink;
    Subject {
        log: Arc::new(move |i| spdlog::info!(logger: log_with, "request {} took {} ms", PATH, i)),
        // The pool's drop joins its worker: the records are then in the file.
        finish: Box::new(move || {
            logger.flush();
            drop(logger);
            drop(pool);
        }),
        file: (!is_sink).then_some(path),
        sink: is_sink.then_some(counting),
    }
}

/// The local time as `%(asctime)s` prints it (`2026-12-06 21:16:17,123`), for the peers
/// with no local-time timestamp of their own.
fn local_asctime() -> impl std::fmt::Display {
    jiff::ZonedDateTime::now()
        .strftime("%Y-%m-%d %H:%M:%S,%3f")
        .to_string()
}

/// tracing-subscriber's timer writing [`local_asctime`].
struct LocalAsctime;

impl tracing_subscriber::fmt::time::FormatTime for LocalAsctime {
    fn format_time(&self, w: &mut tracing_subscriber::fmt::format::Writer<'_>) -> std::fmt::Result {
        write!(w, "{}", local_asctime())
    }
}

// --- tracing ---

/// tracing-subscriber's fmt layer: with local time in the `asctime` layout, or (`local`
/// false) its own UTC timestamp.
fn tracing(
    scenario: Scenario,
    dir: &Path,
    local: bool,
) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
    use tracing_subscriber::util::SubscriberInitExt as _;

    /// Either timer, chosen at run time.
    struct Timer(bool);
    impl FormatTime for Timer {
        fn format_time(
            &self,
            w: &mut tracing_subscriber::fmt::format::Writer<'_>,
        ) -> std::fmt::Result {
            if self.0 {
                LocalAsctime.format_time(w)
            } else {
                SystemTime.format_time(w)
            }
        }
    }

    let name = "tracing.log";
    let counting = CountingSink::new();
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_timer(Timer(local))
        .with_max_level(tracing::Level::INFO);
    let mut guard = None;
    match scenario {
        Scenario::Sink => {
            let target = counting.clone();
            builder.with_writer(move || target.clone()).finish().init();
        }
        Scenario::Queue | Scenario::Caller => {
            let (writer, g) = tracing_appender::non_blocking::NonBlockingBuilder::default()
                .lossy(false)
                .finish(tracing_appender::rolling::never(dir, name));
            guard = Some(g);
            builder.with_writer(writer).finish().init();
        }
        _ => builder
            .with_writer(tracing_appender::rolling::never(dir, name))
            .finish()
            .init(),
    }
    let is_sink = scenario == Scenario::Sink;
    Subject {
        log: Arc::new(|i| tracing::info!(target: "app.db", "request {} took {} ms", PATH, i)),
        // The guard's drop waits for the worker (at most a second).
        finish: Box::new(move || drop(guard)),
        file: (!is_sink).then(|| dir.join(name)),
        sink: is_sink.then_some(counting),
    }
}

// --- slog ---

fn slog(scenario: Scenario, dir: &Path) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    use slog::Drain as _;

    let path = dir.join("slog.log");
    let counting = CountingSink::new();
    let (logger, guard) = match scenario {
        Scenario::Sink => {
            let drain = slog_format(slog_term::PlainSyncDecorator::new(counting.clone()));
            (slog::Logger::root(drain, slog::o!()), None)
        }
        Scenario::Queue | Scenario::Caller => {
            let file = append_to(&path);
            let format = slog_format(slog_term::PlainDecorator::new(file));
            let (drain, guard) = slog_async::Async::new(format)
                .chan_size(8192)
                .overflow_strategy(slog_async::OverflowStrategy::Block)
                .build_with_guard();
            (slog::Logger::root(drain.fuse(), slog::o!()), Some(guard))
        }
        _ => {
            let file = append_to(&path);
            let drain = slog_format(slog_term::PlainSyncDecorator::new(file));
            (slog::Logger::root(drain, slog::o!()), None)
        }
    };
    let log_with = logger.clone();
    let is_sink = scenario == Scenario::Sink;
    Subject {
        // slog has no logger names (its tags, `#"app.db"`, do not parse in Rust 2024).
        log: Arc::new(move |i| slog::info!(log_with, "request {} took {} ms", PATH, i)),
        // Dropping every logger and the guard joins the worker.
        finish: Box::new(move || {
            drop(logger);
            drop(guard);
        }),
        file: (!is_sink).then_some(path),
        sink: is_sink.then_some(counting),
    }
}

/// slog-term's full format on `decorator`, with [`local_asctime`].
fn slog_format<D: slog_term::Decorator>(decorator: D) -> slog::Fuse<slog_term::FullFormat<D>> {
    use slog::Drain as _;
    slog_term::FullFormat::new(decorator)
        .use_custom_timestamp(slog_asctime)
        .build()
        .fuse()
}

/// slog-term's timestamp function writing [`local_asctime`].
fn slog_asctime(w: &mut dyn std::io::Write) -> std::io::Result<()> {
    write!(w, "{}", local_asctime())
}

// --- ftlog (always asynchronous) ---

fn ftlog(dir: &Path) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    let path = dir.join("ftlog.log");
    let guard = ftlog::builder()
        .root(ftlog::appender::FileAppender::new(&path))
        .bounded(100_000, true)
        .try_init()
        .expect("ftlog");
    Subject {
        log: Arc::new(|i| log::info!(target: "app.db", "request {} took {} ms", PATH, i)),
        finish: Box::new(move || {
            log::logger().flush();
            drop(guard);
        }),
        file: Some(path),
        sink: None,
    }
}

// --- log4rs ---

fn log4rs(dir: &Path) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    use log4rs::append::file::FileAppender;
    use log4rs::config::{Appender, Config, Root};
    use log4rs::encode::pattern::PatternEncoder;

    let path = dir.join("log4rs.log");
    let file = FileAppender::builder()
        .encoder(Box::new(PatternEncoder::new(
            "{d(%Y-%m-%d %H:%M:%S,%3f)} - {t} - {l} - {m}{n}",
        )))
        .append(true)
        .build(&path)
        .expect("file appender");
    let config = Config::builder()
        .appender(Appender::builder().build("file", Box::new(file)))
        .build(
            Root::builder()
                .appender("file")
                .build(log::LevelFilter::Info),
        )
        .expect("config");
    log4rs::init_config(config).expect("log4rs");
    Subject {
        log: Arc::new(|i| log::info!(target: "app.db", "request {} took {} ms", PATH, i)),
        finish: Box::new(|| log::logger().flush()),
        file: Some(path),
        sink: None,
    }
}

// --- env_logger ---

/// env_logger: with local time in the `asctime` layout, or (`local` false) its own UTC
/// RFC 3339 timestamp.
fn env_logger(
    scenario: Scenario,
    dir: &Path,
    local: bool,
) -> Subject<impl Fn(u64) + Send + Sync + 'static> {
    let path = dir.join("env_logger.log");
    let counting = CountingSink::new();
    let target: Box<dyn std::io::Write + Send> = match scenario {
        Scenario::Sink => Box::new(counting.clone()),
        _ => Box::new(append_to(&path)),
    };
    let mut builder = env_logger_builder(target);
    if local {
        builder.format(|buf, record| env_logger_line(buf, &local_asctime(), record));
    }
    builder.filter_level(log::LevelFilter::Info).init();
    let is_sink = scenario == Scenario::Sink;
    Subject {
        log: Arc::new(|i| log::info!(target: "app.db", "request {} took {} ms", PATH, i)),
        finish: Box::new(|| log::logger().flush()),
        file: (!is_sink).then_some(path),
        sink: is_sink.then_some(counting),
    }
}
