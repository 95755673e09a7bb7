//! The fuzz targets of `logkit_core::fuzz`, run deterministically: every input kept in
//! `tests/fuzz/regressions/<target>/` (each a crash once found), every seed in
//! `tests/fuzz/seeds/<target>/`, then inputs mutated from the seeds by a fixed-seed
//! generator (byte flips, insertions of the target's tokens, deletions, splices, huge
//! numbers). An input that panics is written to `target/fuzz-failures/` and fails the run;
//! one that runs longer than [`HANG`] aborts it, naming the input.
//!
//! `LOGKIT_FUZZ_ITERATIONS` sets the mutated inputs per target (CI's default below);
//! `LOGKIT_FUZZ_SECONDS` runs each target for that long instead (`scripts/fuzz.sh`), and
//! `LOGKIT_FUZZ_SEED` changes the generator's seed. A target name on the command line runs
//! only that target.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use logkit_core::fuzz::TARGETS;

/// Mutated inputs per target when nothing says otherwise.
const ITERATIONS: u64 = 30_000;
/// The longest an input may run before the run is aborted as a hang.
const HANG: Duration = Duration::from_secs(20);
/// The longest mutated input.
const MAX_LEN: usize = 4096;

/// Tokens worth inserting, per target: what its grammar is made of.
fn tokens(target: &str) -> &'static [&'static [u8]] {
    match target {
        "template" | "message" => &[
            b"%(",
            b")s",
            b")d",
            b"%s",
            b"%d",
            b"%r",
            b"%*d",
            b"%.*f",
            b"%-10s",
            b"%%",
            b"{",
            b"}",
            b"{{",
            b"}}",
            b"!r",
            b":>10",
            b":,",
            b"[0]",
            b"['a']",
            b"$",
            b"${",
            b"%(message)9999999999s",
            b"%(levelname)s",
            b"{levelname[0]}",
            b"%(log_color)s",
            b"%c",
            b"%#x",
            b"%+05.2e",
        ],
        "ini" => &[
            b"[",
            b"]",
            b"\n",
            b"=",
            b"keys=",
            b"args=",
            b"kwargs=",
            b"class=",
            b"level=",
            b"handlers=",
            b"formatter=",
            b"format=",
            b"qualname=",
            b"propagate=",
            b"(",
            b")",
            b"'",
            b",",
            b"%(",
            b")s",
            b"[logger_",
            b"[handler_",
            b"[formatter_",
            b"((((((((",
            b"StreamHandler",
            b"handlers.RotatingFileHandler",
            b"sys.stdout",
            b"99999999999",
        ],
        "dict_config" => &[
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"'",
            b":",
            b",",
            b"version",
            b"handlers",
            b"loggers",
            b"formatters",
            b"filters",
            b"root",
            b"class",
            b"level",
            b"cfg://",
            b"ext://",
            b"()",
            b"capacity",
            b"1000000000",
            b"4611686018427387904",
            b"[[[[[[[[",
            b"{\"a\":{\"a\":",
            b"logging.handlers.QueueHandler",
            b"logging.handlers.MemoryHandler",
            b"=",
            b"\n",
        ],
        "py_literal" => &[
            b"(",
            b")",
            b"[",
            b"]",
            b"{",
            b"}",
            b"'",
            b"\"",
            b",",
            b":",
            b"*",
            b"//",
            b"%",
            b"-",
            b"1e308",
            b"0x",
            b"True",
            b"None",
            b"sys.stdout",
            b"\\x",
            b"\\u",
            b"\\N{",
            b"((((((((",
            b"99999999999999999999999",
            b"**",
        ],
        "level_env" => &[
            b",", b"=", b"::", b".", b"off", b"trace", b"debug", b"info", b"warn", b"error", b"[",
            b"]", b"{", b"}", b"/", b"99999",
        ],
        "http_response" => &[
            b"HTTP/1.1 ",
            b"HTTP/1.0 ",
            b"\r\n",
            b": ",
            b"Content-Length",
            b"Transfer-Encoding",
            b"Connection",
            b"close",
            b"chunked",
            b"200",
            b"999999999999",
            b"\xff",
        ],
        "smtp_reply" => &[
            b"250-",
            b"250 ",
            b"\r\n",
            b"\n",
            b"220",
            b"5",
            b"-",
            b"\xc3\xa9",
        ],
        _ => &[b",", b"\x00", b"\xff", b"\xe2\x9c\x93"],
    }
}

/// A small fixed-seed generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// One to four mutations of `input`.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, corpus: &[Vec<u8>], tokens: &[&[u8]]) {
    for _ in 0..=rng.below(4) {
        let at = rng.below(input.len() + 1);
        match rng.below(7) {
            0 if !input.is_empty() => {
                let i = rng.below(input.len());
                input[i] ^= 1 << rng.below(8);
            }
            1 => input.insert(at, u8::try_from(rng.below(256)).unwrap_or(0)),
            2 | 3 => {
                let token = tokens[rng.below(tokens.len())];
                input.splice(at..at, token.iter().copied());
            }
            4 if !input.is_empty() => {
                let end = (at + 1 + rng.below(16)).min(input.len());
                input.drain(at.min(end)..end);
            }
            5 if !input.is_empty() => {
                let start = rng.below(input.len());
                let end = (start + 1 + rng.below(64)).min(input.len());
                let copy = input[start..end].to_vec();
                input.splice(at..at, copy);
            }
            _ => {
                let other = &corpus[rng.below(corpus.len())];
                let start = rng.below(other.len() + 1);
                input.truncate(at);
                input.extend_from_slice(&other[start..]);
            }
        }
    }
    input.truncate(MAX_LEN);
}

/// The files of `dir`, sorted (none if it does not exist).
fn inputs_in(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_none_or(|n| n != ".keep"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let data = std::fs::read(&p).expect("read a fuzz input");
            (p, data)
        })
        .collect()
}

/// What the watchdog watches: when the current input started (ms since the run began,
/// `u64::MAX`: none), and the input.
static STARTED_MS: AtomicU64 = AtomicU64::new(u64::MAX);
static CURRENT: Mutex<(String, Vec<u8>)> = Mutex::new((String::new(), Vec::new()));

fn watchdog(epoch: Instant) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            let started = STARTED_MS.load(Ordering::SeqCst);
            if started == u64::MAX {
                continue;
            }
            let now = u64::try_from(epoch.elapsed().as_millis()).unwrap_or(u64::MAX);
            if now.saturating_sub(started) > u64::try_from(HANG.as_millis()).unwrap_or(0) {
                let current = CURRENT
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                eprintln!(
                    "fuzz {}: an input ran longer than {HANG:?} (a hang): {:?}",
                    current.0,
                    String::from_utf8_lossy(&current.1)
                );
                let path = save_failure(&current.0, &current.1);
                eprintln!("saved as {}", path.display());
                std::process::abort();
            }
        }
    });
}

/// Writes a failing input under `target/fuzz-failures/`.
fn save_failure(target: &str, data: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/fuzz-failures")
        .join(target);
    let _ = std::fs::create_dir_all(&dir);
    let hash = data.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{hash:016x}"));
    let _ = std::fs::write(&path, data);
    path
}

/// Runs one input; whether it passed.
fn run_one(epoch: Instant, name: &str, target: fn(&[u8]), data: &[u8]) -> bool {
    {
        let mut current = CURRENT
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        current.0.clear();
        current.0.push_str(name);
        current.1.clear();
        current.1.extend_from_slice(data);
    }
    STARTED_MS.store(
        u64::try_from(epoch.elapsed().as_millis()).unwrap_or(0),
        Ordering::SeqCst,
    );
    let passed = catch_unwind(AssertUnwindSafe(|| target(data))).is_ok();
    STARTED_MS.store(u64::MAX, Ordering::SeqCst);
    if !passed {
        let path = save_failure(name, data);
        eprintln!(
            "fuzz {name}: input {:?} panicked; saved as {} (add it to tests/fuzz/regressions/{name}/ once fixed)",
            String::from_utf8_lossy(data),
            path.display()
        );
    }
    passed
}

fn main() -> ExitCode {
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let iterations = std::env::var("LOGKIT_FUZZ_ITERATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ITERATIONS);
    let seconds: Option<u64> = std::env::var("LOGKIT_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok());
    let seed: u64 = std::env::var("LOGKIT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed);
    // Configurations build handlers that open files: do it in a directory of its own.
    let work = std::env::temp_dir().join(format!("logkit-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("a work directory");
    std::env::set_current_dir(&work).expect("enter the work directory");
    // Reports of failing handlers and bad configurations are expected: keep stderr readable.
    logkit::set_raise_exceptions(false);
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::env::var_os("LOGKIT_FUZZ_VERBOSE").is_some() {
            default_hook(info);
        }
    }));
    let epoch = Instant::now();
    watchdog(epoch);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut failures = 0;
    for (name, target) in TARGETS {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        let regressions = inputs_in(&root.join("regressions").join(name));
        let seeds: Vec<Vec<u8>> = inputs_in(&root.join("seeds").join(name))
            .into_iter()
            .map(|(_, d)| d)
            .collect();
        assert!(!seeds.is_empty(), "no seeds for the fuzz target {name}");
        let mut failed = 0;
        for (_, data) in &regressions {
            failed += usize::from(!run_one(epoch, name, *target, data));
        }
        for data in &seeds {
            failed += usize::from(!run_one(epoch, name, *target, data));
        }
        let mut rng = Rng(seed
            ^ name
                .bytes()
                .fold(0_u64, |h, b| h.wrapping_mul(31) ^ u64::from(b))
            | 1);
        let started = Instant::now();
        let mut runs = 0_u64;
        let tokens = tokens(name);
        loop {
            let more = match seconds {
                Some(s) => started.elapsed() < Duration::from_secs(s),
                None => runs < iterations,
            };
            if !more || failed > 10 {
                break;
            }
            let mut input = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, &mut input, &seeds, tokens);
            failed += usize::from(!run_one(epoch, name, *target, &input));
            runs += 1;
        }
        println!(
            "fuzz {name}: {} regression inputs, {} seeds, {runs} mutated inputs in {:.1?}: {}",
            regressions.len(),
            seeds.len(),
            started.elapsed(),
            if failed == 0 { "ok" } else { "FAILED" }
        );
        failures += failed;
    }
    let _ = std::env::set_current_dir(std::env::temp_dir());
    let _ = std::fs::remove_dir_all(&work);
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("fuzz: {failures} failing inputs");
        ExitCode::FAILURE
    }
}
