//! The real network, for live calls (the network [`crate::Backend`]s):
//! a request the policy allowed is sent with wasmtime-wasi-http's
//! `default_send_request` (HTTPS through rustls with the webpki roots),
//! inside the call's time limit. The response body streams to the guest,
//! which enforces its own size cap while reading; when the call is being
//! recorded, the host reads it whole first (up to [`MAX_RECORDED_BODY`]).

use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody};

use crate::exchange::{IoFuture, OutgoingRequest, Recorder, Response, header_pairs};
use crate::limits;

/// The largest response body a recording keeps; a larger one fails the
/// request as `HTTP-response-body-size`.
pub const MAX_RECORDED_BODY: usize = 64 << 20;

/// Sends `request` and returns the response as the guest will read it. The
/// request's timeouts are cut to what is left of the call (`deadline`), and
/// a response that has not started by then fails as `HTTP-response-timeout`.
/// With a recorder, the whole exchange (`request` as the guest sent it, and
/// the answer) is kept there.
pub async fn send(
    request: http::Request<Bytes>,
    options: Option<RequestOptions>,
    deadline: Option<Instant>,
    record: Option<(Recorder, OutgoingRequest)>,
) -> Result<(http::Response<WasiBody>, IoFuture), HttpError> {
    let request = request.map(|b| Full::new(b).map_err(|never| match never {}));
    let send = wasmtime_wasi_http::default_send_request(request, within(options, deadline));
    let (response, io) = match deadline {
        Some(d) => tokio::time::timeout_at(d.into(), send)
            .await
            .map_err(|_| HttpError::HttpResponseTimeout)??,
        None => send.await?,
    };
    limits::check_response_headers(
        response
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len()),
    )?;
    let Some((recorder, request)) = record else {
        return Ok((
            response.map(BodyExt::boxed_unsync),
            Box::new(io) as IoFuture,
        ));
    };
    // The connection must be driven while the body is read; the task ends
    // with the connection.
    tokio::spawn(io);
    let (parts, body) = response.into_parts();
    let body = http_body_util::Limited::new(body, MAX_RECORDED_BODY)
        .collect()
        .await
        .map_err(|_| HttpError::HttpResponseBodySize(None))?
        .to_bytes();
    let canned = Response {
        status: parts.status.as_u16(),
        headers: header_pairs(&parts.headers),
        body: body.to_vec(),
        fault: None,
    };
    if let Ok(mut r) = recorder.lock() {
        r.push((request, canned));
    }
    let body = Full::new(body)
        .map_err(|never| match never {})
        .boxed_unsync();
    let response = http::Response::from_parts(parts, body);
    Ok((response, Box::new(async { Ok(()) }) as IoFuture))
}

/// The request's timeouts, none longer than what is left until `deadline`
/// (an unset one becomes exactly that).
fn within(options: Option<RequestOptions>, deadline: Option<Instant>) -> Option<RequestOptions> {
    let Some(deadline) = deadline else {
        return options;
    };
    let left = deadline.saturating_duration_since(Instant::now());
    let cap = |t: Option<Duration>| Some(t.map_or(left, |t| t.min(left)));
    let o = options.unwrap_or_default();
    Some(RequestOptions {
        connect_timeout: cap(o.connect_timeout),
        first_byte_timeout: cap(o.first_byte_timeout),
        between_bytes_timeout: cap(o.between_bytes_timeout),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_cut_to_the_time_left() {
        let deadline = Instant::now() + Duration::from_secs(5);
        let o = within(
            Some(RequestOptions {
                connect_timeout: Some(Duration::from_secs(1)),
                first_byte_timeout: Some(Duration::from_secs(60)),
                between_bytes_timeout: None,
            }),
            Some(deadline),
        )
        .unwrap();
        assert_eq!(o.connect_timeout, Some(Duration::from_secs(1)));
        let five = Duration::from_secs(5);
        assert!(
            o.first_byte_timeout
                .is_some_and(|t| t <= five && t > Duration::from_secs(4))
        );
        assert!(o.between_bytes_timeout.is_some_and(|t| t <= five));
        assert_eq!(within(None, None), None);
    }
}
