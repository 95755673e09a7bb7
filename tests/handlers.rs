//! The built-in handlers: `FileHandler` modes, `delay`, closing and reopening, errors that
//! name the file, many threads writing whole lines; `StreamHandler` to stdout and its
//! terminator; a failing destination reported without losing the other handlers' records.

use std::sync::Arc;

use logkit::{
    Capture, FileHandler, FileMode, Formatter, Handler, Level, StreamHandler, get_logger,
};
use logkit_tests::{child_stderr, is_child, run_child, temp_dir};

#[test]
fn append_mode_keeps_what_is_there_and_write_mode_starts_empty() {
    let dir = temp_dir("modes");
    let path = dir.join("app.log");
    std::fs::write(&path, "before\n").unwrap();

    let l = get_logger("files.append");
    l.add_handler(FileHandler::new(&path).unwrap());
    l.log(Level::WARNING, "appended", &[]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "before\nappended\n"
    );

    let l = get_logger("files.write");
    l.add_handler(
        FileHandler::options(&path)
            .mode(FileMode::Write)
            .open()
            .unwrap(),
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "", "opened empty");
    l.log(Level::WARNING, "fresh", &[]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "fresh\n");
}

#[test]
fn delay_opens_the_file_at_the_first_record() {
    let dir = temp_dir("delay");
    let path = dir.join("late.log");
    let h = FileHandler::options(&path).delay(true).open().unwrap();
    assert!(!path.exists());
    assert!(h.path().is_absolute());
    let l = get_logger("files.delay");
    l.add_handler(h);
    l.log(Level::ERROR, "now", &[]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "now\n");
}

#[test]
fn a_closed_append_handler_reopens_and_a_closed_write_handler_drops() {
    let dir = temp_dir("close");
    let a_path = dir.join("a.log");
    let w_path = dir.join("w.log");
    let a = Arc::new(FileHandler::new(&a_path).unwrap());
    let w = Arc::new(
        FileHandler::options(&w_path)
            .mode(FileMode::Write)
            .open()
            .unwrap(),
    );
    let l = get_logger("files.close");
    l.add_handler(a.clone());
    l.add_handler(w.clone());
    l.log(Level::WARNING, "one", &[]);
    a.close().unwrap();
    w.close().unwrap();
    l.log(Level::WARNING, "two", &[]);
    assert_eq!(std::fs::read_to_string(&a_path).unwrap(), "one\ntwo\n");
    assert_eq!(std::fs::read_to_string(&w_path).unwrap(), "one\n");
}

#[test]
fn errors_name_the_file_and_the_reason() {
    let dir = temp_dir("errors");
    let missing = dir.join("no/such/dir/app.log");
    let err = FileHandler::new(&missing).unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&missing.display().to_string()), "{text}");
    assert!(text.contains("No such file or directory"), "{text}");
    assert!(
        text.starts_with("cannot open log file (mode 'a')"),
        "{text}"
    );

    let err = FileHandler::options(dir.join("x.log"))
        .encoding("cp1252")
        .open()
        .unwrap_err()
        .to_string();
    assert!(err.contains("x.log"), "{err}");
    assert!(err.ends_with("unknown encoding: cp1252"), "{err}");
    assert!(
        FileHandler::options(dir.join("x.log"))
            .encoding("UTF_8")
            .open()
            .is_ok()
    );
    assert_eq!(
        FileMode::from_python("r").unwrap_err().to_string(),
        "invalid file mode 'r': use 'a' (append) or 'w' (truncate)"
    );
}

#[test]
fn many_threads_write_whole_lines_and_lose_none() {
    let dir = temp_dir("threads");
    let path = dir.join("mt.log");
    let h = FileHandler::new(&path).unwrap();
    h.set_formatter(Formatter::new("%(threadName)s %(message)s").unwrap());
    let l = get_logger("files.threads");
    l.add_handler(h);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            std::thread::Builder::new()
                .name(format!("w{t}"))
                .spawn(move || {
                    for i in 0..5_000 {
                        logkit::warning!(l, "record %d %s", i, "x".repeat(100));
                    }
                })
                .unwrap()
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap();
    let mut seen = std::collections::HashSet::new();
    for line in text.lines() {
        let (thread, rest) = line.split_once(' ').unwrap();
        let (n, pad) = rest.trim_start_matches("record ").split_once(' ').unwrap();
        assert_eq!(pad, "x".repeat(100), "torn line: {line}");
        assert!(
            seen.insert((thread.to_owned(), n.parse::<u32>().unwrap())),
            "dup: {line}"
        );
    }
    assert_eq!(seen.len(), 20_000);
}

#[test]
fn the_terminator_can_be_changed() {
    let out = Capture::new();
    let h = StreamHandler::new(out.clone());
    h.set_terminator(" | ");
    let l = get_logger("stream.terminator");
    l.add_handler(h);
    l.log(Level::WARNING, "a", &[]);
    l.log(Level::WARNING, "b", &[]);
    assert_eq!(out.contents(), "a | b | ");
}

#[test]
fn child_stdout_handler_writes_to_stdout() {
    if !is_child() {
        return;
    }
    let l = get_logger("stream.stdout");
    let h = StreamHandler::stdout();
    h.set_formatter(Formatter::new("[[%(levelname)s %(message)s]]").unwrap());
    l.add_handler(h);
    l.log(Level::WARNING, "to stdout", &[]);
}

#[test]
fn stdout_handler_writes_to_stdout() {
    let out = run_child("child_stdout_handler_writes_to_stdout");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[[WARNING to stdout]]\n"), "{stdout}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("to stdout"));
}

#[test]
fn child_a_full_disk_is_reported_and_other_handlers_still_log() {
    if !is_child() {
        return;
    }
    let l = get_logger("files.full");
    l.add_handler(FileHandler::new("/dev/full").unwrap());
    let out = Capture::new();
    l.add_handler(StreamHandler::new(out.clone()));
    l.log(Level::ERROR, "first", &[]);
    l.log(Level::ERROR, "second", &[]);
    assert_eq!(out.lines(), ["first", "second"]);
}

#[test]
fn a_full_disk_is_reported_and_other_handlers_still_log() {
    let stderr = child_stderr("child_a_full_disk_is_reported_and_other_handlers_still_log");
    assert_eq!(
        stderr.matches("--- Logging error ---").count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("OSError: No space left on device (os error 28)\nHandler: FileHandler\n"),
        "{stderr}"
    );
}

#[test]
fn handlers_as_loggers_hold_them_take_every_call_and_read_back() {
    let dir = logkit_tests::temp_dir("held");
    let logger = logkit::get_logger("held");
    logger.set_propagate(false);
    logger.add_handler(logkit::FileHandler::new(dir.join("app.log")).unwrap());
    logger.add_handler(logkit::StreamHandler::stdout());
    let held = logger.handlers();
    // What Python code does with `logger.handlers[0]`.
    held[0].set_formatter(logkit::Formatter::new("%(levelname)s|%(message)s").unwrap());
    held[0].add_filter(|r: &mut logkit::Record<'_>| r.level() >= logkit::Level::ERROR);
    held[0].set_level(logkit::Level::WARNING);
    assert_eq!(
        held[0]
            .formatter()
            .and_then(|f| f.template().map(str::to_owned)),
        Some("%(levelname)s|%(message)s".to_owned())
    );
    assert_eq!(held[0].filters().len(), 1);
    let path = dir.join("app.log");
    assert_eq!(held[0].destination(), Some(path.display().to_string()));
    assert_eq!(
        format!("{:?}", &*held[0]),
        format!("<FileHandler {} (WARNING)>", path.display())
    );
    assert_eq!(
        format!("{:?}", &*held[1]),
        "<StreamHandler <stdout> (NOTSET)>"
    );
    held[1].set_level(logkit::Level::CRITICAL);
    logkit::warning!(logger, "filtered out");
    logkit::error!(logger, "kept");
    held[0].flush().unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "ERROR|kept\n");
    // The same handler taken off again by the reference loggers hold.
    logger.remove_handler(&*held[0]);
    assert_eq!(logger.handlers().len(), 1);
}
