//! The CPython conformance suite.
//!
//! Each behaviour is a small Python program, run with the machine's `python3`, and the
//! equivalent logkit code, run in a process of its own (logging state is per process). Both
//! run in an empty directory holding the same input files; their stdout, their stderr and
//! every file they leave behind are compared byte for byte, after normalising only what must
//! differ between two processes: the process id, the directory, timestamps (see
//! [`MASKS`]), and in `--- Logging error ---` reports the traceback frames, which are Python's
//! own (logkit names the Rust call site instead).
//!
//! Without `python3` the suite reports that it was skipped, unless `LOGKIT_REQUIRE_PYTHON=1`
//! (set by `scripts/test.sh`), which makes a missing interpreter a failure. A name given on
//! the command line runs only the cases whose names contain it; `LOGKIT_CONFORMANCE_VERBOSE=1`
//! also prints what both sides printed.

#[path = "conformance/cases.rs"]
mod cases;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, ExitCode, Output};

use cases::{CASES, Case};

/// The environment variable telling a child process which case's Rust side to run.
const CASE_ENV: &str = "LOGKIT_CONFORMANCE_CASE";

/// Timestamps, as shapes: `9` stands for a digit, `A` for an ASCII letter, anything else for
/// itself. Each match is replaced by `<time>`.
const MASKS: &[&str] = &[
    "9999-99-99 99:99:99,999", // the default asctime
    "99-AAA-99 99:99:99",      // `%d-%b-%y %H:%M:%S`, the tutorial's datefmt
    "99:99:99",                // `%H:%M:%S`
];

fn main() -> ExitCode {
    if let Ok(name) = std::env::var(CASE_ENV) {
        return run_rust_side(&name);
    }
    let filter = name_filter(std::env::args().skip(1));
    let Some(version) = python_version() else {
        if std::env::var("LOGKIT_REQUIRE_PYTHON").is_ok_and(|v| v == "1") {
            eprintln!("conformance: python3 is required (LOGKIT_REQUIRE_PYTHON=1) but not found");
            return ExitCode::FAILURE;
        }
        println!("conformance: python3 not found; CPython conformance skipped");
        return ExitCode::SUCCESS;
    };
    let verbose = std::env::var("LOGKIT_CONFORMANCE_VERBOSE").is_ok_and(|v| v == "1");
    let mut compared = 0;
    let mut differing = Vec::new();
    for case in CASES {
        if filter.as_deref().is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        compared += 1;
        match compare(case) {
            Ok(shown) => {
                println!("conformance {} ... ok", case.name);
                if verbose {
                    print!("{shown}");
                }
            }
            Err(report) => {
                println!("conformance {} ... DIFFERS\n{report}", case.name);
                differing.push(case.name);
            }
        }
    }
    println!(
        "\n{compared} behaviours compared against {version}, {} differ{}",
        differing.len(),
        if differing.is_empty() {
            String::new()
        } else {
            format!(": {}", differing.join(", "))
        }
    );
    if differing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The first free argument, skipping libtest's options (and the values of those that take
/// one), which `cargo test` passes to every test binary.
fn name_filter(args: impl Iterator<Item = String>) -> Option<String> {
    const WITH_VALUE: &[&str] = &[
        "--test-threads",
        "--skip",
        "--format",
        "--color",
        "--logfile",
        "-Z",
        "--shuffle-seed",
    ];
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        if WITH_VALUE.contains(&arg.as_str()) {
            args.next();
        } else if !arg.starts_with('-') {
            return Some(arg);
        }
    }
    None
}

/// Runs the Rust side of one case (in a child process), then shuts logging down as a
/// Python interpreter does at exit.
fn run_rust_side(name: &str) -> ExitCode {
    let Some(case) = CASES.iter().find(|c| c.name == name) else {
        eprintln!("conformance: no case named {name}");
        return ExitCode::FAILURE;
    };
    (case.rust)();
    logkit::shutdown();
    ExitCode::SUCCESS
}

/// `Python 3.11.7`, or `None` without an interpreter.
fn python_version() -> Option<String> {
    let out = Command::new("python3").arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .replace("Python", "CPython")
    })
}

/// What one side produced.
#[derive(Debug, PartialEq)]
struct Observed {
    status: Option<i32>,
    stdout: String,
    stderr: String,
    files: BTreeMap<String, String>,
}

/// Runs both sides; `Ok` with what both printed, or `Err` with the differences.
fn compare(case: &Case) -> Result<String, String> {
    let mut source = String::from("import io, json, logging, logging.config, os, sys\n");
    source.push_str(case.python);
    let python = run_side(
        case,
        "python",
        Command::new("python3").args(["-c", &source]),
    )?;
    let exe = std::env::current_exe().map_err(|e| format!("  no test binary path: {e}\n"))?;
    let rust = run_side(case, "rust", Command::new(exe).env(CASE_ENV, case.name))?;
    if python == rust {
        let mut shown = String::new();
        for (what, text) in [("stdout", &python.stdout), ("stderr", &python.stderr)]
            .into_iter()
            .chain(python.files.iter().map(|(n, t)| (n.as_str(), t)))
            .filter(|(name, text)| !case.files.contains(&(name, text.as_str())))
        {
            if !text.is_empty() {
                shown.push_str(&format!("  {what}:\n{}", indent(text)));
            }
        }
        return Ok(shown);
    }
    let mut report = String::new();
    if python.status != rust.status {
        report.push_str(&format!(
            "  exit status: CPython {:?}, logkit {:?}\n",
            python.status, rust.status
        ));
    }
    differences(&mut report, "stdout", &python.stdout, &rust.stdout);
    differences(&mut report, "stderr", &python.stderr, &rust.stderr);
    let names: BTreeSet<&String> = python.files.keys().chain(rust.files.keys()).collect();
    for name in names {
        let py = python.files.get(name).map_or("(absent)\n", String::as_str);
        let rs = rust.files.get(name).map_or("(absent)\n", String::as_str);
        differences(&mut report, &format!("file {name}"), py, rs);
    }
    Err(report)
}

fn differences(report: &mut String, what: &str, python: &str, rust: &str) {
    if python != rust {
        report.push_str(&format!(
            "  {what} differs\n  --- CPython\n{}  --- logkit\n{}",
            indent(python),
            indent(rust)
        ));
    }
}

fn indent(text: &str) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        out.push_str("    |");
        out.push_str(line);
    }
    if !text.is_empty() && !text.ends_with('\n') {
        out.push_str("(no final newline)\n");
    }
    out
}

/// Runs one side in a fresh directory holding the case's input files.
fn run_side(case: &Case, tag: &str, command: &mut Command) -> Result<Observed, String> {
    let dir = std::env::temp_dir().join(format!(
        "logkit-conformance-{}-{}-{tag}",
        std::process::id(),
        case.name
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("  cannot create {}: {e}\n", dir.display()))?;
    for (name, text) in case.files {
        std::fs::write(dir.join(name), text)
            .map_err(|e| format!("  cannot write {name}: {e}\n"))?;
    }
    let output = command
        .env_remove("LOGKIT_LEVEL")
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONIOENCODING", "utf-8")
        .env("TZ", "UTC")
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("  cannot run {tag}: {e}\n"))?;
    let observed = observe(&dir, &output);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(observed)
}

fn observe(dir: &Path, output: &Output) -> Observed {
    let pid = pid_of(&output.stdout);
    let clean = |text: &str| normalise(text, dir, pid.as_deref());
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .display()
                    .to_string();
                let bytes = std::fs::read(&path).unwrap_or_default();
                files.insert(rel, clean(&String::from_utf8_lossy(&bytes)));
            }
        }
    }
    Observed {
        status: output.status.code(),
        stdout: clean(&String::from_utf8_lossy(&output.stdout)),
        stderr: clean(&String::from_utf8_lossy(&output.stderr)),
        files,
    }
}

/// The child's pid: both sides print it, when a case needs it, on a first stdout line
/// `pid=N`, which is removed from the output.
fn pid_of(stdout: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("pid="))
        .map(str::to_owned)
}

fn normalise(text: &str, dir: &Path, pid: Option<&str>) -> String {
    let mut text = text.replace(&dir.display().to_string(), "<dir>");
    if let Some(pid) = pid {
        text = text
            .lines()
            .filter(|l| !l.starts_with("pid="))
            .map(|l| format!("{}\n", replace_number(l, pid, "<pid>")))
            .collect::<String>();
    }
    for mask in MASKS {
        text = replace_shape(&text, mask, "<time>");
    }
    strip_frames(&text)
}

/// Replaces `number` where it stands alone (not part of a longer run of digits).
fn replace_number(line: &str, number: &str, with: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(number) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + number.len()..].chars().next();
        let alone = !before.is_some_and(|c| c.is_ascii_digit())
            && !after.is_some_and(|c| c.is_ascii_digit());
        out.push_str(&rest[..at]);
        out.push_str(if alone { with } else { number });
        rest = &rest[at + number.len()..];
    }
    out.push_str(rest);
    out
}

/// Replaces every match of a shape (see [`MASKS`]).
fn replace_shape(text: &str, shape: &str, with: &str) -> String {
    let shape: Vec<char> = shape.chars().collect();
    let chars: Vec<char> = text.chars().collect();
    let fits = |at: usize| {
        at + shape.len() <= chars.len()
            && shape.iter().zip(&chars[at..]).all(|(s, c)| match s {
                '9' => c.is_ascii_digit(),
                'A' => c.is_ascii_alphabetic(),
                other => other == c,
            })
    };
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        if fits(i) {
            out.push_str(with);
            i += shape.len();
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// In `--- Logging error ---` reports, keeps what both implementations print — the marker,
/// the error itself (the last line of Python's traceback, logkit's first line), `Message:`
/// and `Arguments:` — and drops the frames: Python's traceback, its chained exceptions and
/// call stack, logkit's causes, handler, logger and Rust call site.
fn strip_frames(text: &str) -> String {
    #[derive(PartialEq)]
    enum State {
        Outside,
        Error,
        Stack,
    }
    let mut out = String::new();
    let mut state = State::Outside;
    let mut error_line: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body == "--- Logging error ---" {
            state = State::Error;
            error_line = None;
            out.push_str(line);
            continue;
        }
        if state == State::Error {
            let ends_error = ["Call stack:", "Handler: ", "Logger: ", "Message: "]
                .iter()
                .any(|p| body.starts_with(p));
            if !ends_error {
                let frame = body.is_empty()
                    || body.starts_with(' ')
                    || body.starts_with("Traceback (most recent call last):")
                    || body.starts_with("During handling of the above exception")
                    || body.starts_with("The above exception was the direct cause")
                    || body.starts_with("Caused by: ")
                    || body.starts_with('(');
                if !frame {
                    error_line = Some(line);
                }
                continue;
            }
            out.push_str(error_line.take().unwrap_or("(no error line)\n"));
            state = State::Stack;
        }
        if state == State::Stack {
            if body == "Call stack:" || body.starts_with("  ") {
                continue;
            }
            if body.starts_with("Handler: ") || body.starts_with("Logger: ") {
                continue;
            }
            if body.starts_with("Arguments: ") {
                state = State::Outside;
            }
        }
        out.push_str(line);
    }
    out
}
