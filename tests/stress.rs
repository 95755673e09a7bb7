//! Bounded stress: a disk that fills and frees up, a stdout whose reader goes away, many
//! threads through a queue into rotating files. Every record is accounted for, each wait has
//! a deadline, and each test that changes process-wide state runs in a child process.
//!
//! The full-disk test mounts a 64 KiB tmpfs, so it needs root: it is ignored by plain
//! `cargo test` and run by `scripts/test.sh`.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use logkit::{FileHandler, Formatter, Handler, QueueHandler, RotatingFileHandler, get_logger};
use logkit_tests::{CHILD_ENV, TempDir, held_back_counts, is_child, temp_dir};

/// A tmpfs of `size` mounted on a fresh directory, unmounted and removed on drop.
struct SmallDisk {
    dir: TempDir,
}

impl SmallDisk {
    fn mount(size: &str) -> SmallDisk {
        let dir = temp_dir("small-disk");
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(&*dir)
            .status()
            .expect("run mount");
        assert!(
            status.success(),
            "mounting a {size} tmpfs on {} failed: this test needs root (scripts/test.sh runs it as CI does)",
            dir.display()
        );
        SmallDisk { dir }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Then the directory goes with its guard.
        let _ = Command::new("umount").arg(&*self.dir).status();
    }
}

/// `record NNNNN ` padded with `y` to 99 bytes (100 with the newline): records straddle
/// page boundaries, so the disk fills in the middle of one.
fn record_text(i: usize) -> String {
    format!("record {i:05} {}", "y".repeat(99 - 13))
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[test]
#[ignore = "mounts a tmpfs: needs root (scripts/test.sh)"]
fn a_full_disk_tears_no_record_and_logging_resumes_when_space_returns() {
    let disk = SmallDisk::mount("64k");
    let path = disk.dir.join("app.log");
    let handler = Arc::new(FileHandler::new(&path).unwrap());
    handler.set_formatter(Formatter::new("%(message)s").unwrap());
    let logger = get_logger("stress.full");
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&handler));
    logkit::set_raise_exceptions(false);
    // Half the disk taken by another file, then records until one does not fit whole.
    let filler = disk.dir.join("filler");
    std::fs::write(&filler, vec![b'#'; 32 * 1024]).unwrap();
    let mut i = 0;
    loop {
        let before = size(&path);
        logkit::error!(logger, "%s", record_text(i));
        i += 1;
        if size(&path) != before + 100 {
            break;
        }
        assert!(i < 1000, "the 64 KiB disk never filled");
    }
    let cut = i - 1;
    for _ in 0..20 {
        logkit::error!(logger, "%s", record_text(i));
        i += 1;
    }
    // Space comes back.
    std::fs::remove_file(&filler).unwrap();
    let resumed_from = i;
    for _ in 0..50 {
        logkit::error!(logger, "%s", record_text(i));
        i += 1;
    }
    handler.flush().unwrap();
    logger.remove_handler(&*handler);
    handler.close().unwrap();
    logkit::set_raise_exceptions(true);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Before the disk filled: every record whole, in order.
    let whole: Vec<String> = (0..cut).map(record_text).collect();
    assert_eq!(lines[..cut], whole, "before the disk filled");
    // Then the record cut short (the disk's last page held part of it), on its own line.
    let cut_line = lines[cut];
    assert!(
        !cut_line.is_empty() && cut_line.len() < 99 && record_text(cut).starts_with(cut_line),
        "{cut_line:?} is not the start of record {cut}"
    );
    let rest = &lines[cut + 1..];
    // Every record logged once space came back, whole and alone on its line.
    let tail: Vec<String> = (resumed_from..i).map(record_text).collect();
    assert_eq!(rest, tail, "after space came back");
}

#[test]
fn child_logs_to_a_closed_stdout() {
    if !is_child() {
        return;
    }
    let logger = get_logger("stress.pipe");
    logger.set_propagate(false);
    logger.add_handler(logkit::StreamHandler::stdout());
    // Told to go on (stdin closed) once the parent closed its end of stdout: every write
    // fails with EPIPE (Rust ignores SIGPIPE).
    eprintln!("ready");
    let _ = std::io::stdin().lines().count();
    for i in 0..500 {
        logkit::error!(logger, "record %d", i);
    }
}

#[test]
fn a_closed_stdout_pipe_is_reported_counted_and_the_process_ends_normally() {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "child_logs_to_a_closed_stdout",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut errors = BufReader::new(child.stderr.take().unwrap());
    let mut ready = String::new();
    while ready.trim_end() != "ready" {
        ready.clear();
        assert!(
            errors.read_line(&mut ready).unwrap() > 0,
            "the child ended first"
        );
    }
    drop(child.stdout.take());
    drop(child.stdin.take());
    let mut stderr = String::new();
    errors.read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    // libtest's own report goes to the closed stdout too; the test itself passed if the
    // reports below were all printed, which happens only after the last record.
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
    let shown = stderr.matches("OSError: Broken pipe").count() as u64;
    let held_back: u64 = held_back_counts(&stderr).iter().sum();
    assert!(shown >= 1, "{stderr}");
    assert_eq!(shown + held_back, 500, "{stderr}");
}

const THREADS: usize = 8;
const PER_THREAD: usize = 20_000;

#[test]
fn child_many_threads_through_a_queue_into_rotating_files() {
    if !is_child() {
        return;
    }
    let dir = PathBuf::from(std::env::var("STRESS_DIR").unwrap());
    let path = dir.join("app.log");
    // Enough backups that no record is rotated away.
    let rotating = RotatingFileHandler::new(&path, 200 * 1024, 200).unwrap();
    rotating.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    let queue = QueueHandler::builder()
        .handler(rotating)
        .capacity(1024)
        .start()
        .unwrap();
    let logger = get_logger("stress.queue");
    logger.set_level(logkit::Level::INFO);
    logger.set_propagate(false);
    logger.add_handler(Arc::clone(&queue));
    std::thread::scope(|s| {
        for t in 0..THREADS {
            std::thread::Builder::new()
                .name(format!("t{t}"))
                .spawn_scoped(s, move || {
                    for i in 0..PER_THREAD {
                        logkit::info!(logger, "record %d of %d", i, t);
                    }
                })
                .unwrap();
        }
    });
    queue.flush().unwrap();
}

#[test]
fn many_threads_through_a_queue_into_rotating_files_arrive_exactly_once_in_order() {
    let dir = temp_dir("stress-queue");
    {
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "child_many_threads_through_a_queue_into_rotating_files",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, "1")
            .env("STRESS_DIR", &*dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Oldest backup first, the current file last.
    let mut files: Vec<(u32, PathBuf)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let suffix = p.extension().and_then(|e| e.to_str()).unwrap_or("");
            (suffix.parse().unwrap_or(0), p)
        })
        .collect();
    files.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    assert!(files.len() > 2, "no rotation happened: {files:?}");
    let mut next = [0_usize; THREADS];
    let mut total = 0;
    for (_, file) in &files {
        for line in std::fs::read_to_string(file).unwrap().lines() {
            let (thread, message) = line.split_once(' ').unwrap();
            let t: usize = thread[1..].parse().unwrap();
            assert_eq!(message, format!("record {} of {t}", next[t]), "in {file:?}");
            next[t] += 1;
            total += 1;
        }
    }
    assert_eq!(next, [PER_THREAD; THREADS]);
    assert_eq!(total, THREADS * PER_THREAD);
    let _ = std::fs::remove_dir_all(&dir);
}
