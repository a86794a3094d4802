//! The real network, for live calls (the network [`crate::Backend`]s): a
//! request the policy allowed is sent through the connector's pool
//! (connections kept open per origin, HTTPS through rustls with the webpki
//! roots and any extra ones, HTTP/2 when the server offers it), inside the
//! request's timeouts and the call's time limit. The response body streams
//! to the guest, which enforces its own size cap while reading; when the
//! call is being recorded, the host reads it whole first (up to
//! [`MAX_RECORDED_BODY`]).

mod body;
mod dial;
mod errors;
mod pool;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody};

use crate::exchange::{IoFuture, OutgoingRequest, Recorder, Response, header_pairs};
use crate::limits;
use dial::{CLOCK, Clock};
pub use pool::NetworkSettings;
pub(crate) use pool::Pool;

/// The largest response body a recording keeps; a larger one fails the
/// request as `HTTP-response-body-size`.
pub const MAX_RECORDED_BODY: usize = 64 << 20;

/// Sends `request` through `pool` and returns the response as the guest
/// will read it. The request's timeouts are cut to what is left of the call
/// (`deadline`), and a response that has not started by then fails as
/// `HTTP-response-timeout`. With a recorder, the whole exchange (`request`
/// as the guest sent it, and the answer) is kept there.
pub(crate) async fn send(
    pool: &Arc<Pool>,
    request: http::Request<Bytes>,
    options: Option<RequestOptions>,
    deadline: Option<Instant>,
    record: Option<(Recorder, OutgoingRequest)>,
) -> Result<(http::Response<WasiBody>, IoFuture), HttpError> {
    let options = within(options, deadline).unwrap_or_default();
    let exchange = exchange(pool, request.map(Full::new), options);
    let response = match deadline {
        Some(d) => tokio::time::timeout_at(d.into(), exchange)
            .await
            .map_err(|_| HttpError::HttpResponseTimeout)??,
        None => exchange.await?,
    };
    limits::check_response_headers(
        response
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len()),
    )?;
    let response = response.map(|b| body::between_bytes(b, options.between_bytes_timeout));
    let Some((recorder, request)) = record else {
        return Ok((response, Box::new(async { Ok(()) }) as IoFuture));
    };
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

/// The request through the pool, until the answer's headers: within the
/// connect timeout while a connection is opened for it, then within the
/// first-byte timeout.
async fn exchange(
    pool: &Arc<Pool>,
    request: http::Request<Full<Bytes>>,
    options: RequestOptions,
) -> Result<http::Response<hyper::body::Incoming>, HttpError> {
    let clock = Clock::new(options.connect_timeout);
    let sent = pool.client().request(request);
    CLOCK
        .scope(clock.clone(), async move {
            let Some(limit) = options.first_byte_timeout else {
                return sent.await.map_err(|e| errors::from_client(&e));
            };
            tokio::pin!(sent);
            loop {
                // While a connection is dialed for it, the request is not
                // sent yet: look again once its connect timeout could have
                // run out.
                let until = clock
                    .first_byte_deadline(limit)
                    .unwrap_or_else(|| Instant::now() + limit);
                tokio::select! {
                    answer = &mut sent => return answer.map_err(|e| errors::from_client(&e)),
                    () = tokio::time::sleep_until(until.into()) => {
                        if clock.first_byte_deadline(limit).is_some_and(|t| t <= Instant::now()) {
                            return Err(HttpError::ConnectionReadTimeout);
                        }
                    }
                }
            }
        })
        .await
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
