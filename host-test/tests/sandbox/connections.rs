//! Live calls over pooled connections, against the loopback HTTPS server of
//! `goto-test-support`: one connection serves call after call, each call
//! sends only its own token, a connection the server closed while idle
//! costs no call, HTTP/2 is used when offered, the request's first-byte
//! timeout still holds, and a certificate nobody trusts is a typed TLS
//! error.

use std::sync::Arc;
use std::time::Duration;

use goto_host::policy::Policy;
use goto_host::{Connector, NetworkSettings};
use goto_test_support::https::{Https, Options};
use serde_json::{Value, json};

use crate::{error_kind, error_text};

const MEETING: &str = r#"[{"meetingId":123456789,"subject":"pooled","startTime":"2026-07-01T09:00:00Z","endTime":"2026-07-01T10:00:00Z","meetingType":"scheduled","passwordRequired":false}]"#;

/// A pause between calls, so the last call's connection is idle in the
/// pool again: hyper-util returns a connection once its task has seen the
/// answer end, and a call sent before that opens a spare connection beside
/// waiting for it (seen under a loaded machine: 2 connections, every
/// request on the first).
fn idle() {
    std::thread::sleep(Duration::from_millis(100));
}

fn server(idle_close: Option<Duration>, http2: bool, delay: Duration) -> Https {
    Https::start(Options {
        idle_close,
        http2,
        delay,
        max_requests: 200,
        lifetime: Duration::from_secs(60),
        answer: Arc::new(|method, path, _body| {
            match (method, path) {
            ("GET", "/G2M/rest/meetings/123456789") => (200, MEETING.into()),
            ("POST", "/G2M/rest/meetings") => (
                201,
                r#"[{"joinURL":"https://global.gotomeeting.com/join/123456789","meetingid":123456789,"maxParticipants":250,"conferenceCallInfo":"hybrid"}]"#.into(),
            ),
            _ => (404, r#"{"errorCode":"NotFound"}"#.into()),
        }
        }),
    })
}

/// A connector of its own (its own pool) that may reach `server` and, when
/// `trusted`, trusts its certificate.
fn connector_for(server: &Https, trusted: bool) -> Connector {
    let mut policy = Policy::goto_default();
    policy.allow(&server.origin).expect("a valid origin");
    let network = NetworkSettings {
        extra_roots_pem: match trusted {
            true => server.ca_pem.clone().into_bytes(),
            false => Vec::new(),
        },
        ..NetworkSettings::default()
    };
    Connector::embedded()
        .policy(policy)
        .pool_size(8)
        .network(network)
        .build()
        .expect("the connector")
}

fn call(c: &Connector, server: &Https, token: &str, operation: &str, input: Value) -> Value {
    c.blocking()
        .call(
            operation,
            &json!({"accessToken": token, "apiBase": server.origin}),
            &input,
        )
        .expect("a typed result")
        .result
}

fn get_meeting(c: &Connector, server: &Https, token: &str) -> Value {
    call(
        c,
        server,
        token,
        "get-meeting",
        json!({"meetingId": 123456789}),
    )
}

#[test]
fn calls_share_one_connection_and_each_sends_only_its_own_token() {
    let server = server(None, false, Duration::ZERO);
    let c = connector_for(&server, true);
    for token in ["token-of-ann", "token-of-bob", "token-of-ann"] {
        idle();
        let result = get_meeting(&c, &server, token);
        assert_eq!(result["ok"]["subject"], "pooled", "{result}");
    }
    let seen = server.seen();
    let sent: Vec<(usize, Option<&str>)> = seen
        .iter()
        .map(|s| (s.connection, s.authorization.as_deref()))
        .collect();
    assert_eq!(
        sent,
        [
            (1, Some("Bearer token-of-ann")),
            (1, Some("Bearer token-of-bob")),
            (1, Some("Bearer token-of-ann")),
        ]
    );
    assert_eq!(server.connections(), 1);
    assert_eq!(c.connections_opened(), 1);
}

#[test]
fn a_connection_the_server_closed_while_idle_costs_no_call() {
    let server = server(Some(Duration::from_secs(1)), false, Duration::ZERO);
    let c = connector_for(&server, true);
    let first = get_meeting(&c, &server, "t");
    assert_eq!(first["ok"]["subject"], "pooled", "{first}");
    // The server closes the idle connection after a second; the next
    // request, a create that must never be sent twice, goes out once on a
    // new connection.
    std::thread::sleep(Duration::from_millis(1500));
    let meeting = json!({"subject": "After idle", "startTime": "2026-07-01T22:00:00Z",
        "endTime": "2026-07-01T23:00:00Z", "passwordRequired": false,
        "conferenceCallInfo": "hybrid", "meetingType": "scheduled"});
    let created = call(
        &c,
        &server,
        "t",
        "create-meeting",
        json!({"meeting": meeting}),
    );
    assert_eq!(created["ok"]["meetingId"], "123456789", "{created}");
    std::thread::sleep(Duration::from_millis(1500));
    let again = get_meeting(&c, &server, "t");
    assert_eq!(again["ok"]["subject"], "pooled", "{again}");
    let seen = server.seen();
    let posts = seen.iter().filter(|s| s.method == "POST").count();
    assert_eq!(posts, 1, "{seen:?}");
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(server.connections(), 3);
}

#[test]
fn http2_is_used_when_the_server_offers_it() {
    let server = server(None, true, Duration::ZERO);
    let c = connector_for(&server, true);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let results: Vec<Value> = runtime.block_on(async {
        // One first, so the rest find the connection open.
        let mut all = vec![get_async(&c, &server).await];
        let calls: Vec<_> = (0..20)
            .map(|_| {
                let (c, origin) = (c.clone(), server.origin.clone());
                tokio::spawn(async move {
                    let connection = json!({"accessToken": "t", "apiBase": origin});
                    let input = json!({"meetingId": 123456789});
                    let out = c.call("get-meeting", &connection, &input).await;
                    out.expect("a typed result").result
                })
            })
            .collect();
        for call in calls {
            all.push(call.await.expect("the task"));
        }
        all
    });
    for r in &results {
        assert_eq!(r["ok"]["subject"], "pooled", "{r}");
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 21);
    assert!(seen.iter().all(|s| s.version == "HTTP/2.0"), "{seen:?}");
    assert_eq!(server.connections(), 1, "HTTP/2 multiplexes the calls");
}

async fn get_async(c: &Connector, server: &Https) -> Value {
    let connection = json!({"accessToken": "t", "apiBase": server.origin});
    c.call("get-meeting", &connection, &json!({"meetingId": 123456789}))
        .await
        .expect("a typed result")
        .result
}

#[test]
fn the_first_byte_timeout_holds_on_a_pooled_connection() {
    let server = server(None, false, Duration::from_secs(2));
    let c = connector_for(&server, true);
    // The first call waits the two seconds; the second, on the same
    // connection, may wait only 300 ms for its answer to start.
    let first = get_meeting(&c, &server, "t");
    assert_eq!(first["ok"]["subject"], "pooled", "{first}");
    let impatient = json!({"accessToken": "t", "apiBase": server.origin,
        "settings": {"firstByteTimeoutMs": 300, "maxRetries": 0}});
    let result = c
        .blocking()
        .call("get-meeting", &impatient, &json!({"meetingId": 123456789}))
        .expect("a typed result")
        .result;
    assert_eq!(
        error_kind(&result).as_deref(),
        Some("transport"),
        "{result}"
    );
    assert_eq!(result["error"]["transport"]["kind"], "timeout", "{result}");
    assert_eq!(server.connections(), 1);
}

#[test]
fn a_certificate_nobody_trusts_is_a_typed_tls_error() {
    let server = server(None, false, Duration::ZERO);
    let c = connector_for(&server, false);
    let result = get_meeting(&c, &server, "t");
    assert_eq!(
        error_kind(&result).as_deref(),
        Some("transport"),
        "{result}"
    );
    assert_eq!(
        result["error"]["transport"]["code"], "TLS-certificate-error",
        "{result}"
    );
    assert!(error_text(&result).contains("TLS"), "{result}");
    assert!(server.seen().is_empty(), "no request may go out");
}

#[test]
fn extra_trust_roots_must_hold_a_certificate() {
    let network = NetworkSettings {
        extra_roots_pem: b"not a certificate".to_vec(),
        ..NetworkSettings::default()
    };
    let Err(err) = Connector::embedded().network(network).build() else {
        panic!("a PEM without a certificate must be refused");
    };
    assert!(err.to_string().contains("trust roots"), "{err:#}");
}

/// A connection belongs to the connector, not to the runtime of the call
/// that opened it: a blocking call on a thread that then ends (with its
/// runtime) leaves the connection to the next thread's call.
#[test]
fn a_connection_outlives_the_thread_and_runtime_that_opened_it() {
    let server = server(None, false, Duration::ZERO);
    let c = connector_for(&server, true);
    for _ in 0..3 {
        idle();
        let (c, origin) = (c.clone(), server.origin.clone());
        let result = std::thread::spawn(move || {
            let connection = json!({"accessToken": "t", "apiBase": origin});
            c.blocking()
                .call("get-meeting", &connection, &json!({"meetingId": 123456789}))
                .expect("a typed result")
                .result
        })
        .join()
        .expect("the thread");
        assert_eq!(result["ok"]["subject"], "pooled", "{result}");
    }
    assert_eq!(server.connections(), 1);
}

/// With the embedder's runtime named in the settings, the connections run
/// there, and calls on that runtime still share one.
#[test]
fn connections_may_run_on_the_embedder_s_runtime() {
    let server = server(None, false, Duration::ZERO);
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let mut policy = Policy::goto_default();
    policy.allow(&server.origin).expect("a valid origin");
    let c = Connector::embedded()
        .policy(policy)
        .pool_size(8)
        .network(NetworkSettings {
            extra_roots_pem: server.ca_pem.clone().into_bytes(),
            runtime: Some(runtime.handle().clone()),
            ..NetworkSettings::default()
        })
        .build()
        .expect("the connector");
    for _ in 0..3 {
        idle();
        let result = runtime.block_on(get_async(&c, &server));
        assert_eq!(result["ok"]["subject"], "pooled", "{result}");
    }
    assert_eq!(server.connections(), 1);
}
