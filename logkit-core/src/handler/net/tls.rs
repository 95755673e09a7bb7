//! TLS client settings (the `tls` feature): the trusted certificates — the system's, as
//! Python's `ssl.create_default_context()`, or those of a CA file — with rustls's `ring`
//! provider and its safe default protocol versions (TLS 1.2 and 1.3) — and, for mutual TLS,
//! a client certificate chain and its private key.

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::{Error, ErrorKind};

/// The client settings trusting `cafile`'s certificates, or the system's when `None`.
pub(crate) fn client_config(cafile: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, Error> {
    client_config_with_auth(cafile, None)
}

/// As [`client_config`], presenting `client` — a PEM file with the certificate chain (leaf
/// first) and a PEM file with its private key — to a server that asks for one (mutual TLS).
pub(crate) fn client_config_with_auth(
    cafile: Option<&Path>,
    client: Option<(&Path, &Path)>,
) -> Result<Arc<rustls::ClientConfig>, Error> {
    let mut roots = rustls::RootCertStore::empty();
    match cafile {
        Some(path) => {
            let certs = CertificateDer::pem_file_iter(path)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidArgument,
                        format!("cannot read certificates from {}: {e}", path.display()),
                    )
                })?;
            let (added, _) = roots.add_parsable_certificates(certs);
            if added == 0 {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("no usable certificate in {}", path.display()),
                ));
            }
        }
        None => {
            let found = rustls_native_certs::load_native_certs();
            let (added, _) = roots.add_parsable_certificates(found.certs);
            if added == 0 {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    "no trusted certificate found on this system (install ca-certificates, or \
                     give a CA file)",
                ));
            }
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("TLS: {e}")))?
        .with_root_certificates(roots);
    let config = match client {
        None => builder.with_no_client_auth(),
        Some((certfile, keyfile)) => {
            let chain = CertificateDer::pem_file_iter(certfile)
                .and_then(Iterator::collect::<Result<Vec<_>, _>>)
                .map_err(|e| {
                    Error::new(
                        ErrorKind::InvalidArgument,
                        format!(
                            "cannot read the client certificate from {}: {e}",
                            certfile.display()
                        ),
                    )
                })?;
            if chain.is_empty() {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    format!("no certificate in {}", certfile.display()),
                ));
            }
            let key = PrivateKeyDer::from_pem_file(keyfile).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!("cannot read a private key from {}: {e}", keyfile.display()),
                )
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                Error::new(
                    ErrorKind::InvalidArgument,
                    format!(
                        "the client certificate {} and key {} do not go together: {e}",
                        certfile.display(),
                        keyfile.display()
                    ),
                )
            })?
        }
    };
    Ok(Arc::new(config))
}
