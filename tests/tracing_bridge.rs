//! The `tracing` bridge: a dependency's events (the `wire` crate, which knows nothing of
//! logkit) land in logkit handlers with CPython's layout and dotted logger names; fields are
//! record fields and the fields of enclosing spans are context, for templates and JSON;
//! every change of a level rebuilds tracing's interest and maximum level; the bridge as a
//! layer filters only itself. Each test runs in a process of its own (one global subscriber
//! per process).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use logkit::config::FileConfig;
use logkit::{
    Capture, ErrorKind, Formatter, Handler, JsonFormatter, Level, StreamHandler, basic_config,
    get_logger, root, tracing_bridge,
};
use logkit_tests::{isolated, temp_dir};
use tracing::level_filters::LevelFilter;
use tracing_subscriber::layer::SubscriberExt as _;

/// A handler on `logger` writing `template` lines to a capture, for records that have
/// `field` (or all, if `None`).
fn capture(logger: logkit::Logger, template: &str, field: Option<&'static str>) -> Capture {
    let out = Capture::new();
    let handler = StreamHandler::new(out.clone());
    handler.set_formatter(Formatter::new(template).unwrap());
    if let Some(field) = field {
        handler.add_filter(move |r: &mut logkit::Record<'_>| r.field(field).is_some());
    }
    logger.add_handler(handler);
    out
}

#[test]
fn basic_config_captures_a_dependencys_tracing_events() {
    isolated("basic_config_captures_a_dependencys_tracing_events", || {
        let out = Capture::new();
        basic_config()
            .level(Level::INFO)
            .format("%(asctime)s - %(name)s - %(levelname)s - %(message)s")
            .stream(out.clone())
            .init()
            .unwrap();
        assert!(tracing_bridge::is_installed());
        assert_eq!(LevelFilter::current(), LevelFilter::INFO);
        wire::codec::send("db:5432", 7, 900);
        let lines: Vec<String> = out
            .lines()
            .iter()
            .map(|l| l.split_once(" - ").unwrap().1.to_owned())
            .collect();
        assert_eq!(
            lines,
            [
                "wire.codec - INFO - frame sent",
                "wire.codec - WARNING - frame larger than the limit",
                "wire.codec - ERROR - frame lost",
            ]
        );
    });
}

#[test]
fn fields_and_span_fields_reach_templates_and_json() {
    isolated("fields_and_span_fields_reach_templates_and_json", || {
        tracing_bridge::init().unwrap();
        let text = capture(
            root(),
            "%(peer)s/%(stream)s %(bytes)d %(limit)d %(levelname)s %(message)s",
            Some("limit"),
        );
        let json = Capture::new();
        let handler = StreamHandler::new(json.clone());
        handler.set_formatter(
            JsonFormatter::builder()
                .template("%(levelname)s %(message)s")
                .all_extra(true)
                .build()
                .unwrap(),
        );
        root().add_handler(handler);
        wire::codec::send("db", 7, 900);
        assert_eq!(
            text.lines(),
            ["db/7 900 512 WARNING frame larger than the limit"]
        );
        // The INFO `connection` span is context under root's WARNING; the DEBUG `frame`
        // span (its `kind`) is not, until its logger lets DEBUG through.
        assert_eq!(
            json.lines(),
            [
                r#"{"levelname": "WARNING", "message": "frame larger than the limit", "peer": "db", "stream": 7, "bytes": 900, "limit": 512}"#,
                r#"{"levelname": "ERROR", "message": "frame lost", "peer": "db", "stream": 7, "error": "broken pipe"}"#,
            ]
        );
        json.take();
        get_logger("wire.codec").set_level(Level::DEBUG);
        wire::codec::send("db", 8, 10);
        assert_eq!(
            json.lines()[0],
            r#"{"levelname": "DEBUG", "message": "frame encoded", "peer": "db", "stream": 8, "kind": "data", "bytes": 10}"#
        );
        // An event's own field wins over a span's of the same name.
        json.take();
        let span = tracing::info_span!("outer", stream = 1_u64);
        span.in_scope(|| tracing::warn!(target: "wire::codec", stream = 2_u64, "inner"));
        assert_eq!(
            json.lines(),
            [r#"{"levelname": "WARNING", "message": "inner", "stream": 2}"#]
        );
        // A field named like a record attribute is kept as `name_`; an event may have no
        // message.
        json.take();
        wire::codec::with_clashing_field();
        wire::codec::only_fields();
        assert_eq!(
            json.lines(),
            [
                r#"{"levelname": "WARNING", "message": "a field named like a record attribute", "name_": "clash"}"#,
                r#"{"levelname": "WARNING", "message": "", "window": 0}"#,
            ]
        );
    });
}

#[test]
fn level_changes_rebuild_tracings_interest() {
    isolated("level_changes_rebuild_tracings_interest", || {
        tracing_bridge::init().unwrap();
        let out = capture(root(), "%(name)s %(levelname)s %(message)s", None);
        assert_eq!(LevelFilter::current(), LevelFilter::INFO, "spans from INFO");
        wire::codec::chatter(1);
        assert!(out.lines().is_empty());

        get_logger("wire").set_level(Level::DEBUG);
        assert_eq!(LevelFilter::current(), LevelFilter::DEBUG);
        wire::codec::chatter(2);
        assert_eq!(out.lines(), ["wire.codec DEBUG chatter 2"]);

        get_logger("wire").set_level(Level::ERROR);
        wire::codec::chatter(3);
        assert_eq!(out.lines().len(), 1, "the call site's interest was rebuilt");

        // A reloaded configuration, and the TRACE level.
        let dir = temp_dir("tracing-reload");
        FileConfig::from_text(
            "logging.ini",
            &format!(
                "[loggers]\nkeys=root,codec\n[handlers]\nkeys=file\n[formatters]\nkeys=\n\
                 [logger_root]\nlevel=WARNING\nhandlers=file\n\
                 [logger_codec]\nlevel=TRACE\nhandlers=\nqualname=wire.codec\n\
                 [handler_file]\nclass=FileHandler\nargs=({:?},)\n",
                dir.join("out.log").display().to_string()
            ),
        )
        .apply()
        .unwrap();
        assert_eq!(LevelFilter::current(), LevelFilter::TRACE);
        wire::codec::send("x", 1, 1);
        logkit::shutdown();
        let text = std::fs::read_to_string(dir.join("out.log")).unwrap();
        assert_eq!(
            text.lines().collect::<Vec<_>>(),
            [
                "encoding frame",
                "frame encoded",
                "frame sent",
                "frame larger than the limit",
                "frame lost"
            ]
        );
    });
}

/// Counts the events a subscriber stack hands it.
struct Counting(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Counting {
    fn on_event(&self, _: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn the_layer_filters_only_itself() {
    let count = Arc::new(AtomicUsize::new(0));
    let out = capture(
        get_logger("layered"),
        "%(name)s %(levelname)s %(message)s",
        None,
    );
    get_logger("layered").set_level(Level::WARNING);
    let subscriber = tracing_subscriber::registry()
        .with(tracing_bridge::layer())
        .with(Counting(Arc::clone(&count)));
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(target: "layered::a", "seen by the other layer only");
        tracing::warn!(target: "layered::a", "seen by both");
    });
    assert_eq!(count.load(Ordering::Relaxed), 2);
    assert_eq!(out.lines(), ["layered.a WARNING seen by both"]);
}

#[test]
fn another_global_subscriber_is_reported_and_kept() {
    isolated("another_global_subscriber_is_reported_and_kept", || {
        let count = Arc::new(AtomicUsize::new(0));
        tracing::subscriber::set_global_default(
            tracing_subscriber::registry().with(Counting(Arc::clone(&count))),
        )
        .unwrap();
        let err = tracing_bridge::init().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::AlreadySet);
        assert!(err.to_string().contains("tracing_bridge::layer()"), "{err}");
        basic_config().init().unwrap();
        assert!(!tracing_bridge::is_installed());
        tracing::warn!("still theirs");
        assert_eq!(count.load(Ordering::Relaxed), 1);
    });
}
