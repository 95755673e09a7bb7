//! `OTLPHandler` against a real OTLP/HTTP receiver — `tests/support/otlp_sink.py`, started on
//! loopback by `tests/support/services-start.sh`, which decodes every request with the
//! official OpenTelemetry protobuf classes — each test reading back what the receiver
//! decoded; plus what needs no receiver (a dead endpoint, refused settings).
//!
//! Tests that need the receiver are ignored by plain `cargo test`; they find it through the
//! `LOGKIT_OTLP*` variables of `/tmp/logkit-svc/env`. Every test puts a unique marker in its
//! messages (and in its URL path where the receiver counts requests per path) and polls the
//! receiver's file for it with a deadline.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use logkit::{
    ExcInfo, Handler, Level, Location, Message, OTLPHandler, OtlpCompression, OtlpProtocol, Record,
    ThreadInfo, Timestamp, Value, get_logger,
};
use logkit_tests::{child_stderr, is_child, isolated, isolated_env, marker, wait_for};
use serde_json::Value as Json;

// === helpers ===

/// A `LOGKIT_*` variable written by services-start.sh.
fn svc(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!(
            "{name} is not set: this test needs the OTLP receiver of \
             tests/support/services-start.sh; start it and `. /tmp/logkit-svc/env`"
        )
    })
}

/// The receiver's plain http base URL.
fn base() -> String {
    format!("http://{}", svc("LOGKIT_OTLP"))
}

/// The receiver's lines (requests) containing `needle`, parsed.
fn requests_with(log: &Path, needle: &str) -> Vec<Json> {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .split_inclusive('\n')
        .filter_map(|l| l.strip_suffix('\n'))
        .filter(|l| l.contains(needle))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Waits for `n` requests containing `needle` in the plain receiver's file.
fn wait_requests(needle: &str, n: usize) -> Vec<Json> {
    wait_requests_in(&svc("LOGKIT_OTLP_LOG"), needle, n)
}

fn wait_requests_in(log: &str, needle: &str, n: usize) -> Vec<Json> {
    wait_for(
        &format!("{n} request(s) with {needle} in {log}"),
        Duration::from_secs(10),
        || {
            let r = requests_with(Path::new(log), needle);
            (r.len() >= n).then_some(r)
        },
    )
}

/// Every (scope name, log record) of a decoded request.
fn log_records(entry: &Json) -> Vec<(String, Json)> {
    let mut out = Vec::new();
    for rl in entry["request"]["resourceLogs"].as_array().unwrap() {
        for sl in rl["scopeLogs"].as_array().unwrap() {
            let scope = sl["scope"]["name"].as_str().unwrap_or("").to_owned();
            for r in sl["logRecords"].as_array().unwrap() {
                out.push((scope.clone(), r.clone()));
            }
        }
    }
    out
}

/// The value of attribute `key` in an attribute list (`{"stringValue": …}` etc.).
fn attr<'j>(attrs: &'j Json, key: &str) -> &'j Json {
    attrs
        .as_array()
        .unwrap()
        .iter()
        .find(|kv| kv["key"] == key)
        .map(|kv| &kv["value"])
        .unwrap_or_else(|| panic!("no attribute {key} in {attrs}"))
}

fn resource_attrs(entry: &Json) -> &Json {
    &entry["request"]["resourceLogs"][0]["resource"]["attributes"]
}

fn handler(path: &str) -> logkit::OTLPHandlerBuilder {
    OTLPHandler::options()
        .use_environment(false)
        .endpoint(&format!("{}{path}", base()))
        .timeout(Duration::from_secs(5))
}

/// A record with fields of every kind and an error, as a logging call would make it.
fn rich_record_emit(h: &dyn Handler, m: &str) -> (Result<(), logkit::HandlerError>, i128) {
    let err = std::io::Error::other("disk on fire");
    let fields = [
        ("marker", Value::from(m)),
        ("user", Value::from("ann")),
        ("attempts", Value::Int(3)),
        ("ratio", Value::Float(0.25)),
        ("admin", Value::Bool(false)),
        (
            "tags",
            Value::List(vec![Value::from("a"), Value::Int(1)].into()),
        ),
        ("ctx", Value::map([("region", Value::from("eu"))])),
        ("trace_id", Value::from("4bf92f3577b34da6a3ce929d0e0e4736")),
        ("span_id", Value::from("00f067aa0ba902b7")),
    ];
    let created = Timestamp::new(1_700_000_000, 123_456_789);
    let args = [Value::from(m)];
    let record = Record::new(
        "shop.checkout",
        Level::WARNING,
        Message::dynamic("payment %s failed", &args),
        Location::new("src/checkout.rs", 42, "shop::checkout").with_function("shop::checkout::pay"),
    )
    .with_fields(&fields)
    .with_created(created)
    .with_exc_info(ExcInfo::new(&err));
    (h.emit(&record), created.as_nanos())
}

/// Checks every field of the one record `rich_record_emit` sent.
fn check_rich_record(entry: &Json, m: &str, created_nanos: i128) {
    assert_eq!(entry["status"], 200, "{entry}");
    let res = resource_attrs(entry);
    assert_eq!(attr(res, "service.name")["stringValue"], "checkout-svc");
    assert_eq!(
        attr(res, "deployment.environment.name")["stringValue"],
        "test"
    );
    assert_eq!(attr(res, "telemetry.sdk.name")["stringValue"], "logkit");
    assert_eq!(attr(res, "telemetry.sdk.language")["stringValue"], "rust");
    let records = log_records(entry);
    assert_eq!(records.len(), 1, "{entry}");
    let (scope, r) = &records[0];
    assert_eq!(scope, "shop.checkout");
    assert_eq!(r["timeUnixNano"], created_nanos.to_string());
    assert_eq!(r["observedTimeUnixNano"], created_nanos.to_string());
    assert_eq!(r["severityNumber"], 13);
    assert_eq!(r["severityText"], "WARNING");
    assert_eq!(r["body"]["stringValue"], format!("payment {m} failed"));
    assert_eq!(r["traceId"], "4bf92f3577b34da6a3ce929d0e0e4736");
    assert_eq!(r["spanId"], "00f067aa0ba902b7");
    let a = &r["attributes"];
    assert_eq!(attr(a, "marker")["stringValue"], m);
    assert_eq!(attr(a, "user")["stringValue"], "ann");
    assert_eq!(attr(a, "attempts")["intValue"], "3");
    assert_eq!(attr(a, "ratio")["doubleValue"], 0.25);
    assert_eq!(attr(a, "admin")["boolValue"], false);
    let tags = &attr(a, "tags")["arrayValue"]["values"];
    assert_eq!(tags[0]["stringValue"], "a");
    assert_eq!(tags[1]["intValue"], "1");
    let ctx = &attr(a, "ctx")["kvlistValue"]["values"];
    assert_eq!(attr(ctx, "region")["stringValue"], "eu");
    assert_eq!(attr(a, "code.file.path")["stringValue"], "src/checkout.rs");
    assert_eq!(
        attr(a, "code.function.name")["stringValue"],
        "shop::checkout::pay"
    );
    assert_eq!(attr(a, "code.line.number")["intValue"], "42");
    let me = ThreadInfo::current();
    assert_eq!(attr(a, "thread.id")["intValue"], me.id.to_string());
    assert_eq!(attr(a, "thread.name")["stringValue"], &*me.name);
    assert_eq!(
        attr(a, "exception.type")["stringValue"],
        "std::io::error::Error"
    );
    assert_eq!(attr(a, "exception.message")["stringValue"], "disk on fire");
    assert!(
        attr(a, "exception.stacktrace")["stringValue"]
            .as_str()
            .unwrap()
            .contains("disk on fire")
    );
    let headers = &entry["headers"];
    assert!(
        headers["user-agent"]
            .as_str()
            .unwrap()
            .starts_with("OTel-OTLP-Exporter-Rust logkit/"),
        "{headers}"
    );
    assert_eq!(headers["x-api-key"], "k%ey=1");
}

fn rich(path: &str) -> logkit::OTLPHandlerBuilder {
    handler(path)
        .service_name("checkout-svc")
        .resource_attribute("deployment.environment.name", "test")
        .header("x-api-key", "k%ey=1")
}

// === every field, three encodings ===

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn protobuf_request_carries_every_field() {
    let m = marker("otlp-protobuf");
    let h = rich("/v1/logs").build().unwrap();
    let (sent, nanos) = rich_record_emit(&h, &m);
    sent.unwrap();
    let entry = &wait_requests(&m, 1)[0];
    assert_eq!(entry["format"], "protobuf");
    assert_eq!(entry["headers"]["content-type"], "application/x-protobuf");
    assert!(entry["headers"].get("content-encoding").is_none());
    check_rich_record(entry, &m, nanos);
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn json_request_carries_every_field() {
    let m = marker("otlp-json");
    let h = rich("/v1/logs")
        .protocol(OtlpProtocol::HttpJson)
        .build()
        .unwrap();
    let (sent, nanos) = rich_record_emit(&h, &m);
    sent.unwrap();
    let entry = &wait_requests(&m, 1)[0];
    assert_eq!(entry["format"], "json");
    assert_eq!(entry["headers"]["content-type"], "application/json");
    check_rich_record(entry, &m, nanos);
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn gzipped_protobuf_and_json_requests_decode() {
    for protocol in [OtlpProtocol::HttpProtobuf, OtlpProtocol::HttpJson] {
        let m = marker("otlp-gzip");
        let h = rich("/v1/logs")
            .protocol(protocol)
            .compression(OtlpCompression::Gzip)
            .build()
            .unwrap();
        let (sent, nanos) = rich_record_emit(&h, &m);
        sent.unwrap();
        // The marker is inside the compressed body: the receiver's decoded copy has it.
        let entry = &wait_requests(&m, 1)[0];
        assert_eq!(entry["headers"]["content-encoding"], "gzip");
        check_rich_record(entry, &m, nanos);
    }
}

// === TLS ===

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn https_is_verified_with_the_ca_and_refused_without_it() {
    let m = marker("otlp-tls");
    let port = svc("LOGKIT_OTLP_TLS")
        .rsplit(':')
        .next()
        .unwrap()
        .to_owned();
    let url = format!("https://localhost:{port}/v1/logs");
    let h = OTLPHandler::options()
        .use_environment(false)
        .endpoint(&url)
        .cafile(svc("LOGKIT_TLS_CA"))
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    // The record is emitted on the handler directly, to see the result.
    let record = Record::new(
        "otlp.tls",
        Level::INFO,
        Message::text(&m),
        Location::new("src/tls.rs", 1, "tls"),
    );
    h.emit(&record).unwrap();
    let entry = &wait_requests_in(&svc("LOGKIT_OTLP_TLS_LOG"), &m, 1)[0];
    assert_eq!(log_records(entry)[0].1["body"]["stringValue"], m.as_str());

    // Without the CA, the system's roots do not trust the throw-away certificate.
    let refused = OTLPHandler::options()
        .use_environment(false)
        .endpoint(&url)
        .timeout(Duration::from_secs(3))
        .build();
    // (A machine with no system certificates refuses at build already.)
    let err = match refused {
        Ok(h) => h.emit(&record).unwrap_err().to_string(),
        Err(e) => e.to_string(),
    };
    assert!(
        err.to_lowercase().contains("certificate") || err.contains("UnknownIssuer"),
        "{err}"
    );
}

// === retries and errors ===

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_503_then_200_is_retried_and_delivered() {
    let m = marker("otlp-503");
    let path = format!("/fail/2/503/retry-after/0/{m}/v1/logs");
    let h = handler(&path).build().unwrap();
    let record = Record::new(
        "otlp.retry",
        Level::ERROR,
        Message::text(&m),
        Location::new("src/r.rs", 1, "r"),
    );
    h.emit(&record).unwrap();
    let entries = wait_requests(&path, 3);
    let statuses: Vec<i64> = entries
        .iter()
        .map(|e| e["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    // The same records each time.
    for e in &entries {
        assert_eq!(log_records(e)[0].1["body"]["stringValue"], m.as_str());
    }
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_429_waits_for_retry_after() {
    let m = marker("otlp-429");
    let path = format!("/fail/1/429/retry-after/1/{m}/v1/logs");
    let h = handler(&path).build().unwrap();
    let record = Record::new(
        "otlp.retry",
        Level::INFO,
        Message::text(&m),
        Location::new("r.rs", 1, "r"),
    );
    let t0 = Instant::now();
    h.emit(&record).unwrap();
    let took = t0.elapsed();
    assert!(took >= Duration::from_millis(950), "{took:?}");
    let statuses: Vec<i64> = wait_requests(&path, 2)
        .iter()
        .map(|e| e["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [429, 200]);
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_400_fails_at_once_with_the_servers_message() {
    let m = marker("otlp-400");
    let path = format!("/status/400/{m}/v1/logs");
    let h = handler(&path).build().unwrap();
    let record = Record::new(
        "otlp.err",
        Level::INFO,
        Message::text(&m),
        Location::new("r.rs", 1, "r"),
    );
    let err = h.emit(&record).unwrap_err().to_string();
    assert!(
        err.contains(&format!(
            "OTLP export of 1 log record to {}{path} failed: HTTP 400",
            base()
        )),
        "{err}"
    );
    assert!(
        err.contains("status 400 requested by the test path"),
        "{err}"
    );
    assert_eq!(wait_requests(&path, 1).len(), 1);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        requests_with(Path::new(&svc("LOGKIT_OTLP_LOG")), &path).len(),
        1,
        "retried"
    );
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn retry_for_outlasts_a_collector_away_longer_than_the_timeout() {
    fn record(m: &str) -> Record<'_> {
        Record::new(
            "otlp.retry",
            Level::WARNING,
            Message::text(m),
            Location::new("r.rs", 1, "r"),
        )
    }
    // Three 503s a second apart: more than the 1 s timeout allows…
    let m = marker("otlp-away-timeout");
    let path = format!("/fail/3/503/retry-after/1/{m}/v1/logs");
    let h = handler(&path)
        .timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let err = h.emit(&record(&m)).unwrap_err().to_string();
    assert!(err.contains("HTTP 503") && err.contains("gave up"), "{err}");
    // …but not more than `retry_for` allows: the same batch, delivered by the fourth attempt.
    let m = marker("otlp-away-retry-for");
    let path = format!("/fail/3/503/retry-after/1/{m}/v1/logs");
    let h = handler(&path)
        .timeout(Duration::from_secs(1))
        .retry_for(Duration::from_secs(30))
        .build()
        .unwrap();
    h.emit(&record(&m)).unwrap();
    let entries = wait_requests(&path, 4);
    let statuses: Vec<i64> = entries
        .iter()
        .map(|e| e["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 503, 503, 200]);
    for e in &entries {
        assert_eq!(log_records(e)[0].1["body"]["stringValue"], m.as_str());
    }
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_503_for_ever_gives_up_at_the_timeout() {
    let m = marker("otlp-503-always");
    let path = format!("/status/503/{m}/v1/logs");
    let h = handler(&path)
        .timeout(Duration::from_millis(2500))
        .build()
        .unwrap();
    let record = Record::new(
        "otlp.err",
        Level::INFO,
        Message::text(&m),
        Location::new("r.rs", 1, "r"),
    );
    let t0 = Instant::now();
    let err = h.emit(&record).unwrap_err().to_string();
    assert!(
        t0.elapsed() < Duration::from_millis(3000),
        "{:?}",
        t0.elapsed()
    );
    assert!(err.contains("HTTP 503"), "{err}");
    // 1 s then 2 s of back-off (each ±20 %): a second attempt fits in 2.5 s, a fourth never.
    assert!(
        err.contains("gave up after 2 attempts") || err.contains("gave up after 3 attempts"),
        "{err}"
    );
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_partial_success_is_reported() {
    let m = marker("otlp-partial");
    let path = format!("/partial/1/{m}/v1/logs");
    for protocol in [OtlpProtocol::HttpProtobuf, OtlpProtocol::HttpJson] {
        let h = handler(&path).protocol(protocol).build().unwrap();
        let record = Record::new(
            "otlp.partial",
            Level::INFO,
            Message::text(&m),
            Location::new("r.rs", 1, "r"),
        );
        let err = h.emit(&record).unwrap_err().to_string();
        assert!(
            err.contains("partially: 1 of 1 rejected: 1 records rejected by the test sink"),
            "{protocol:?}: {err}"
        );
    }
}

#[test]
fn a_dead_endpoint_is_a_logging_error_report_not_a_panic() {
    if is_child() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let h = OTLPHandler::options()
            .use_environment(false)
            .endpoint(&format!("http://127.0.0.1:{port}/v1/logs"))
            .timeout(Duration::from_millis(500))
            .build()
            .unwrap();
        let l = get_logger("otlp.dead");
        l.add_handler(h);
        let t0 = Instant::now();
        l.log(Level::ERROR, "dropped %d", &[1.into()]);
        assert!(t0.elapsed() < Duration::from_secs(2), "{:?}", t0.elapsed());
        return;
    }
    let err = child_stderr("a_dead_endpoint_is_a_logging_error_report_not_a_panic");
    assert!(err.starts_with("--- Logging error ---\n"), "{err}");
    assert!(
        err.contains("OTLP export of 1 log record to http://127.0.0.1:"),
        "{err}"
    );
    assert!(err.contains("cannot connect"), "{err}");
    assert!(err.contains("Handler: OTLPHandler"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn unusable_settings_are_refused_at_build() {
    let e = OTLPHandler::options()
        .use_environment(false)
        .endpoint("localhost:4318")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("http:// or https://"), "{e}");
    isolated_env(
        "unusable_settings_are_refused_at_build",
        &[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")],
        || {
            let e = OTLPHandler::new().unwrap_err().to_string();
            assert!(e.contains("OTEL_EXPORTER_OTLP_PROTOCOL"), "{e}");
            assert!(e.contains("gRPC is not supported"), "{e}");
        },
    );
}

// === through a queue ===

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn a_burst_through_the_queue_loses_nothing() {
    const THREADS: usize = 4;
    const EACH: usize = 2_500;
    let m = marker("otlp-burst");
    let queue = handler("/v1/logs")
        .service_name("burst")
        .build_queued(Some(512))
        .unwrap();
    let logger = get_logger("otlp.burst");
    logger.set_level(Level::INFO);
    logger.add_handler(queue.clone());
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let m = m.as_str();
            let logger = &logger;
            s.spawn(move || {
                for i in 0..EACH {
                    logger.log(Level::INFO, "%s %d %d", &[m.into(), t.into(), i.into()]);
                }
            });
        }
    });
    queue.flush().unwrap();
    let want = THREADS * EACH;
    let seen = wait_for(
        &format!("{want} records with {m}"),
        Duration::from_secs(30),
        || {
            let entries = requests_with(Path::new(&svc("LOGKIT_OTLP_LOG")), &m);
            let records: Vec<String> = entries
                .iter()
                .flat_map(|e| {
                    assert_eq!(e["status"], 200);
                    let records = log_records(e);
                    assert!(
                        records.len() <= logkit::DEFAULT_MAX_BATCH_SIZE,
                        "{}",
                        records.len()
                    );
                    records
                })
                .map(|(_, r)| r["body"]["stringValue"].as_str().unwrap().to_owned())
                .collect();
            (records.len() >= want).then_some(records)
        },
    );
    assert_eq!(seen.len(), want, "records delivered twice");
    let mut keys: Vec<(usize, usize)> = seen
        .iter()
        .map(|b| {
            let mut parts = b.rsplit(' ');
            let i = parts.next().unwrap().parse().unwrap();
            let t = parts.next().unwrap().parse().unwrap();
            (t, i)
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), want, "some record missing or repeated");
    logger.remove_handler(&(queue as logkit::HandlerRef));
}

// === configuration ===

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn configured_from_ini() {
    isolated("configured_from_ini", || {
        let m = marker("otlp-ini");
        let ini = format!(
            "[loggers]\nkeys=root\n\n[handlers]\nkeys=otlp\n\n[formatters]\nkeys=\n\n\
             [logger_root]\nlevel=INFO\nhandlers=otlp\n\n\
             [handler_otlp]\nclass=logkit.OTLPHandler\nlevel=INFO\n\
             args=('{}/v1/logs',)\n\
             kwargs={{'service_name': 'ini-svc', 'headers': {{'x-from': 'ini'}}, 'timeout': 5}}\n",
            base()
        );
        logkit::config::FileConfig::from_text("otlp.ini", &ini)
            .apply()
            .unwrap();
        logkit::root().log(Level::WARNING, "%s from ini", &[m.as_str().into()]);
        logkit::root().log(Level::DEBUG, "%s below the level", &[m.as_str().into()]);
        logkit::shutdown();
        let entry = &wait_requests(&m, 1)[0];
        assert_eq!(entry["headers"]["x-from"], "ini");
        assert_eq!(
            attr(resource_attrs(entry), "service.name")["stringValue"],
            "ini-svc"
        );
        let records = log_records(entry);
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].0, "root");
        assert_eq!(records[0].1["body"]["stringValue"], format!("{m} from ini"));
        assert_eq!(records[0].1["severityNumber"], 13);
    });
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn configured_from_dict_config() {
    isolated("configured_from_dict_config", || {
        let m = marker("otlp-dict");
        let config = logkit::config::ConfigValue::from_json(&format!(
            r#"{{"version": 1,
                "formatters": {{"f": {{"format": "%(levelname)s|%(name)s|%(message)s"}}}},
                "handlers": {{"otlp": {{"class": "logkit.OTLPHandler",
                                       "endpoint": "{}/v1/logs",
                                       "protocol": "http/json", "compression": "gzip",
                                       "formatter": "f",
                                       "resource_attributes": {{"service.version": "1.2.3"}},
                                       "service_name": "dict-svc", "capacity": 64}}}},
                "loggers": {{"app": {{"level": "INFO", "handlers": ["otlp"]}}}}}}"#,
            base()
        ))
        .unwrap();
        logkit::config::dict_config(&config).unwrap();
        get_logger("app.web").log(Level::ERROR, "%s via dictConfig", &[m.as_str().into()]);
        logkit::shutdown();
        let entry = &wait_requests(&m, 1)[0];
        assert_eq!(entry["format"], "json");
        assert_eq!(entry["headers"]["content-encoding"], "gzip");
        let res = resource_attrs(entry);
        assert_eq!(attr(res, "service.name")["stringValue"], "dict-svc");
        assert_eq!(attr(res, "service.version")["stringValue"], "1.2.3");
        let records = log_records(entry);
        assert_eq!(records[0].0, "app.web");
        // A formatter makes the body.
        assert_eq!(
            records[0].1["body"]["stringValue"],
            format!("ERROR|app.web|{m} via dictConfig")
        );
        assert_eq!(records[0].1["severityNumber"], 17);
    });
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn configured_by_the_environment() {
    let endpoint = format!("{}/", base());
    isolated_env(
        "configured_by_the_environment",
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
            (
                "OTEL_EXPORTER_OTLP_HEADERS",
                "x-tenant=shop%20one,authorization=Bearer%20t",
            ),
            ("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "4000"),
            ("OTEL_SERVICE_NAME", "env-svc"),
            (
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.name=ignored,host.name=box%2C1",
            ),
        ],
        || {
            let m = marker("otlp-env");
            let h = OTLPHandler::new().unwrap();
            assert_eq!(h.endpoint(), format!("{}/v1/logs", base()));
            let record = Record::new(
                "otlp.env",
                Level::INFO,
                Message::text(&m),
                Location::new("e.rs", 1, "e"),
            );
            h.emit(&record).unwrap();
            let entry = &wait_requests(&m, 1)[0];
            assert_eq!(entry["path"], "/v1/logs");
            assert_eq!(entry["headers"]["x-tenant"], "shop one");
            assert_eq!(entry["headers"]["authorization"], "Bearer t");
            let res = resource_attrs(entry);
            assert_eq!(attr(res, "service.name")["stringValue"], "env-svc");
            assert_eq!(attr(res, "host.name")["stringValue"], "box,1");
        },
    );
}

#[test]
#[ignore = "needs the OTLP receiver; see tests/support/services-start.sh"]
fn an_exception_through_the_queue_keeps_its_attributes() {
    let m = marker("otlp-queue-exc");
    let queue = handler("/v1/logs").build_queued(None).unwrap();
    let logger = get_logger("otlp.queue.exc");
    logger.add_handler(queue.clone());
    let err = std::io::Error::other("card declined");
    logkit::exception!(logger, err, "payment %s failed", m.as_str());
    queue.flush().unwrap();
    let entry = &wait_requests(&m, 1)[0];
    let (_, r) = &log_records(entry)[0];
    // The body is the message alone; the exception is in its attributes.
    assert_eq!(r["body"]["stringValue"], format!("payment {m} failed"));
    let a = &r["attributes"];
    assert_eq!(
        attr(a, "exception.type")["stringValue"],
        "std::io::error::Error"
    );
    assert_eq!(attr(a, "exception.message")["stringValue"], "card declined");
    assert!(
        attr(a, "exception.stacktrace")["stringValue"]
            .as_str()
            .unwrap()
            .starts_with("std::io::error::Error: card declined")
    );
    logger.remove_handler(&(queue as logkit::HandlerRef));
}
