//! `OTLPHandler`: records to an OpenTelemetry collector as OTLP logs over HTTP (the `otlp`
//! feature), protobuf by default or JSON, optionally gzipped, https with the `tls` feature.
//!
//! The record becomes an OTLP `LogRecord` following the log data model (see `convert`), the
//! request is encoded with prost's derive on structs mirroring the official protos (`proto`)
//! or as OTLP/JSON (`json`), and sent by logkit's own HTTP client with the specification's
//! retries (`export`). Settings not given in code come from the standard `OTEL_*`
//! environment variables (`env`).

mod convert;
mod env;
mod export;
mod json;
mod proto;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{Handler, HandlerCore, HandlerError, Overflow, QueueHandler};
use crate::error::{Error, ErrorKind};
use crate::record::Record;
use crate::value::Value;

use proto::{AnyValue, KeyValue, LogRecord, Resource};

/// The wire encoding of export requests (`OTEL_EXPORTER_OTLP_PROTOCOL`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OtlpProtocol {
    /// `http/protobuf`: binary protobuf (the default, as in the specification).
    #[default]
    HttpProtobuf,
    /// `http/json`: OTLP/JSON.
    HttpJson,
}

impl OtlpProtocol {
    /// The protocol for its specification name, `http/protobuf` or `http/json`. `grpc` is
    /// refused: logkit speaks OTLP over HTTP only.
    ///
    /// # Errors
    ///
    /// Any other name, with the reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::OtlpProtocol;
    ///
    /// assert_eq!(OtlpProtocol::from_name("http/json"), Ok(OtlpProtocol::HttpJson));
    /// assert!(OtlpProtocol::from_name("grpc").unwrap_err().contains("not supported"));
    /// ```
    pub fn from_name(name: &str) -> Result<Self, String> {
        match name {
            "http/protobuf" => Ok(OtlpProtocol::HttpProtobuf),
            "http/json" => Ok(OtlpProtocol::HttpJson),
            "grpc" => Err(
                "OTLP over gRPC is not supported by logkit; use http/protobuf (a \
                           collector's OTLP/HTTP port, 4318 by default) or http/json"
                    .into(),
            ),
            _ => Err("the protocol must be http/protobuf or http/json".into()),
        }
    }
}

/// The compression of request bodies (`OTEL_EXPORTER_OTLP_COMPRESSION`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OtlpCompression {
    /// `none` (the default).
    #[default]
    None,
    /// `gzip`, sent with `Content-Encoding: gzip`.
    Gzip,
}

impl OtlpCompression {
    /// The compression for its specification name, `gzip` or `none`.
    ///
    /// # Errors
    ///
    /// Any other name.
    ///
    /// # Examples
    ///
    /// ```
    /// use logkit::OtlpCompression;
    ///
    /// assert_eq!(OtlpCompression::from_name("gzip"), Ok(OtlpCompression::Gzip));
    /// assert!(OtlpCompression::from_name("zstd").is_err());
    /// ```
    pub fn from_name(name: &str) -> Result<Self, String> {
        match name {
            "gzip" => Ok(OtlpCompression::Gzip),
            "none" => Ok(OtlpCompression::None),
            _ => Err("the compression must be gzip or none".into()),
        }
    }
}

/// The largest number of records in one export request by default (the OpenTelemetry SDK's
/// `BatchLogRecordProcessor` default).
pub const DEFAULT_MAX_BATCH_SIZE: usize = 512;

/// Options for an [`OTLPHandler`]; see [`OTLPHandler::options`].
///
/// What is set here wins over the environment; what is not comes from the standard
/// variables (as the OpenTelemetry SDKs take a constructor's arguments over them), then the
/// specification's defaults:
///
/// | setting | variables (logs-specific first) | default |
/// | --- | --- | --- |
/// | [`endpoint`](Self::endpoint) | `OTEL_EXPORTER_OTLP_LOGS_ENDPOINT` (as is), `OTEL_EXPORTER_OTLP_ENDPOINT` (+ `/v1/logs`) | `http://localhost:4318/v1/logs` |
/// | [`header`](Self::header) | `OTEL_EXPORTER_OTLP_[LOGS_]HEADERS` (`k=v,k2=v2`, percent-decoded) | none |
/// | [`timeout`](Self::timeout) | `OTEL_EXPORTER_OTLP_[LOGS_]TIMEOUT` (milliseconds) | 10 s |
/// | [`protocol`](Self::protocol) | `OTEL_EXPORTER_OTLP_[LOGS_]PROTOCOL` | `http/protobuf` |
/// | [`compression`](Self::compression) | `OTEL_EXPORTER_OTLP_[LOGS_]COMPRESSION` | `none` |
/// | [`cafile`](Self::cafile) | `OTEL_EXPORTER_OTLP_[LOGS_]CERTIFICATE` | the system's |
/// | [`service_name`](Self::service_name) | `OTEL_SERVICE_NAME`, then `service.name` in `OTEL_RESOURCE_ATTRIBUTES` | `unknown_service:<program>` |
/// | [`resource_attribute`](Self::resource_attribute) | `OTEL_RESOURCE_ATTRIBUTES` | none |
///
/// Headers and resource attributes merge, those given in code replacing same-named ones from
/// the environment. A variable with a value that cannot be used (`OTEL_EXPORTER_OTLP_TIMEOUT=10s`,
/// `…_PROTOCOL=grpc`) makes [`build`](Self::build) fail with its name, rather than being
/// skipped with a warning as the specification allows: a misconfigured exporter is found at
/// start-up, not by the logs missing later.
#[derive(Clone)]
#[must_use]
pub struct OTLPHandlerBuilder {
    endpoint: Option<String>,
    headers: Vec<(String, String)>,
    timeout: Option<Duration>,
    retry_for: Option<Duration>,
    protocol: Option<OtlpProtocol>,
    compression: Option<OtlpCompression>,
    cafile: Option<PathBuf>,
    service_name: Option<String>,
    resource: Vec<(String, Value<'static>)>,
    max_batch_size: usize,
    use_environment: bool,
}

impl fmt::Debug for OTLPHandlerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values are often credentials: only their names are shown.
        let header_names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("OTLPHandlerBuilder")
            .field("endpoint", &self.endpoint)
            .field("headers", &header_names)
            .field("timeout", &self.timeout)
            .field("retry_for", &self.retry_for)
            .field("protocol", &self.protocol)
            .field("compression", &self.compression)
            .field("cafile", &self.cafile)
            .field("service_name", &self.service_name)
            .field("max_batch_size", &self.max_batch_size)
            .field("use_environment", &self.use_environment)
            .finish_non_exhaustive()
    }
}

impl OTLPHandlerBuilder {
    /// The full URL requests are POSTed to, used as is (`http://collector:4318/v1/logs`);
    /// `https://` needs the `tls` feature.
    pub fn endpoint(mut self, url: &str) -> Self {
        self.endpoint = Some(url.to_owned());
        self
    }

    /// A header sent with every request (an API key, a tenant).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The most time one export may take, every attempt and the waits between them included
    /// (unless [`retry_for`](Self::retry_for) allows longer).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Keeps retrying a batch the collector cannot take (a 429, 502, 503 or 504, or no
    /// connection) for up to `bound` in all, each attempt still bounded by the
    /// [`timeout`](Self::timeout); by default retries end with the timeout, as the
    /// OpenTelemetry SDKs do. Behind a blocking queue ([`build_queued`](Self::build_queued))
    /// callers then wait while the collector is away, instead of its records being dropped
    /// after the timeout.
    ///
    /// ```
    /// use std::time::Duration;
    /// let queue = logkit::OTLPHandler::options()
    ///     .endpoint("http://127.0.0.1:4318/v1/logs")
    ///     .retry_for(Duration::from_secs(600)) // a collector restarting or redeployed
    ///     .build_queued(None)?;
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn retry_for(mut self, bound: Duration) -> Self {
        self.retry_for = Some(bound);
        self
    }

    /// Protobuf (the default) or JSON.
    pub fn protocol(mut self, protocol: OtlpProtocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// gzip or no compression (the default).
    pub fn compression(mut self, compression: OtlpCompression) -> Self {
        self.compression = Some(compression);
        self
    }

    /// Trusts the certificates of this PEM file instead of the system's (https).
    pub fn cafile(mut self, path: impl AsRef<Path>) -> Self {
        self.cafile = Some(path.as_ref().to_path_buf());
        self
    }

    /// The resource's `service.name`.
    pub fn service_name(mut self, name: &str) -> Self {
        self.service_name = Some(name.to_owned());
        self
    }

    /// A resource attribute (`deployment.environment.name`, `service.version`, …).
    pub fn resource_attribute(mut self, key: &str, value: impl Into<Value<'static>>) -> Self {
        self.resource.retain(|(k, _)| k != key);
        self.resource.push((key.to_owned(), value.into()));
        self
    }

    /// The most records in one export request (512 by default); a larger batch is split.
    pub fn max_batch_size(mut self, n: usize) -> Self {
        self.max_batch_size = n.max(1);
        self
    }

    /// Whether the `OTEL_*` environment variables fill in what code did not set (true by
    /// default).
    pub fn use_environment(mut self, on: bool) -> Self {
        self.use_environment = on;
        self
    }

    /// Builds the handler (nothing is sent, and the host not resolved, until the first
    /// record: a collector that starts later is fine).
    ///
    /// # Errors
    ///
    /// A malformed endpoint or header, an unusable environment variable, `https` without the
    /// `tls` feature, a CA file that cannot be read, or a zero timeout.
    pub fn build(self) -> Result<OTLPHandler, Error> {
        if self.use_environment {
            let settings = env::read(&|name| std::env::var(name).ok())?;
            self.build_with(settings)
        } else {
            self.build_with(env::EnvSettings::default())
        }
    }

    /// Builds the handler behind a [`QueueHandler`] whose listener thread exports: the way
    /// to use it. A record costs the caller a copy into the queue; the listener hands the
    /// handler what it finds queued as one batch, sent as one request (split at
    /// [`max_batch_size`](Self::max_batch_size)). The queue blocks when full
    /// ([`Overflow::Block`], `capacity` records, [`QueueHandler::DEFAULT_CAPACITY`] when
    /// `None`): nothing is dropped while the collector is slow, and callers wait only when
    /// that many records are waiting.
    ///
    /// # Errors
    ///
    /// As [`build`](Self::build), or a queue that cannot start.
    pub fn build_queued(self, capacity: Option<usize>) -> Result<Arc<QueueHandler>, Error> {
        let handler = self.build()?;
        let mut queue = QueueHandler::builder()
            .handler(handler)
            .overflow(Overflow::Block)
            .exception_apart(true);
        if let Some(n) = capacity {
            queue = queue.capacity(n);
        }
        queue.start().map_err(|e| {
            Error::new(
                ErrorKind::InvalidArgument,
                format!("OTLPHandler: cannot start its queue: {e}"),
            )
        })
    }

    fn build_with(self, env: env::EnvSettings) -> Result<OTLPHandler, Error> {
        let invalid =
            |m: String| Error::new(ErrorKind::InvalidArgument, format!("OTLPHandler: {m}"));
        let url = self
            .endpoint
            .or(env.endpoint)
            .unwrap_or_else(|| env::DEFAULT_ENDPOINT.to_owned());
        let endpoint = env::Endpoint::parse(&url).map_err(invalid)?;
        let timeout = self
            .timeout
            .or(env.timeout)
            .unwrap_or(Duration::from_secs(10));
        if timeout.is_zero() {
            return Err(invalid("the timeout must be greater than zero".into()));
        }
        let retry_for = self.retry_for.unwrap_or(timeout).max(timeout);
        let mut headers = env.headers;
        for (k, v) in self.headers {
            headers.retain(|(e, _)| !e.eq_ignore_ascii_case(&k));
            headers.push((k, v));
        }
        for (k, v) in &headers {
            let token = !k.is_empty()
                && k.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
            if !token || v.contains(['\r', '\n']) {
                return Err(invalid(format!(
                    "header {k:?} is not a valid HTTP header name and value"
                )));
            }
        }
        let cafile = self.cafile.or(env.certificate);
        #[cfg(feature = "tls")]
        let tls = if endpoint.https {
            Some(
                crate::handler::net::tls::client_config(cafile.as_deref())
                    .map_err(|e| invalid(e.context().to_owned()))?,
            )
        } else {
            None
        };
        #[cfg(not(feature = "tls"))]
        let tls: Option<crate::handler::net::TlsConfig> = if endpoint.https {
            let _ = cafile;
            return Err(invalid(format!(
                "{url}: https needs logkit's `tls` cargo feature"
            )));
        } else {
            None
        };
        // The resource: code's attributes over OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES.
        let mut attrs: Vec<(String, AnyValue)> = env
            .resource_attributes
            .into_iter()
            .map(|(k, v)| (k, AnyValue::string(v)))
            .collect();
        let mut set = |key: &str, value: AnyValue| {
            attrs.retain(|(k, _)| k != key);
            attrs.push((key.to_owned(), value));
        };
        if let Some(name) = env.service_name {
            set("service.name", AnyValue::string(name));
        }
        for (k, v) in &self.resource {
            set(k, convert::any_value(v));
        }
        if let Some(name) = self.service_name {
            set("service.name", AnyValue::string(name));
        }
        if !attrs.iter().any(|(k, _)| k == "service.name") {
            let program = crate::handler::net::program_name();
            let name = if program.is_empty() {
                "unknown_service".to_owned()
            } else {
                format!("unknown_service:{program}")
            };
            attrs.insert(0, ("service.name".into(), AnyValue::string(name)));
        }
        for (k, v) in [
            ("telemetry.sdk.language", "rust"),
            ("telemetry.sdk.name", "logkit"),
            ("telemetry.sdk.version", env!("CARGO_PKG_VERSION")),
        ] {
            if !attrs.iter().any(|(a, _)| a == k) {
                attrs.push((k.into(), AnyValue::string(v)));
            }
        }
        let resource = Resource {
            attributes: attrs
                .into_iter()
                .map(|(k, v)| KeyValue::new(k, v))
                .collect(),
            dropped_attributes_count: 0,
        };
        Ok(OTLPHandler {
            core: HandlerCore::new(),
            exporter: export::Exporter {
                endpoint,
                headers,
                protocol: self.protocol.or(env.protocol).unwrap_or_default(),
                compression: self.compression.or(env.compression).unwrap_or_default(),
                timeout,
                retry_for,
                tls,
                conn: Mutex::new(None),
            },
            resource,
            max_batch_size: self.max_batch_size,
            pending: Mutex::new(Pending::default()),
        })
    }
}

/// Sends records to an OpenTelemetry collector as OTLP logs over HTTP (the `otlp` feature).
///
/// Each record becomes an OTLP `LogRecord`: its time from `created`, `severity_number` from
/// the level (DEBUG 5, INFO 9, WARNING 13, ERROR 17, CRITICAL 21, as the OpenTelemetry
/// Python SDK maps Python levels), `severity_text` the level's name, the body a string, and
/// as attributes the record's fields (typed: ints, floats, bools, strings, lists, maps)
/// followed by the semantic conventions `code.file.path`, `code.function.name`,
/// `code.line.number`, `thread.id`, `thread.name` and, for an attached error,
/// `exception.type`, `exception.message`, `exception.stacktrace`. Records are grouped by
/// logger: the instrumentation scope is the logger's name. The resource carries
/// `service.name` and `telemetry.sdk.*`. Fields named `trace_id` and `span_id` (or
/// `otelTraceID` and `otelSpanID`) holding hex ids become the record's trace and span ids,
/// which correlates logs with traces when a filter or a logger adapter sets them.
///
/// The body is the message (`getMessage()`) when the handler has no formatter, as the Python
/// SDK's `LoggingHandler` does, and the formatter's output when it has one.
///
/// A record emitted on its own is exported at once, the caller waiting for the collector.
/// Between [`begin_batch`](Handler::begin_batch) and [`end_batch`](Handler::end_batch)
/// — what a [`QueueHandler`]'s listener calls around what it finds queued — records are
/// gathered and sent as one request per [`max_batch_size`](OTLPHandlerBuilder::max_batch_size).
/// So put it behind a queue ([`OTLPHandlerBuilder::build_queued`], and what configuration
/// files build by default): callers never wait for the network, and with the queue's
/// blocking policy nothing is lost. Unlike the OpenTelemetry SDK's batch processor, which
/// drops records when its queue is full, the queue then holds the callers back.
///
/// Deliberate differences from the OpenTelemetry SDKs: a full queue holds callers back instead
/// of dropping records (above); levels 1 to 9 (logkit's TRACE is 5) are severity TRACE, not
/// UNSPECIFIED as in the Python SDK; an `OTEL_*` variable with an unusable value is an error
/// at build rather than a warning; gRPC is not spoken (OTLP/HTTP only).
///
/// A failed export (after the retries the specification asks for, within the timeout or
/// [`retry_for`](OTLPHandlerBuilder::retry_for)) is
/// reported on stderr as every handler failure is (see [`report_error`](crate::report_error)),
/// naming the endpoint, the status and the collector's message, and its records are dropped;
/// a partial success with rejected records is reported too.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use logkit::{OTLPHandler, OtlpCompression, get_logger};
///
/// let queue = OTLPHandler::options()
///     .endpoint("http://127.0.0.1:4318/v1/logs")
///     .service_name("checkout")
///     .resource_attribute("deployment.environment.name", "staging")
///     .header("x-api-key", "secret")
///     .compression(OtlpCompression::Gzip)
///     .timeout(Duration::from_secs(5))
///     .build_queued(None)?;
/// get_logger("shop").add_handler(queue);
///
/// // gRPC is refused with a clear error.
/// let err = OTLPHandler::options().endpoint("grpc://collector:4317").build().unwrap_err();
/// assert!(err.to_string().contains("http:// or https://"));
/// # Ok::<(), logkit::Error>(())
/// ```
pub struct OTLPHandler {
    core: HandlerCore,
    exporter: export::Exporter,
    resource: Resource,
    max_batch_size: usize,
    pending: Mutex<Pending>,
}

/// Records gathered during a batch, each with its logger's name.
#[derive(Default)]
struct Pending {
    batching: bool,
    records: Vec<(String, LogRecord)>,
}

impl OTLPHandler {
    /// Options for a handler; see [`OTLPHandlerBuilder`] for the settings and the
    /// environment variables that fill in the rest.
    pub fn options() -> OTLPHandlerBuilder {
        OTLPHandlerBuilder {
            endpoint: None,
            headers: Vec::new(),
            timeout: None,
            retry_for: None,
            protocol: None,
            compression: None,
            cafile: None,
            service_name: None,
            resource: Vec::new(),
            max_batch_size: DEFAULT_MAX_BATCH_SIZE,
            use_environment: true,
        }
    }

    /// A handler configured by the environment alone (`OTEL_EXPORTER_OTLP_*`,
    /// `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`), exporting each record at once; see
    /// [`OTLPHandlerBuilder::build_queued`] for the usual way.
    ///
    /// # Errors
    ///
    /// See [`OTLPHandlerBuilder::build`].
    pub fn new() -> Result<Self, Error> {
        OTLPHandler::options().build()
    }

    /// The URL requests go to.
    ///
    /// # Examples
    ///
    /// ```
    /// let h = logkit::OTLPHandler::options().endpoint("http://otel:4318/v1/logs").build()?;
    /// assert_eq!(h.endpoint(), "http://otel:4318/v1/logs");
    /// # Ok::<(), logkit::Error>(())
    /// ```
    pub fn endpoint(&self) -> String {
        self.exporter.endpoint.url()
    }

    /// Sends `records` in requests of at most `max_batch_size`; the first failure is
    /// returned after every request was tried.
    fn export(&self, mut records: Vec<(String, LogRecord)>) -> Result<(), HandlerError> {
        let mut first_error = None;
        while !records.is_empty() {
            let rest = records.split_off(records.len().min(self.max_batch_size));
            let count = records.len();
            let request = convert::request(&self.resource, records);
            if let Err(e) = self.exporter.export(&request, count) {
                first_error.get_or_insert(e);
            }
            records = rest;
        }
        first_error.map_or(Ok(()), Err)
    }

    fn take_pending(&self, end_batch: bool) -> Vec<(String, LogRecord)> {
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if end_batch {
            pending.batching = false;
        }
        std::mem::take(&mut pending.records)
    }
}

impl Handler for OTLPHandler {
    fn core(&self) -> &HandlerCore {
        &self.core
    }

    fn destination(&self) -> Option<String> {
        Some(self.endpoint())
    }

    fn emit(&self, record: &Record<'_>) -> Result<(), HandlerError> {
        let body = if self.core.has_formatter() {
            let mut out = String::new();
            self.core.format(record, &mut out)?;
            out
        } else {
            record.message_string().map_err(HandlerError::Format)?
        };
        let log = convert::log_record(record, body);
        let scope = record.name().to_owned();
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if !pending.batching {
            drop(pending);
            return self.export(vec![(scope, log)]);
        }
        pending.records.push((scope, log));
        if pending.records.len() < self.max_batch_size {
            return Ok(());
        }
        let full = std::mem::take(&mut pending.records);
        drop(pending);
        self.export(full)
    }

    fn begin_batch(&self) {
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .batching = true;
    }

    fn end_batch(&self) -> Result<(), HandlerError> {
        self.export(self.take_pending(true))
    }

    fn flush(&self) -> Result<(), HandlerError> {
        self.export(self.take_pending(false))
    }
}

impl fmt::Debug for OTLPHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OTLPHandler")
            .field("endpoint", &self.endpoint())
            .field("protocol", &self.exporter.protocol)
            .field("compression", &self.exporter.compression)
            .field("timeout", &self.exporter.timeout)
            .field("core", &self.core)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_env(pairs: &[(&str, &str)]) -> env::EnvSettings {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env::read(&move |k| map.get(k).cloned()).unwrap()
    }

    fn resource_of(h: &OTLPHandler) -> Vec<(String, AnyValue)> {
        h.resource
            .attributes
            .iter()
            .map(|kv| (kv.key.clone(), kv.value.clone().unwrap()))
            .collect()
    }

    #[test]
    fn code_wins_over_the_environment_which_wins_over_defaults() {
        let env = with_env(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318"),
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "1500"),
            ("OTEL_EXPORTER_OTLP_HEADERS", "a=env,b=env"),
            ("OTEL_SERVICE_NAME", "env-service"),
            ("OTEL_RESOURCE_ATTRIBUTES", "service.name=attrs,region=eu"),
        ]);
        let h = OTLPHandler::options()
            .header("B", "code")
            .build_with(env)
            .unwrap();
        assert_eq!(h.endpoint(), "http://from-env:4318/v1/logs");
        assert_eq!(h.exporter.timeout, Duration::from_millis(1500));
        assert_eq!(
            h.exporter.headers,
            [
                ("a".to_owned(), "env".to_owned()),
                ("B".into(), "code".into())
            ]
        );
        let res = resource_of(&h);
        assert_eq!(res[0], ("region".into(), AnyValue::string("eu")));
        assert_eq!(
            res[1],
            ("service.name".into(), AnyValue::string("env-service"))
        );

        let env = with_env(&[("OTEL_SERVICE_NAME", "env-service")]);
        let h = OTLPHandler::options()
            .endpoint("http://code:1/x")
            .service_name("code-service")
            .build_with(env)
            .unwrap();
        assert_eq!(h.endpoint(), "http://code:1/x");
        let res = resource_of(&h);
        assert!(res.contains(&("service.name".into(), AnyValue::string("code-service"))));
        assert!(res.contains(&("telemetry.sdk.name".into(), AnyValue::string("logkit"))));
    }

    #[test]
    fn defaults() {
        let h = OTLPHandler::options()
            .build_with(env::EnvSettings::default())
            .unwrap();
        assert_eq!(h.endpoint(), "http://localhost:4318/v1/logs");
        assert_eq!(h.exporter.timeout, Duration::from_secs(10));
        assert_eq!(h.exporter.protocol, OtlpProtocol::HttpProtobuf);
        assert_eq!(h.exporter.compression, OtlpCompression::None);
        let (key, value) = &resource_of(&h)[0];
        assert_eq!(key, "service.name");
        let Some(proto::any_value::Value::StringValue(name)) = &value.value else {
            panic!("no service name");
        };
        assert!(name.starts_with("unknown_service"), "{name}");
    }

    #[test]
    fn bad_headers_are_refused() {
        let e = OTLPHandler::options()
            .header("bad name", "x")
            .build_with(env::EnvSettings::default())
            .unwrap_err();
        assert!(e.to_string().contains("bad name"), "{e}");
        assert!(
            OTLPHandler::options()
                .header("x", "a\r\nInjected: 1")
                .build_with(env::EnvSettings::default())
                .is_err()
        );
    }
}
