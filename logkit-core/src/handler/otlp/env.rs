//! The OpenTelemetry environment variables an OTLP exporter reads (the OTLP exporter and SDK
//! configuration specifications): for each setting the logs-specific variable
//! (`OTEL_EXPORTER_OTLP_LOGS_*`) first, then the generic one (`OTEL_EXPORTER_OTLP_*`); an
//! empty value counts as unset. Also the endpoint URL, split into what a connection needs.

use std::path::PathBuf;
use std::time::Duration;

use super::{OtlpCompression, OtlpProtocol};
use crate::error::{Error, ErrorKind};

/// Where requests go when neither code nor the environment says.
pub(crate) const DEFAULT_ENDPOINT: &str = "http://localhost:4318/v1/logs";

/// What the environment sets; `None` (or empty) for what it leaves to code or defaults.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct EnvSettings {
    /// The full logs URL (from `…_LOGS_ENDPOINT` as is, or `…_ENDPOINT` + `/v1/logs`).
    pub(crate) endpoint: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) timeout: Option<Duration>,
    pub(crate) protocol: Option<OtlpProtocol>,
    pub(crate) compression: Option<OtlpCompression>,
    pub(crate) certificate: Option<PathBuf>,
    pub(crate) service_name: Option<String>,
    pub(crate) resource_attributes: Vec<(String, String)>,
}

fn invalid(var: &str, value: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::InvalidArgument,
        format!("OTLPHandler: {var}={value:?}: {why}"),
    )
}

/// Reads the settings through `lookup` (the process environment, or a map in tests).
pub(crate) fn read(lookup: &dyn Fn(&str) -> Option<String>) -> Result<EnvSettings, Error> {
    let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
    // The logs-specific variable wins over the generic one; the name is returned for errors.
    let pick = |what: &str| {
        let logs = format!("OTEL_EXPORTER_OTLP_LOGS_{what}");
        match get(&logs) {
            Some(v) => Some((logs, v)),
            None => {
                let generic = format!("OTEL_EXPORTER_OTLP_{what}");
                get(&generic).map(|v| (generic, v))
            }
        }
    };
    let mut s = EnvSettings {
        endpoint: match get("OTEL_EXPORTER_OTLP_LOGS_ENDPOINT") {
            Some(url) => Some(url.trim().to_owned()),
            None => get("OTEL_EXPORTER_OTLP_ENDPOINT").map(|base| logs_url_of_base(base.trim())),
        },
        ..EnvSettings::default()
    };
    if let Some((var, v)) = pick("HEADERS") {
        s.headers = key_value_list(&var, &v)?;
    }
    if let Some((var, v)) = pick("TIMEOUT") {
        let ms: u64 = v
            .trim()
            .parse()
            .map_err(|_| invalid(&var, &v, "not a whole number of milliseconds"))?;
        if ms == 0 {
            return Err(invalid(&var, &v, "the timeout must be greater than zero"));
        }
        s.timeout = Some(Duration::from_millis(ms));
    }
    if let Some((var, v)) = pick("PROTOCOL") {
        s.protocol =
            Some(OtlpProtocol::from_name(v.trim()).map_err(|why| invalid(&var, &v, &why))?);
    }
    if let Some((var, v)) = pick("COMPRESSION") {
        s.compression =
            Some(OtlpCompression::from_name(v.trim()).map_err(|why| invalid(&var, &v, &why))?);
    }
    if let Some((_, v)) = pick("CERTIFICATE") {
        s.certificate = Some(PathBuf::from(v.trim()));
    }
    s.service_name = get("OTEL_SERVICE_NAME").map(|v| v.trim().to_owned());
    if let Some(v) = get("OTEL_RESOURCE_ATTRIBUTES") {
        s.resource_attributes = key_value_list("OTEL_RESOURCE_ATTRIBUTES", &v)?;
    }
    Ok(s)
}

/// The logs URL for a base endpoint (`OTEL_EXPORTER_OTLP_ENDPOINT`): `v1/logs` appended
/// after exactly one `/`.
pub(crate) fn logs_url_of_base(base: &str) -> String {
    format!("{}/v1/logs", base.trim_end_matches('/'))
}

/// A W3C-baggage-like list, `key1=value1,key2=value2`, each key and value trimmed and
/// percent-decoded (the format of `OTEL_EXPORTER_OTLP_HEADERS` and
/// `OTEL_RESOURCE_ATTRIBUTES`).
pub(crate) fn key_value_list(var: &str, text: &str) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for item in text.split(',') {
        if item.trim().is_empty() {
            continue;
        }
        let (k, v) = item
            .split_once('=')
            .ok_or_else(|| invalid(var, text, &format!("{:?} is not key=value", item.trim())))?;
        let key = percent_decode(k.trim()).map_err(|why| invalid(var, text, &why))?;
        let value = percent_decode(v.trim()).map_err(|why| invalid(var, text, &why))?;
        if key.is_empty() {
            return Err(invalid(var, text, "a key is empty"));
        }
        out.push((key, value));
    }
    Ok(out)
}

/// `%XX` escapes decoded (the result must be UTF-8).
pub(crate) fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
}

/// An endpoint URL, split: `http(s)://host[:port][/path]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint {
    pub(crate) https: bool,
    /// The host without brackets, to resolve and (with TLS) to verify.
    pub(crate) host: String,
    pub(crate) port: u16,
    /// What the `Host` header says: the host (bracketed if IPv6) and a non-default port.
    pub(crate) host_header: String,
    /// The request target: the path and query (`/` at least).
    pub(crate) path: String,
}

impl Endpoint {
    /// Parses `url`.
    pub(crate) fn parse(url: &str) -> Result<Self, String> {
        let (https, rest) = if let Some(r) = url.strip_prefix("http://") {
            (false, r)
        } else if let Some(r) = url.strip_prefix("https://") {
            (true, r)
        } else {
            return Err(format!(
                "endpoint {url:?} must start with http:// or https:// (OTLP/HTTP; gRPC is not \
                 supported)"
            ));
        };
        let (authority, path) = match rest.find(['/', '?']) {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let path = if path.starts_with('?') {
            format!("/{path}")
        } else {
            path.to_owned()
        };
        if authority.contains('@') {
            return Err(format!(
                "endpoint {url:?}: user info in the URL is not supported; send credentials as \
                 a header (OTEL_EXPORTER_OTLP_HEADERS)"
            ));
        }
        if path.contains([' ', '\r', '\n', '#']) {
            return Err(format!(
                "endpoint {url:?}: the path must not contain spaces or '#'"
            ));
        }
        let default_port = if https { 443 } else { 80 };
        let (host, port) = crate::handler::http::split_host(authority, default_port)
            .ok_or_else(|| format!("endpoint {url:?}: the host must be 'name' or 'name:port'"))?;
        let bracketed = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_owned()
        };
        let host_header = if port == default_port {
            bracketed
        } else {
            format!("{bracketed}:{port}")
        };
        Ok(Endpoint {
            https,
            host: host.to_owned(),
            port,
            host_header,
            path,
        })
    }

    /// The URL again, as reports name it.
    pub(crate) fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}{}", self.host_header, self.path)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Result<EnvSettings, Error> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        read(&move |k| map.get(k).cloned())
    }

    #[test]
    fn nothing_set_is_all_defaults() {
        assert_eq!(env(&[]).unwrap(), EnvSettings::default());
    }

    #[test]
    fn the_logs_endpoint_is_used_as_is_and_the_base_gets_v1_logs() {
        let s = env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")]).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://collector:4318/v1/logs"));
        let s = env(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/base/")]).unwrap();
        assert_eq!(
            s.endpoint.as_deref(),
            Some("http://collector:4318/base/v1/logs")
        );
        let s = env(&[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            (
                "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
                "https://logs.example.com/custom",
            ),
        ])
        .unwrap();
        assert_eq!(
            s.endpoint.as_deref(),
            Some("https://logs.example.com/custom")
        );
    }

    #[test]
    fn logs_specific_variables_win_and_empty_ones_are_unset() {
        let s = env(&[
            ("OTEL_EXPORTER_OTLP_TIMEOUT", "2500"),
            ("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "700"),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"),
            ("OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", ""),
            ("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"),
            ("OTEL_EXPORTER_OTLP_LOGS_CERTIFICATE", "/etc/ca.pem"),
        ])
        .unwrap();
        assert_eq!(s.timeout, Some(Duration::from_millis(700)));
        assert_eq!(s.protocol, Some(OtlpProtocol::HttpJson));
        assert_eq!(s.compression, Some(OtlpCompression::Gzip));
        assert_eq!(s.certificate, Some(PathBuf::from("/etc/ca.pem")));
    }

    #[test]
    fn headers_and_resource_attributes_are_percent_decoded() {
        let s = env(&[
            (
                "OTEL_EXPORTER_OTLP_HEADERS",
                "api-key=abc%3D%3D, x-tenant = shop%20one",
            ),
            (
                "OTEL_RESOURCE_ATTRIBUTES",
                "service.name=from-attrs,deployment.environment=prod%2Ceu",
            ),
            ("OTEL_SERVICE_NAME", "checkout"),
        ])
        .unwrap();
        assert_eq!(
            s.headers,
            [
                ("api-key".into(), "abc==".into()),
                ("x-tenant".into(), "shop one".into())
            ]
        );
        assert_eq!(
            s.resource_attributes,
            [
                ("service.name".into(), "from-attrs".into()),
                ("deployment.environment".into(), "prod,eu".into())
            ]
        );
        assert_eq!(s.service_name.as_deref(), Some("checkout"));
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let e = env(&[("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")]).unwrap_err();
        assert!(e.to_string().contains("grpc"), "{e}");
        assert!(e.to_string().contains("http/protobuf"), "{e}");
        let e = env(&[("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT", "10s")]).unwrap_err();
        assert!(
            e.to_string().contains("OTEL_EXPORTER_OTLP_LOGS_TIMEOUT"),
            "{e}"
        );
        assert!(env(&[("OTEL_EXPORTER_OTLP_COMPRESSION", "zstd")]).is_err());
        assert!(env(&[("OTEL_EXPORTER_OTLP_HEADERS", "novalue")]).is_err());
        assert!(env(&[("OTEL_RESOURCE_ATTRIBUTES", "a=%zz")]).is_err());
    }

    #[test]
    fn endpoints() {
        let e = Endpoint::parse("http://localhost:4318/v1/logs").unwrap();
        assert_eq!(
            (
                e.https,
                e.host.as_str(),
                e.port,
                e.host_header.as_str(),
                e.path.as_str()
            ),
            (false, "localhost", 4318, "localhost:4318", "/v1/logs")
        );
        let e = Endpoint::parse("https://[::1]/x?y=1").unwrap();
        assert_eq!(
            (e.port, e.host.as_str(), e.host_header.as_str()),
            (443, "::1", "[::1]")
        );
        assert_eq!(e.url(), "https://[::1]/x?y=1");
        assert_eq!(Endpoint::parse("http://h").unwrap().path, "/");
        assert!(Endpoint::parse("grpc://h:4317").is_err());
        assert!(Endpoint::parse("http://user:pw@h/").is_err());
        assert!(Endpoint::parse("http://h:notaport/").is_err());
    }
}
