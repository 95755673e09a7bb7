//! TLS client settings (the `tls` feature): the trusted certificates — the system's, as
//! Python's `ssl.create_default_context()`, or those of a CA file — with rustls's `ring`
//! provider and its safe default protocol versions (TLS 1.2 and 1.3).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::error::{Error, ErrorKind};

/// The client settings trusting `cafile`'s certificates, or the system's when `None`.
pub(crate) fn client_config(cafile: Option<&Path>) -> Result<Arc<rustls::ClientConfig>, Error> {
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
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::new(ErrorKind::InvalidArgument, format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
