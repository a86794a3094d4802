//! Building and sending one API call: base URL, path, query, auth header,
//! JSON body; then the split into success and [`errors::from_response`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};
use url::Url;

use crate::SkippedRecord;
use crate::core::errors;
use crate::core::http::{Method, Request, RequestOptions, Response, Transport};
use crate::core::record::{self, Listing, Record};
use crate::core::retry::RetryPolicy;
use crate::{Connection, Error};

/// Where GoTo's REST APIs live unless the connection says otherwise.
pub const DEFAULT_API_BASE: &str = "https://api.getgo.com";

/// One call's context: the transport, the product's base URL and the token.
pub struct Api<'a> {
    transport: &'a mut dyn Transport,
    base: Url,
    token: &'a str,
    options: RequestOptions,
    retry: RetryPolicy,
    /// Retries made and milliseconds waited so far in this call, over all
    /// its requests: the budget is the call's, not each request's.
    retries: u32,
    waited_ms: u64,
    /// Every request of this call only reads, whatever its method (a
    /// report GoTo serves to a POST): retried as a GET, and an error never
    /// says it may have changed something.
    reads_only: bool,
}

impl<'a> Api<'a> {
    /// Checks the connection and fixes the product prefix (e.g. `["G2M", "rest"]`)
    /// under `connection.apiBase` (GoTo's default when unset).
    pub fn new(
        transport: &'a mut dyn Transport,
        conn: &'a Connection,
        product: &[&str],
    ) -> Result<Self, Error> {
        let base = conn.api_base.as_deref().unwrap_or(DEFAULT_API_BASE);
        Api::with_base(transport, conn, base, "connection.apiBase", product)
    }

    /// Like [`Api::new`], for an API that does not live under `api-base`
    /// (GoToAssist Seeit): `base` is that API's base URL, `field` names it in
    /// errors (e.g. `connection.seeitBase`), `product` is appended to it.
    pub fn with_base(
        transport: &'a mut dyn Transport,
        conn: &'a Connection,
        base: &str,
        field: &str,
        product: &[&str],
    ) -> Result<Self, Error> {
        check_token(&conn.access_token)?;
        let mut base = parse_base(base, field)?;
        if let Ok(mut segments) = base.path_segments_mut() {
            segments.pop_if_empty().extend(product);
        }
        Ok(Api {
            transport,
            base,
            token: &conn.access_token,
            options: RequestOptions::from_settings(conn.settings.as_ref()),
            retry: RetryPolicy::from_settings(conn.settings.as_ref()),
            retries: 0,
            waited_ms: 0,
            reads_only: false,
        })
    }

    /// Never sends a request of this call again, whatever its method: for a
    /// PUT that is not idempotent (GoToWebinar's copy makes a new webinar
    /// each time it is sent).
    pub fn never_retry(&mut self) {
        self.retry.max_retries = 0;
    }

    /// The method whose effect a request of `method` has, for retries and
    /// the `applied` of errors: a GET when the call only reads.
    fn effect(&self, method: Method) -> Method {
        if self.reads_only { Method::Get } else { method }
    }

    /// The largest response body this call's requests accept.
    pub fn max_response_bytes(&self) -> u64 {
        self.options.max_response_bytes
    }

    /// Lowers the body cap of the requests that follow (a listing of
    /// several pages gives each page what is left of the call's cap).
    pub fn set_max_response_bytes(&mut self, max: u64) {
        self.options.max_response_bytes = max;
    }

    /// The URL of `path` (segments, each percent-encoded) under the product base.
    pub fn url(&self, path: &[&str], query: &[(&str, &str)]) -> Url {
        let mut url = self.base.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.extend(path);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends a request with the bearer token and optional JSON body; any
    /// non-2xx answer becomes the matching error. Idempotent requests are
    /// sent again on 429/502/503/504 within the retry budget ([`crate::core::retry`]).
    pub fn send(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Response, Error> {
        self.exchange(method, url, body, false)
    }

    /// Sends a GET that GoTo answers with a redirect (a download) and
    /// returns the redirect's target, a [`record::link`], without following
    /// it; an answer without one is `invalid-response`.
    pub fn redirect_target(&mut self, url: Url) -> Result<String, Error> {
        let resp = self.exchange(Method::Get, url.clone(), None, true)?;
        let target = match resp.header("location") {
            // A relative target resolves against the URL GoTo answered for.
            Some(t) if (300..400).contains(&resp.status) => url
                .join(t.trim())
                .map_err(|_| record::ShapeError("field `Location`: not a URL".into()))
                .and_then(|u| record::link("Location", u.as_str())),
            _ => Err(record::ShapeError(
                "expected a redirect with a Location header".into(),
            )),
        };
        target.map_err(|e| errors::invalid_response(resp.status, e, &[self.token], Method::Get))
    }

    /// Sends a GET that GoTo answers with a bare JSON string holding a
    /// link, and returns the [`record::link`]; anything else is
    /// `invalid-response`.
    pub fn link(&mut self, url: Url) -> Result<String, Error> {
        let resp = self.send(Method::Get, url, None)?;
        let link = match serde_json::from_slice::<Value>(&resp.body) {
            Ok(Value::String(s)) => record::link("body", &s),
            _ => Err(record::ShapeError(
                "expected a link as a JSON string".into(),
            )),
        };
        link.map_err(|e| errors::invalid_response(resp.status, e, &[self.token], Method::Get))
    }

    /// [`Api::send`], and with `redirect` a 3xx answer is returned too
    /// rather than turned into an error.
    fn exchange(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        redirect: bool,
    ) -> Result<Response, Error> {
        let mut headers = vec![
            ("authorization", format!("Bearer {}", self.token)),
            ("accept", "application/json".to_string()),
        ];
        let body = body.map(|b| {
            headers.push(("content-type", "application/json".to_string()));
            b.to_string().into_bytes()
        });
        let request = Request {
            method,
            url,
            headers,
            body,
            options: self.options,
        };
        let effect = self.effect(method);
        // Whether an earlier attempt may have reached GoTo (a gateway's 502,
        // 503 or 504 can come after GoTo acted; a 429 never does).
        let mut may_have_reached = false;
        loop {
            let response = match self.transport.send(&request) {
                Ok(response) => response,
                Err(e) => return Err(self.settle(e, effect, may_have_reached)),
            };
            if (200..300).contains(&response.status)
                || (redirect && (300..400).contains(&response.status))
            {
                return Ok(response);
            }
            // A DELETE sent again after its first attempt may have worked:
            // GoTo's 404 then says the thing is gone, which is what was asked.
            if method == Method::Delete && response.status == 404 && may_have_reached {
                return Ok(response);
            }
            let now = self.transport.now();
            let retry_after = errors::retry_after_seconds(&response, now);
            let transport = &mut *self.transport;
            match self.retry.next_wait(
                effect,
                response.status,
                retry_after,
                self.retries,
                self.waited_ms,
                &mut || transport.jitter(),
            ) {
                Some(wait) => {
                    self.transport.pause(wait);
                    self.retries += 1;
                    self.waited_ms += wait;
                    may_have_reached |= response.status != 429;
                }
                None => {
                    let e = errors::from_response(&response, &[self.token], now, effect);
                    return Err(self.settle(e, effect, may_have_reached));
                }
            }
        }
    }

    /// Sends and reads a body holding one record (an object or an array of
    /// one). `what` names the thing for the not-found message.
    pub fn one<T>(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: &str,
        read: &dyn Fn(&Record) -> record::Result<T>,
    ) -> Result<T, Error> {
        let mut out = None;
        self.one_record(method, url, body, what, &mut |r| {
            out = Some(read(r)?);
            Ok(())
        })?;
        // one_record calls `read` exactly once when it returns Ok.
        out.ok_or_else(|| {
            let e = record::ShapeError(format!("no {what} in the answer"));
            errors::invalid_response(200, e, &[], method)
        })
    }

    /// [`Api::one`]'s exchange and parsing, not generic over the output type
    /// (one copy instead of one per operation, about 500 B each): `read`
    /// gets the record while it still borrows from the body.
    fn one_record(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        what: &str,
        read: &mut dyn FnMut(&Record) -> record::Result<()>,
    ) -> Result<(), Error> {
        let effect = self.effect(method);
        let resp = self.send(method, url, body)?;
        let invalid = |e| errors::invalid_response(resp.status, e, &[self.token], effect);
        match record::one_record(&resp.body) {
            Ok(Some(r)) => read(&r).map_err(invalid),
            Ok(None) => Err(Error::NotFound(crate::ApiError {
                status: resp.status,
                code: None,
                message: format!(
                    "GoTo answered HTTP {} with an empty list: no {what}. Check the id.",
                    resp.status
                ),
                incident: None,
                retry_after_seconds: None,
                // A create answered with nothing may still have created.
                applied: if errors::writes(effect) {
                    crate::Applied::Maybe
                } else {
                    crate::Applied::No
                },
            })),
            Err(e) => Err(invalid(e)),
        }
    }

    /// Sends and reads a body holding a list of records (bare, or wrapped in
    /// one of `wrappers`). An empty list is a valid answer; a record that
    /// cannot be read is skipped (see [`record::read_records`]).
    pub fn list<T>(
        &mut self,
        url: Url,
        wrappers: &[&str],
        read: &dyn Fn(&Record) -> record::Result<T>,
    ) -> Result<Listing<T>, Error> {
        self.listing(Method::Get, url, None, wrappers, read)
    }

    /// [`Api::list`] for a listing GoTo answers to a POST that only reads
    /// (a report whose filter is the body): retried as a GET would be, and
    /// its errors say nothing was applied.
    pub fn list_posted<T>(
        &mut self,
        url: Url,
        body: &Value,
        wrappers: &[&str],
        read: &dyn Fn(&Record) -> record::Result<T>,
    ) -> Result<Listing<T>, Error> {
        self.reads_only = true;
        self.listing(Method::Post, url, Some(body), wrappers, read)
    }

    /// [`Api::list`] and [`Api::list_posted`]: the records read, and the
    /// ones skipped.
    fn listing<T>(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        wrappers: &[&str],
        read: &dyn Fn(&Record) -> record::Result<T>,
    ) -> Result<Listing<T>, Error> {
        let mut items = Vec::new();
        let skipped = self.each_record(method, url, body, wrappers, false, &mut |r| {
            items.push(read(r)?);
            Ok(())
        })?;
        Ok(Listing { items, skipped })
    }

    /// [`Api::list`] for a list read whole, as part of one record: a record
    /// that cannot be read fails the call with `invalid-response`.
    pub fn list_whole<T>(
        &mut self,
        url: Url,
        wrappers: &[&str],
        read: &dyn Fn(&Record) -> record::Result<T>,
    ) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        self.each_record(Method::Get, url, None, wrappers, true, &mut |r| {
            items.push(read(r)?);
            Ok(())
        })?;
        Ok(items)
    }

    /// [`Api::list`]'s exchange and parsing, not generic over the output
    /// type: `each` gets every record in order; the skipped ones are returned,
    /// or with `whole`, the first of them is the call's error.
    fn each_record(
        &mut self,
        method: Method,
        url: Url,
        body: Option<&Value>,
        wrappers: &[&str],
        whole: bool,
        each: &mut dyn FnMut(&Record) -> record::Result<()>,
    ) -> Result<Vec<SkippedRecord>, Error> {
        let effect = self.effect(method);
        let resp = self.send(method, url, body)?;
        let invalid = |e| errors::invalid_response(resp.status, e, &[self.token], effect);
        let list = record::read_records(&resp.body, wrappers, each).map_err(invalid)?;
        if !list.found {
            return Err(invalid(record::ShapeError(
                "expected a list of records, got an object without one".into(),
            )));
        }
        if whole && let Some(s) = list.skipped.first() {
            return Err(invalid(record::unread(s)));
        }
        Ok(list.skipped)
    }

    /// The call's error as returned: the token redacted, a read (`method`
    /// is the request's effect) never applied, and a change that an earlier
    /// attempt may have carried out (`may_have_reached`) left open
    /// (`maybe`) rather than reported as not applied.
    fn settle(&self, mut e: Error, method: Method, may_have_reached: bool) -> Error {
        errors::redact_error(&mut e, &[self.token]);
        if let Some(applied) = errors::applied(&mut e) {
            if !errors::writes(method) {
                // A read changes nothing, whatever the transport knew of
                // the request (its method may be a POST that only reads).
                *applied = crate::Applied::No;
            } else if may_have_reached && matches!(applied, crate::Applied::No) {
                *applied = crate::Applied::Maybe;
            }
        }
        e
    }
}

/// A JSON object for a request body. Built by hand rather than with
/// `json!`, which sends every value through `to_value(..).unwrap()` (a panic
/// path, and serde_json's value serializer, for values that are already
/// JSON): that cost the component about 9.6 KB. Not generic, and one insert
/// per field: collecting into the map instead pulled in a sort per call site.
pub fn object(fields: Vec<(&str, Value)>) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in fields {
        map.insert(k.to_string(), v);
    }
    map
}

/// A base URL from the connection: absolute http(s), no query or fragment.
pub fn parse_base(raw: &str, field: &str) -> Result<Url, Error> {
    let url = Url::parse(raw.trim())
        .map_err(|e| errors::invalid(field, format!("not an absolute URL ({e})")))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(errors::invalid(
            field,
            "must be an http or https URL with a host",
        ));
    }
    if url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(errors::invalid(
            field,
            "must not carry credentials, a query or a fragment",
        ));
    }
    Ok(url)
}

fn check_token(token: &str) -> Result<(), Error> {
    if token.trim().is_empty() {
        return Err(errors::invalid(
            "connection.accessToken",
            "must not be empty",
        ));
    }
    if !token.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(errors::invalid(
            "connection.accessToken",
            "contains characters that cannot be sent in an HTTP header (spaces, control or non-ASCII characters)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
