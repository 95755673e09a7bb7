//! Colour on terminals, checked under a real pseudo-terminal (`script` runs each child test
//! with its stdout and stderr on a pty) and through a pipe: `basic_config()` colours the
//! level name on a terminal; `NO_COLOR`, `FORCE_COLOR`, `CLICOLOR_FORCE` and `Color` are
//! honoured; colorlog's templates and `log_colors` work in code and configurations; files,
//! pipes and JSON never get an escape; `formatter!` writes what `Formatter` writes.

use std::process::Command;

use logkit::config::{ConfigValue, FileConfig, dict_config};
use logkit::format::{Color, LogColors, with_terminal_output};
use logkit::{
    Formatter, Handler, JsonFormatter, Level, Location, Message, Record, StreamHandler,
    basic_config, get_logger,
};
use logkit_tests::{CHILD_ENV, is_child, temp_dir};

const ESC: char = '\x1b';

/// Runs the child test `test` with `env`, under a pseudo-terminal when `tty`: what it wrote
/// (stdout and stderr; on a pty, both went to the terminal).
fn run(test: &str, tty: bool, env: &[(&str, &str)]) -> String {
    let exe = std::env::current_exe().expect("the test binary");
    let args = [test, "--exact", "--nocapture", "--test-threads=1", "-q"];
    let mut cmd = if tty {
        let line = std::iter::once(exe.display().to_string())
            .chain(args.iter().map(|a| (*a).to_owned()))
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ");
        let mut c = Command::new("script");
        c.args(["-q", "-e", "-c", &line, "/dev/null"]);
        c
    } else {
        let mut c = Command::new(exe);
        c.args(args);
        c
    };
    for var in [
        "NO_COLOR",
        "FORCE_COLOR",
        "CLICOLOR_FORCE",
        "LOGKIT_LEVEL",
        "RUST_LOG",
    ] {
        cmd.env_remove(var);
    }
    cmd.env(CHILD_ENV, "1").envs(env.iter().copied());
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("cannot run the child test `{test}` (is `script` installed?): {e}")
    });
    let text = String::from_utf8_lossy(&out.stdout).replace("\r\n", "\n")
        + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child `{test}` failed:\n{text}");
    text
}

/// The lines a child logged (libtest's own lines left out).
fn logged(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with("running ") && !l.starts_with("test "))
        .filter(|l| !l.chars().all(|c| c == '.'))
        .filter(|l| !l.contains("test result:"))
        .collect()
}

#[test]
fn basic_config_child() {
    if !is_child() {
        return;
    }
    basic_config().init().unwrap();
    logkit::warning!(get_logger("app"), "disk %d%% full", 91);
    logkit::error!(get_logger("app"), "gone");
}

#[test]
fn basic_config_colours_the_level_name_on_a_terminal_only() {
    let tty = run("basic_config_child", true, &[]);
    assert_eq!(
        logged(&tty),
        [
            "\x1b[33mWARNING\x1b[0m:app:disk 91% full",
            "\x1b[31mERROR\x1b[0m:app:gone"
        ],
        "{tty:?}"
    );
    // Through a pipe, CPython's bytes.
    let piped = run("basic_config_child", false, &[]);
    assert_eq!(
        logged(&piped),
        ["WARNING:app:disk 91% full", "ERROR:app:gone"]
    );
    // The environment: NO_COLOR on a terminal; FORCE_COLOR and CLICOLOR_FORCE on a pipe.
    let no_color = run("basic_config_child", true, &[("NO_COLOR", "1")]);
    assert!(!no_color.contains(ESC), "{no_color:?}");
    for force in ["FORCE_COLOR", "CLICOLOR_FORCE"] {
        let forced = run("basic_config_child", false, &[(force, "1")]);
        assert!(
            logged(&forced).contains(&"\x1b[31mERROR\x1b[0m:app:gone"),
            "{force}: {forced:?}"
        );
    }
    let not_forced = run("basic_config_child", false, &[("CLICOLOR_FORCE", "0")]);
    assert!(!not_forced.contains(ESC), "{not_forced:?}");
}

#[test]
fn explicit_options_child() {
    if !is_child() {
        return;
    }
    let dir = std::env::var("LOGKIT_TEST_DIR").unwrap();
    basic_config().color(Color::Never).init().unwrap();
    logkit::warning!(get_logger("app"), "never coloured");
    // A file and a JSON console beside a colouring console: no escapes in either.
    let file = logkit::FileHandler::new(format!("{dir}/app.log")).unwrap();
    file.set_formatter(Formatter::new("%(log_color)s%(levelname)s%(reset)s %(message)s").unwrap());
    get_logger("side").add_handler(file);
    let json = StreamHandler::stderr();
    json.set_formatter(
        JsonFormatter::new("%(log_color)s%(levelname)s %(message)s%(reset)s").unwrap(),
    );
    get_logger("side").add_handler(json);
    let colored = StreamHandler::stderr();
    colored.set_formatter(
        Formatter::builder()
            .template("%(log_color)s%(levelname)-8s%(reset)s %(blue)s%(message)s")
            .log_colors(LogColors::new([("WARNING", "bold_purple,bg_white")]).unwrap())
            .build()
            .unwrap(),
    );
    get_logger("side").add_handler(colored);
    get_logger("side").set_propagate(false);
    logkit::warning!(get_logger("side"), "to three handlers");
    logkit::shutdown();
}

#[test]
fn files_and_json_never_get_escapes_and_options_are_honoured() {
    let dir = temp_dir("color");
    let dir_text = dir.display().to_string();
    let tty = run(
        "explicit_options_child",
        true,
        &[("LOGKIT_TEST_DIR", &dir_text)],
    );
    assert_eq!(
        logged(&tty),
        [
            "WARNING:app:never coloured",
            r#"{"levelname": "WARNING", "message": "to three handlers"}"#,
            "\x1b[1;35m\x1b[47mWARNING \x1b[0m \x1b[34mto three handlers\x1b[0m",
        ],
        "{tty:?}"
    );
    let file = std::fs::read_to_string(dir.join("app.log")).unwrap();
    assert_eq!(file, "WARNING to three handlers\n");
}

#[test]
fn configurations_child() {
    if !is_child() {
        return;
    }
    let dict = ConfigValue::from_python(
        "{'version': 1,
          'formatters': {'c': {'()': 'colorlog.ColoredFormatter',
                               'format': '%(log_color)s%(levelname)s:%(name)s:%(message)s',
                               'log_colors': {'INFO': 'cyan', 'ERROR': 'white,bg_red'}}},
          'handlers': {'h': {'class': 'logging.StreamHandler', 'formatter': 'c',
                             'stream': 'ext://sys.stdout'}},
          'loggers': {'dict': {'level': 'INFO', 'handlers': ['h'], 'propagate': False}}}",
    )
    .unwrap();
    dict_config(&dict).unwrap();
    logkit::info!(get_logger("dict"), "from dictConfig");
    logkit::error!(get_logger("dict"), "in white on red");
    // fileConfig: colorlog's class with its default format and colours.
    FileConfig::from_text(
        "logging.ini",
        "[loggers]\nkeys=root,ini\n[handlers]\nkeys=h\n[formatters]\nkeys=c\n\
         [logger_root]\nhandlers=\n\
         [logger_ini]\nlevel=DEBUG\nhandlers=h\nqualname=ini\npropagate=0\n\
         [handler_h]\nclass=StreamHandler\nformatter=c\nargs=(sys.stdout,)\n\
         [formatter_c]\nclass=colorlog.ColoredFormatter\n",
    )
    .disable_existing_loggers(false)
    .apply()
    .unwrap();
    logkit::debug!(get_logger("ini"), "from fileConfig");
}

#[test]
fn colorlog_formatters_from_configuration_files() {
    let tty = run("configurations_child", true, &[]);
    assert_eq!(
        logged(&tty),
        [
            "\x1b[36mINFO:dict:from dictConfig\x1b[0m",
            "\x1b[37m\x1b[41mERROR:dict:in white on red\x1b[0m",
            "\x1b[37mDEBUG:ini:from fileConfig\x1b[0m",
        ],
        "{tty:?}"
    );
    let piped = run("configurations_child", false, &[]);
    assert_eq!(
        logged(&piped),
        [
            "INFO:dict:from dictConfig",
            "ERROR:dict:in white on red",
            "DEBUG:ini:from fileConfig",
        ]
    );
}

fn record(level: Level) -> Record<'static> {
    Record::new(
        "app",
        level,
        Message::text("ready"),
        Location::new("src/main.rs", 1, "app"),
    )
}

fn format(f: &dyn logkit::Format, record: &Record<'_>) -> String {
    let mut out = String::new();
    f.format(record, &mut out).unwrap();
    out
}

#[test]
fn compiled_and_run_time_formatters_write_the_same_escapes() {
    let template =
        "%(log_color)s%(levelname)-8s%(reset)s|%(bold_green)s%(name)s|%(fg_208)s%(message)s";
    let compiled = logkit::formatter!(
        "%(log_color)s%(levelname)-8s%(reset)s|%(bold_green)s%(name)s|%(fg_208)s%(message)s"
    );
    let runtime = Formatter::builder()
        .template(template)
        .color(Color::Auto)
        .build()
        .unwrap();
    let forced = Formatter::builder()
        .template(template)
        .color(Color::Always)
        .build()
        .unwrap();
    let never = Formatter::builder()
        .template(template)
        .color(Color::Never)
        .build()
        .unwrap();
    for level in [
        Level::TRACE,
        Level::DEBUG,
        Level::INFO,
        Level::WARNING,
        Level::ERROR,
        Level::CRITICAL,
        Level::new(25),
    ] {
        let r = record(level);
        let on = format(&forced, &r);
        // Auto is on for a terminal output (unless the environment says otherwise).
        if std::env::var_os("NO_COLOR").is_none() {
            with_terminal_output(true, || {
                assert_eq!(format(&compiled, &r), on);
                assert_eq!(format(&runtime, &r), on);
            });
        }
        let off = format(&never, &r);
        assert!(!off.contains(ESC), "{off:?}");
        if std::env::var_os("FORCE_COLOR").is_none() && std::env::var_os("CLICOLOR_FORCE").is_none()
        {
            assert_eq!(format(&compiled, &r), off);
            assert_eq!(format(&runtime, &r), off);
        }
    }
    assert_eq!(
        format(&forced, &record(Level::CRITICAL)),
        "\x1b[1;31mCRITICAL\x1b[0m|\x1b[1;32mapp|\x1b[38;5;208mready\x1b[0m"
    );
    assert_eq!(format(&never, &record(Level::INFO)), "INFO    |app|ready");
    assert_eq!(
        format(&forced, &record(Level::new(25))),
        "Level 25\x1b[0m|\x1b[1;32mapp|\x1b[38;5;208mready\x1b[0m"
    );
    // Brace and dollar styles name them too; a reset is not doubled.
    let brace = Formatter::builder()
        .template("{log_color}{levelname}{reset}")
        .style(logkit::template::Style::Brace)
        .color(Color::Always)
        .build()
        .unwrap();
    assert_eq!(format(&brace, &record(Level::INFO)), "\x1b[32mINFO\x1b[0m");
}
