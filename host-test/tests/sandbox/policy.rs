//! The egress policy, decided on the URI the host is about to send: each
//! case calls the component and checks that a denied request never reached
//! the egress, reached the guest as `HTTP-request-denied`, and came back as
//! `transport` naming the denial.

use goto_host::policy::Policy;
use serde_json::{Value, json};

use crate::{call_on, connector, error_kind, error_text, meeting_ok};

fn with_base(c: &goto_host::Connector, base: &str) -> (Value, Vec<String>, Vec<String>) {
    let (out, seen) = call_on(
        c,
        "get-meeting",
        json!({"accessToken": "test-token", "apiBase": base}),
        json!({"meetingId": 123456789}),
        vec![meeting_ok()],
    );
    let out = out.expect("a typed result");
    (out.result, seen, out.denied)
}

fn assert_denied(c: &goto_host::Connector, base: &str) {
    let (r, seen, denied) = with_base(c, base);
    assert!(seen.is_empty(), "{base}: reached the egress: {seen:?}");
    assert_eq!(denied.len(), 1, "{base}: {denied:?}");
    assert_eq!(error_kind(&r).as_deref(), Some("transport"), "{base}: {r}");
    assert!(
        error_text(&r).starts_with("HTTP-request-denied"),
        "{base}: {r}"
    );
}

fn assert_allowed(c: &goto_host::Connector, base: &str) {
    let (r, seen, denied) = with_base(c, base);
    assert!(denied.is_empty(), "{base}: {denied:?}");
    assert_eq!(seen.len(), 1, "{base}");
    assert_eq!(r["ok"]["meetingId"], "123456789", "{base}: {r}");
}

#[test]
fn the_goto_hosts_are_allowed_by_default() {
    for base in [
        "https://api.getgo.com",
        "https://api.getgo.com:443/",
        "https://api.citrixonline.com",
        "https://authentication.logmeininc.com",
    ] {
        assert_allowed(connector(), base);
    }
}

#[test]
fn another_host_is_denied() {
    assert_denied(connector(), "https://evil.example");
}

#[test]
fn the_api_base_override_cannot_widen_the_policy() {
    // Suffix and prefix look-alikes of the allowed hosts, and a path that
    // names the allowed host.
    for base in [
        "https://api.getgo.com.evil.example",
        "https://evilapi.getgo.com",
        "https://evil.example/api.getgo.com",
        "https://evil.example/https://api.getgo.com",
    ] {
        assert_denied(connector(), base);
    }
}

#[test]
fn the_same_host_on_another_port_is_denied() {
    assert_denied(connector(), "https://api.getgo.com:8443");
    assert_denied(connector(), "https://api.getgo.com:80");
}

#[test]
fn plain_http_to_an_allowed_host_is_denied() {
    assert_denied(connector(), "http://api.getgo.com");
    assert_denied(connector(), "http://api.getgo.com:443");
}

#[test]
fn the_userinfo_trick_sends_nothing() {
    // `https://api.getgo.com@evil.example` is a request to evil.example; the
    // component refuses credentials in a base, so nothing is sent at all.
    let (r, seen, denied) = with_base(connector(), "https://api.getgo.com@evil.example");
    assert!(seen.is_empty() && denied.is_empty(), "{seen:?} {denied:?}");
    assert_eq!(error_kind(&r).as_deref(), Some("invalid-input"), "{r}");
    assert!(error_text(&r).starts_with("connection.apiBase"), "{r}");
    // And had the guest sent it, the host decides on the real authority.
    let uri: http::Uri = "https://api.getgo.com@evil.example/G2M".parse().unwrap();
    assert!(!Policy::goto_default().allows(&uri));
}

#[test]
fn case_and_a_trailing_dot_normalize_to_the_same_host() {
    assert_allowed(connector(), "https://API.GetGo.COM");
    assert_allowed(connector(), "https://api.getgo.com.");
    assert_denied(connector(), "https://API.GETGO.COM.EVIL.EXAMPLE.");
}

#[test]
fn ip_literals_are_denied() {
    for base in [
        "https://127.0.0.1",
        "https://192.0.2.1",
        "https://[::1]",
        "https://2130706433",
        "http://169.254.169.254",
    ] {
        assert_denied(connector(), base);
    }
}

#[test]
fn allow_host_admits_exactly_that_host() {
    // What `goto-host call --allow-host evil.example` builds.
    let mut policy = Policy::goto_default();
    policy.allow("evil.example").unwrap();
    let c = connector().clone().with_policy(policy);
    assert_allowed(&c, "https://evil.example");
    assert_allowed(&c, "https://EVIL.example.");
    assert_allowed(&c, "https://api.getgo.com");
    assert_denied(&c, "http://evil.example");
    assert_denied(&c, "https://evil.example:8443");
    assert_denied(&c, "https://sub.evil.example");
    assert_denied(&c, "https://other.example");
    // And with a port, only that port.
    let mut policy = Policy::deny_all();
    policy.allow("https://127.0.0.1:8443").unwrap();
    let c = connector().clone().with_policy(policy);
    assert_allowed(&c, "https://127.0.0.1:8443");
    assert_denied(&c, "https://127.0.0.1");
    assert_denied(&c, "https://api.getgo.com");
}

#[test]
fn the_seeit_and_auth_bases_are_held_to_the_same_policy() {
    let (out, seen) = call_on(
        connector(),
        "create-seeit-session",
        json!({"accessToken": "test-token", "seeitBase": "https://evil.example/seeit/v1"}),
        json!({}),
        vec![meeting_ok()],
    );
    let r = out.unwrap().result;
    assert!(seen.is_empty());
    assert!(error_text(&r).starts_with("HTTP-request-denied"), "{r}");
    let (out, seen) = call_on(
        connector(),
        "refresh-token",
        Value::Null,
        json!({"client": {"clientId": "id", "clientSecret": "secret-1", "authBase": "https://evil.example"}, "refreshToken": "r-token-1"}),
        vec![meeting_ok()],
    );
    let r = out.unwrap().result;
    assert!(seen.is_empty());
    assert!(error_text(&r).starts_with("HTTP-request-denied"), "{r}");
}
