//! What the guest is told when a live request fails: the pooling client's
//! error, read down to its cause (a TLS failure, a socket error, a hyper
//! error), as the wasi:http error code that names it.

use std::error::Error as StdError;
use std::io;

use wasmtime_wasi_http::Error as HttpError;

use super::dial::ConnectTimedOut;

/// The wasi:http error for a request the pool could not complete.
pub(crate) fn from_client(error: &hyper_util::client::legacy::Error) -> HttpError {
    from_chain(error, error.is_connect())
}

/// The first cause in `error`'s chain that decides the code; else a
/// connection that could not open is `connection-refused`, anything else
/// `HTTP-protocol-error`.
fn from_chain(error: &(dyn StdError + 'static), connecting: bool) -> HttpError {
    let mut cause = Some(error);
    while let Some(e) = cause {
        if let Some(code) = classify(e) {
            return code;
        }
        // An io::Error hides what it wraps from `source`; look inside.
        cause = match e.downcast_ref::<io::Error>().and_then(io::Error::get_ref) {
            Some(inner) => Some(inner as &(dyn StdError + 'static)),
            None => e.source(),
        };
    }
    if connecting {
        HttpError::ConnectionRefused
    } else {
        HttpError::HttpProtocolError
    }
}

/// The code for one link of the cause chain, if it decides it.
fn classify(e: &(dyn StdError + 'static)) -> Option<HttpError> {
    if e.is::<ConnectTimedOut>() {
        return Some(HttpError::ConnectionTimeout);
    }
    if let Some(tls) = e.downcast_ref::<rustls::Error>() {
        return Some(from_tls(tls));
    }
    if e.to_string().starts_with("dns error") {
        return Some(dns("the host name did not resolve"));
    }
    if let Some(io) = e.downcast_ref::<io::Error>() {
        if io
            .get_ref()
            .is_some_and(|inner| inner.is::<rustls::Error>())
        {
            return None; // the TLS error inside decides
        }
        return from_io(io);
    }
    e.downcast_ref::<hyper::Error>().map(body_error)
}

/// A TLS failure: the certificate, an alert from the server, or the
/// protocol.
fn from_tls(e: &rustls::Error) -> HttpError {
    match e {
        rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented => {
            HttpError::TlsCertificateError
        }
        rustls::Error::AlertReceived(alert) => HttpError::TlsAlertReceived {
            alert_id: Some(u8::from(*alert)),
            alert_message: Some(format!("{alert:?}")),
        },
        _ => HttpError::TlsProtocolError,
    }
}

fn from_io(e: &io::Error) -> Option<HttpError> {
    use io::ErrorKind::*;
    Some(match e.kind() {
        ConnectionRefused => HttpError::ConnectionRefused,
        TimedOut => HttpError::ConnectionTimeout,
        ConnectionReset | ConnectionAborted | BrokenPipe | UnexpectedEof => {
            HttpError::ConnectionTerminated
        }
        AddrNotAvailable => dns("address not available"),
        _ => return None,
    })
}

/// A hyper error, while the answer was awaited or its body read.
pub(crate) fn body_error(e: &hyper::Error) -> HttpError {
    if e.is_timeout() {
        HttpError::HttpResponseTimeout
    } else if e.is_incomplete_message() {
        HttpError::HttpResponseIncomplete
    } else if e.is_canceled() || e.is_closed() {
        HttpError::ConnectionTerminated
    } else {
        HttpError::HttpProtocolError
    }
}

fn dns(why: &str) -> HttpError {
    HttpError::DnsError {
        rcode: Some(why.into()),
        info_code: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_failures_name_tls_and_sockets_name_the_connection() {
        // As tokio-rustls reports it: inside an io::Error.
        let bad_cert = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        assert!(matches!(
            from_chain(&io::Error::new(io::ErrorKind::InvalidData, bad_cert), true),
            HttpError::TlsCertificateError
        ));
        assert!(matches!(
            from_tls(&rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer
            )),
            HttpError::TlsCertificateError
        ));
        assert!(matches!(
            from_tls(&rustls::Error::AlertReceived(
                rustls::AlertDescription::HandshakeFailure
            )),
            HttpError::TlsAlertReceived {
                alert_id: Some(40),
                ..
            }
        ));
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        assert!(matches!(
            classify(&refused),
            Some(HttpError::ConnectionRefused)
        ));
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert!(matches!(
            classify(&reset),
            Some(HttpError::ConnectionTerminated)
        ));
        assert!(matches!(
            classify(&ConnectTimedOut),
            Some(HttpError::ConnectionTimeout)
        ));
    }
}
