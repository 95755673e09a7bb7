//! `file_config`, `dict_config` and `LOGKIT_LEVEL`: CPython's semantics, a configuration
//! installed whole or not at all, errors that say where, and reloads under load. Each test
//! runs in a process of its own, since configuration is process-wide.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use logkit::config::{self, ClassArgs, ConfigValue, FileConfig};
use logkit::{
    Handler, HandlerCore, HandlerError, HandlerRef, Level, Logger, Record, Value, get_logger, root,
};
use logkit_tests::{isolated, isolated_env, temp_dir};

const SEED_INI: &str = include_str!("../examples/logging.ini");

fn handler_names(logger: Logger) -> Vec<String> {
    logger
        .handlers()
        .iter()
        .map(|h| h.name().map(|n| n.to_string()).unwrap_or_default())
        .collect()
}

#[test]
fn the_seed_articles_ini_configures_root_and_sample_logger() {
    isolated(
        "the_seed_articles_ini_configures_root_and_sample_logger",
        || {
            FileConfig::from_text("logging.ini", SEED_INI)
                .apply()
                .unwrap();
            let sample = get_logger("sampleLogger");
            assert_eq!(root().level(), Level::DEBUG);
            assert_eq!(sample.level(), Level::DEBUG);
            assert!(!sample.propagate());
            assert_eq!(handler_names(root()), ["consoleHandler"]);
            assert_eq!(handler_names(sample), ["consoleHandler"]);
            // One handler object, shared by both loggers, as in CPython.
            assert!(Arc::ptr_eq(&root().handlers()[0], &sample.handlers()[0]));
            assert_eq!(sample.handlers()[0].level(), Level::DEBUG);
        },
    );
}

#[test]
fn a_file_handler_with_defaults_interpolation_and_kwargs() {
    isolated(
        "a_file_handler_with_defaults_interpolation_and_kwargs",
        || {
            let dir = temp_dir("ini-file");
            let ini = "\
[loggers]
keys=root,app

[handlers]
keys=file

[formatters]
keys=plain

[logger_root]
handlers=

[logger_app]
level=INFO
handlers=file
qualname=%(appname)s.web

[handler_file]
class=logging.FileHandler
formatter=plain
args=('%(logdir)s/' 'app.log',)
kwargs={'mode': 'w', 'encoding': 'utf-8'}

[formatter_plain]
format=%(name)s|%(levelname)-8s|%(message)s
";
            FileConfig::from_text("app.ini", ini)
                .defaults([("logdir", dir.to_str().unwrap()), ("appname", "shop")])
                .apply()
                .unwrap();
            let web = get_logger("shop.web");
            web.log(Level::DEBUG, "dropped", &[]);
            web.log(Level::WARNING, "%d%% full", &[Value::from(93)]);
            logkit::shutdown();
            let text = std::fs::read_to_string(dir.join("app.log")).unwrap();
            assert_eq!(text, "shop.web|WARNING |93% full\n");
        },
    );
}

#[test]
fn existing_loggers_are_disabled_except_configured_ones_and_their_children() {
    isolated(
        "existing_loggers_are_disabled_except_configured_ones_and_their_children",
        || {
            let child = get_logger("app.web.child");
            child.set_level(Level::ERROR);
            child.set_propagate(false);
            child.add_handler(logkit::NullHandler::new());
            let other = get_logger("other");
            let hyphen = get_logger("app-hyphen");
            let ini = "\
[loggers]
keys=root,web
[handlers]
keys=
[formatters]
keys=
[logger_root]
handlers=
[logger_web]
handlers=
qualname=app.web
";
            FileConfig::from_text("x.ini", ini).apply().unwrap();
            // The configured logger's descendants are reset, not disabled.
            assert!(!child.disabled());
            assert_eq!(child.level(), Level::NOTSET);
            assert!(child.propagate());
            assert!(child.handlers().is_empty());
            // Everything else that existed is disabled; `app-hyphen` is not below `app.web`.
            assert!(other.disabled());
            assert!(hyphen.disabled());
            assert!(!get_logger("app.web").disabled());
            // A logger created afterwards works.
            assert!(!get_logger("late").disabled());

            // With disable_existing_loggers=false, a disabled logger is enabled again.
            FileConfig::from_text("x.ini", ini)
                .disable_existing_loggers(false)
                .apply()
                .unwrap();
            assert!(!other.disabled());
        },
    );
}

/// A good configuration writing to `dir/good.log`, used as the one in force.
fn good_ini(dir: &std::path::Path) -> String {
    format!(
        "\
[loggers]
keys=root,db
[handlers]
keys=file
[formatters]
keys=f
[logger_root]
level=WARNING
handlers=file
[logger_db]
level=INFO
handlers=
qualname=app.db
[handler_file]
class=FileHandler
formatter=f
args=('{}/good.log',)
[formatter_f]
format=%(name)s:%(message)s
",
        dir.display()
    )
}

/// What must not change when a configuration fails.
struct Snapshot {
    root_level: Level,
    db_level: Level,
    root_handlers: Vec<HandlerRef>,
}

fn snapshot() -> Snapshot {
    Snapshot {
        root_level: root().level(),
        db_level: get_logger("app.db").level(),
        root_handlers: root().handlers(),
    }
}

fn assert_unchanged(before: &Snapshot, case: &str) {
    let now = snapshot();
    assert_eq!(
        now.root_level, before.root_level,
        "{case}: root level changed"
    );
    assert_eq!(
        now.db_level, before.db_level,
        "{case}: app.db level changed"
    );
    assert_eq!(
        now.root_handlers.len(),
        before.root_handlers.len(),
        "{case}"
    );
    for (a, b) in now.root_handlers.iter().zip(&before.root_handlers) {
        assert!(Arc::ptr_eq(a, b), "{case}: root handlers replaced");
    }
}

/// Malformed INI inputs: (what is wrong, the file, fragments the error must contain).
fn malformed_ini_cases(dir: &std::path::Path) -> Vec<(&'static str, String, Vec<String>)> {
    let good = good_ini(dir);
    let replace = |from: &str, to: &str| {
        assert!(good.contains(from), "{from}");
        good.replacen(from, to, 1)
    };
    let d = dir.display();
    vec![
        ("no [formatters] section", replace("[formatters]\nkeys=f\n", ""), vec!["bad.ini: missing section [formatters]".into()]),
        ("a line that is not key=value", replace("[logger_db]\n", "[logger_db]\nlevel INFO\n"), vec!["bad.ini:11:".into(), "\"level INFO\" is not `key = value`".into()]),
        ("a repeated option", replace("level=INFO\n", "level=INFO\nLevel=DEBUG\n"), vec!["bad.ini:12:".into(), "option 'level' in section [logger_db] already exists".into()]),
        ("an unknown level name", replace("level=INFO", "level=LOUD"), vec!["bad.ini:11: [logger_db] level: Unknown level: 'LOUD'".into()]),
        ("a numeric level (names only in fileConfig)", replace("level=INFO", "level=20"), vec!["[logger_db] level: Unknown level: '20'".into()]),
        ("root missing from keys", replace("keys=root,db", "keys=db"), vec!["[loggers] keys: the list must contain root".into()]),
        ("a logger without qualname", replace("qualname=app.db\n", ""), vec!["[logger_db]: missing key 'qualname'".into()]),
        ("a logger without handlers", replace("level=INFO\nhandlers=\n", "level=INFO\n"), vec!["[logger_db]: missing key 'handlers'".into()]),
        ("an undefined formatter", replace("formatter=f", "formatter=fancy"), vec!["bad.ini:16: [handler_file] formatter: formatter 'fancy' is not defined in [formatters] keys".into()]),
        ("an undefined handler", replace("handlers=file", "handlers=file,console"), vec!["[logger_root] handlers: handler 'console' is not defined in [handlers] keys".into()]),
        ("an unknown handler class", replace("class=FileHandler", "class=mypkg.Handler"), vec!["[handler_file]".into(), "unknown handler class 'mypkg.Handler'".into()]),
        ("a CPython class logkit does not have", replace("class=FileHandler", "class=handlers.NTEventLogHandler"), vec!["handler class 'handlers.NTEventLogHandler' is not available in logkit yet".into()]),
        ("args that are not a tuple", replace(&format!("args=('{d}/good.log',)"), &format!("args=('{d}/good.log')")), vec!["[handler_file] args: args must be a tuple".into(), "needs a comma".into()]),
        ("args that do not parse", replace(&format!("args=('{d}/good.log',)"), &format!("args=('{d}/good.log',")), vec!["[handler_file] args: expected a value, found the end".into()]),
        ("a call in args", replace(&format!("args=('{d}/good.log',)"), "args=(open('x'),)"), vec!["does not call functions".into()]),
        ("a bare % in an interpolated value", replace(&format!("args=('{d}/good.log',)"), "args=('50%.log',)"), vec!["[handler_file] args: '%' must be followed by '%' or '('".into()]),
        ("propagate that is not an integer", replace("qualname=app.db", "qualname=app.db\npropagate=False"), vec!["[logger_db] propagate: invalid literal for int(): \"False\"".into()]),
        ("a file in a missing directory", replace(&format!("args=('{d}/good.log',)"), &format!("args=('{d}/missing/x.log',)")), vec!["[handler_file]".into(), "missing/x.log".into(), "No such file or directory".into()]),
        ("a malformed format template", replace("format=%(name)s:%(message)s", "format=%(name)s:%(message)Z"), vec!["[formatter_f]".into(), "%(message)Z".into()]),
        ("too many arguments", replace(&format!("args=('{d}/good.log',)"), &format!("args=('{d}/good.log', 'a', None, False, None, 1)")), vec!["FileHandler() takes at most 5 arguments".into()]),
        ("an unknown keyword argument", replace("formatter=f\n", "formatter=f\nkwargs={'colour': True}\n"), vec!["FileHandler() got an unexpected keyword argument 'colour'".into()]),
        ("a bad file mode", replace(&format!("args=('{d}/good.log',)"), &format!("args=('{d}/good.log', 'x+')")), vec!["[handler_file]".into(), "x+".into()]),
    ]
}

#[test]
fn malformed_ini_files_give_clear_errors_and_leave_the_old_configuration() {
    isolated(
        "malformed_ini_files_give_clear_errors_and_leave_the_old_configuration",
        || {
            let dir = temp_dir("ini-bad");
            FileConfig::from_text("good.ini", &good_ini(&dir))
                .apply()
                .unwrap();
            let before = snapshot();
            let cases = malformed_ini_cases(&dir);
            assert!(cases.len() >= 15);
            for (i, (case, text, expected)) in cases.iter().enumerate() {
                let err = FileConfig::from_text("bad.ini", text)
                    .apply()
                    .expect_err(case)
                    .to_string();
                for fragment in expected {
                    assert!(
                        err.contains(fragment.as_str()),
                        "{case}: {err:?} lacks {fragment:?}"
                    );
                }
                assert_unchanged(&before, case);
                get_logger("app.db").log(Level::WARNING, "after case %d", &[Value::from(i)]);
            }
            // A missing file names the file.
            let err = config::file_config(dir.join("nope.ini"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("nope.ini") && err.contains("No such file"),
                "{err}"
            );
            assert_unchanged(&before, "missing file");
            logkit::shutdown();
            // Logging went on through the old configuration after every failure.
            let log = std::fs::read_to_string(dir.join("good.log")).unwrap();
            assert_eq!(log.lines().count(), cases.len(), "{log}");
            assert!(log.starts_with("app.db:after case 0\n"), "{log}");
        },
    );
}

/// Malformed dictConfig inputs, in Python literal form.
const MALFORMED_DICTS: &[(&str, &str, &[&str])] = &[
    (
        "no version",
        "{'root': {}}",
        &["dictConfig: dictionary doesn't specify a version"],
    ),
    (
        "version 2",
        "{'version': 2}",
        &["dictConfig: version: Unsupported version: 2"],
    ),
    ("not a dictionary", "[1]", &["must be a dictionary"]),
    (
        "a handler without class",
        "{'version': 1, 'handlers': {'h': {'level': 'INFO'}}}",
        &["dictConfig: handlers.h: missing 'class'"],
    ),
    (
        "an unknown level",
        "{'version': 1, 'loggers': {'app.db': {'level': 'LOUD'}}}",
        &["dictConfig: loggers.app.db.level: Unknown level: 'LOUD'"],
    ),
    (
        "a level of the wrong type",
        "{'version': 1, 'root': {'level': [10]}}",
        &["root.level: a level must be a name or a number"],
    ),
    (
        "an undefined formatter",
        "{'version': 1, 'handlers': {'h': {'class': 'NullHandler', 'formatter': 'x'}}}",
        &["dictConfig: handlers.h.formatter: formatter 'x' is not defined in formatters"],
    ),
    (
        "an undefined handler",
        "{'version': 1, 'root': {'handlers': ['h']}}",
        &["dictConfig: root.handlers[0]: handler 'h' is not defined in handlers"],
    ),
    (
        "an undefined filter",
        "{'version': 1, 'loggers': {'a': {'filters': ['f']}}}",
        &["loggers.a.filters[0]: filter 'f' is not defined in filters"],
    ),
    (
        "handlers that are not a dictionary",
        "{'version': 1, 'handlers': ['h']}",
        &["dictConfig: handlers: expected a dictionary"],
    ),
    (
        "an unresolvable cfg:// reference",
        "{'version': 1, 'root': {'level': 'cfg://levels.app'}}",
        &["root.level: cannot resolve \"cfg://levels.app\": no key 'levels'"],
    ),
    (
        "an unknown stream",
        "{'version': 1, 'handlers': {'h': {'class': 'StreamHandler', 'stream': 'ext://sys.stdin'}}}",
        &["dictConfig: handlers.h: StreamHandler(): stream must be sys.stdout or sys.stderr"],
    ),
    (
        "a bad formatter style",
        "{'version': 1, 'formatters': {'f': {'format': 'x', 'style': '#'}}}",
        &["dictConfig: formatters.f: \"#\" is not a style: Style must be one of: %,{,$"],
    ),
    (
        "a template that does not match its style",
        "{'version': 1, 'formatters': {'f': {'format': '%(message)s', 'style': '{'}}}",
        &["formatters.f"],
    ),
    (
        "incremental with an unknown handler",
        "{'version': 1, 'incremental': True, 'handlers': {'zz': {'level': 'INFO'}}}",
        &["handlers.zz: No handler found with name 'zz'"],
    ),
    (
        "propagate whose truth cannot be told (a name)",
        "{'version': 1, 'loggers': {'a': {'propagate': sys.stdout}}}",
        &["loggers.a.propagate: expected true or false"],
    ),
    (
        "attribute setting with '.'",
        "{'version': 1, 'handlers': {'h': {'class': 'NullHandler', '.': {'x': 1}}}}",
        &["handlers.h..: setting attributes with '.' is not supported"],
    ),
    (
        "an unknown filter factory",
        "{'version': 1, 'filters': {'f': {'()': 'my.Filter'}}}",
        &["dictConfig: filters.f: unknown filter class 'my.Filter'"],
    ),
];

#[test]
fn malformed_dicts_give_clear_errors_and_leave_the_old_configuration() {
    isolated(
        "malformed_dicts_give_clear_errors_and_leave_the_old_configuration",
        || {
            let dir = temp_dir("dict-bad");
            FileConfig::from_text("good.ini", &good_ini(&dir))
                .apply()
                .unwrap();
            let before = snapshot();
            for (case, text, expected) in MALFORMED_DICTS {
                let value = ConfigValue::from_python(text).unwrap();
                let err = config::dict_config(&value).expect_err(case).to_string();
                for fragment in *expected {
                    assert!(err.contains(fragment), "{case}: {err:?} lacks {fragment:?}");
                }
                assert_unchanged(&before, case);
            }
            // Files that do not parse name the file, line and column.
            let json = dir.join("bad.json");
            std::fs::write(&json, "{\"version\": 1,\n \"root\": {\"level\": }\n}").unwrap();
            let err = config::dict_config_file(&json).unwrap_err().to_string();
            assert!(
                err.contains("bad.json: invalid JSON") && err.contains("line 2"),
                "{err}"
            );
            let toml = dir.join("bad.toml");
            std::fs::write(&toml, "version = 1\n[root\nlevel = 'INFO'\n").unwrap();
            let err = config::dict_config_file(&toml).unwrap_err().to_string();
            assert!(
                err.contains("bad.toml: invalid TOML") && err.contains("line 2"),
                "{err}"
            );
            assert_unchanged(&before, "files");
        },
    );
}

#[test]
fn json_and_toml_files_give_the_same_configuration() {
    isolated("json_and_toml_files_give_the_same_configuration", || {
        let dir = temp_dir("dict-files");
        let log = dir.join("app.log");
        let json = format!(
            r#"{{
  "version": 1,
  "disable_existing_loggers": false,
  "formatters": {{"brief": {{"format": "{{levelname}}:{{name}}:{{message}}", "style": "{{"}}}},
  "filters": {{"only_db": {{"name": "app.db"}}}},
  "handlers": {{
    "file": {{"class": "logging.FileHandler", "filename": "{}", "mode": "w",
              "formatter": "brief", "level": "cfg://levels.file", "filters": ["only_db"]}}
  }},
  "levels": {{"file": "INFO"}},
  "loggers": {{"app": {{"level": 10, "handlers": ["file"], "propagate": false}}}},
  "root": {{"level": "ERROR"}}
}}"#,
            log.display()
        );
        let toml = format!(
            r#"version = 1
disable_existing_loggers = false
levels = {{ file = "INFO" }}
[formatters.brief]
format = "{{levelname}}:{{name}}:{{message}}"
style = "{{"
[filters.only_db]
name = "app.db"
[handlers.file]
class = "logging.FileHandler"
filename = "{}"
mode = "w"
formatter = "brief"
level = "cfg://levels.file"
filters = ["only_db"]
[loggers.app]
level = 10
handlers = ["file"]
propagate = false
[root]
level = "ERROR"
"#,
            log.display()
        );
        for (name, text) in [("c.json", json), ("c.toml", toml)] {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            config::dict_config_file(&path).unwrap();
            let app = get_logger("app");
            assert_eq!(app.level(), Level::DEBUG);
            assert!(!app.propagate());
            assert_eq!(root().level(), Level::ERROR);
            assert_eq!(handler_names(app), ["file"]);
            get_logger("app.db").log(Level::INFO, "kept %s", &[Value::from(name)]);
            get_logger("app.db").log(Level::DEBUG, "below the handler level", &[]);
            get_logger("app.web").log(Level::ERROR, "filtered out", &[]);
            logkit::shutdown();
            let text = std::fs::read_to_string(&log).unwrap();
            assert_eq!(text, format!("INFO:app.db:kept {name}\n"), "{name}");
        }
    });
}

#[test]
fn incremental_configuration_changes_levels_only() {
    isolated("incremental_configuration_changes_levels_only", || {
        let base = ConfigValue::from_python(
            "{'version': 1, 'handlers': {'h': {'class': 'NullHandler'}},
              'loggers': {'app': {'handlers': ['h'], 'level': 'INFO'}}}",
        )
        .unwrap();
        config::dict_config(&base).unwrap();
        let handler = get_logger("app").handlers()[0].clone();
        let inc = ConfigValue::from_python(
            "{'version': 1, 'incremental': True,
              'handlers': {'h': {'level': 'ERROR'}},
              'loggers': {'app': {'level': 'DEBUG', 'propagate': False, 'handlers': []}}}",
        )
        .unwrap();
        config::dict_config(&inc).unwrap();
        let app = get_logger("app");
        assert_eq!(app.level(), Level::DEBUG);
        assert!(!app.propagate());
        assert_eq!(app.handlers().len(), 1, "handlers are not touched");
        assert!(Arc::ptr_eq(&app.handlers()[0], &handler));
        assert_eq!(handler.level(), Level::ERROR);
    });
}

/// A handler counting records into a process-wide counter.
struct Counter {
    core: HandlerCore,
}

static COUNTED: AtomicUsize = AtomicUsize::new(0);

impl Handler for Counter {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn emit(&self, _record: &Record<'_>) -> Result<(), HandlerError> {
        COUNTED.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

#[test]
fn reloading_under_load_loses_and_duplicates_nothing() {
    isolated("reloading_under_load_loses_and_duplicates_nothing", || {
        config::register_handler_class("tests.Counter", |args: ClassArgs| {
            args.bind(&[])?;
            Ok(Arc::new(Counter {
                core: HandlerCore::new(),
            }) as HandlerRef)
        });
        let config_for = |n: usize| {
            ConfigValue::from_python(&format!(
                "{{'version': 1, 'disable_existing_loggers': False,
                  'handlers': {{'count{n}': {{'()': 'tests.Counter'}}}},
                  'root': {{'level': 'DEBUG', 'handlers': ['count{n}']}}}}"
            ))
            .unwrap()
        };
        config::dict_config(&config_for(0)).unwrap();
        let reloads = Arc::new(AtomicUsize::new(0));
        const THREADS: usize = 4;
        const RECORDS: usize = 20_000;
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let reloads = reloads.clone();
                std::thread::spawn(move || {
                    let logger = get_logger(&format!("load.t{t}"));
                    // Keep logging until the reloading thread has done enough rounds.
                    let mut n = 0;
                    while n < RECORDS || reloads.load(Ordering::Relaxed) < 100 {
                        logger.log(Level::INFO, "record %d", &[Value::from(n)]);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let reloader = {
            let reloads = reloads.clone();
            std::thread::spawn(move || {
                for i in 1..=100 {
                    config::dict_config(&config_for(i % 3)).unwrap();
                    reloads.store(i, Ordering::Relaxed);
                }
            })
        };
        reloader.join().unwrap();
        let logged: usize = workers.into_iter().map(|w| w.join().unwrap()).sum();
        assert_eq!(COUNTED.load(Ordering::Relaxed), logged);
    });
}

#[test]
fn the_environment_overrides_the_file() {
    isolated_env(
        "the_environment_overrides_the_file",
        &[("LOGKIT_LEVEL", "error,app.db=debug")],
        || {
            let dir = temp_dir("env");
            FileConfig::from_text("good.ini", &good_ini(&dir))
                .apply()
                .unwrap();
            assert_eq!(root().level(), Level::ERROR);
            assert_eq!(get_logger("app.db").level(), Level::DEBUG);
            // basic_config and apply_env apply it too.
            root().set_level(Level::INFO);
            config::apply_env().unwrap();
            assert_eq!(root().level(), Level::ERROR);
        },
    );
}

#[test]
fn a_malformed_environment_override_is_skipped_and_the_file_applies() {
    isolated_env(
        "a_malformed_environment_override_is_skipped_and_the_file_applies",
        &[("LOGKIT_LEVEL", "app.db=loud")],
        || {
            let dir = temp_dir("env-bad");
            FileConfig::from_text("good.ini", &good_ini(&dir))
                .apply()
                .unwrap();
            assert!(!root().handlers().is_empty());
            let err = config::apply_env().unwrap_err().to_string();
            assert!(
                err.contains("LOGKIT_LEVEL") && err.contains("unknown level 'loud'"),
                "{err}"
            );
        },
    );
}

#[test]
fn custom_classes_by_name_and_factory() {
    isolated("custom_classes_by_name_and_factory", || {
        config::register_handler_class("myapp.Counting", |args: ClassArgs| {
            let mut a = args.bind(&["start"])?;
            let start = a.integer("start")?.unwrap_or(0);
            COUNTED.store(usize::try_from(start).unwrap_or(0), Ordering::Relaxed);
            Ok(Arc::new(Counter {
                core: HandlerCore::new(),
            }) as HandlerRef)
        });
        let ini = "\
[loggers]
keys=root
[handlers]
keys=c
[formatters]
keys=
[logger_root]
level=INFO
handlers=c
[handler_c]
class=myapp.Counting
kwargs={'start': 10}
";
        FileConfig::from_text("c.ini", ini).apply().unwrap();
        root().log(Level::INFO, "one", &[]);
        assert_eq!(COUNTED.load(Ordering::Relaxed), 11);
        let dict = ConfigValue::from_python(
            "{'version': 1, 'handlers': {'c': {'()': 'myapp.Counting', 'start': 5, 'level': 'ERROR'}},
              'root': {'level': 'INFO', 'handlers': ['c']}}",
        )
        .unwrap();
        config::dict_config(&dict).unwrap();
        root().log(Level::INFO, "below the handler's level", &[]);
        root().log(Level::ERROR, "counted", &[]);
        assert_eq!(COUNTED.load(Ordering::Relaxed), 6);
    });
}
