//! Live calls (the network [`goto_host::Backend`]) against a real HTTP server on
//! loopback: the request really leaves the process, the policy still
//! decides, and the call's time limit still holds.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use goto_host::policy::Policy;
use goto_host::{Backend, Connector, Limits, Recorder, cassette, recorder};
use serde_json::{Value, json};

use crate::{connector, error_kind, error_text};

/// A one-request HTTP/1.1 server on 127.0.0.1: sends back the request line
/// and headers it read, then answers `response` (or nothing, if `None`,
/// keeping the connection open until the test ends).
fn serve_once(response: Option<String>) -> (u16, mpsc::Receiver<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut head = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            head.push(line.trim_end().to_string());
        }
        let length = head
            .iter()
            .find_map(|h| {
                let (name, value) = h.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let _ = tx.send(head);
        let mut stream = reader.into_inner();
        match response {
            Some(r) => {
                let _ = stream.write_all(r.as_bytes());
            }
            None => thread::sleep(Duration::from_secs(5)),
        }
    });
    (port, rx)
}

fn json_response(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn local(port: u16) -> Connector {
    let mut policy = Policy::goto_default();
    policy
        .allow(&format!("http://127.0.0.1:{port}"))
        .expect("a valid origin");
    connector().clone().with_policy(policy)
}

fn get_meeting(c: &Connector, port: u16) -> Value {
    c.blocking()
        .call(
            "get-meeting",
            &json!({"accessToken": "live-token", "apiBase": format!("http://127.0.0.1:{port}")}),
            &json!({"meetingId": 123456789}),
        )
        .expect("a typed result")
        .result
}

#[test]
fn a_live_call_reaches_the_server_and_is_normalized() {
    let (port, seen) = serve_once(Some(json_response(
        r#"[{"meetingid":"123456789","subject":"live","startTime":"2012-12-01T09:00:00.+0000","endTime":"2012-12-01T10:00:00.+0000","meetingType":"Scheduled","passwordRequired":"false"}]"#,
    )));
    let result = get_meeting(&local(port), port);
    assert_eq!(result["ok"]["meetingId"], "123456789", "{result}");
    assert_eq!(
        result["ok"]["startTime"], "2012-12-01T09:00:00Z",
        "{result}"
    );
    let head = seen
        .recv_timeout(Duration::from_secs(5))
        .expect("a request");
    assert_eq!(head[0], "GET /G2M/rest/meetings/123456789 HTTP/1.1");
    assert!(
        head.iter()
            .any(|h| h.eq_ignore_ascii_case("authorization: Bearer live-token")),
        "{head:?}"
    );
    // HTTP/1.1 requires Host (wasmtime 48.0.0 once stopped sending it); it
    // names exactly the origin the policy admitted.
    let hosts: Vec<&String> = head
        .iter()
        .filter(|h| h.to_ascii_lowercase().starts_with("host:"))
        .collect();
    assert_eq!(hosts.len(), 1, "{head:?}");
    assert_eq!(
        hosts[0].to_ascii_lowercase(),
        format!("host: 127.0.0.1:{port}")
    );
}

#[test]
fn a_live_call_to_an_origin_not_allowed_never_connects() {
    let (port, seen) = serve_once(Some(json_response("[]")));
    // The default policy: the loopback server is not on it.
    let result = get_meeting(connector(), port);
    assert_eq!(
        error_kind(&result).as_deref(),
        Some("transport"),
        "{result}"
    );
    assert!(
        error_text(&result).starts_with("HTTP-request-denied"),
        "{result}"
    );
    assert!(seen.recv_timeout(Duration::from_millis(300)).is_err());
}

#[test]
fn a_live_server_that_never_answers_is_cut_off_by_the_time_limit() {
    let (port, seen) = serve_once(None);
    let c = local(port).with_limits(Limits {
        time: Duration::from_millis(300),
        ..Limits::default()
    });
    let result = get_meeting(&c, port);
    assert!(seen.recv_timeout(Duration::from_secs(5)).is_ok());
    assert_eq!(
        error_kind(&result).as_deref(),
        Some("transport"),
        "{result}"
    );
    // Cut by the first-byte timeout the host set to the time left
    // (`connection-read-timeout`) or by the deadline itself
    // (`HTTP-response-timeout`): a timeout either way, its message naming it.
    assert_eq!(result["error"]["transport"]["kind"], "timeout", "{result}");
    let code = result["error"]["transport"]["code"]
        .as_str()
        .unwrap_or_default();
    assert!(
        matches!(code, "connection-read-timeout" | "HTTP-response-timeout"),
        "{result}"
    );
    assert!(error_text(&result).starts_with(code), "{result}");
}

/// Records `operation` live against a loopback server answering `body`,
/// then checks the cassette: it contains none of `secrets` and replays
/// offline to the same result.
fn record_and_replay(
    operation: &str,
    connection: Value,
    input: Value,
    body: &str,
    secrets: &[&str],
) {
    let (port, _seen) = serve_once(Some(json_response(body)));
    let connection =
        serde_json::from_str(&connection.to_string().replace("PORT", &port.to_string()))
            .expect("json");
    let input: Value =
        serde_json::from_str(&input.to_string().replace("PORT", &port.to_string())).expect("json");
    let c = local(port);
    let recording = Recorder::default();
    let outcome = c
        .clone()
        .with_backend(Backend::Record(recording.clone()))
        .blocking()
        .call(operation, &connection, &input)
        .expect("a typed result");
    let exchanges = recording.lock().expect("the recording").clone();
    assert!(outcome.result.get("ok").is_some(), "{}", outcome.result);
    assert_eq!(exchanges.len(), 1);
    let recorded = recorder::cassette(operation, &connection, &input, &exchanges, &outcome.result)
        .expect("a cassette");
    let text = serde_json::to_string(&recorded).expect("json");
    for secret in secrets {
        assert!(!text.contains(secret), "{secret:?} in {text}");
    }
    assert!(text.contains("recorded-secret-1"), "{text}");
    let verdict = cassette::check(&c, &recorded);
    assert!(verdict.passed(), "{:?} {text}", verdict.failures);
}

#[test]
fn a_recorded_api_call_replays_without_the_token() {
    record_and_replay(
        "get-meeting",
        json!({"accessToken": "live-access-token-5b1d", "apiBase": "http://127.0.0.1:PORT"}),
        json!({"meetingId": 123456789}),
        r#"[{"meetingId":123456789,"subject":"live","meetingType":"Scheduled"}]"#,
        &["live-access-token-5b1d"],
    );
}

#[test]
fn a_recorded_code_exchange_replays_without_any_credential() {
    record_and_replay(
        "exchange-code",
        json!(null),
        json!({
            "client": {"clientId": "live-client", "clientSecret": "live-client-secret-77",
                       "authBase": "http://127.0.0.1:PORT"},
            "code": "live-auth-code-0042",
            "redirectUri": "https://app.example.com/cb",
            "codeVerifier": "live-verifier-live-verifier-live-verifier-live-verifier-0001"
        }),
        r#"{"access_token":"live-granted-access-9","refresh_token":"live-granted-refresh-9","expires_in":3600,"token_type":"Bearer"}"#,
        &[
            "live-client-secret-77",
            "live-auth-code-0042",
            "live-verifier-live-verifier",
            "live-granted-access-9",
            "live-granted-refresh-9",
            // The Basic authorization header's base64 of id:secret.
            "bGl2ZS1jbGllbnQ6",
        ],
    );
}
