//! The configuration classes of the network handlers: `handlers.SysLogHandler`,
//! `handlers.SocketHandler`, `handlers.DatagramHandler`, `handlers.HTTPHandler`,
//! `handlers.SMTPHandler`, `JournaldHandler` and `OTLPHandler`, with CPython's
//! parameters in CPython's order, then logkit's own (keyword-only in practice).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use super::{BoundArgs, ClassArgs, HandlerFactory, type_error};
use crate::config::ConfigValue;
use crate::error::Error;
use crate::handler::{
    DEFAULT_TCP_LOGGING_PORT, DEFAULT_UDP_LOGGING_PORT, DatagramHandler, Facility, Framing,
    HTTPHandler, HandlerRef, HttpBody, HttpMethod, SMTPHandler, SocketHandler, SocketType,
    SysLogHandler, SyslogAddress, SyslogFormat, SyslogTls,
};

/// Adds the network handler classes.
pub(super) fn register(handlers: &mut BTreeMap<String, Arc<HandlerFactory>>) {
    handlers.insert("handlers.SysLogHandler".into(), Arc::new(sys_log_handler));
    handlers.insert("handlers.SocketHandler".into(), Arc::new(socket_handler));
    handlers.insert(
        "handlers.DatagramHandler".into(),
        Arc::new(datagram_handler),
    );
    handlers.insert("handlers.HTTPHandler".into(), Arc::new(http_handler));
    handlers.insert("handlers.SMTPHandler".into(), Arc::new(smtp_handler));
    handlers.insert("JournaldHandler".into(), Arc::new(journald_handler));
    handlers.insert("OTLPHandler".into(), Arc::new(otlp_handler));
    handlers.insert("logkit.OTLPHandler".into(), Arc::new(otlp_handler));
}

/// A duration in seconds (an int or a float).
fn seconds(a: &mut BoundArgs, param: &str) -> Result<Option<Duration>, Error> {
    match a.take(param) {
        None => Ok(None),
        Some(ConfigValue::Int(i)) if i > 0 => Ok(Some(Duration::from_secs(i.unsigned_abs()))),
        Some(ConfigValue::Float(f)) if f > 0.0 && f.is_finite() => {
            Duration::try_from_secs_f64(f).map(Some).map_err(|_| {
                a.wrong_type(
                    param,
                    "a positive number of seconds",
                    &ConfigValue::Float(f),
                )
            })
        }
        Some(other) => Err(a.wrong_type(param, "a positive number of seconds", &other)),
    }
}

/// A `(host, port)` tuple.
fn host_port(
    a: &BoundArgs,
    param: &str,
    v: &ConfigValue,
    default_port: Option<u16>,
) -> Result<(String, Option<u16>), Error> {
    match v {
        ConfigValue::Str(s) => Ok((s.clone(), default_port)),
        _ => match v.as_sequence() {
            Some([ConfigValue::Str(h), ConfigValue::Int(p)]) => {
                let port = u16::try_from(*p)
                    .map_err(|_| type_error(format!("{param}: port {p} is out of range")))?;
                Ok((h.clone(), Some(port)))
            }
            _ => Err(a.wrong_type(param, "a (host, port) tuple", v)),
        },
    }
}

/// The last part of a dotted name: `handlers.SysLogHandler.LOG_LOCAL0` → `LOG_LOCAL0`.
fn last_part(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// Where a `SocketHandler(host, port)` or `DatagramHandler(host, port)` sends: `host:port`, or
/// the unix socket at `host` when `port` is `None`. The port may be an int or
/// `handlers.DEFAULT_TCP_LOGGING_PORT` / `handlers.DEFAULT_UDP_LOGGING_PORT`.
fn receiver(a: &mut BoundArgs, class: &str) -> Result<(String, Option<u16>), Error> {
    let host = match a.required("host")? {
        ConfigValue::Str(h) => h,
        other => return Err(a.wrong_type("host", "a host name or a socket path", &other)),
    };
    let port = match a.required("port")? {
        ConfigValue::None => None,
        ConfigValue::Int(p) => Some(
            u16::try_from(p)
                .map_err(|_| type_error(format!("{class}(): port {p} is out of range")))?,
        ),
        v => match v.as_name().map(last_part) {
            Some("DEFAULT_TCP_LOGGING_PORT") => Some(DEFAULT_TCP_LOGGING_PORT),
            Some("DEFAULT_UDP_LOGGING_PORT") => Some(DEFAULT_UDP_LOGGING_PORT),
            _ => return Err(a.wrong_type("port", "a port number or None", &v)),
        },
    };
    Ok((host, port))
}

/// `SocketHandler(host, port)`, plus logkit's `timeout` (seconds).
fn socket_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["host", "port", "timeout"])?;
    let handler = match receiver(&mut a, "SocketHandler")? {
        (path, None) => SocketHandler::unix(path),
        (host, Some(port)) => SocketHandler::new(&host, port)?,
    };
    Ok(Arc::new(match seconds(&mut a, "timeout")? {
        Some(t) => handler.timeout(t),
        None => handler,
    }))
}

/// `DatagramHandler(host, port)`.
fn datagram_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["host", "port"])?;
    Ok(Arc::new(match receiver(&mut a, "DatagramHandler")? {
        (path, None) => DatagramHandler::unix(path),
        (host, Some(port)) => DatagramHandler::new(&host, port)?,
    }))
}

/// `SysLogHandler(address=('localhost', 514), facility=LOG_USER, socktype=None)`, plus
/// logkit's `format`, `framing`, `ident`, `append_nul`, `app_name`, `msgid`,
/// `structured_data` (an SD-ID: the fields as RFC 5424 STRUCTURED-DATA), `timeout`; TLS
/// (RFC 5425) with `tls=True` or any of `cafile`, `certfile` (+ `keyfile`: a client
/// certificate), `server_hostname`; and `retry_for` (seconds a record that cannot be sent is
/// kept and retried).
fn sys_log_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&[
        "address",
        "facility",
        "socktype",
        "format",
        "framing",
        "ident",
        "append_nul",
        "app_name",
        "msgid",
        "structured_data",
        "timeout",
        "tls",
        "cafile",
        "certfile",
        "keyfile",
        "server_hostname",
        "retry_for",
    ])?;
    let address = match a.take("address") {
        None => SyslogAddress::inet("localhost", 514),
        Some(ConfigValue::Str(path)) => SyslogAddress::unix(path),
        Some(v) => {
            let (host, port) = host_port(&a, "address", &v, None)?;
            SyslogAddress::inet(&host, port.unwrap_or(514))
        }
    };
    let mut b = SysLogHandler::options(address);
    if let Some(v) = a.take("facility") {
        let facility = match (&v, v.as_name()) {
            (_, Some(n)) => Facility::from_constant(last_part(n)),
            (ConfigValue::Int(i), _) => u8::try_from(*i).ok().and_then(Facility::new),
            (ConfigValue::Str(s), _) => Facility::from_name(s),
            _ => None,
        };
        b = b.facility(facility.ok_or_else(|| {
            type_error(format!(
                "SysLogHandler(): unknown facility {v} (use a name such as 'local0', \
                 handlers.SysLogHandler.LOG_LOCAL0, or a number below 32)"
            ))
        })?);
    }
    if let Some(v) = a.take("socktype") {
        let socktype = match (&v, v.as_name().map(last_part)) {
            (_, Some("SOCK_STREAM")) | (ConfigValue::Int(1), _) => Some(SocketType::Stream),
            (_, Some("SOCK_DGRAM")) | (ConfigValue::Int(2), _) => Some(SocketType::Datagram),
            _ => None,
        };
        b = b.socktype(socktype.ok_or_else(|| {
            type_error(format!(
                "SysLogHandler(): socktype must be socket.SOCK_DGRAM or socket.SOCK_STREAM, \
                 not {v}"
            ))
        })?);
    }
    if let Some(f) = a.string("format")? {
        b = b.format(match f.to_ascii_lowercase().as_str() {
            "python" => SyslogFormat::Python,
            "rfc3164" => SyslogFormat::Rfc3164,
            "rfc5424" => SyslogFormat::Rfc5424,
            _ => {
                return Err(type_error(format!(
                    "SysLogHandler(): format must be 'python', 'rfc3164' or 'rfc5424', not {f:?}"
                )));
            }
        });
    }
    if let Some(f) = a.string("framing")? {
        b = b.framing(match f.to_ascii_lowercase().as_str() {
            "octet-counting" | "octet_counting" => Framing::OctetCounting,
            "lf" | "linefeed" | "line-feed" => Framing::LineFeed,
            "none" => Framing::None,
            _ => {
                return Err(type_error(format!(
                    "SysLogHandler(): framing must be 'octet-counting', 'lf' or 'none', not {f:?}"
                )));
            }
        });
    }
    if let Some(ident) = a.string("ident")? {
        b = b.ident(&ident);
    }
    if let Some(nul) = a.boolean("append_nul")? {
        b = b.append_nul(nul);
    }
    if let Some(app) = a.string("app_name")? {
        b = b.app_name(&app);
    }
    if let Some(msgid) = a.string("msgid")? {
        b = b.msgid(&msgid);
    }
    if let Some(id) = a.string("structured_data")? {
        b = b.structured_data(&id);
    }
    if let Some(t) = seconds(&mut a, "timeout")? {
        b = b.timeout(t);
    }
    if let Some(tls) = syslog_tls(&mut a)? {
        b = b.tls(tls);
    }
    if let Some(t) = seconds(&mut a, "retry_for")? {
        b = b.retry_for(t);
    }
    Ok(Arc::new(b.build()?))
}

/// The TLS options of `SysLogHandler`: `tls`, `cafile`, `certfile`, `keyfile`,
/// `server_hostname`. Any of the files or the name turns TLS on; `tls=False` with them is an
/// error rather than a silently clear-text connection.
fn syslog_tls(a: &mut BoundArgs) -> Result<Option<SyslogTls>, Error> {
    let on = a.boolean("tls")?;
    let cafile = a.string("cafile")?;
    let certfile = a.string("certfile")?;
    let keyfile = a.string("keyfile")?;
    let server_hostname = a.string("server_hostname")?;
    let given =
        cafile.is_some() || certfile.is_some() || keyfile.is_some() || server_hostname.is_some();
    match on {
        Some(false) if given => {
            return Err(type_error(
                "SysLogHandler(): cafile, certfile, keyfile and server_hostname need tls=True \
                 (or no tls at all)"
                    .into(),
            ));
        }
        Some(false) => return Ok(None),
        None if !given => return Ok(None),
        _ => {}
    }
    let mut tls = SyslogTls::new();
    if let Some(f) = cafile {
        tls = tls.cafile(f);
    }
    if let Some(n) = server_hostname {
        tls = tls.server_hostname(&n);
    }
    match (certfile, keyfile) {
        (Some(c), Some(k)) => tls = tls.client_cert(c, k),
        (None, None) => {}
        // Python's `load_cert_chain(certfile)`: the key may be in the certificate's file.
        (Some(c), None) => tls = tls.client_cert(&c, &c),
        (None, Some(_)) => {
            return Err(type_error(
                "SysLogHandler(): keyfile needs certfile (the client certificate)".into(),
            ));
        }
    }
    Ok(Some(tls))
}

/// A `(user, password)` tuple.
fn credentials(a: &mut BoundArgs, param: &str) -> Result<Option<(String, String)>, Error> {
    match a.take(param) {
        None => Ok(None),
        Some(v) => match v.as_sequence() {
            Some([ConfigValue::Str(u), ConfigValue::Str(p)]) => Ok(Some((u.clone(), p.clone()))),
            _ => Err(a.wrong_type(param, "a (username, password) tuple", &v)),
        },
    }
}

/// `HTTPHandler(host, url, method='GET', secure=False, credentials=None, context=None)`, plus
/// logkit's `body` (`'form'` or `'json'`), `timeout`, `cafile` (what a `context` with
/// `load_verify_locations` does; a Python `SSLContext` cannot be written in a file) and
/// `keep_alive`.
fn http_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&[
        "host",
        "url",
        "method",
        "secure",
        "credentials",
        "context",
        "body",
        "timeout",
        "cafile",
        "keep_alive",
    ])?;
    let host = match a.required("host")? {
        ConfigValue::Str(s) => s,
        other => return Err(a.wrong_type("host", "a string", &other)),
    };
    let url = match a.required("url")? {
        ConfigValue::Str(s) => s,
        other => return Err(a.wrong_type("url", "a string", &other)),
    };
    let mut b = HTTPHandler::options(&host, &url);
    if let Some(m) = a.string("method")? {
        b = b.method(HttpMethod::from_python(&m)?);
    }
    let secure = a.boolean("secure")?.unwrap_or(false);
    if let Some(context) = a.take("context") {
        return Err(type_error(if secure {
            format!(
                "HTTPHandler(): context {context} cannot be made from a configuration; give \
                 `cafile` (a PEM file of trusted certificates) instead"
            )
        } else {
            "HTTPHandler(): context parameter only makes sense with secure=True".into()
        }));
    }
    if let Some(cafile) = a.string("cafile")? {
        b = b.cafile(cafile);
    }
    if let Some(on) = a.boolean("keep_alive")? {
        b = b.keep_alive(on);
    }
    b = b.secure(secure);
    if let Some((user, password)) = credentials(&mut a, "credentials")? {
        b = b.credentials(&user, &password);
    }
    if let Some(body) = a.string("body")? {
        b = b.body(match body.to_ascii_lowercase().as_str() {
            "form" => HttpBody::Form,
            "json" => HttpBody::Json,
            _ => {
                return Err(type_error(format!(
                    "HTTPHandler(): body must be 'form' or 'json', not {body:?}"
                )));
            }
        });
    }
    if let Some(t) = seconds(&mut a, "timeout")? {
        b = b.timeout(t);
    }
    Ok(Arc::new(b.build()?))
}

/// `SMTPHandler(mailhost, fromaddr, toaddrs, subject, credentials=None, secure=None,
/// timeout=5.0)`, plus logkit's `cafile`.
fn smtp_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&[
        "mailhost",
        "fromaddr",
        "toaddrs",
        "subject",
        "credentials",
        "secure",
        "timeout",
        "cafile",
    ])?;
    let mailhost = a.required("mailhost")?;
    let (host, port) = host_port(&a, "mailhost", &mailhost, Some(25))?;
    let from = match a.required("fromaddr")? {
        ConfigValue::Str(s) => s,
        other => return Err(a.wrong_type("fromaddr", "a string", &other)),
    };
    let to: Vec<String> = match a.required("toaddrs")? {
        ConfigValue::Str(s) => vec![s],
        v => match v.as_sequence() {
            Some(items) if items.iter().all(|i| i.as_str().is_some()) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_owned))
                .collect(),
            _ => return Err(a.wrong_type("toaddrs", "a string or a list of strings", &v)),
        },
    };
    let subject = match a.required("subject")? {
        ConfigValue::Str(s) => s,
        other => return Err(a.wrong_type("subject", "a string", &other)),
    };
    let to_refs: Vec<&str> = to.iter().map(String::as_str).collect();
    let mut b = SMTPHandler::options(&host, &from, &to_refs, &subject).port(port.unwrap_or(25));
    if let Some((user, password)) = credentials(&mut a, "credentials")? {
        b = b.credentials(&user, &password);
    }
    // CPython: a tuple (of key and certificate files, or empty) means STARTTLS.
    if let Some(v) = a.take("secure") {
        match v.as_sequence() {
            None => return Err(a.wrong_type("secure", "a tuple", &v)),
            Some([]) => b = b.secure(true),
            Some(_) => {
                return Err(type_error(format!(
                    "SMTPHandler(): secure={v}: client certificates (keyfile, certfile) are not \
                     supported; use secure=()"
                )));
            }
        }
    }
    if let Some(cafile) = a.string("cafile")? {
        b = b.cafile(cafile);
    }
    if let Some(t) = seconds(&mut a, "timeout")? {
        b = b.timeout(t);
    }
    Ok(Arc::new(b.build()?))
}

/// `JournaldHandler(socket='/run/systemd/journal/socket', syslog_identifier=None, fields=None,
/// timeout=1.0)`: logkit's own class (CPython has none; python-systemd's `JournalHandler` is
/// the nearest), available with the `journald` feature on Linux.
fn journald_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&["socket", "syslog_identifier", "fields", "timeout"])?;
    #[cfg(all(feature = "journald", target_os = "linux"))]
    {
        let mut b = crate::handler::JournaldHandler::options();
        if let Some(path) = a.string("socket")? {
            b = b.socket(path);
        }
        if let Some(id) = a.string("syslog_identifier")? {
            b = b.syslog_identifier(&id);
        }
        match a.take("fields") {
            None => {}
            Some(ConfigValue::Dict(items)) => {
                for (k, v) in items {
                    let text = match v {
                        ConfigValue::Str(s) => s,
                        other => other.to_string(),
                    };
                    b = b.field(&k, &text);
                }
            }
            Some(other) => return Err(a.wrong_type("fields", "a dict", &other)),
        }
        if let Some(t) = seconds(&mut a, "timeout")? {
            b = b.timeout(t);
        }
        Ok(Arc::new(b.build()?))
    }
    #[cfg(not(all(feature = "journald", target_os = "linux")))]
    {
        let _ = a.take("socket");
        Err(type_error(
            "JournaldHandler needs logkit's `journald` cargo feature (Linux only)".into(),
        ))
    }
}

/// `OTLPHandler(endpoint=None, headers=None, timeout=None, protocol=None, compression=None,
/// cafile=None, service_name=None, resource_attributes=None, max_batch_size=512, queued=True,
/// capacity=8192, retry_for=None)`: logkit's own class (the `otlp` feature), under `OTLPHandler` and
/// `logkit.OTLPHandler`. What is left out comes from the `OTEL_*` environment variables.
/// `timeout` is in seconds, as for the other handlers. By default the handler is built
/// behind a blocking `QueueHandler` (see `OTLPHandlerBuilder::build_queued`), so the level,
/// filters and formatter the configuration gives apply at the queue; `queued=False` gives
/// the bare handler, which exports each record on the caller's thread.
fn otlp_handler(args: ClassArgs) -> Result<HandlerRef, Error> {
    let mut a = args.bind(&[
        "endpoint",
        "headers",
        "timeout",
        "protocol",
        "compression",
        "cafile",
        "service_name",
        "resource_attributes",
        "max_batch_size",
        "queued",
        "capacity",
        "retry_for",
    ])?;
    #[cfg(feature = "otlp")]
    {
        use crate::handler::{OTLPHandler, OtlpCompression, OtlpProtocol};
        let mut b = OTLPHandler::options();
        if let Some(url) = a.string("endpoint")? {
            b = b.endpoint(&url);
        }
        match a.take("headers") {
            None | Some(ConfigValue::None) => {}
            Some(ConfigValue::Dict(items)) => {
                for (k, v) in items {
                    let text = match v {
                        ConfigValue::Str(s) => s,
                        other => other.to_string(),
                    };
                    b = b.header(&k, &text);
                }
            }
            Some(other) => return Err(a.wrong_type("headers", "a dict", &other)),
        }
        if let Some(t) = seconds(&mut a, "timeout")? {
            b = b.timeout(t);
        }
        if let Some(t) = seconds(&mut a, "retry_for")? {
            b = b.retry_for(t);
        }
        if let Some(p) = a.string("protocol")? {
            b = b.protocol(
                OtlpProtocol::from_name(&p)
                    .map_err(|why| type_error(format!("OTLPHandler(): protocol {p:?}: {why}")))?,
            );
        }
        if let Some(c) = a.string("compression")? {
            b =
                b.compression(OtlpCompression::from_name(&c).map_err(|why| {
                    type_error(format!("OTLPHandler(): compression {c:?}: {why}"))
                })?);
        }
        if let Some(cafile) = a.string("cafile")? {
            b = b.cafile(cafile);
        }
        if let Some(name) = a.string("service_name")? {
            b = b.service_name(&name);
        }
        match a.take("resource_attributes") {
            None | Some(ConfigValue::None) => {}
            Some(ConfigValue::Dict(items)) => {
                for (k, v) in items {
                    b = b.resource_attribute(&k, super::config_to_value(&v));
                }
            }
            Some(other) => return Err(a.wrong_type("resource_attributes", "a dict", &other)),
        }
        if let Some(n) = a.integer("max_batch_size")? {
            let n = usize::try_from(n).ok().filter(|n| *n > 0).ok_or_else(|| {
                type_error(format!(
                    "OTLPHandler(): max_batch_size must be positive, not {n}"
                ))
            })?;
            b = b.max_batch_size(n);
        }
        let queued = a.boolean("queued")?.unwrap_or(true);
        let capacity = match a.integer("capacity")? {
            None => None,
            Some(n) => Some(
                usize::try_from(n)
                    .ok()
                    .filter(|n| (1..=crate::limits::MAX_QUEUE_CAPACITY).contains(n))
                    .ok_or_else(|| {
                        type_error(format!(
                            "OTLPHandler(): capacity must be from 1 to {} records, not {n}",
                            crate::limits::MAX_QUEUE_CAPACITY
                        ))
                    })?,
            ),
        };
        if queued {
            Ok(b.build_queued(capacity)?)
        } else {
            Ok(Arc::new(b.build()?))
        }
    }
    #[cfg(not(feature = "otlp"))]
    {
        let _ = a.take("endpoint");
        Err(type_error(
            "OTLPHandler needs logkit's `otlp` cargo feature".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::classes::ClassArgs;

    const CA: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/handler/syslog/testdata/ca.pem"
    );

    fn syslog(keywords: &[(&str, ConfigValue)]) -> Result<HandlerRef, Error> {
        let mut args = ClassArgs::new("handlers.SysLogHandler").positional(vec![
            ConfigValue::from_python("('127.0.0.1', 6514)").unwrap(),
        ]);
        for (k, v) in keywords {
            args = args.keyword(k, v.clone());
        }
        sys_log_handler(args)
    }

    #[test]
    fn syslog_retry_for_takes_seconds() {
        assert!(syslog(&[("retry_for", 30.into())]).is_ok());
        assert!(syslog(&[("retry_for", 0.5.into())]).is_ok());
        let err = syslog(&[("retry_for", 0.into())]).unwrap_err().to_string();
        assert!(err.contains("retry_for"), "{err}");
        assert!(syslog(&[("retry_for", "soon".into())]).is_err());
        // Too long for a `Duration`: an error naming the key, not a panic.
        let err = syslog(&[("retry_for", 1e300.into())])
            .unwrap_err()
            .to_string();
        assert!(err.contains("retry_for"), "{err}");
    }

    #[test]
    fn syslog_tls_keys_need_each_other_and_tls() {
        let err = syslog(&[("tls", false.into()), ("cafile", CA.into())])
            .unwrap_err()
            .to_string();
        assert!(err.contains("need tls=True"), "{err}");
        let err = syslog(&[("keyfile", CA.into())]).unwrap_err().to_string();
        assert!(err.contains("keyfile needs certfile"), "{err}");
        #[cfg(feature = "tls")]
        {
            let err = syslog(&[("cafile", "/nonexistent/ca.pem".into())])
                .unwrap_err()
                .to_string();
            assert!(err.contains("/nonexistent/ca.pem"), "{err}");
        }
        let err = syslog(&[("cafile", CA.into()), ("framing", "lf".into())])
            .unwrap_err()
            .to_string();
        assert!(err.contains("octet counting"), "{err}");
        // Plain TCP and UDP stay as they were.
        assert!(syslog(&[("tls", false.into())]).is_ok());
    }

    #[cfg(feature = "tls")]
    #[test]
    fn syslog_tls_keys_build_a_tls_handler() {
        let h = syslog(&[
            ("cafile", CA.into()),
            ("server_hostname", "localhost".into()),
            ("format", "rfc5424".into()),
            ("retry_for", 60.into()),
        ])
        .unwrap();
        assert_eq!(h.destination().as_deref(), Some("127.0.0.1:6514"));
    }

    #[cfg(not(feature = "tls"))]
    #[test]
    fn syslog_tls_needs_the_feature() {
        let err = syslog(&[("tls", true.into())]).unwrap_err().to_string();
        assert!(err.contains("`tls` cargo feature"), "{err}");
    }
}
