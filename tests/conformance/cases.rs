//! The behaviours compared: each a Python program and the logkit code that should print the
//! same bytes. The Python side runs after `import io, json, logging, logging.config, os, sys`.
//! A side that prints `pid=N` first has its process id masked.

use std::sync::Arc;

use logkit::config::{self, ConfigValue, FileConfig};
use logkit::template::Style;
use logkit::{
    FileHandler, FileMode, Formatter, Handler, Level, NameFilter, NullHandler, StreamHandler,
    Value, basic_config, get_logger, root,
};

/// One behaviour.
pub(crate) struct Case {
    /// Unique, used to select the case.
    pub(crate) name: &'static str,
    /// Files written into the working directory before either side runs.
    pub(crate) files: &'static [(&'static str, &'static str)],
    /// The Python program.
    pub(crate) python: &'static str,
    /// The logkit program.
    pub(crate) rust: fn(),
}

fn stdout_with(template: &str) -> StreamHandler {
    let h = StreamHandler::stdout();
    h.set_formatter(Formatter::new(template).unwrap());
    h
}

/// Python's `str` of a bool.
fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

fn print_pid() {
    println!("pid={}", std::process::id());
}

fn map(entries: &[(&'static str, Value<'static>)]) -> Value<'static> {
    Value::map(entries.iter().map(|(k, v)| (*k, v.clone())))
}

fn tuple(items: &[Value<'static>]) -> Value<'static> {
    Value::Tuple(items.iter().cloned().collect::<Arc<[_]>>())
}

fn all_levels(logger: logkit::Logger) {
    logger.log(Level::DEBUG, "debug message", &[]);
    logger.log(Level::INFO, "info message", &[]);
    logger.log(Level::WARNING, "warning message", &[]);
    logger.log(Level::ERROR, "error message", &[]);
    logger.log(Level::CRITICAL, "critical message", &[]);
}

/// The seed article's INI file, unchanged.
const SEED_INI: &str = include_str!("../../examples/logging.ini");

const APP_INI: &str = "\
[DEFAULT]
logdir=.

[loggers]
keys=root,app,db

[handlers]
keys=console,file

[formatters]
keys=plain,stamped

[logger_root]
level=WARNING
handlers=console

[logger_app]
level=INFO
handlers=file
qualname=app

[logger_db]
level=DEBUG
handlers=console
qualname=app.db
propagate=0

[handler_console]
class=StreamHandler
level=NOTSET
formatter=plain
args=(sys.stdout,)

[handler_file]
class=FileHandler
level=DEBUG
formatter=stamped
args=('%(logdir)s/%(logname)s', 'w')

[formatter_plain]
format=%(levelname)-8s %(name)s: %(message)s

[formatter_stamped]
format=%(asctime)s [%(levelname)s] %(name)s %(message)s %%(literal)s
datefmt=%H:%M:%S
";

const DICT_JSON: &str = r#"{
  "version": 1,
  "formatters": {
    "brief": {"format": "{levelname:<7}|{name}|{message}", "style": "{"},
    "dollar": {"format": "$levelname $name: $message", "style": "$"}
  },
  "filters": {
    "only_db": {"name": "svc.db"}
  },
  "handlers": {
    "out": {"class": "logging.StreamHandler", "formatter": "brief",
            "stream": "ext://sys.stdout", "level": "DEBUG"},
    "db_only": {"class": "logging.StreamHandler", "formatter": "dollar",
                "stream": "ext://sys.stdout", "filters": ["only_db"]}
  },
  "loggers": {
    "svc": {"level": "INFO", "handlers": ["out", "db_only"], "propagate": false},
    "svc.db": {"level": "DEBUG"}
  },
  "root": {"level": "ERROR", "handlers": ["out"]}
}"#;

/// An INI file read as text: the formatter in `{` style.
const BRACE_INI: &str = "\
[loggers]
keys=root

[handlers]
keys=h

[formatters]
keys=f

[logger_root]
level=NOTSET
handlers=h

[handler_h]
class=logging.StreamHandler
args=(sys.stdout,)
formatter=f

[formatter_f]
format={levelname} {message}
style={
";

/// `cfg://` references to other parts of the configuration, and the `root` key.
const CFG_JSON: &str = r#"{
  "version": 1,
  "templates": {"short": "%(levelname)s>%(message)s"},
  "formatters": {"f": {"format": "cfg://templates.short"}},
  "handlers": {"h": {"class": "logging.StreamHandler", "formatter": "f",
                     "stream": "ext://sys.stdout"}},
  "root": {"level": "INFO", "handlers": ["h"]}
}"#;

/// A MemoryHandler whose target is at CRITICAL: the buffered records reach it regardless.
const MEMORY_JSON: &str = r#"{
  "version": 1,
  "formatters": {"f": {"format": "%(levelname)s %(message)s"}},
  "handlers": {
    "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                "formatter": "f", "level": "CRITICAL"},
    "buffer": {"class": "logging.handlers.MemoryHandler", "capacity": 3,
               "flushLevel": 50, "target": "console"}
  },
  "root": {"level": "DEBUG", "handlers": ["buffer"]}
}"#;

const MEMORY_INI: &str = "\
[loggers]
keys=root,job

[handlers]
keys=console,mem

[formatters]
keys=plain

[logger_root]
level=WARNING
handlers=

[logger_job]
level=DEBUG
handlers=mem
qualname=job

[handler_console]
class=StreamHandler
formatter=plain
args=(sys.stdout,)

[handler_mem]
class=handlers.MemoryHandler
args=(10, ERROR)
target=console

[formatter_plain]
format=%(levelname)s:%(name)s:%(message)s
";

pub(crate) const CASES: &[Case] = &[
    // ---- The seed article's examples ----
    Case {
        name: "seed_basic_config_defaults",
        files: &[],
        python: "logging.basicConfig()
log = logging.getLogger()
log.debug('debug message')
log.info('info message')
log.warning('warning message')
log.error('error message')
log.critical('critical message')
",
        rust: || {
            basic_config().init().unwrap();
            all_levels(root());
        },
    },
    Case {
        name: "seed_basic_config_level_debug",
        files: &[],
        python: "logging.basicConfig(level=logging.DEBUG)
log = logging.getLogger()
log.debug('debug message')
log.info('info message')
log.warning('warning message')
log.error('error message')
log.critical('critical message')
",
        rust: || {
            basic_config().level(Level::DEBUG).init().unwrap();
            all_levels(root());
        },
    },
    Case {
        name: "seed_basic_config_file_with_process",
        files: &[],
        python: "print(f'pid={os.getpid()}')
logging.basicConfig(filename='basic.log', filemode='w',
                    format='%(process)d-%(levelname)s-%(message)s')
logging.getLogger().warning('This will get logged to a file')
logging.getLogger().warning('This will also write in basic.log')
",
        rust: || {
            print_pid();
            basic_config()
                .filename("basic.log")
                .filemode("w")
                .format("%(process)d-%(levelname)s-%(message)s")
                .init()
                .unwrap();
            root().log(Level::WARNING, "This will get logged to a file", &[]);
            root().log(Level::WARNING, "This will also write in basic.log", &[]);
        },
    },
    Case {
        name: "seed_basic_config_datefmt",
        files: &[],
        python: "logging.basicConfig(format='%(asctime)s - %(message)s', datefmt='%d-%b-%y %H:%M:%S')
logging.getLogger().warning('Admin logged in')
",
        rust: || {
            basic_config()
                .format("%(asctime)s - %(message)s")
                .datefmt("%d-%b-%y %H:%M:%S")
                .init()
                .unwrap();
            root().log(Level::WARNING, "Admin logged in", &[]);
        },
    },
    Case {
        name: "seed_variable_data_needs_info",
        files: &[],
        python: "logging.basicConfig()
fn_Name = 'ReadUser'
logging.getLogger().info('Execution of %s function is complete.', fn_Name)
logging.getLogger().setLevel(logging.INFO)
logging.getLogger().info('Execution of %s function is complete.', fn_Name)
",
        rust: || {
            basic_config().init().unwrap();
            let fn_name = "ReadUser";
            logkit::info!(root(), "Execution of %s function is complete.", fn_name);
            root().set_level(Level::INFO);
            logkit::info!(root(), "Execution of %s function is complete.", fn_name);
        },
    },
    Case {
        name: "seed_custom_logger_with_stream_handler",
        files: &[],
        python: "print(f'pid={os.getpid()}')
logger = logging.getLogger('seed.custom')
stream_handle = logging.StreamHandler(sys.stdout)
stream_handle.setLevel(logging.INFO)
stream_handle.setFormatter(logging.Formatter('%(process)s - %(message)s'))
logger.addHandler(stream_handle)
logger.info('This is info')
logger.warning('This is a warning')
logger.error('This is an error')
",
        rust: || {
            print_pid();
            let logger = get_logger("seed.custom");
            let stream_handle = stdout_with("%(process)s - %(message)s");
            stream_handle.set_level(Level::INFO);
            logger.add_handler(stream_handle);
            logkit::info!(logger, "This is info");
            logkit::warning!(logger, "This is a warning");
            logkit::error!(logger, "This is an error");
        },
    },
    Case {
        name: "seed_file_handler_with_tutorial_formatter",
        files: &[],
        python: "logger = logging.getLogger('example_logger')
logger.setLevel(logging.DEBUG)
h = logging.FileHandler('SPOT.log', 'w')
h.setLevel(logging.DEBUG)
h.setFormatter(logging.Formatter('%(asctime)s - %(name)s - %(levelname)s - %(message)s'))
logger.addHandler(h)
logger.debug('write your message')
logger.info('and another')
",
        rust: || {
            let logger = get_logger("example_logger");
            logger.set_level(Level::DEBUG);
            let h = FileHandler::options("SPOT.log")
                .mode(FileMode::Write)
                .open()
                .unwrap();
            h.set_level(Level::DEBUG);
            h.set_formatter(logkit::formatter!(
                "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
            ));
            logger.add_handler(h);
            logkit::debug!(logger, "write your message");
            logkit::info!(logger, "and another");
        },
    },
    Case {
        name: "seed_name_filter_passes_one_branch",
        files: &[],
        python: "prog = logging.getLogger('prog')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(name)s: %(message)s'))
h.addFilter(logging.Filter('prog.items'))
prog.addHandler(h)
for name in ['prog.person', 'prog.person.users', 'prog.items', 'prog.items.products',
             'prog.items.images', 'prog.itemsx', 'prog']:
    logging.getLogger(name).warning('from %s', name)
",
        rust: || {
            let prog = get_logger("prog");
            let h = stdout_with("%(name)s: %(message)s");
            h.add_filter(NameFilter::new("prog.items"));
            prog.add_handler(h);
            for name in [
                "prog.person",
                "prog.person.users",
                "prog.items",
                "prog.items.products",
                "prog.items.images",
                "prog.itemsx",
                "prog",
            ] {
                logkit::warning!(get_logger(name), "from %s", name);
            }
        },
    },
    Case {
        name: "seed_child_takes_parent_configuration",
        files: &[],
        python: "logger = logging.getLogger('parent_logger_name.child_logger_name')
logger.info('this is info level')
parent = logging.getLogger('parent_logger_name')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(name)s - %(levelname)s - %(message)s'))
parent.addHandler(h)
parent.setLevel(logging.INFO)
logger.info('INFO Level printed.')
",
        rust: || {
            let logger = get_logger("parent_logger_name.child_logger_name");
            logkit::info!(logger, "this is info level");
            let parent = get_logger("parent_logger_name");
            parent.add_handler(stdout_with("%(name)s - %(levelname)s - %(message)s"));
            parent.set_level(Level::INFO);
            logkit::info!(logger, "INFO Level printed.");
        },
    },
    Case {
        name: "seed_file_config_ini_unchanged",
        files: &[("logging.ini", SEED_INI)],
        python: "logging.config.fileConfig('logging.ini')
logger = logging.getLogger('sampleLogger')
logger.debug('debug message')
logger.info('info message')
logging.getLogger('other').warning('through root')
",
        rust: || {
            config::file_config("logging.ini").unwrap();
            let logger = get_logger("sampleLogger");
            logkit::debug!(logger, "debug message");
            logkit::info!(logger, "info message");
            logkit::warning!(get_logger("other"), "through root");
        },
    },
    // ---- basicConfig ----
    Case {
        name: "basic_config_second_call_is_ignored_unless_forced",
        files: &[],
        python: "logging.basicConfig(format='first %(message)s')
logging.basicConfig(format='second %(message)s')
logging.getLogger().warning('one')
logging.basicConfig(format='third %(message)s', force=True, stream=sys.stdout)
logging.getLogger().warning('two')
",
        rust: || {
            basic_config().format("first %(message)s").init().unwrap();
            basic_config().format("second %(message)s").init().unwrap();
            root().log(Level::WARNING, "one", &[]);
            basic_config()
                .format("third %(message)s")
                .force(true)
                .stdout()
                .init()
                .unwrap();
            root().log(Level::WARNING, "two", &[]);
        },
    },
    Case {
        name: "basic_config_brace_style",
        files: &[],
        python: "logging.basicConfig(style='{', format='{levelname}:{name}:{message}', level=logging.INFO)
logging.getLogger('app').info('hello %s', 'world')
",
        rust: || {
            basic_config()
                .style(Style::Brace)
                .format("{levelname}:{name}:{message}")
                .level(Level::INFO)
                .init()
                .unwrap();
            logkit::info!(get_logger("app"), "hello %s", "world");
        },
    },
    // ---- The pipeline and the pitfalls ----
    Case {
        name: "last_resort_prints_the_bare_message",
        files: &[],
        python: "log = logging.getLogger('x')
log.info('not shown')
log.warning('careful %d', 1)
log.error('broken')
",
        rust: || {
            let log = get_logger("x");
            logkit::info!(log, "not shown");
            logkit::warning!(log, "careful %d", 1);
            logkit::error!(log, "broken");
        },
    },
    Case {
        name: "last_resort_only_when_no_handler_exists",
        files: &[],
        python: "logging.getLogger('x').addHandler(logging.NullHandler())
logging.getLogger('x.y').warning('swallowed')
logging.getLogger('z').warning('shown')
",
        rust: || {
            get_logger("x").add_handler(NullHandler::new());
            logkit::warning!(get_logger("x.y"), "swallowed");
            logkit::warning!(get_logger("z"), "shown");
        },
    },
    Case {
        name: "ancestor_logger_levels_are_ignored_while_propagating",
        files: &[],
        python: "parent = logging.getLogger('p')
parent.setLevel(logging.ERROR)
parent.addHandler(logging.StreamHandler(sys.stdout))
child = logging.getLogger('p.c')
child.setLevel(logging.DEBUG)
child.debug('child debug reaches the parent handler')
parent.warning('parent warning is dropped')
",
        rust: || {
            let parent = get_logger("p");
            parent.set_level(Level::ERROR);
            parent.add_handler(stdout_with("%(message)s"));
            let child = get_logger("p.c");
            child.set_level(Level::DEBUG);
            logkit::debug!(child, "child debug reaches the parent handler");
            logkit::warning!(parent, "parent warning is dropped");
        },
    },
    Case {
        name: "ancestor_logger_filters_and_disabled_are_ignored",
        files: &[],
        python: "parent = logging.getLogger('p')
parent.addFilter(lambda r: False)
parent.addHandler(logging.StreamHandler(sys.stdout))
logging.getLogger('p.c').warning('child record passes')
parent.warning('parent record is filtered')
parent.disabled = True
logging.getLogger('p.c').warning('still passes with the parent disabled')
",
        rust: || {
            let parent = get_logger("p");
            parent.add_filter(|_: &mut logkit::Record<'_>| false);
            parent.add_handler(stdout_with("%(message)s"));
            logkit::warning!(get_logger("p.c"), "child record passes");
            logkit::warning!(parent, "parent record is filtered");
            parent.set_disabled(true);
            logkit::warning!(
                get_logger("p.c"),
                "still passes with the parent disabled"
            );
        },
    },
    Case {
        name: "handler_levels_apply_at_every_handler",
        files: &[],
        python: "r = logging.StreamHandler(sys.stdout)
r.setLevel(logging.WARNING)
r.setFormatter(logging.Formatter('root handler: %(message)s'))
logging.getLogger().addHandler(r)
c = logging.getLogger('a.b')
c.setLevel(logging.INFO)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('child handler: %(message)s'))
c.addHandler(h)
c.info('info')
c.warning('warning')
",
        rust: || {
            let r = stdout_with("root handler: %(message)s");
            r.set_level(Level::WARNING);
            root().add_handler(r);
            let c = get_logger("a.b");
            c.set_level(Level::INFO);
            c.add_handler(stdout_with("child handler: %(message)s"));
            logkit::info!(c, "info");
            logkit::warning!(c, "warning");
        },
    },
    Case {
        name: "propagate_false_stops_at_the_logger",
        files: &[],
        python: "logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
a = logging.getLogger('a')
a.propagate = False
a.addHandler(logging.StreamHandler(sys.stderr))
logging.getLogger('a.b').warning('to stderr only')
a.propagate = True
logging.getLogger('a.b').warning('to both')
",
        rust: || {
            root().add_handler(stdout_with("%(message)s"));
            let a = get_logger("a");
            a.set_propagate(false);
            let err = StreamHandler::stderr();
            err.set_formatter(Formatter::new("%(message)s").unwrap());
            a.add_handler(err);
            logkit::warning!(get_logger("a.b"), "to stderr only");
            a.set_propagate(true);
            logkit::warning!(get_logger("a.b"), "to both");
        },
    },
    Case {
        name: "a_record_is_written_once_per_handler_on_the_chain",
        files: &[],
        python: "logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
logging.getLogger('dup').addHandler(logging.StreamHandler(sys.stdout))
logging.getLogger('dup.x').warning('twice')
",
        rust: || {
            root().add_handler(stdout_with("%(message)s"));
            get_logger("dup").add_handler(stdout_with("%(message)s"));
            logkit::warning!(get_logger("dup.x"), "twice");
        },
    },
    Case {
        name: "placeholders_link_parents_created_later",
        files: &[],
        python: "deep = logging.getLogger('a.b.c')
a = logging.getLogger('a')
a.addHandler(logging.StreamHandler(sys.stdout))
a.setLevel(logging.DEBUG)
deep.debug('from a.b.c via a')
mid = logging.getLogger('a.b')
mid.setLevel(logging.ERROR)
deep.warning('dropped: a.b is now the nearest level')
deep.error('kept')
",
        rust: || {
            let deep = get_logger("a.b.c");
            let a = get_logger("a");
            a.add_handler(stdout_with("%(message)s"));
            a.set_level(Level::DEBUG);
            logkit::debug!(deep, "from a.b.c via a");
            let mid = get_logger("a.b");
            mid.set_level(Level::ERROR);
            logkit::warning!(deep, "dropped: a.b is now the nearest level");
            logkit::error!(deep, "kept");
        },
    },
    Case {
        name: "disable_is_inclusive_and_reversible",
        files: &[],
        python: "logging.getLogger().addHandler(logging.StreamHandler(sys.stdout))
logging.getLogger().setLevel(logging.DEBUG)
logging.disable(logging.WARNING)
log = logging.getLogger('d')
log.warning('dropped')
log.error('kept')
logging.disable(logging.NOTSET)
log.debug('back')
",
        rust: || {
            root().add_handler(stdout_with("%(message)s"));
            root().set_level(Level::DEBUG);
            logkit::disable(Level::WARNING);
            let log = get_logger("d");
            logkit::warning!(log, "dropped");
            logkit::error!(log, "kept");
            logkit::disable(Level::NOTSET);
            logkit::debug!(log, "back");
        },
    },
    Case {
        name: "custom_level_names",
        files: &[],
        python: "logging.addLevelName(25, 'NOTICE')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelno)s %(levelname)s %(message)s'))
log = logging.getLogger('lv')
log.addHandler(h)
log.setLevel(1)
log.log(25, 'notice')
log.log(33, 'unnamed')
log.log(7, 'fine')
logging.addLevelName(logging.WARNING, 'WARN')
log.warning('renamed')
",
        rust: || {
            logkit::add_level_name(Level::new(25), "NOTICE");
            let log = get_logger("lv");
            log.add_handler(stdout_with("%(levelno)s %(levelname)s %(message)s"));
            log.set_level(Level::new(1));
            logkit::log!(log, 25, "notice");
            logkit::log!(log, 33, "unnamed");
            logkit::log!(log, 7, "fine");
            logkit::add_level_name(Level::WARNING, "WARN");
            logkit::warning!(log, "renamed");
        },
    },
    Case {
        // logkit names level 5 `TRACE` from the start (the `log` and `tracing` crates'
        // finest level); CPython does once told so (docs/python-differences.md).
        name: "trace_is_level_5_named_trace",
        files: &[],
        python: "logging.addLevelName(5, 'TRACE')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelno)s %(levelname)s %(message)s'))
log = logging.getLogger('tr')
log.addHandler(h)
log.setLevel('TRACE')
log.log(5, 'finest')
log.log(4, 'below')
print(logging.getLevelName('TRACE'), logging.getLevelName(5))
",
        rust: || {
            let log = get_logger("tr");
            log.add_handler(stdout_with("%(levelno)s %(levelname)s %(message)s"));
            log.set_level("TRACE".parse().unwrap());
            logkit::log!(log, Level::TRACE, "finest");
            logkit::log!(log, 4, "below");
            println!("{} {}", Level::from_name("TRACE").unwrap().value(), Level::TRACE);
        },
    },
    Case {
        name: "root_is_named_root",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(name)s|%(levelname)s|%(message)s'))
logging.getLogger('').addHandler(h)
logging.getLogger().warning('via root')
logging.getLogger('root.child').warning('a logger called root.child')
",
        rust: || {
            get_logger("").add_handler(stdout_with("%(name)s|%(levelname)s|%(message)s"));
            logkit::warning!(root(), "via root");
            logkit::warning!(get_logger("root.child"), "a logger called root.child");
        },
    },
    Case {
        name: "a_filter_adds_context_to_the_record",
        files: &[],
        python: "def add_ctx(record):
    record.request = 'req-7'
    return True
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('[%(request)s] %(message)s'))
h.addFilter(add_ctx)
log = logging.getLogger('ctx')
log.addHandler(h)
log.warning('handled')
",
        rust: || {
            let h = stdout_with("[%(request)s] %(message)s");
            h.add_filter(|r: &mut logkit::Record<'_>| {
                r.set_field("request", Value::from("req-7"));
                true
            });
            let log = get_logger("ctx");
            log.add_handler(h);
            logkit::warning!(log, "handled");
        },
    },
    // ---- Message merging ----
    Case {
        name: "merge_without_args_leaves_percent_alone",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('100%% done')
log.warning('%s')
log.warning('%d%% done', 50)
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            log.log(Level::WARNING, "100%% done", &[]);
            log.log(Level::WARNING, "%s", &[]);
            logkit::warning!(log, "%d%% done", 50);
        },
    },
    Case {
        name: "merge_mapping_tuple_and_empty_dict_arguments",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%(a)s and %(b)r', {'a': 1, 'b': 'two'})
log.warning('x %s', {})
log.warning('%s', (1, 'b'))
log.warning('%s|%r', None, True)
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            log.log(
                Level::WARNING,
                "%(a)s and %(b)r",
                &[map(&[("a", Value::Int(1)), ("b", Value::from("two"))])],
            );
            log.log(Level::WARNING, "x %s", &[map(&[])]);
            log.log(
                Level::WARNING,
                "%s",
                &[tuple(&[Value::Int(1), Value::from("b")])],
            );
            log.log(Level::WARNING, "%s|%r", &[Value::None, Value::Bool(true)]);
        },
    },
    Case {
        name: "merge_printf_conversions_at_run_time",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%5.2f|%-6d|%x|%X|%o|%#x|%#o|%e|%g|%G|%c|%r|%a|%+d|% d|%05d|%.3s|%-8s|%8.3f|%u|%i',
            1.23456, 42, 255, 255, 8, 255, 8, 12345.678, 0.0001, 1e20, 65, 'q', 'é', 5, 5, 42,
            'abcdef', 'ab', 2.5, 7, 9)
log.warning('%s %s %s %s', 1.0, 1e16, 0.1, -0.0)
log.warning('%d %d', True, -7)
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            log.log(
                Level::WARNING,
                "%5.2f|%-6d|%x|%X|%o|%#x|%#o|%e|%g|%G|%c|%r|%a|%+d|% d|%05d|%.3s|%-8s|%8.3f|%u|%i",
                &[
                    Value::Float(1.23456),
                    Value::Int(42),
                    Value::Int(255),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Int(255),
                    Value::Int(8),
                    Value::Float(12345.678),
                    Value::Float(0.0001),
                    Value::Float(1e20),
                    Value::Int(65),
                    Value::from("q"),
                    Value::from("é"),
                    Value::Int(5),
                    Value::Int(5),
                    Value::Int(42),
                    Value::from("abcdef"),
                    Value::from("ab"),
                    Value::Float(2.5),
                    Value::Int(7),
                    Value::Int(9),
                ],
            );
            log.log(
                Level::WARNING,
                "%s %s %s %s",
                &[
                    Value::Float(1.0),
                    Value::Float(1e16),
                    Value::Float(0.1),
                    Value::Float(-0.0),
                ],
            );
            log.log(
                Level::WARNING,
                "%d %d",
                &[Value::Bool(true), Value::Int(-7)],
            );
        },
    },
    Case {
        name: "merge_printf_conversions_from_the_macros",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%5.2f|%-6d|%x|%X|%#o|%e|%g|%c|%+d|%05d|%.3s|%-8s|%*d|%-*.*f', 1.23456, 42, 255,
            255, 8, 12345.678, 0.0001, 'Z', 5, 42, 'abcdef', 'ab', 6, 42, 9, 2, 1.005)
user = 'ann'
log.warning('%(user)s has %(n)03d items', {'user': user, 'n': 7})
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            logkit::warning!(
                log,
                "%5.2f|%-6d|%x|%X|%#o|%e|%g|%c|%+d|%05d|%.3s|%-8s|%*d|%-*.*f",
                1.23456,
                42,
                255,
                255,
                8,
                12345.678,
                0.0001,
                'Z',
                5,
                42,
                "abcdef",
                "ab",
                6,
                42,
                9,
                2,
                1.005
            );
            let user = "ann";
            logkit::warning!(log, "%(user)s has %(n)03d items", n = 7);
        },
    },
    Case {
        name: "merge_mismatch_reports_a_logging_error",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%s and %s', 'only-one')
log.warning('%s', 'a', 'b')
log.warning('%d items', 'many')
log.warning('%(key)s', {'other': 1})
log.warning('still logging')
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            log.log(Level::WARNING, "%s and %s", &[Value::from("only-one")]);
            log.log(
                Level::WARNING,
                "%s",
                &[Value::from("a"), Value::from("b")],
            );
            log.log(Level::WARNING, "%d items", &[Value::from("many")]);
            log.log(Level::WARNING, "%(key)s", &[map(&[("other", Value::Int(1))])]);
            log.log(Level::WARNING, "still logging", &[]);
        },
    },
    Case {
        name: "raise_exceptions_false_drops_silently",
        files: &[],
        python: "logging.raiseExceptions = False
log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%s and %s', 'only-one')
log.warning('after the failure')
",
        rust: || {
            logkit::set_raise_exceptions(false);
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            log.log(Level::WARNING, "%s and %s", &[Value::from("only-one")]);
            log.log(Level::WARNING, "after the failure", &[]);
        },
    },
    // ---- Record templates ----
    Case {
        name: "percent_template_flags_width_precision",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter(
    '%(levelname)-8s|%(levelname)8s|%(levelno)#o|%(levelno)5.3d|%(name).3s|%(name)10.4s|'
    '%(levelno)+d|%(levelno)x|%(levelno)#X|%(levelno)e|%(levelno)g|%(message)r|%(message)a|%%|'
    '%(levelno)-5d|%(levelno)05d|% d'.replace('% d', '%(levelno) d')))
log = logging.getLogger('formatting.flags')
log.addHandler(h)
log.warning('héllo')
log.error(\"it's\")
",
        rust: || {
            let h = stdout_with(
                "%(levelname)-8s|%(levelname)8s|%(levelno)#o|%(levelno)5.3d|%(name).3s|%(name)10.4s|\
                 %(levelno)+d|%(levelno)x|%(levelno)#X|%(levelno)e|%(levelno)g|%(message)r|%(message)a|%%|\
                 %(levelno)-5d|%(levelno)05d|%(levelno) d",
            );
            let log = get_logger("formatting.flags");
            log.add_handler(h);
            logkit::warning!(log, "héllo");
            logkit::error!(log, "it's");
        },
    },
    Case {
        name: "percent_template_compiled_by_the_macro",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)-8s|%(name)10.4s|%(levelno)#x|%(message)r'))
log = logging.getLogger('formatting.macro')
log.addHandler(h)
log.warning('a %s b', 'x')
",
        rust: || {
            let h = StreamHandler::stdout();
            h.set_formatter(logkit::formatter!(
                "%(levelname)-8s|%(name)10.4s|%(levelno)#x|%(message)r"
            ));
            let log = get_logger("formatting.macro");
            log.add_handler(h);
            logkit::warning!(log, "a %s b", "x");
        },
    },
    Case {
        name: "brace_template_format_specs",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter(
    '{levelname:<8}|{levelname:>8}|{levelname:^9}|{levelno:#x}|{levelno:+05d}|{levelno:,}|'
    '{name!r}|{message!s:*^12}|{{}}|{levelno:.2f}|{levelno:e}|{levelno:%}|{levelno:b}|'
    '{levelname!a}|{levelno:_>6}|{levelname:.3}', style='{'))
log = logging.getLogger('formatting.brace')
log.addHandler(h)
log.warning('hi')
log.critical('x' * 3)
",
        rust: || {
            let h = StreamHandler::stdout();
            h.set_formatter(
                Formatter::with_style(
                    "{levelname:<8}|{levelname:>8}|{levelname:^9}|{levelno:#x}|{levelno:+05d}|{levelno:,}|\
                     {name!r}|{message!s:*^12}|{{}}|{levelno:.2f}|{levelno:e}|{levelno:%}|{levelno:b}|\
                     {levelname!a}|{levelno:_>6}|{levelname:.3}",
                    Style::Brace,
                )
                .unwrap(),
            );
            let log = get_logger("formatting.brace");
            log.add_handler(h);
            logkit::warning!(log, "hi");
            logkit::critical!(log, "xxx");
        },
    },
    Case {
        name: "dollar_template",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('$levelname|${name}|$$|${message}x|$levelname-x|$$name', style='$'))
log = logging.getLogger('formatting.dollar')
log.addHandler(h)
log.warning('m')
",
        rust: || {
            let h = StreamHandler::stdout();
            h.set_formatter(logkit::formatter!(
                "$levelname|${name}|$$|${message}x|$levelname-x|$$name",
                style = '$'
            ));
            let log = get_logger("formatting.dollar");
            log.add_handler(h);
            logkit::warning!(log, "m");
        },
    },
    Case {
        name: "asctime_default_and_datefmt",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(asctime)s|%(message)s'))
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(logging.Formatter('%(asctime)s|%(message)s', datefmt='%H:%M:%S'))
log = logging.getLogger('t')
log.addHandler(h)
log.addHandler(h2)
log.warning('stamped')
",
        rust: || {
            let log = get_logger("t");
            log.add_handler(stdout_with("%(asctime)s|%(message)s"));
            let h2 = StreamHandler::stdout();
            h2.set_formatter(
                Formatter::builder()
                    .template("%(asctime)s|%(message)s")
                    .datefmt("%H:%M:%S")
                    .build()
                    .unwrap(),
            );
            log.add_handler(h2);
            logkit::warning!(log, "stamped");
        },
    },
    Case {
        name: "a_field_missing_from_the_record_is_a_logging_error",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(user)s: %(message)s'))
log = logging.getLogger('f')
log.addHandler(h)
log.warning('no user')
log.warning('with user', extra={'user': 'bob'})
",
        rust: || {
            let log = get_logger("f");
            log.add_handler(stdout_with("%(user)s: %(message)s"));
            logkit::warning!(log, "no user");
            logkit::warning!(log, "with user"; user = "bob");
        },
    },
    Case {
        name: "formatter_defaults_fill_missing_fields",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(user)s|%(ip)s|%(message)s', defaults={'user': '-', 'ip': '0.0.0.0'}))
log = logging.getLogger('f')
log.addHandler(h)
log.warning('anonymous')
log.warning('known', extra={'user': 'bob'})
",
        rust: || {
            let h = StreamHandler::stdout();
            h.set_formatter(
                Formatter::builder()
                    .template("%(user)s|%(ip)s|%(message)s")
                    .default_value("user", Value::from("-"))
                    .default_value("ip", Value::from("0.0.0.0"))
                    .build()
                    .unwrap(),
            );
            let log = get_logger("f");
            log.add_handler(h);
            logkit::warning!(log, "anonymous");
            logkit::warning!(log, "known"; user = "bob");
        },
    },
    Case {
        name: "extra_fields_of_every_kind",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(user)s %(attempt)03d %(ratio).2f %(ok)s %(tags)s | %(message)s'))
log = logging.getLogger('extra')
log.addHandler(h)
log.warning('login %s', 'failed', extra={'user': 'alice', 'attempt': 3, 'ratio': 0.5, 'ok': False, 'tags': None})
",
        rust: || {
            let log = get_logger("extra");
            log.add_handler(stdout_with(
                "%(user)s %(attempt)03d %(ratio).2f %(ok)s %(tags)s | %(message)s",
            ));
            let tags: Option<&str> = None;
            logkit::warning!(log, "login %s", "failed"; user = "alice", attempt = 3, ratio = 0.5, ok = false, tags = tags);
        },
    },
    Case {
        name: "extra_naming_a_record_attribute_is_refused",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)s %(message)s'))
log = logging.getLogger('collide')
log.addHandler(h)
for k in ['name', 'msg', 'args', 'levelname', 'levelno', 'pathname', 'filename', 'module',
          'exc_info', 'exc_text', 'stack_info', 'lineno', 'funcName', 'created', 'msecs',
          'relativeCreated', 'thread', 'threadName', 'processName', 'process', 'message',
          'asctime', 'taskName', 'user', 'Name']:
    try:
        log.warning('with %s', k, extra={k: 'v'})
    except KeyError as e:
        print('refused', k, e)
",
        rust: || {
            let log = get_logger("collide");
            log.add_handler(stdout_with("%(levelname)s %(message)s"));
            for k in [
                "name",
                "msg",
                "args",
                "levelname",
                "levelno",
                "pathname",
                "filename",
                "module",
                "exc_info",
                "exc_text",
                "stack_info",
                "lineno",
                "funcName",
                "created",
                "msecs",
                "relativeCreated",
                "thread",
                "threadName",
                "processName",
                "process",
                "message",
                "asctime",
                "taskName",
                "user",
                "Name",
            ] {
                let args = [Value::from(k)];
                let fields = [(k, Value::from("v"))];
                let event = log.event(Level::WARNING, "with %s").args(&args);
                if let Err(e) = event.fields(&fields).try_emit() {
                    // CPython's KeyError ends logkit's message, after what to do instead.
                    let text = e.to_string();
                    let cpython = text.rsplit(": ").next().unwrap_or(&text);
                    println!("refused {k} \"{cpython}\"");
                }
            }
        },
    },
    Case {
        name: "logger_adapter_adds_context",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(request_id)s %(levelname)s %(message)s'))
log = logging.getLogger('adapt')
log.addHandler(h)
a = logging.LoggerAdapter(log, {'request_id': 'r-1'})
a.warning('one %d', 1)
a.error('two')
",
        rust: || {
            let log = get_logger("adapt");
            log.add_handler(stdout_with("%(request_id)s %(levelname)s %(message)s"));
            let a = log.adapter([("request_id", Value::from("r-1"))]).unwrap();
            logkit::warning!(a, "one %d", 1);
            logkit::error!(a, "two");
        },
    },
    Case {
        name: "template_validation_agrees_on_accepted_and_rejected",
        files: &[],
        python: "cases = [('%(levelname)s', '%'), ('%(asctime)', '%'), ('%(message)-10.3s', '%'),
         ('{levelname:>8}', '{'), ('{levelname', '{'), ('{levelname!z}', '{'),
         ('{levelname:.2ff}', '{'), ('no fields', '{'), ('$levelname', '$'),
         ('cost: $', '$'), ('{x}}', '{'), ('%(levelno)#x', '%')]
for t, s in cases:
    try:
        logging.Formatter(t, style=s)
        print('accepted', repr(t))
    except ValueError:
        print('rejected', repr(t))
",
        rust: || {
            let cases = [
                ("%(levelname)s", Style::Percent),
                ("%(asctime)", Style::Percent),
                ("%(message)-10.3s", Style::Percent),
                ("{levelname:>8}", Style::Brace),
                ("{levelname", Style::Brace),
                ("{levelname!z}", Style::Brace),
                ("{levelname:.2ff}", Style::Brace),
                ("no fields", Style::Brace),
                ("$levelname", Style::Dollar),
                ("cost: $", Style::Dollar),
                ("{x}}", Style::Brace),
                ("%(levelno)#x", Style::Percent),
            ];
            for (t, s) in cases {
                let verdict = if Formatter::with_style(t, s).is_ok() {
                    "accepted"
                } else {
                    "rejected"
                };
                println!("{verdict} '{t}'");
            }
        },
    },
    // ---- fileConfig ----
    Case {
        name: "file_config_defaults_interpolation_and_raw_formats",
        files: &[("app.ini", APP_INI)],
        python: "logging.config.fileConfig('app.ini', defaults={'logname': 'app.log'})
logging.getLogger('app').debug('dropped by app at INFO')
logging.getLogger('app').info('to the file and root')
logging.getLogger('app.db').debug('db to console only')
logging.getLogger('app.web').warning('web through app and root')
",
        rust: || {
            FileConfig::new("app.ini")
                .defaults([("logname", "app.log")])
                .apply()
                .unwrap();
            logkit::debug!(get_logger("app"), "dropped by app at INFO");
            logkit::info!(get_logger("app"), "to the file and root");
            logkit::debug!(get_logger("app.db"), "db to console only");
            logkit::warning!(get_logger("app.web"), "web through app and root");
        },
    },
    Case {
        name: "file_config_disables_existing_loggers_but_not_descendants",
        files: &[("app.ini", APP_INI)],
        python: "old = logging.getLogger('legacy')
sub = logging.getLogger('app.sub')
sub.setLevel(logging.CRITICAL)
sub.propagate = False
appish = logging.getLogger('application')
logging.config.fileConfig('app.ini', defaults={'logname': 'app.log'})
old.error('legacy is disabled')
sub.warning('app.sub is reset and enabled')
appish.error('application is disabled: not a child of app')
logging.getLogger('app.db').info('db')
",
        rust: || {
            let old = get_logger("legacy");
            let sub = get_logger("app.sub");
            sub.set_level(Level::CRITICAL);
            sub.set_propagate(false);
            let appish = get_logger("application");
            FileConfig::new("app.ini")
                .defaults([("logname", "app.log")])
                .apply()
                .unwrap();
            logkit::error!(old, "legacy is disabled");
            logkit::warning!(sub, "app.sub is reset and enabled");
            logkit::error!(appish, "application is disabled: not a child of app");
            logkit::info!(get_logger("app.db"), "db");
        },
    },
    Case {
        name: "file_config_keeping_existing_loggers",
        files: &[("app.ini", APP_INI)],
        python: "old = logging.getLogger('legacy')
logging.config.fileConfig('app.ini', defaults={'logname': 'app.log'}, disable_existing_loggers=False)
old.error('legacy still logs')
",
        rust: || {
            let old = get_logger("legacy");
            FileConfig::new("app.ini")
                .defaults([("logname", "app.log")])
                .disable_existing_loggers(false)
                .apply()
                .unwrap();
            logkit::error!(old, "legacy still logs");
        },
    },
    Case {
        name: "file_config_replaces_and_closes_previous_handlers",
        files: &[("app.ini", APP_INI)],
        python: "h = logging.FileHandler('before.log', 'w')
logging.getLogger().addHandler(h)
logging.getLogger().warning('before')
logging.config.fileConfig('app.ini', defaults={'logname': 'app.log'})
logging.getLogger().warning('after')
print(len(logging.getLogger().handlers), 'root handler')
",
        rust: || {
            let h = FileHandler::options("before.log")
                .mode(FileMode::Write)
                .open()
                .unwrap();
            root().add_handler(h);
            logkit::warning!(root(), "before");
            FileConfig::new("app.ini")
                .defaults([("logname", "app.log")])
                .apply()
                .unwrap();
            logkit::warning!(root(), "after");
            println!("{} root handler", root().handlers().len());
        },
    },
    Case {
        name: "file_config_from_a_string",
        files: &[("brace.ini", BRACE_INI)],
        python: "ini = open('brace.ini').read()
logging.config.fileConfig(io.StringIO(ini))
logging.getLogger('x').debug('brace style from ini')
",
        rust: || {
            let ini = std::fs::read_to_string("brace.ini").unwrap();
            FileConfig::from_text("<string>", &ini).apply().unwrap();
            logkit::debug!(get_logger("x"), "brace style from ini");
        },
    },
    // ---- dictConfig ----
    Case {
        name: "dict_config_styles_filters_and_streams",
        files: &[("logging.json", DICT_JSON)],
        python: "logging.config.dictConfig(json.load(open('logging.json')))
logging.getLogger('svc').debug('dropped at INFO')
logging.getLogger('svc').info('svc info')
logging.getLogger('svc.db').debug('db debug')
logging.getLogger('svc.web').info('web info')
logging.getLogger('other').warning('dropped at ERROR')
logging.getLogger('other').error('other error')
",
        rust: || {
            config::dict_config_file("logging.json").unwrap();
            logkit::debug!(get_logger("svc"), "dropped at INFO");
            logkit::info!(get_logger("svc"), "svc info");
            logkit::debug!(get_logger("svc.db"), "db debug");
            logkit::info!(get_logger("svc.web"), "web info");
            logkit::warning!(get_logger("other"), "dropped at ERROR");
            logkit::error!(get_logger("other"), "other error");
        },
    },
    Case {
        name: "dict_config_incremental_changes_levels_only",
        files: &[("logging.json", DICT_JSON)],
        python: "logging.config.dictConfig(json.load(open('logging.json')))
logging.config.dictConfig({'version': 1, 'incremental': True,
    'handlers': {'out': {'level': 'WARNING'}},
    'loggers': {'svc': {'level': 'DEBUG'}}})
logging.getLogger('svc').info('dropped by the handler level')
logging.getLogger('svc').warning('kept')
logging.getLogger('svc.db').debug('db debug through db_only only')
",
        rust: || {
            config::dict_config_file("logging.json").unwrap();
            let incremental = ConfigValue::from_json(
                r#"{"version": 1, "incremental": true,
                    "handlers": {"out": {"level": "WARNING"}},
                    "loggers": {"svc": {"level": "DEBUG"}}}"#,
            )
            .unwrap();
            config::dict_config(&incremental).unwrap();
            logkit::info!(get_logger("svc"), "dropped by the handler level");
            logkit::warning!(get_logger("svc"), "kept");
            logkit::debug!(get_logger("svc.db"), "db debug through db_only only");
        },
    },
    Case {
        name: "dict_config_cfg_references_and_root_key",
        files: &[("cfg.json", CFG_JSON)],
        python: "logging.config.dictConfig(json.load(open('cfg.json')))
logging.getLogger('a').info('via cfg')
logging.getLogger('a').debug('dropped')
",
        rust: || {
            config::dict_config_file("cfg.json").unwrap();
            logkit::info!(get_logger("a"), "via cfg");
            logkit::debug!(get_logger("a"), "dropped");
        },
    },
    Case {
        name: "dict_config_disables_existing_loggers_by_default",
        files: &[("logging.json", DICT_JSON)],
        python: "early = logging.getLogger('early')
child = logging.getLogger('svc.child')
logging.config.dictConfig(json.load(open('logging.json')))
early.error('early is disabled')
child.info('svc.child is kept')
cfg = json.load(open('logging.json'))
cfg['disable_existing_loggers'] = False
late = logging.getLogger('late')
logging.config.dictConfig(cfg)
late.error('late is kept')
",
        rust: || {
            let early = get_logger("early");
            let child = get_logger("svc.child");
            config::dict_config_file("logging.json").unwrap();
            logkit::error!(early, "early is disabled");
            logkit::info!(child, "svc.child is kept");
            let mut cfg = ConfigValue::from_json(DICT_JSON).unwrap();
            if let ConfigValue::Dict(entries) = &mut cfg {
                entries.push((
                    "disable_existing_loggers".to_owned(),
                    ConfigValue::Bool(false),
                ));
            }
            let late = get_logger("late");
            config::dict_config(&cfg).unwrap();
            logkit::error!(late, "late is kept");
        },
    },
    // ---- Buffering handlers from configuration ----
    Case {
        name: "file_config_memory_handler_with_a_target",
        files: &[("memory.ini", MEMORY_INI)],
        python: "logging.config.fileConfig('memory.ini')
log = logging.getLogger('job')
log.debug('step 1')
log.info('step 2')
print('nothing yet')
log.error('failed')
log.debug('after the error')
log.debug('flushed at exit')
",
        rust: || {
            config::file_config("memory.ini").unwrap();
            let log = get_logger("job");
            logkit::debug!(log, "step 1");
            logkit::info!(log, "step 2");
            println!("nothing yet");
            logkit::error!(log, "failed");
            logkit::debug!(log, "after the error");
            logkit::debug!(log, "flushed at exit");
        },
    },
    Case {
        name: "dict_config_memory_handler_capacity_and_target",
        files: &[("memory.json", MEMORY_JSON)],
        python: "logging.config.dictConfig(json.load(open('memory.json')))
for i in range(7):
    logging.getLogger('x').info('record %d', i)
print('two left in the buffer')
",
        rust: || {
            config::dict_config_file("memory.json").unwrap();
            for i in 0..7 {
                logkit::info!(get_logger("x"), "record %d", i);
            }
            println!("two left in the buffer");
        },
    },
    // ---- Queue handlers: records as `prepare` leaves them, written by the listener ----
    Case {
        name: "queue_handler_prepared_records_through_the_listener",
        files: &[],
        python: "import logging.handlers, queue
q = queue.Queue(-1)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter(
    '%(name)s %(levelname)s %(msg)s|%(args)s|%(message)s|%(exc_text)s'))
log = logging.getLogger('app.queue')
log.setLevel(logging.DEBUG)
log.addHandler(logging.handlers.QueueHandler(q))
listener = logging.handlers.QueueListener(q, h)
listener.start()
log.info('user %s took %d ms', 'bob', 7)
log.warning('100%% sure')
log.debug('%(user)s logged in', {'user': 'alice'})
log.error('%5.1f|%-6s|%x|%r|%c|%s', 2.25, 'ab', 255, 7, 'z', 1.5)
log.info('the same, prepared at the call: %s', 'adapter')
listener.stop()
",
        rust: || {
            let queue = logkit::QueueHandler::builder()
                .handler(stdout_with(
                    "%(name)s %(levelname)s %(msg)s|%(args)s|%(message)s|%(exc_text)s",
                ))
                .start()
                .unwrap();
            let log = get_logger("app.queue");
            log.set_level(Level::DEBUG);
            log.add_handler(Arc::clone(&queue));
            logkit::info!(log, "user %s took %d ms", "bob", 7);
            logkit::warning!(log, "100%% sure");
            logkit::debug!(log, "%(user)s logged in", user = "alice");
            logkit::error!(log, "%5.1f|%-6s|%x|%r|%c|%s", 2.25, "ab", 255, 7, 'z', 1.5);
            // A run-time call takes the prepared-at-the-call path.
            log.log(
                Level::INFO,
                "the same, prepared at the call: %s",
                &[Value::from("adapter")],
            );
            queue.listener().stop();
        },
    },
    // ---- What filters change on the record ----
    Case {
        name: "filter_replaced_levelname_in_every_formatter",
        files: &[],
        python: "def short_level(record):
    record.levelname = 'L'
    return True
logging.basicConfig(stream=sys.stdout)
log = logging.getLogger('app')
log.addFilter(short_level)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)-3s|%(message)s'))
log.addHandler(h)
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(logging.Formatter('%(levelname)-3s|%(levelno)d|%(message)s'))
log.addHandler(h2)
h3 = logging.StreamHandler(sys.stdout)
h3.setFormatter(logging.Formatter('{levelname:>3}/{message}', style='{'))
log.addHandler(h3)
h4 = logging.StreamHandler(sys.stdout)
h4.setFormatter(logging.Formatter('$levelname $message', style='$'))
log.addHandler(h4)
log.warning('hello %s', 'x')
",
        rust: || {
            basic_config().stdout().init().unwrap();
            let log = get_logger("app");
            log.add_filter(|r: &mut logkit::Record<'_>| {
                r.set_field("levelname", Value::from("L"));
                true
            });
            log.add_handler(stdout_with("%(levelname)-3s|%(message)s"));
            let h2 = StreamHandler::stdout();
            h2.set_formatter(logkit::formatter!(
                "%(levelname)-3s|%(levelno)d|%(message)s"
            ));
            log.add_handler(h2);
            let h3 = StreamHandler::stdout();
            h3.set_formatter(logkit::formatter!("{levelname:>3}/{message}", style = '{'));
            log.add_handler(h3);
            let h4 = StreamHandler::stdout();
            h4.set_formatter(
                Formatter::with_style("$levelname $message", Style::Dollar).unwrap(),
            );
            log.add_handler(h4);
            logkit::warning!(log, "hello %s", "x");
        },
    },
    Case {
        name: "handler_filter_changes_are_seen_by_later_handlers",
        files: &[],
        python: "def rename(record):
    record.name = 'renamed'
    record.levelname = 'warn'
    return True
logging.basicConfig(stream=sys.stdout, format='root %(levelname)s:%(name)s:%(message)s')
log = logging.getLogger('seq')
first = logging.StreamHandler(sys.stdout)
first.setFormatter(logging.Formatter('first %(levelname)s:%(name)s:%(message)s'))
log.addHandler(first)
second = logging.StreamHandler(sys.stdout)
second.setFormatter(logging.Formatter('second %(levelname)s:%(name)s:%(message)s'))
second.addFilter(rename)
log.addHandler(second)
third = logging.StreamHandler(sys.stdout)
third.setFormatter(logging.Formatter('third %(levelname)s:%(name)-8s:%(message)s'))
log.addHandler(third)
log.warning('one')
",
        rust: || {
            basic_config()
                .stdout()
                .format("root %(levelname)s:%(name)s:%(message)s")
                .init()
                .unwrap();
            let log = get_logger("seq");
            log.add_handler(stdout_with("first %(levelname)s:%(name)s:%(message)s"));
            let second = stdout_with("second %(levelname)s:%(name)s:%(message)s");
            second.add_filter(|r: &mut logkit::Record<'_>| {
                r.set_field("name", Value::from("renamed"));
                r.set_field("levelname", Value::from("warn"));
                true
            });
            log.add_handler(second);
            let third = StreamHandler::stdout();
            third.set_formatter(logkit::formatter!(
                "third %(levelname)s:%(name)-8s:%(message)s"
            ));
            log.add_handler(third);
            logkit::warning!(log, "one");
        },
    },
    Case {
        name: "filter_replaced_msg_and_args_change_the_message",
        files: &[],
        python: "def swap(record):
    record.msg = 'replaced %s-%s'
    record.args = ('a', 2)
    return True
log = logging.getLogger('m')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(msg)s|%(args)s|%(message)s'))
log.addHandler(h)
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(logging.Formatter('%(message)s'))
log.addHandler(h2)
log.addFilter(swap)
log.warning('original %d', 1)
log.warning('no args')
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(msg)s|%(args)s|%(message)s"));
            let h2 = StreamHandler::stdout();
            h2.set_formatter(logkit::formatter!("%(message)s"));
            log.add_handler(h2);
            log.add_filter(|r: &mut logkit::Record<'_>| {
                r.set_field("msg", Value::from("replaced %s-%s"));
                r.set_field("args", tuple(&[Value::from("a"), Value::Int(2)]));
                true
            });
            logkit::warning!(log, "original %d", 1);
            logkit::warning!(log, "no args");
        },
    },
    Case {
        name: "filter_template_not_fitting_the_call_arguments_reports_a_logging_error",
        files: &[],
        python: "templates = iter(['%s and %s', '%d ms', '%(key)s', 'none of them', '%s'])
def retemplate(record):
    record.msg = next(templates)
    return True
log = logging.getLogger('m')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)s %(message)s'))
h.addFilter(retemplate)
log.addHandler(h)
log.warning('%s', 'one')
log.warning('%s', 'text')
log.warning('%s', 'one')
log.warning('%s', 'one')
log.warning('%s %s', 'a', 'b')
",
        rust: || {
            let log = get_logger("m");
            let h = stdout_with("%(levelname)s %(message)s");
            let mut templates = ["%s and %s", "%d ms", "%(key)s", "none of them", "%s"].into_iter();
            let templates = std::sync::Mutex::new(move || templates.next().unwrap_or(""));
            h.add_filter(move |r: &mut logkit::Record<'_>| {
                let next = (templates.lock().unwrap())();
                r.set_field("msg", Value::from(next));
                true
            });
            log.add_handler(h);
            logkit::warning!(log, "%s", "one");
            logkit::warning!(log, "%s", "text");
            logkit::warning!(log, "%s", "one");
            logkit::warning!(log, "%s", "one");
            logkit::warning!(log, "%s %s", "a", "b");
        },
    },
    Case {
        name: "filter_prefixing_msg_keeps_the_call_arguments",
        files: &[],
        python: "def prefix(record):
    record.msg = '[req-7] ' + record.msg
    return True
log = logging.getLogger('m')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)s %(message)s|%(msg)s'))
h.addFilter(prefix)
log.addHandler(h)
log.warning('user %s took %5.1f ms', 'bob', 7.25)
log.warning('%(user)s logged in', {'user': 'alice'})
log.warning('plain 100%%')
log.warning('%s|%d', 'run-time', 3)
log.warning('%s', 'a', 'b')
",
        rust: || {
            let log = get_logger("m");
            let h = stdout_with("%(levelname)s %(message)s|%(msg)s");
            h.add_filter(|r: &mut logkit::Record<'_>| {
                let msg = format!("[req-7] {}", r.message().template());
                r.set_field("msg", Value::from(msg));
                true
            });
            log.add_handler(h);
            logkit::warning!(log, "user %s took %5.1f ms", "bob", 7.25);
            let user = "alice";
            logkit::warning!(log, "%(user)s logged in");
            logkit::warning!(log, "plain 100%%");
            log.log(
                Level::WARNING,
                "%s|%d",
                &[Value::from("run-time"), Value::Int(3)],
            );
            log.log(
                Level::WARNING,
                "%s",
                &[Value::from("a"), Value::from("b")],
            );
        },
    },
    // ---- Numeric attributes, at a fixed time ----
    Case {
        name: "time_attributes_with_flags_width_and_precision",
        files: &[],
        python: "log = logging.getLogger('t')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(created)f|%(created).3f|%(created)d|%(msecs)03d|%(msecs)d|'
    '%(msecs).1f|%(msecs)s|%(levelno)03d|%(levelno)-4d|%(asctime)s'))
log.addHandler(h)
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(logging.Formatter('{created:.2f}|{msecs:03.0f}|{levelno:>4}|{asctime}',
    datefmt='%Y/%m/%d %H.%M.%S', style='{'))
log.addHandler(h2)
r = logging.LogRecord('t', logging.WARNING, 'x.py', 1, 'fixed', None, None)
r.created = 1700000000.125
r.msecs = 125.0
log.handle(r)
r = logging.LogRecord('t', logging.ERROR, 'x.py', 1, 'fixed %s', ('two',), None)
r.created = 1700000000.007
r.msecs = 7.0
log.handle(r)
",
        rust: || {
            let log = get_logger("t");
            log.add_handler(stdout_with(
                "%(created)f|%(created).3f|%(created)d|%(msecs)03d|%(msecs)d|\
                 %(msecs).1f|%(msecs)s|%(levelno)03d|%(levelno)-4d|%(asctime)s",
            ));
            let h2 = StreamHandler::stdout();
            h2.set_formatter(
                Formatter::builder()
                    .template("{created:.2f}|{msecs:03.0f}|{levelno:>4}|{asctime}")
                    .style(Style::Brace)
                    .datefmt("%Y/%m/%d %H.%M.%S")
                    .build()
                    .unwrap(),
            );
            log.add_handler(h2);
            let here = logkit::Location::new("x.py", 1, "x");
            let mut r = logkit::Record::new("t", Level::WARNING, logkit::Message::text("fixed"), here)
                .with_created(logkit::Timestamp::new(1_700_000_000, 125_000_000));
            log.handle(&mut r);
            let args = [Value::from("two")];
            let mut r = logkit::Record::new(
                "t",
                Level::ERROR,
                logkit::Message::dynamic("fixed %s", &args),
                here,
            )
            .with_created(logkit::Timestamp::new(1_700_000_000, 7_000_000));
            log.handle(&mut r);
        },
    },
    // ---- Level names ----
    Case {
        name: "unnamed_custom_level_in_every_style",
        files: &[],
        python: "log = logging.getLogger('lv')
log.setLevel(1)
for t, s in [('%(levelname)s|%(levelname)-9s|%(levelname).5s|%(levelno)s', '%'),
             ('{levelname}|{levelname:>9}|{levelname!r}|{levelno}', '{'),
             ('$levelname|${levelname}|$levelno', '$')]:
    h = logging.StreamHandler(sys.stdout)
    h.setFormatter(logging.Formatter(t, style=s))
    log.addHandler(h)
log.log(25, 'unnamed')
logging.addLevelName(25, 'NOTICE')
log.log(25, 'named')
print(logging.getLevelName(25), logging.getLevelName(26), logging.getLevelName('NOTICE'),
      logging.getLevelName('WARN'))
",
        rust: || {
            let log = get_logger("lv");
            log.set_level(Level::new(1));
            log.add_handler(stdout_with(
                "%(levelname)s|%(levelname)-9s|%(levelname).5s|%(levelno)s",
            ));
            let h = StreamHandler::stdout();
            h.set_formatter(logkit::formatter!(
                "{levelname}|{levelname:>9}|{levelname!r}|{levelno}",
                style = '{'
            ));
            log.add_handler(h);
            let h = StreamHandler::stdout();
            h.set_formatter(
                Formatter::with_style("$levelname|${levelname}|$levelno", Style::Dollar).unwrap(),
            );
            log.add_handler(h);
            logkit::log!(log, 25, "unnamed");
            logkit::add_level_name(Level::new(25), "NOTICE");
            logkit::log!(log, 25, "named");
            println!(
                "{} {} {} {}",
                &*Level::new(25).name(),
                &*Level::new(26).name(),
                Level::from_name("NOTICE").unwrap().value(),
                Level::from_name("WARN").unwrap().value()
            );
        },
    },
    Case {
        name: "level_zero_records_are_never_emitted",
        files: &[],
        python: "log = logging.getLogger('z')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelno)s %(levelname)s %(message)s'))
log.addHandler(h)
log.setLevel(1)
log.log(0, 'level 0 is never emitted')
log.log(1, 'level 1 is')
logging.getLogger().setLevel(logging.NOTSET)
logging.getLogger().addHandler(h)
logging.getLogger().log(0, 'not from root either')
print(log.isEnabledFor(0), log.isEnabledFor(1))
",
        rust: || {
            let log = get_logger("z");
            let h = Arc::new(stdout_with("%(levelno)s %(levelname)s %(message)s"));
            log.add_handler(Arc::clone(&h));
            log.set_level(Level::new(1));
            log.log(Level::NOTSET, "level 0 is never emitted", &[]);
            logkit::log!(log, 1, "level 1 is");
            root().set_level(Level::NOTSET);
            root().add_handler(h);
            root().log(Level::NOTSET, "not from root either", &[]);
            println!(
                "{} {}",
                py_bool(log.is_enabled_for(Level::new(0))),
                py_bool(log.is_enabled_for(Level::new(1)))
            );
        },
    },
    Case {
        name: "effective_level_follows_ancestors_and_disable",
        files: &[],
        python: "a = logging.getLogger('a')
abc = logging.getLogger('a.b.c')
def show():
    print(logging.getLevelName(abc.getEffectiveLevel()), abc.isEnabledFor(logging.DEBUG),
          abc.isEnabledFor(logging.INFO), abc.isEnabledFor(logging.ERROR))
show()
a.setLevel(logging.DEBUG)
show()
logging.getLogger('a.b').setLevel(logging.ERROR)
show()
logging.disable(logging.ERROR)
show()
logging.disable(logging.NOTSET)
logging.getLogger('a.b').setLevel(logging.NOTSET)
show()
logging.getLogger().setLevel(logging.CRITICAL)
a.setLevel(logging.NOTSET)
show()
print(logging.getLevelName(logging.getLogger().getEffectiveLevel()),
      logging.getLogger().isEnabledFor(logging.CRITICAL))
",
        rust: || {
            let a = get_logger("a");
            let abc = get_logger("a.b.c");
            let show = || {
                println!(
                    "{} {} {} {}",
                    &*abc.effective_level().name(),
                    py_bool(abc.is_enabled_for(Level::DEBUG)),
                    py_bool(abc.is_enabled_for(Level::INFO)),
                    py_bool(abc.is_enabled_for(Level::ERROR))
                );
            };
            show();
            a.set_level(Level::DEBUG);
            show();
            get_logger("a.b").set_level(Level::ERROR);
            show();
            logkit::disable(Level::ERROR);
            show();
            logkit::disable(Level::NOTSET);
            get_logger("a.b").set_level(Level::NOTSET);
            show();
            root().set_level(Level::CRITICAL);
            a.set_level(Level::NOTSET);
            show();
            println!(
                "{} {}",
                &*root().effective_level().name(),
                py_bool(root().is_enabled_for(Level::CRITICAL))
            );
        },
    },
    // ---- Templates and messages ----
    Case {
        name: "percent_escapes_in_templates_and_messages",
        files: &[],
        python: "log = logging.getLogger('p')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%% %(message)s %%%%'))
log.addHandler(h)
h2 = logging.StreamHandler(sys.stdout)
h2.setFormatter(logging.Formatter('{{}} {message} {{x}}', style='{'))
log.addHandler(h2)
h3 = logging.StreamHandler(sys.stdout)
h3.setFormatter(logging.Formatter('$$ $message $$x', style='$'))
log.addHandler(h3)
log.warning('100%')
log.warning('50%% of %s', 'it')
log.warning('%%(x)s %s', 'y')
",
        rust: || {
            let log = get_logger("p");
            let h = StreamHandler::stdout();
            h.set_formatter(logkit::formatter!("%% %(message)s %%%%"));
            log.add_handler(h);
            let h2 = StreamHandler::stdout();
            h2.set_formatter(Formatter::with_style("{{}} {message} {{x}}", Style::Brace).unwrap());
            log.add_handler(h2);
            let h3 = StreamHandler::stdout();
            h3.set_formatter(logkit::formatter!("$$ $message $$x", style = '$'));
            log.add_handler(h3);
            log.log(Level::WARNING, "100%", &[]);
            logkit::warning!(log, "50%% of %s", "it");
            logkit::warning!(log, "%%(x)s %s", "y");
        },
    },
    Case {
        name: "control_characters_in_messages_are_written_as_they_are",
        files: &[],
        python: r"log = logging.getLogger('ctl')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)s:%(name)s:%(message)s|'))
log.addHandler(h)
log.warning('login ok\nCRITICAL root: disk on fire\rX\x1b[31mred\x00end\x85\u2028\ttab\x7f')
log.warning('%s and %r', 'arg\nline', 'arg\nline')
",
        rust: || {
            let log = get_logger("ctl");
            log.add_handler(stdout_with("%(levelname)s:%(name)s:%(message)s|"));
            log.log(
                Level::WARNING,
                "login ok\nCRITICAL root: disk on fire\rX\x1b[31mred\0end\u{85}\u{2028}\ttab\x7f",
                &[],
            );
            log.log(
                Level::WARNING,
                "%s and %r",
                &["arg\nline".into(), "arg\nline".into()],
            );
        },
    },
    Case {
        name: "merge_lone_dict_tuple_and_none_arguments",
        files: &[],
        python: "log = logging.getLogger('m')
log.addHandler(logging.StreamHandler(sys.stdout))
log.warning('%s', {'a': 1, 'b': None})
log.warning('%r', {'k': 'v'})
log.warning('%s', None)
log.warning('%r', None)
log.warning('%s', ())
log.warning('%s', ('only',))
log.warning('%s %s', (1,), None)
log.warning('%(a)s|%(b)r|%(c)s', {'a': None, 'b': (1, 'x'), 'c': {'d': 2}})
log.warning('%s|%s', {}, {'z': 0.5})
",
        rust: || {
            let log = get_logger("m");
            log.add_handler(stdout_with("%(message)s"));
            let w = |m: &str, args: &[Value<'static>]| log.log(Level::WARNING, m, args);
            w("%s", &[map(&[("a", Value::Int(1)), ("b", Value::None)])]);
            w("%r", &[map(&[("k", Value::from("v"))])]);
            w("%s", &[Value::None]);
            w("%r", &[Value::None]);
            w("%s", &[tuple(&[])]);
            w("%s", &[tuple(&[Value::from("only")])]);
            w("%s %s", &[tuple(&[Value::Int(1)]), Value::None]);
            w(
                "%(a)s|%(b)r|%(c)s",
                &[map(&[
                    ("a", Value::None),
                    ("b", tuple(&[Value::Int(1), Value::from("x")])),
                    ("c", map(&[("d", Value::Int(2))])),
                ])],
            );
            w("%s|%s", &[map(&[]), map(&[("z", Value::Float(0.5))])]);
        },
    },
    Case {
        name: "unset_record_attributes_print_none",
        files: &[],
        python: "log = logging.getLogger('n')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter(
    '%(exc_info)s|%(exc_text)s|%(stack_info)s|%(threadName)s|%(processName)s|%(args)s|%(msg)s'))
log.addHandler(h)
log.warning('plain')
log.warning('with %s', 'arg')
",
        rust: || {
            let log = get_logger("n");
            log.add_handler(stdout_with(
                "%(exc_info)s|%(exc_text)s|%(stack_info)s|%(threadName)s|%(processName)s|%(args)s|%(msg)s",
            ));
            log.log(Level::WARNING, "plain", &[]);
            log.log(Level::WARNING, "with %s", &[Value::from("arg")]);
        },
    },
    // ---- Handlers without a formatter, basicConfig ----
    Case {
        name: "handler_without_formatter_prints_the_message",
        files: &[],
        python: "log = logging.getLogger('plain')
log.addHandler(logging.StreamHandler(sys.stdout))
log.addHandler(logging.FileHandler('plain.log', 'w'))
log.warning('no formatter: %s', 'just the message')
log.error('twice')
",
        rust: || {
            let log = get_logger("plain");
            log.add_handler(StreamHandler::stdout());
            log.add_handler(
                FileHandler::options("plain.log")
                    .mode(FileMode::Write)
                    .open()
                    .unwrap(),
            );
            logkit::warning!(log, "no formatter: %s", "just the message");
            logkit::error!(log, "twice");
        },
    },
    Case {
        name: "basic_config_dollar_style",
        files: &[],
        python: "logging.basicConfig(format='$levelname:$name:${message}!', style='$', stream=sys.stdout,
                    level=logging.INFO)
logging.getLogger('app').info('dollar %s', 'style')
logging.getLogger().debug('dropped')
",
        rust: || {
            basic_config()
                .format("$levelname:$name:${message}!")
                .style(Style::Dollar)
                .stdout()
                .level(Level::INFO)
                .init()
                .unwrap();
            logkit::info!(get_logger("app"), "dollar %s", "style");
            logkit::debug!(root(), "dropped");
        },
    },
    Case {
        name: "basic_config_force_closes_old_handlers_and_formats_given_ones",
        files: &[],
        python: "logging.basicConfig(filename='first.log', filemode='w', format='first %(message)s')
logging.getLogger().warning('to the first file')
a = logging.StreamHandler(sys.stdout)
b = logging.StreamHandler(sys.stdout)
b.setFormatter(logging.Formatter('b has its own: %(message)s'))
logging.basicConfig(handlers=[a, b], format='%(levelname)s via a: %(message)s', force=True)
logging.getLogger().warning('after force')
print(len(logging.getLogger().handlers))
",
        rust: || {
            basic_config()
                .filename("first.log")
                .filemode("w")
                .format("first %(message)s")
                .init()
                .unwrap();
            logkit::warning!(root(), "to the first file");
            let a = StreamHandler::stdout();
            let b = stdout_with("b has its own: %(message)s");
            basic_config()
                .handler(a)
                .handler(b)
                .format("%(levelname)s via a: %(message)s")
                .force(true)
                .init()
                .unwrap();
            logkit::warning!(root(), "after force");
            println!("{}", root().handlers().len());
        },
    },
    Case {
        name: "level_names_mapping_in_cpythons_order",
        files: &[],
        python: "logging.addLevelName(5, 'TRACE')
logging.addLevelName(25, 'NOTICE')
logging.addLevelName(35, 'WARNING')
for name, level in logging.getLevelNamesMapping().items():
    print(name, level)
",
        rust: || {
            logkit::add_level_name(Level::new(25), "NOTICE");
            logkit::add_level_name(Level::new(35), "WARNING");
            for (name, level) in logkit::level_names() {
                println!("{name} {}", level.value());
            }
        },
    },
    Case {
        name: "handlers_found_by_name",
        files: &[],
        // Python 3.12's `getHandlerByName`/`getHandlerNames` read `logging._handlers`.
        python: "a = logging.StreamHandler(sys.stdout)
a.set_name('console')
b = logging.NullHandler()
b.set_name('quiet')
logging.getLogger('x').addHandler(a)
logging.getLogger('y').addHandler(b)
print(sorted(logging._handlers))
print(type(logging._handlers.get('console')).__name__, logging._handlers.get('nowhere'))
",
        rust: || {
            let a = StreamHandler::stdout();
            a.set_name("console");
            let b = NullHandler::new();
            b.set_name("quiet");
            get_logger("x").add_handler(a);
            get_logger("y").add_handler(b);
            let names: Vec<String> = logkit::handler_names()
                .iter()
                .map(|n| format!("'{n}'"))
                .collect();
            println!("[{}]", names.join(", "));
            let kind = logkit::handler_by_name("console").map(|h| h.kind());
            let missing = logkit::handler_by_name("nowhere").map(|h| h.kind());
            println!(
                "{} {}",
                kind.unwrap_or("None"),
                missing.unwrap_or("None")
            );
        },
    },
    Case {
        name: "syslog_priorities_encoded_and_mapped",
        files: &[],
        python: "import logging.handlers as lh
h = lh.SysLogHandler(('127.0.0.1', 15514))
print(h.encodePriority('local0', 'err'), h.encodePriority('user', 'notice'), h.encodePriority('daemon', 'panic'))
for name in ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL', 'NOTICE']:
    print(name, h.mapPriority(name))
h.priority_map['NOTICE'] = 'notice'
print(h.mapPriority('NOTICE'), h.encodePriority(h.facility, h.mapPriority('NOTICE')))
h.close()
",
        rust: || {
            use logkit::{Facility, SysLogHandler, SyslogAddress, syslog_priority_code};
            let encode = |facility: &str, priority: &str| {
                SysLogHandler::encode_priority(
                    Facility::from_name(facility).unwrap(),
                    syslog_priority_code(priority).unwrap(),
                )
            };
            println!(
                "{} {} {}",
                encode("local0", "err"),
                encode("user", "notice"),
                encode("daemon", "panic")
            );
            let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", 15514))
                .build()
                .unwrap();
            for name in ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", "NOTICE"] {
                println!("{name} {}", h.map_priority(name));
            }
            let h = SysLogHandler::options(SyslogAddress::inet("127.0.0.1", 15514))
                .map_priority("NOTICE", "notice")
                .build()
                .unwrap();
            println!("{} {}", h.map_priority("NOTICE"), h.priority("NOTICE"));
        },
    },
    Case {
        name: "a_handler_never_attached_is_flushed_and_closed_at_exit",
        files: &[],
        python: "import logging.handlers as lh
target = logging.FileHandler('target.log')
target.setFormatter(logging.Formatter('%(levelname)s %(message)s'))
memory = lh.MemoryHandler(100, flushLevel=logging.CRITICAL, target=target)
log = logging.getLogger('held')
log.addHandler(memory)
log.warning('kept in memory until exit')
log.error('this one too')
",
        rust: || {
            let target = FileHandler::new("target.log").unwrap();
            target.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
            let memory = logkit::MemoryHandler::new(100, Level::CRITICAL, target);
            let log = get_logger("held");
            log.add_handler(memory);
            logkit::warning!(log, "kept in memory until exit");
            logkit::error!(log, "this one too");
        },
    },
    Case {
        name: "set_stream_returns_the_old_stream_or_none",
        files: &[],
        python: "h = logging.StreamHandler(sys.stdout)
print(h.setStream(sys.stdout))
print(h.setStream(sys.stderr) is sys.stdout)
log = logging.getLogger('streams')
log.addHandler(h)
log.warning('to stderr')
print(h.setStream(sys.stdout) is sys.stderr)
log.warning('to stdout')
",
        rust: || {
            use logkit::Output;
            let h = Arc::new(StreamHandler::stdout());
            println!("{}", if h.set_stream(Output::Stdout).is_none() { "None" } else { "?" });
            println!("{}", py_bool(matches!(h.set_stream(Output::Stderr), Some(Output::Stdout))));
            let log = get_logger("streams");
            log.add_handler(Arc::clone(&h));
            logkit::warning!(log, "to stderr");
            println!("{}", py_bool(matches!(h.set_stream(Output::Stdout), Some(Output::Stderr))));
            logkit::warning!(log, "to stdout");
        },
    },
    Case {
        name: "formatter_class_attributes_set_every_formatters_time",
        files: &[],
        python: "import time
logging.Formatter.converter = time.gmtime
logging.Formatter.default_time_format = '%Y/%m/%d %H-%M-%S'
logging.Formatter.default_msec_format = '%s.%03d'
r = logging.makeLogRecord({'msg': 'class attributes', 'created': 1700000000.125, 'msecs': 125.0})
print(logging.Formatter('%(asctime)s|%(message)s').format(r))
logging.Formatter.default_msec_format = None
print(logging.Formatter('%(asctime)s|%(message)s').format(r))
print(logging.Formatter('%(asctime)s|%(message)s', datefmt='%H:%M').format(r))
",
        rust: || {
            use logkit::clock::Converter;
            use logkit::format::time::{TimeDefaults, set_time_defaults};
            use logkit::{Location, Message, Record, Timestamp};
            let here = Location {
                file: "",
                line: 0,
                module_path: "",
                function: "",
            };
            let record = Record::new("root", Level::INFO, Message::text("class attributes"), here)
                .with_created(Timestamp::new(1_700_000_000, 125_000_000));
            let print = |formatter: Formatter| {
                let mut out = String::new();
                logkit::Format::format(&formatter, &record, &mut out).unwrap();
                println!("{out}");
            };
            let defaults = TimeDefaults::default()
                .converter(Converter::Utc)
                .default_time_format("%Y/%m/%d %H-%M-%S")
                .default_msec_format(Some("%s.%03d"));
            set_time_defaults(defaults.clone());
            print(Formatter::new("%(asctime)s|%(message)s").unwrap());
            set_time_defaults(defaults.default_msec_format(None));
            print(Formatter::new("%(asctime)s|%(message)s").unwrap());
            print(
                Formatter::builder()
                    .template("%(asctime)s|%(message)s")
                    .datefmt("%H:%M")
                    .build()
                    .unwrap(),
            );
        },
    },
    Case {
        name: "file_encodings_and_their_error_handlers",
        files: &[],
        python: "log = logging.getLogger('enc')
for name, enc, errors in [('ascii.log', 'ascii', 'backslashreplace'), ('latin.log', 'latin-1', None),
                          ('xml.log', 'US-ASCII', 'xmlcharrefreplace'), ('replace.log', 'iso-8859-1', 'replace')]:
    h = logging.FileHandler(name, encoding=enc, errors=errors)
    h.setFormatter(logging.Formatter('%(levelname)s %(message)s'))
    log.addHandler(h)
log.warning('caf\\u00e9 costs %d\\u20ac', 3)
log.warning('plain')
logging.basicConfig(filename='basic.log', encoding='ascii')
logging.getLogger().warning('na\\u00efve \\u2713')
",
        rust: || {
            let log = get_logger("enc");
            for (name, enc, errors) in [
                ("ascii.log", "ascii", Some("backslashreplace")),
                ("latin.log", "latin-1", None),
                ("xml.log", "US-ASCII", Some("xmlcharrefreplace")),
                ("replace.log", "iso-8859-1", Some("replace")),
            ] {
                let mut options = logkit::FileHandler::options(name).encoding(enc);
                if let Some(errors) = errors {
                    options = options.errors(errors);
                }
                let h = options.open().unwrap();
                h.set_formatter(Formatter::new("%(levelname)s %(message)s").unwrap());
                log.add_handler(h);
            }
            logkit::warning!(log, "caf\u{e9} costs %d\u{20ac}", 3);
            logkit::warning!(log, "plain");
            basic_config()
                .filename("basic.log")
                .encoding("ascii")
                .init()
                .unwrap();
            logkit::warning!(root(), "na\u{ef}ve \u{2713}");
        },
    },
    Case {
        name: "brace_fields_index_attributes",
        files: &[],
        python: "log = logging.getLogger('app.idx')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('{levelname[0]}|{name[0]:>3}|{args[1]}|{message[0]}|{levelname}', style='{'))
log.addHandler(h)
log.warning('m %s %s', 1, 'a')
for bad in ['{levelname[10]}', '{args[5]}', '{levelname[x]}', '{lineno[0]}']:
    h.setFormatter(logging.Formatter(bad, style='{'))
    log.warning('m %s %s', 1, 'a')
",
        rust: || {
            let log = get_logger("app.idx");
            let h = Arc::new(StreamHandler::stdout());
            let brace = |t: &str| Formatter::with_style(t, Style::Brace).unwrap();
            h.set_formatter(brace(
                "{levelname[0]}|{name[0]:>3}|{args[1]}|{message[0]}|{levelname}",
            ));
            log.add_handler(Arc::clone(&h));
            logkit::warning!(log, "m %s %s", 1, "a");
            for bad in [
                "{levelname[10]}",
                "{args[5]}",
                "{levelname[x]}",
                "{lineno[0]}",
            ] {
                h.set_formatter(brace(bad));
                logkit::warning!(log, "m %s %s", 1, "a");
            }
        },
    },
    Case {
        name: "placeholders_become_parents_of_the_loggers_made_below_them",
        files: &[],
        python: "low = logging.getLogger('a.b.c.d')
beside = logging.getLogger('a.bc')
top = logging.getLogger('a')
print(low.parent.name, beside.parent.name, top.parent.name)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(name)s %(levelname)s %(message)s'))
middle = logging.getLogger('a.b')
middle.addHandler(h)
middle.setLevel(logging.DEBUG)
print(low.parent.name, beside.parent.name, middle.parent.name)
low.debug('a.b.c.d inherits DEBUG from a.b')
beside.debug('a.bc is not below a.b')
near = logging.getLogger('a.b.c')
near.setLevel(logging.ERROR)
print(low.parent.name, near.parent.name, low.getEffectiveLevel(), beside.getEffectiveLevel())
low.warning('dropped: a.b.c is at ERROR')
low.error('a.b.c.d error reaches a.b')
near.setLevel(logging.NOTSET)
low.info('a.b.c.d inherits DEBUG again')
",
        rust: || {
            let low = get_logger("a.b.c.d");
            let beside = get_logger("a.bc");
            let top = get_logger("a");
            let parent = |l: logkit::Logger| l.parent().map_or("", |p| p.name());
            println!("{} {} {}", parent(low), parent(beside), parent(top));
            let middle = get_logger("a.b");
            middle.add_handler(stdout_with("%(name)s %(levelname)s %(message)s"));
            middle.set_level(Level::DEBUG);
            println!("{} {} {}", parent(low), parent(beside), parent(middle));
            logkit::debug!(low, "a.b.c.d inherits DEBUG from a.b");
            logkit::debug!(beside, "a.bc is not below a.b");
            let near = get_logger("a.b.c");
            near.set_level(Level::ERROR);
            println!(
                "{} {} {} {}",
                parent(low),
                parent(near),
                low.effective_level().value(),
                beside.effective_level().value()
            );
            logkit::warning!(low, "dropped: a.b.c is at ERROR");
            logkit::error!(low, "a.b.c.d error reaches a.b");
            near.set_level(Level::NOTSET);
            logkit::info!(low, "a.b.c.d inherits DEBUG again");
        },
    },
    Case {
        name: "templates_without_a_field_are_refused_unless_not_validated",
        files: &[],
        python: "for t, style in [('plain text', '%'), ('{asctime}', '%'), ('100%%', '%'), ('plain', '{'), ('$$ only', '$')]:
    try:
        logging.Formatter(t, style=style)
        print('accepted', t)
    except ValueError as e:
        print('refused', e)
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('100%% plain, no field', validate=False))
log = logging.getLogger('novalidate')
log.addHandler(h)
log.warning('not shown')
logging.config.dictConfig({'version': 1, 'formatters': {'f': {'format': 'fixed {{text}}', 'style': '{', 'validate': False}},
    'handlers': {'h': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout', 'formatter': 'f'}},
    'loggers': {'cfg': {'handlers': ['h']}}})
logging.getLogger('cfg').warning('not shown either')
",
        rust: || {
            for (t, style) in [
                ("plain text", Style::Percent),
                ("{asctime}", Style::Percent),
                ("100%%", Style::Percent),
                ("plain", Style::Brace),
                ("$$ only", Style::Dollar),
            ] {
                match Formatter::with_style(t, style) {
                    Ok(_) => println!("accepted {t}"),
                    Err(e) => {
                        let text = e.to_string();
                        let at = text.rfind("Invalid format").or_else(|| text.rfind("invalid format"));
                        println!("refused {}", &text[at.unwrap_or(0)..]);
                    }
                }
            }
            let h = StreamHandler::stdout();
            h.set_formatter(
                Formatter::builder()
                    .template("100%% plain, no field")
                    .validate(false)
                    .build()
                    .unwrap(),
            );
            let log = get_logger("novalidate");
            log.add_handler(h);
            logkit::warning!(log, "not shown");
            let config = config::ConfigValue::from_python(
                "{'version': 1, 'formatters': {'f': {'format': 'fixed {{text}}', 'style': '{', 'validate': False}},
                  'handlers': {'h': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout', 'formatter': 'f'}},
                  'loggers': {'cfg': {'handlers': ['h']}}}",
            )
            .unwrap();
            config::dict_config(&config).unwrap();
            logkit::warning!(get_logger("cfg"), "not shown either");
        },
    },
    Case {
        name: "dict_config_sections_by_reference_and_flags_by_truth",
        files: &[],
        python: "logging.config.dictConfig({
    'version': 1,
    'true_formatters': {'short': {'format': '%(name)s|%(message)s'}},
    'formatters': 'cfg://true_formatters',
    'handlers': {'out': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout', 'formatter': 'short'}},
    'root': {'handlers': ['out'], 'level': 'INFO'},
    'loggers': {
        'text_false': {'propagate': 'false'},
        'zero': {'propagate': 0},
        'empty': {'propagate': ''},
        'one': {'propagate': 1},
    },
})
for name in ['text_false', 'zero', 'empty', 'one']:
    print(name, bool(logging.getLogger(name).propagate))
    logging.getLogger(name).info('from %s', name)
",
        rust: || {
            let config = config::ConfigValue::from_python(
                "{
    'version': 1,
    'true_formatters': {'short': {'format': '%(name)s|%(message)s'}},
    'formatters': 'cfg://true_formatters',
    'handlers': {'out': {'class': 'logging.StreamHandler', 'stream': 'ext://sys.stdout', 'formatter': 'short'}},
    'root': {'handlers': ['out'], 'level': 'INFO'},
    'loggers': {
        'text_false': {'propagate': 'false'},
        'zero': {'propagate': 0},
        'empty': {'propagate': ''},
        'one': {'propagate': 1},
    },
}",
            )
            .unwrap();
            config::dict_config(&config).unwrap();
            for name in ["text_false", "zero", "empty", "one"] {
                let logger = get_logger(name);
                println!("{name} {}", py_bool(logger.propagate()));
                logkit::info!(logger, "from %s", name);
            }
        },
    },
    Case {
        name: "format_exception_replaced_and_cached_for_later_handlers",
        files: &[],
        python: "class Short(logging.Formatter):
    def formatException(self, ei):
        return 'custom: ' + str(ei[1])
    def formatStack(self, stack_info):
        return 'stack elided'
log = logging.getLogger('exc')
first = logging.StreamHandler(sys.stdout)
first.setFormatter(Short('first %(message)s'))
second = logging.StreamHandler(sys.stdout)
second.setFormatter(logging.Formatter('second %(message)s'))
log.addHandler(first)
log.addHandler(second)
try:
    raise OSError('disk on fire')
except OSError:
    log.error('failed', exc_info=True)
first.setFormatter(Short('%(message)s'))
second.setFormatter(Short('second %(message)s'))
log.error('with a stack', stack_info=True)
",
        rust: || {
            let log = get_logger("exc");
            let short = |template: &str| {
                Formatter::builder()
                    .template(template)
                    .format_exception(|e| format!("custom: {}", e.error))
                    .format_stack(|_| "stack elided".to_owned())
                    .build()
                    .unwrap()
            };
            let first = Arc::new(StreamHandler::stdout());
            first.set_formatter(short("first %(message)s"));
            log.add_handler(Arc::clone(&first));
            let second = Arc::new(stdout_with("second %(message)s"));
            log.add_handler(Arc::clone(&second));
            let err = std::io::Error::other("disk on fire");
            logkit::error!(log, "failed"; exc_info = err);
            first.set_formatter(short("%(message)s"));
            second.set_formatter(short("second %(message)s"));
            logkit::error!(log, "with a stack"; stack_info = true);
        },
    },
    Case {
        name: "run_time_values_lists_dict_keys_and_messages_of_any_type",
        files: &[],
        python: "log = logging.getLogger('values')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(message)s | %(args)s'))
log.addHandler(h)
log.warning('%s and %r', [1, 'a', None], {1: 'one', 'k': None, 2.5: True})
log.warning('%(user)s owns %(n)d', {'user': 'bob', 3: 'c', 'n': 7})
log.warning('one list: %s', [(1, 2), [3]])
log.warning(42)
log.warning(['x', 2])
log.warning({'user': 'bob', 3: 'c'})
",
        rust: || {
            let log = get_logger("values");
            log.add_handler(stdout_with("%(message)s | %(args)s"));
            let list = |items: Vec<Value<'static>>| Value::List(items.into());
            let dict = |items: Vec<(Value<'static>, Value<'static>)>| Value::Map(items.into());
            log.log(
                Level::WARNING,
                "%s and %r",
                &[
                    list(vec![1.into(), "a".into(), Value::None]),
                    dict(vec![
                        (1.into(), "one".into()),
                        ("k".into(), Value::None),
                        (2.5.into(), true.into()),
                    ]),
                ],
            );
            log.log(
                Level::WARNING,
                "%(user)s owns %(n)d",
                &[dict(vec![
                    ("user".into(), "bob".into()),
                    (3.into(), "c".into()),
                    ("n".into(), 7.into()),
                ])],
            );
            log.log(
                Level::WARNING,
                "one list: %s",
                &[list(vec![tuple(&[1.into(), 2.into()]), list(vec![3.into()])])],
            );
            log.log_value(Level::WARNING, &42.into(), &[]);
            log.log_value(Level::WARNING, &list(vec!["x".into(), 2.into()]), &[]);
            log.log_value(
                Level::WARNING,
                &dict(vec![("user".into(), "bob".into()), (3.into(), "c".into())]),
                &[],
            );
        },
    },
    Case {
        name: "level_aliases_warn_and_fatal",
        files: &[],
        python: "print(logging.WARN, logging.FATAL, logging.getLevelName('WARN'), logging.getLevelName('FATAL'))
print(logging.getLevelName(logging.WARN), logging.getLevelName(logging.FATAL))
log = logging.getLogger('alias')
log.setLevel('WARN')
log.addHandler(logging.StreamHandler(sys.stdout))
print(log.level, log.getEffectiveLevel())
log.log(logging.FATAL, 'fatal is critical')
log.info('dropped')
",
        rust: || {
            let by_name = |n: &str| n.parse::<Level>().unwrap().value();
            println!(
                "{} {} {} {}",
                Level::WARN.value(),
                Level::FATAL.value(),
                by_name("WARN"),
                by_name("FATAL")
            );
            println!("{} {}", Level::WARN.name(), Level::FATAL.name());
            let log = get_logger("alias");
            log.set_level("WARN".parse().unwrap());
            log.add_handler(StreamHandler::stdout());
            println!("{} {}", log.level().value(), log.effective_level().value());
            logkit::log!(log, fatal, "fatal is critical");
            logkit::info!(log, "dropped");
        },
    },
    Case {
        name: "basic_config_argument_errors_end_with_cpythons_text",
        files: &[],
        python: "for kw in [{'stream': sys.stdout, 'filename': 'x.log'}, {'handlers': [logging.NullHandler()], 'filename': 'x.log'},
           {'handlers': [logging.NullHandler()], 'stream': sys.stdout}]:
    try:
        logging.basicConfig(force=True, **kw)
        print('accepted')
    except ValueError as e:
        print('ValueError:', e)
",
        rust: || {
            let attempts = [
                basic_config().stdout().filename("x.log"),
                basic_config().handler(NullHandler::new()).filename("x.log"),
                basic_config().handler(NullHandler::new()).stdout(),
            ];
            for attempt in attempts {
                match attempt.force(true).init() {
                    Ok(_) => println!("accepted"),
                    Err(e) => {
                        let text = e.to_string();
                        let cpython = text.strip_prefix("basic_config: ").unwrap_or(&text);
                        println!("ValueError: {cpython}");
                    }
                }
            }
        },
    },
    Case {
        name: "http_handler_method_error_ends_with_cpythons_text",
        files: &[],
        python: "import logging.handlers
for method in ['get', 'POST', 'put', 'DELETE']:
    try:
        logging.handlers.HTTPHandler('localhost:1', '/log', method=method)
        print(method, 'accepted')
    except ValueError as e:
        print(method, 'ValueError:', e)
",
        rust: || {
            for method in ["get", "POST", "put", "DELETE"] {
                match logkit::HttpMethod::from_python(method) {
                    Ok(_) => println!("{method} accepted"),
                    Err(e) => {
                        let text = e.to_string();
                        println!("{method} ValueError: {}", text.rsplit(": ").next().unwrap_or(&text));
                    }
                }
            }
        },
    },
    Case {
        name: "gmtime_converter_names_the_zone_gmt",
        files: &[],
        python: "import time
logging.Formatter.converter = time.gmtime
r = logging.makeLogRecord({'msg': 'zone', 'created': 1700000000.5, 'msecs': 500.0})
print(logging.Formatter('%(asctime)s %(message)s', datefmt='%Y-%m-%d %H:%M:%S %Z %z').format(r))
print(logging.Formatter('{asctime} {message}', datefmt='%a %d %b %Y %I%p', style='{').format(r))
",
        rust: || {
            use logkit::clock::Converter;
            use logkit::format::time::{TimeDefaults, set_time_defaults};
            use logkit::{Location, Message, Record, Timestamp};
            set_time_defaults(TimeDefaults::default().converter(Converter::Utc));
            let record = Record::new(
                "root",
                Level::INFO,
                Message::text("zone"),
                Location {
                    file: "",
                    line: 0,
                    module_path: "",
                    function: "",
                },
            )
            .with_created(Timestamp::new(1_700_000_000, 500_000_000));
            for formatter in [
                Formatter::builder()
                    .template("%(asctime)s %(message)s")
                    .datefmt("%Y-%m-%d %H:%M:%S %Z %z")
                    .build()
                    .unwrap(),
                Formatter::builder()
                    .template("{asctime} {message}")
                    .style(Style::Brace)
                    .datefmt("%a %d %b %Y %I%p")
                    .build()
                    .unwrap(),
            ] {
                let mut out = String::new();
                logkit::Format::format(&formatter, &record, &mut out).unwrap();
                println!("{out}");
            }
        },
    },
    Case {
        name: "logger_adapter_process_rewrites_each_message",
        files: &[],
        python: "class Conn(logging.LoggerAdapter):
    def process(self, msg, kwargs):
        kwargs['extra'] = self.extra
        return '[%s] %s' % (self.extra['connid'], msg), kwargs
log = logging.getLogger('conn')
h = logging.StreamHandler(sys.stdout)
h.setFormatter(logging.Formatter('%(levelname)s %(message)s | %(msg)s | %(connid)s'))
log.addHandler(h)
conn = Conn(log, {'connid': 42})
conn.warning('closed after %d s', 3)
conn.error('100%% done')
conn.log(logging.WARNING, '%(a)s %(b)s', {'a': 1, 'b': 2})
",
        rust: || {
            let log = get_logger("conn");
            log.add_handler(stdout_with("%(levelname)s %(message)s | %(msg)s | %(connid)s"));
            let conn = log
                .adapter([("connid", Value::from(42))])
                .unwrap()
                .with_process(|msg, fields| {
                    let id = fields
                        .iter()
                        .find(|(k, _)| k == "connid")
                        .map(|(_, v)| v.to_string())
                        .unwrap_or_default();
                    format!("[{id}] {msg}")
                });
            logkit::warning!(conn, "closed after %d s", 3);
            logkit::error!(conn, "100%% done");
            conn.log(
                Level::WARNING,
                "%(a)s %(b)s",
                &[map(&[("a", Value::from(1)), ("b", Value::from(2))])],
            );
        },
    },
    Case {
        name: "configured_file_handlers_take_encoding_and_errors",
        files: &[(
            "enc.ini",
            "[loggers]\nkeys=root\n\n[handlers]\nkeys=ini\n\n[formatters]\nkeys=\n\n[logger_root]\nlevel=WARNING\nhandlers=ini\n\n[handler_ini]\nclass=handlers.RotatingFileHandler\nargs=('ini.log', 'a', 0, 0, 'latin-1', False, 'xmlcharrefreplace')\n",
        )],
        python: "import logging.config
logging.config.fileConfig('enc.ini')
logging.config.dictConfig({'version': 1, 'incremental': False, 'disable_existing_loggers': False,
    'handlers': {'d': {'class': 'logging.FileHandler', 'filename': 'dict.log', 'encoding': 'ascii', 'errors': 'replace'}},
    'loggers': {'cfg': {'handlers': ['d']}}})
logging.getLogger('cfg').warning('caf\\u00e9 \\u2713')
logging.getLogger().warning('na\\u00efve \\u2713')
",
        rust: || {
            config::file_config("enc.ini").unwrap();
            let dict = config::ConfigValue::from_python(
                "{'version': 1, 'incremental': False, 'disable_existing_loggers': False,
                  'handlers': {'d': {'class': 'logging.FileHandler', 'filename': 'dict.log', 'encoding': 'ascii', 'errors': 'replace'}},
                  'loggers': {'cfg': {'handlers': ['d']}}}",
            )
            .unwrap();
            config::dict_config(&dict).unwrap();
            logkit::warning!(get_logger("cfg"), "caf\u{e9} \u{2713}");
            logkit::warning!(root(), "na\u{ef}ve \u{2713}");
        },
    },
];
