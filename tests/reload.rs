//! `config::watch`: a configuration file applied again when it changes — under load with
//! nothing lost or duplicated and the new levels in force from the reload on, a broken file
//! kept out and reported once, editors' renames, symlink swaps, JSON and TOML, SIGHUP,
//! stopping, a file deleted and recreated — and handlers dropped by a reload closed only
//! once no record is still on its way to them. Each test runs in a process of its own,
//! since configuration is process-wide; waits are on the watch's counts, with deadlines.

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use logkit::config::{self, ClassArgs, ConfigValue, ConfigWatch, Trigger, Watch, WatchMethod};
use logkit::{Handler, HandlerCore, HandlerError, HandlerRef, Level, Record, get_logger, root};
use logkit_tests::{TempDir, child_stderr, isolated, temp_dir};

/// Long enough for any reload on a loaded machine; a passing test never waits this long.
const DEADLINE: Duration = Duration::from_secs(20);

/// A fileConfig file: root at DEBUG with one file handler at `handler_level`, `app` at
/// INFO, `app.db` at `db_level`. `tag` makes the content differ where levels do not.
fn ini(log: &Path, db_level: &str, handler_level: &str, tag: &str) -> String {
    format!(
        "# {tag}
[loggers]
keys=root,app,db

[handlers]
keys=file

[formatters]
keys=plain

[logger_root]
level=DEBUG
handlers=file

[logger_app]
level=INFO
handlers=
qualname=app

[logger_db]
level={db_level}
handlers=
qualname=app.db

[handler_file]
class=FileHandler
level={handler_level}
formatter=plain
args=('{}', 'a')

[formatter_plain]
format=%(name)s %(levelname)s %(message)s
",
        log.display()
    )
}

/// A fileConfig file with only root, at `level`, and no handler.
fn root_only(level: &str) -> String {
    format!(
        "[loggers]\nkeys=root\n[handlers]\nkeys=\n[formatters]\nkeys=\n\
         [logger_root]\nlevel={level}\nhandlers=\n"
    )
}

/// Writes `text` to `path` as editors do: to another file, then renamed over.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn level(name: &str) -> Level {
    name.parse().unwrap()
}

// === under load ===

/// What one thread logged: the record's number, which of the five kinds it is, the
/// reload count read before the call, and whether a newer file had been written by the
/// time the call returned (then either configuration may have handled it).
struct Logged {
    n: u32,
    kind: usize,
    generation: u64,
    straddles: bool,
}

/// The kinds of record each thread logs in turn.
const KINDS: [(&str, Level); 5] = [
    ("app.db", Level::DEBUG),
    ("app.db", Level::INFO),
    ("app.db", Level::WARNING),
    ("app", Level::DEBUG),
    ("app", Level::INFO),
];

#[test]
fn under_load_nothing_is_lost_or_duplicated_and_new_levels_hold_from_the_reload_on() {
    isolated(
        "under_load_nothing_is_lost_or_duplicated_and_new_levels_hold_from_the_reload_on",
        || {
            let dir = temp_dir("reload-load");
            let log = dir.join("out.log");
            let path = dir.join("logging.ini");
            // (app.db level, handler level) of each generation; the first is applied at start.
            let generations = [
                ("WARNING", "DEBUG"),
                ("DEBUG", "DEBUG"),
                ("DEBUG", "INFO"),
                ("WARNING", "INFO"),
                ("DEBUG", "DEBUG"),
                ("WARNING", "DEBUG"),
                ("DEBUG", "DEBUG"),
            ];
            std::fs::write(&path, ini(&log, "WARNING", "DEBUG", "1")).unwrap();
            let watch = Watch::new(&path)
                .settle(Duration::from_millis(20))
                .start()
                .unwrap();
            assert_eq!(watch.method(), WatchMethod::Inotify);
            let watch = Arc::new(watch);
            // The generation whose file has been written (1: applied at start).
            let written = Arc::new(AtomicU64::new(1));
            let done = Arc::new(AtomicBool::new(false));
            const THREADS: usize = 4;
            let progress: Arc<Vec<AtomicU64>> =
                Arc::new((0..THREADS).map(|_| AtomicU64::new(0)).collect());
            let workers: Vec<_> = (0..THREADS)
                .map(|t| {
                    let (watch, written, done, progress) = (
                        watch.clone(),
                        written.clone(),
                        done.clone(),
                        progress.clone(),
                    );
                    std::thread::spawn(move || {
                        let loggers = [get_logger("app.db"), get_logger("app")];
                        let mut logged = Vec::new();
                        let mut n: u32 = 0;
                        while !done.load(Ordering::SeqCst) {
                            let kind = n as usize % KINDS.len();
                            let (name, lvl) = KINDS[kind];
                            let generation = watch.reloads();
                            let logger = loggers[usize::from(name == "app")];
                            logger.log(lvl, "t%d n%d", &[t.into(), n.into()]);
                            let straddles = written.load(Ordering::SeqCst) > generation;
                            logged.push(Logged {
                                n,
                                kind,
                                generation,
                                straddles,
                            });
                            progress[t].store(generation, Ordering::SeqCst);
                            n += 1;
                            if n & 63 == 0 {
                                // Keep the file small; logging goes on through every reload.
                                std::thread::sleep(Duration::from_micros(200));
                            }
                        }
                        logged
                    })
                })
                .collect();
            for (i, (db, handler)) in generations.iter().enumerate().skip(1) {
                let g = i as u64 + 1;
                // Every thread has logged under the previous generation before the next.
                for p in progress.iter() {
                    let start = Instant::now();
                    while p.load(Ordering::SeqCst) < g - 1 {
                        assert!(start.elapsed() < DEADLINE, "a thread stopped logging");
                        std::thread::yield_now();
                    }
                }
                written.store(g, Ordering::SeqCst);
                std::fs::write(&path, ini(&log, db, handler, &g.to_string())).unwrap();
                assert!(
                    watch.wait_for_reload(g - 1, DEADLINE),
                    "generation {g} not applied: {:?}",
                    watch.stats()
                );
                assert_eq!(get_logger("app.db").level(), level(db));
            }
            for p in progress.iter() {
                let start = Instant::now();
                while p.load(Ordering::SeqCst) < generations.len() as u64 {
                    assert!(start.elapsed() < DEADLINE, "a thread stopped logging");
                    std::thread::yield_now();
                }
            }
            done.store(true, Ordering::SeqCst);
            let logged: Vec<Vec<Logged>> = workers.into_iter().map(|w| w.join().unwrap()).collect();
            let stats = watch.stats();
            assert_eq!(stats.applied, generations.len() as u64, "{stats:?}");
            assert_eq!(stats.failed, 0);
            drop(watch);
            logkit::shutdown();

            let text = std::fs::read_to_string(&log).unwrap();
            let mut seen: HashSet<(usize, u32)> = HashSet::new();
            for line in text.lines() {
                let mut parts = line.split(' ');
                let (Some(_), Some(_), Some(t), Some(n)) =
                    (parts.next(), parts.next(), parts.next(), parts.next())
                else {
                    panic!("malformed line {line:?}");
                };
                let t: usize = t[1..].parse().unwrap();
                let n: u32 = n[1..].parse().unwrap();
                assert!(seen.insert((t, n)), "record t{t} n{n} written twice");
            }
            let mut checked = 0;
            for (t, records) in logged.iter().enumerate() {
                for r in records {
                    let written = seen.contains(&(t, r.n));
                    if r.straddles {
                        continue;
                    }
                    let (db, handler) = generations[r.generation as usize - 1];
                    let (name, lvl) = KINDS[r.kind];
                    let logger_level = if name == "app" {
                        Level::INFO
                    } else {
                        level(db)
                    };
                    let passes = lvl >= logger_level && lvl >= level(handler);
                    assert_eq!(
                        written, passes,
                        "t{t} n{} ({name} {lvl:?}) under generation {} ({db}, handler {handler})",
                        r.n, r.generation
                    );
                    checked += 1;
                }
            }
            assert!(checked > 1000, "only {checked} records were checked");
        },
    );
}

// === a broken file ===

#[test]
fn child_a_broken_file_keeps_the_configuration_and_is_said_once() {
    if !logkit_tests::is_child() {
        return;
    }
    let dir = temp_dir("reload-broken");
    let path = dir.join("app.ini");
    std::fs::write(&path, root_only("WARNING")).unwrap();
    let mut watch = Watch::new(&path)
        .settle(Duration::from_millis(10))
        .start()
        .unwrap();
    assert_eq!(root().level(), Level::WARNING);

    // Line 8: an unknown level.
    let bad = root_only("LOUD");
    std::fs::write(&path, &bad).unwrap();
    assert!(watch.wait_until(DEADLINE, |s| s.failed == 1));
    assert_eq!(root().level(), Level::WARNING);
    // The same content again: not applied, not said again.
    std::fs::write(&path, &bad).unwrap();
    assert!(watch.wait_until(DEADLINE, |s| s.unchanged == 1));
    assert_eq!(watch.stats().failed, 1);
    // Another mistake (a handler class that does not exist) is said.
    std::fs::write(
        &path,
        "[loggers]\nkeys=root\n[handlers]\nkeys=h\n[formatters]\nkeys=\n\
         [logger_root]\nlevel=DEBUG\nhandlers=h\n[handler_h]\nclass=NoSuchHandler\nargs=()\n",
    )
    .unwrap();
    assert!(watch.wait_until(DEADLINE, |s| s.failed == 2));
    assert_eq!(root().level(), Level::WARNING);
    assert!(root().handlers().is_empty());
    // Fixed: applied, and the recovery said once.
    std::fs::write(&path, root_only("DEBUG")).unwrap();
    assert!(watch.wait_for_reload(1, DEADLINE));
    assert_eq!(root().level(), Level::DEBUG);
    watch.stop();
    eprintln!("PATH={}", path.display());
}

#[test]
fn a_broken_file_keeps_the_configuration_and_is_said_once() {
    let stderr = child_stderr("child_a_broken_file_keeps_the_configuration_and_is_said_once");
    let path = stderr
        .lines()
        .find_map(|l| l.strip_prefix("PATH="))
        .expect("the child names its file");
    assert_eq!(
        stderr.matches("--- Logging error ---").count(),
        2,
        "{stderr}"
    );
    let first = format!(
        "--- Logging error ---\nConfiguration not reloaded: {path}:8: [logger_root] level: \
         Unknown level: 'LOUD'\nThe configuration in force is kept; this is said again only \
         when '{path}' changes.\n"
    );
    assert!(stderr.contains(&first), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "Configuration not reloaded: {path}:10: [handler_h]"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("NoSuchHandler"), "{stderr}");
    assert_eq!(
        stderr
            .matches(&format!("logkit: reloaded '{path}'\n"))
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn a_file_that_does_not_apply_at_start_is_an_error_and_nothing_is_watched() {
    isolated(
        "a_file_that_does_not_apply_at_start_is_an_error_and_nothing_is_watched",
        || {
            let dir = temp_dir("reload-start");
            let path = dir.join("app.ini");
            std::fs::write(&path, root_only("LOUD")).unwrap();
            let err = config::watch(&path).unwrap_err().to_string();
            assert!(err.contains(":8: [logger_root] level"), "{err}");
            let err = config::watch(dir.join("app.yaml")).unwrap_err().to_string();
            assert!(err.contains("cannot tell the format"), "{err}");
            let err = config::watch(dir.join("missing.ini"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("missing.ini"), "{err}");
        },
    );
}

// === how files change ===

#[test]
fn an_editor_save_by_rename_is_applied() {
    isolated("an_editor_save_by_rename_is_applied", || {
        let dir = temp_dir("reload-rename");
        let path = dir.join("app.conf");
        std::fs::write(&path, root_only("ERROR")).unwrap();
        let watch = Watch::new(&path)
            .settle(Duration::from_millis(10))
            .start()
            .unwrap();
        for (i, lvl) in ["INFO", "CRITICAL", "DEBUG"].iter().enumerate() {
            save_by_rename(&path, &root_only(lvl));
            assert!(watch.wait_for_reload(i as u64 + 1, DEADLINE));
            assert_eq!(root().level(), level(lvl));
        }
    });
}

#[test]
fn a_symlink_swapped_as_kubernetes_does_is_applied() {
    isolated("a_symlink_swapped_as_kubernetes_does_is_applied", || {
        // dir/logging.ini -> ..data/logging.ini, ..data -> ..v1: the layout of a mounted
        // ConfigMap, updated by pointing ..data at a new directory.
        let dir = temp_dir("reload-k8s");
        let version = |n: u32, lvl: &str| {
            let v = dir.join(format!("..v{n}"));
            std::fs::create_dir(&v).unwrap();
            std::fs::write(v.join("logging.ini"), root_only(lvl)).unwrap();
            v
        };
        let v1 = version(1, "ERROR");
        std::os::unix::fs::symlink("..v1", dir.join("..data")).unwrap();
        std::os::unix::fs::symlink("..data/logging.ini", dir.join("logging.ini")).unwrap();
        let watch = Watch::new(dir.join("logging.ini"))
            .settle(Duration::from_millis(10))
            .start()
            .unwrap();
        assert_eq!(root().level(), Level::ERROR);
        version(2, "DEBUG");
        std::os::unix::fs::symlink("..v2", dir.join("..data_tmp")).unwrap();
        std::fs::rename(dir.join("..data_tmp"), dir.join("..data")).unwrap();
        std::fs::remove_dir_all(v1).unwrap();
        assert!(watch.wait_for_reload(1, DEADLINE));
        assert_eq!(root().level(), Level::DEBUG);
        // An edit in the target's own directory is seen too.
        std::fs::write(dir.join("..v2/logging.ini"), root_only("WARNING")).unwrap();
        assert!(watch.wait_for_reload(2, DEADLINE));
        assert_eq!(root().level(), Level::WARNING);
    });
}

#[test]
fn a_file_deleted_then_recreated_is_applied_and_the_gap_is_not_an_error() {
    isolated(
        "a_file_deleted_then_recreated_is_applied_and_the_gap_is_not_an_error",
        || {
            use std::io::Write as _;
            let dir = temp_dir("reload-delete");
            let path = dir.join("app.ini");
            std::fs::write(&path, root_only("ERROR")).unwrap();
            let watch = Watch::new(&path)
                .settle(Duration::from_millis(10))
                .start()
                .unwrap();
            // Gone, then back as it was: nothing to apply, nothing to say.
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, root_only("ERROR")).unwrap();
            assert!(watch.wait_until(DEADLINE, |s| s.unchanged >= 1));
            // Gone, then back changed: applied.
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, root_only("INFO")).unwrap();
            assert!(watch.wait_for_reload(1, DEADLINE));
            assert_eq!(root().level(), Level::INFO);
            // Gone, then written by a writer slower than the settling time (and ten times
            // it): the half written so far is not read; the whole file is, once closed.
            std::fs::remove_file(&path).unwrap();
            let text = root_only("DEBUG");
            let (first, rest) = text.split_at(text.len() / 2);
            let mut file = std::fs::File::create(&path).unwrap();
            file.write_all(first.as_bytes()).unwrap();
            std::thread::sleep(Duration::from_millis(200));
            file.write_all(rest.as_bytes()).unwrap();
            drop(file);
            assert!(watch.wait_for_reload(2, DEADLINE), "{:?}", watch.stats());
            assert_eq!(root().level(), Level::DEBUG);
            // Gone, then back as a hard link to a file written in full (`ln`): nothing is
            // writing it, so it is read within the settling time, not once the wait for a
            // writer's close (5 s) is over.
            std::fs::remove_file(&path).unwrap();
            let complete = dir.join("app.ini.v4");
            std::fs::write(&complete, root_only("WARNING")).unwrap();
            std::fs::hard_link(&complete, &path).unwrap();
            assert!(
                watch.wait_for_reload(3, Duration::from_secs(4)),
                "{:?}",
                watch.stats()
            );
            assert_eq!(root().level(), Level::WARNING);
            // The same, with the other name removed at once (`ln tmp f && rm tmp`), so that
            // the file has one name when the watcher looks: written a second before it was
            // linked, it is complete, and read within the settling time as well.
            std::fs::remove_file(&path).unwrap();
            let tmp = dir.join("app.ini.tmp");
            std::fs::write(&tmp, root_only("ERROR")).unwrap();
            let written = std::time::SystemTime::now() - Duration::from_secs(1);
            std::fs::File::options()
                .write(true)
                .open(&tmp)
                .and_then(|f| f.set_modified(written))
                .unwrap();
            std::fs::hard_link(&tmp, &path).unwrap();
            std::fs::remove_file(&tmp).unwrap();
            assert!(
                watch.wait_for_reload(4, Duration::from_secs(4)),
                "{:?}",
                watch.stats()
            );
            assert_eq!(root().level(), Level::ERROR);
            assert_eq!(watch.stats().failed, 0);
        },
    );
}

#[test]
fn child_a_directory_removed_and_made_again_is_checked_at_the_interval() {
    if !logkit_tests::is_child() {
        return;
    }
    let parent = temp_dir("reload-rmdir");
    let dir = parent.join("conf");
    std::fs::create_dir(&dir).unwrap();
    let path = dir.join("app.ini");
    std::fs::write(&path, root_only("ERROR")).unwrap();
    let watch = Watch::new(&path)
        .poll_interval(Duration::from_millis(20))
        .settle(Duration::from_millis(10))
        .start()
        .unwrap();
    assert_eq!(watch.method(), WatchMethod::Inotify);
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::create_dir(&dir).unwrap();
    // Whole at once: a check at an interval may find a file still being written.
    save_by_rename(&path, &root_only("INFO"));
    assert!(watch.wait_for_reload(1, DEADLINE), "{:?}", watch.stats());
    assert_eq!(root().level(), Level::INFO);
    assert_eq!(watch.stats().failed, 0);
}

#[test]
fn a_directory_removed_and_made_again_is_checked_at_the_interval() {
    let stderr =
        child_stderr("child_a_directory_removed_and_made_again_is_checked_at_the_interval");
    assert!(
        stderr.contains(
            "with inotify (its directory is no longer watched); checking it every 20ms instead\n"
        ),
        "{stderr}"
    );
}

/// A file holding `text` in a new directory named after `name` (removed with the guard
/// returned first), watched by checks every 20 ms (10 ms to settle), even where inotify is
/// available.
fn checked_at_an_interval(name: &str, text: &str) -> (TempDir, std::path::PathBuf, ConfigWatch) {
    let dir = temp_dir(name);
    let path = dir.join("app.ini");
    std::fs::write(&path, text).unwrap();
    let watch = Watch::new(&path)
        .polling(true)
        .poll_interval(Duration::from_millis(20))
        .settle(Duration::from_millis(10))
        .start()
        .unwrap();
    (dir, path, watch)
}

#[test]
fn checking_at_an_interval_sees_changes_too() {
    isolated("checking_at_an_interval_sees_changes_too", || {
        let (_dir, path, watch) = checked_at_an_interval("reload-poll", &root_only("ERROR"));
        assert_eq!(
            watch.method(),
            WatchMethod::Polling(Duration::from_millis(20))
        );
        std::fs::write(&path, root_only("INFO")).unwrap();
        assert!(watch.wait_for_reload(1, DEADLINE));
        assert_eq!(root().level(), Level::INFO);
        save_by_rename(&path, &root_only("DEBUG"));
        assert!(
            watch.wait_for_reload(2, DEADLINE),
            "{:?} {:?}",
            watch.stats(),
            std::fs::read_to_string(&path)
        );
        assert_eq!(root().level(), Level::DEBUG);
    });
}

#[test]
fn checking_at_an_interval_sees_a_rewrite_that_keeps_size_and_times() {
    isolated(
        "checking_at_an_interval_sees_a_rewrite_that_keeps_size_and_times",
        || {
            let (_dir, path, watch) =
                checked_at_an_interval("reload-poll-tick", &root_only("INFO"));
            std::fs::write(&path, root_only("ERROR")).unwrap();
            assert!(watch.wait_for_reload(1, DEADLINE), "{:?}", watch.stats());
            assert_eq!(root().level(), Level::ERROR);
            // The same content saved again, as a new file: an interval check sees it (and
            // notes the file as it is now), reads it, and finds nothing new.
            save_by_rename(&path, &root_only("ERROR"));
            assert!(watch.wait_until(DEADLINE, |s| s.unchanged >= 1));
            // Rewritten in place with the same size and its modification time put back:
            // what a second save shows within the timestamp tick of the first (a whole
            // second on some network filesystems), when only the content tells them apart.
            let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
            let file = std::fs::File::options().write(true).open(&path).unwrap();
            std::fs::write(&path, root_only("DEBUG")).unwrap();
            file.set_modified(modified).unwrap();
            assert!(watch.wait_for_reload(2, DEADLINE), "{:?}", watch.stats());
            assert_eq!(root().level(), Level::DEBUG);
        },
    );
}

#[test]
fn a_latin_1_file_is_read_in_its_encoding() {
    isolated("a_latin_1_file_is_read_in_its_encoding", || {
        let dir = temp_dir("reload-latin1");
        let path = dir.join("app.ini");
        // `é` as Latin-1 writes it: one byte, not UTF-8.
        let latin_1 = |level: &str| {
            let mut bytes = b"; r\xe9glages\n".to_vec();
            bytes.extend_from_slice(root_only(level).as_bytes());
            bytes
        };
        std::fs::write(&path, latin_1("ERROR")).unwrap();
        let err = Watch::new(&path).start().unwrap_err();
        assert!(err.to_string().contains("is not valid UTF-8"), "{err}");
        // An encoding logkit does not read: refused at start, even with nothing applied then.
        let err = Watch::new(&path)
            .encoding("cp1252")
            .apply_now(false)
            .start()
            .unwrap_err();
        assert!(
            err.to_string().contains("unsupported encoding 'cp1252'"),
            "{err}"
        );
        let watch = Watch::new(&path)
            .encoding("latin-1")
            .settle(Duration::from_millis(10))
            .start()
            .unwrap();
        assert_eq!(root().level(), Level::ERROR);
        std::fs::write(&path, latin_1("INFO")).unwrap();
        assert!(watch.wait_for_reload(1, DEADLINE), "{:?}", watch.stats());
        assert_eq!(root().level(), Level::INFO);
        assert_eq!(watch.stats().failed, 0);
    });
}

#[test]
fn json_and_toml_files_are_watched() {
    isolated("json_and_toml_files_are_watched", || {
        let dir = temp_dir("reload-dict");
        let json = dir.join("logging.json");
        let json_text = |lvl: &str| {
            format!(
                "{{\"version\": 1, \"loggers\": {{\"app\": {{\"level\": \"{lvl}\"}}}}, \
                 \"root\": {{\"level\": \"WARNING\"}}}}"
            )
        };
        std::fs::write(&json, json_text("ERROR")).unwrap();
        let mut watch = Watch::new(&json)
            .settle(Duration::from_millis(10))
            .start()
            .unwrap();
        assert_eq!(get_logger("app").level(), Level::ERROR);
        std::fs::write(&json, json_text("DEBUG")).unwrap();
        assert!(watch.wait_for_reload(1, DEADLINE));
        assert_eq!(get_logger("app").level(), Level::DEBUG);
        watch.stop();

        let toml = dir.join("logging.toml");
        let toml_text = |lvl: &str| {
            format!("version = 1\n[loggers.app]\nlevel = \"{lvl}\"\n[root]\nlevel = \"INFO\"\n")
        };
        std::fs::write(&toml, toml_text("CRITICAL")).unwrap();
        let watch = Watch::new(&toml)
            .settle(Duration::from_millis(10))
            .start()
            .unwrap();
        assert_eq!(get_logger("app").level(), Level::CRITICAL);
        // A syntax error: kept, with the line.
        std::fs::write(&toml, "version = 1\n[root\n").unwrap();
        assert!(watch.wait_until(DEADLINE, |s| s.failed == 1));
        assert_eq!(get_logger("app").level(), Level::CRITICAL);
        std::fs::write(&toml, toml_text("INFO")).unwrap();
        assert!(watch.wait_for_reload(1, DEADLINE));
        assert_eq!(get_logger("app").level(), Level::INFO);
    });
}

// === SIGHUP, the callback, stopping ===

#[test]
fn sighup_reapplies_the_file_when_asked() {
    isolated("sighup_reapplies_the_file_when_asked", || {
        let dir = temp_dir("reload-hup");
        let path = dir.join("app.ini");
        std::fs::write(&path, root_only("ERROR")).unwrap();
        let triggers = Arc::new(Mutex::new(Vec::new()));
        let seen = triggers.clone();
        let watch = Watch::new(&path)
            .sighup(true)
            .on_reload(move |r| seen.lock().unwrap().push((r.trigger(), r.is_applied())))
            .start()
            .unwrap();
        // Changed by hand, not in the file: SIGHUP puts the file's configuration back even
        // though the file has not changed.
        root().set_level(Level::DEBUG);
        let status = std::process::Command::new("kill")
            .args(["-HUP", &std::process::id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        assert!(watch.wait_for_reload(1, DEADLINE));
        assert_eq!(root().level(), Level::ERROR);
        assert_eq!(
            *triggers.lock().unwrap(),
            [(Trigger::Start, true), (Trigger::Signal, true)]
        );
    });
}

#[test]
fn child_a_panicking_callback_is_reported_and_watching_goes_on() {
    if !logkit_tests::is_child() {
        return;
    }
    let dir = temp_dir("reload-panic");
    let path = dir.join("app.ini");
    std::fs::write(&path, root_only("ERROR")).unwrap();
    let watch = Watch::new(&path)
        .settle(Duration::from_millis(10))
        .apply_now(false)
        .on_reload(|r| {
            if r.trigger() == Trigger::Changed && r.applied() == 1 {
                panic!("callback failed");
            }
        })
        .start()
        .unwrap();
    assert_eq!(watch.reloads(), 0);
    std::fs::write(&path, root_only("INFO")).unwrap();
    assert!(watch.wait_for_reload(0, DEADLINE));
    assert_eq!(root().level(), Level::INFO);
    std::fs::write(&path, root_only("DEBUG")).unwrap();
    assert!(watch.wait_for_reload(1, DEADLINE));
    assert_eq!(root().level(), Level::DEBUG);
}

#[test]
fn a_panicking_callback_is_reported_and_watching_goes_on() {
    let stderr = child_stderr("child_a_panicking_callback_is_reported_and_watching_goes_on");
    assert!(
        stderr.contains("Error: the on_reload callback of the watch of '")
            && stderr.contains("' panicked: callback failed\n"),
        "{stderr}"
    );
}

#[test]
fn stop_ends_the_thread_at_once_and_later_changes_are_not_applied() {
    isolated(
        "stop_ends_the_thread_at_once_and_later_changes_are_not_applied",
        || {
            let dir = temp_dir("reload-stop");
            let path = dir.join("app.ini");
            std::fs::write(&path, root_only("ERROR")).unwrap();
            for polling in [false, true] {
                let mut watch = Watch::new(&path)
                    .polling(polling)
                    .poll_interval(Duration::from_secs(3600))
                    .start()
                    .unwrap();
                let start = Instant::now();
                watch.stop();
                assert!(
                    start.elapsed() < Duration::from_secs(2),
                    "{:?}",
                    start.elapsed()
                );
                watch.stop();
                // The thread has ended (stop joined it): nothing can apply this.
                std::fs::write(&path, root_only("DEBUG")).unwrap();
                assert_eq!(watch.reloads(), 1);
                assert_eq!(root().level(), Level::ERROR);
                std::fs::write(&path, root_only("ERROR")).unwrap();
                drop(watch);
            }
        },
    );
}

// === closing what a reload dropped ===

static CLOSED: AtomicBool = AtomicBool::new(false);
static LOST: AtomicUsize = AtomicUsize::new(0);
static IN_EMIT: AtomicBool = AtomicBool::new(false);

/// A handler that, for the record "slow", waits in `emit` until a new configuration
/// without it is in force, and counts the record lost if it was closed meanwhile.
struct Slow {
    core: HandlerCore,
}

impl Handler for Slow {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        if record.message().template() != "slow" {
            return Ok(());
        }
        IN_EMIT.store(true, Ordering::SeqCst);
        let start = Instant::now();
        while root()
            .handlers()
            .iter()
            .any(|h| h.name().as_deref() == Some("slow"))
        {
            assert!(start.elapsed() < DEADLINE);
            std::thread::yield_now();
        }
        // A reload that closed this handler now would have done it by the time this
        // pause is over; the record is then lost.
        std::thread::sleep(Duration::from_millis(50));
        if CLOSED.load(Ordering::SeqCst) {
            LOST.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    fn close(&self) -> Result<(), HandlerError> {
        CLOSED.store(true, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn a_handler_dropped_by_a_reload_is_closed_after_the_records_on_their_way_to_it() {
    isolated(
        "a_handler_dropped_by_a_reload_is_closed_after_the_records_on_their_way_to_it",
        || {
            config::register_handler_class("tests.Slow", |args: ClassArgs| {
                args.bind(&[])?;
                Ok(Arc::new(Slow {
                    core: HandlerCore::new(),
                }) as HandlerRef)
            });
            let with = |handler: &str| {
                ConfigValue::from_python(&format!(
                    "{{'version': 1, 'handlers': {{'{handler}': {{'()': 'tests.Slow'}}}},
                      'root': {{'level': 'DEBUG', 'handlers': ['{handler}']}}}}"
                ))
                .unwrap()
            };
            config::dict_config(&with("slow")).unwrap();
            let logging = std::thread::spawn(|| root().log(Level::INFO, "slow", &[]));
            let start = Instant::now();
            while !IN_EMIT.load(Ordering::SeqCst) {
                assert!(start.elapsed() < DEADLINE);
                std::thread::yield_now();
            }
            let reloading = std::thread::spawn(move || config::dict_config(&with("next")).unwrap());
            logging.join().unwrap();
            reloading.join().unwrap();
            assert!(CLOSED.load(Ordering::SeqCst));
            assert_eq!(LOST.load(Ordering::SeqCst), 0);
        },
    );
}
