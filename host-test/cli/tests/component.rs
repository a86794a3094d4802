//! Runs the real component in the real host: every cassette, coverage of
//! every export, the component's imports, and the JSON/describe contract.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, OnceLock};

use goto_host::cassette::{self, Cassette, Demo, Replay};
use goto_host::{Backend, Connector, Egress, cassettes_dir};
use goto_host_cli::describe;
use serde_json::{Value, json};
use wasmtime::component::Component;
use wasmtime::component::types::ComponentItem;
use wasmtime::{Config, Engine};

/// Compiled once per test process.
fn connector() -> &'static Connector {
    static C: OnceLock<Connector> = OnceLock::new();
    C.get_or_init(|| Connector::embedded().build().expect("the component loads"))
}

fn all_cassettes() -> Vec<(String, Cassette)> {
    cassette::cassette_files(&[cassettes_dir()])
        .expect("cassettes dir")
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(cassettes_dir())
                .unwrap_or(&p)
                .display()
                .to_string();
            let c = Cassette::load(&p).unwrap_or_else(|e| panic!("{rel}: {e:#}"));
            (rel, c)
        })
        .collect()
}

#[test]
fn every_cassette_passes() {
    let cases = all_cassettes();
    assert!(!cases.is_empty());
    let mut failed = Vec::new();
    for (name, c) in &cases {
        let v = cassette::check(connector(), c);
        if !v.passed() {
            failed.push(format!(
                "{name}:\n  {}\n  result: {}",
                v.failures.join("\n  "),
                v.result
            ));
        }
    }
    println!("{} cassettes, {} failed", cases.len(), failed.len());
    assert!(
        failed.is_empty(),
        "{} of {} cassettes failed:\n{}",
        failed.len(),
        cases.len(),
        failed.join("\n")
    );
}

#[test]
fn every_operation_has_success_error_and_invalid_input_cassettes() {
    let cases = all_cassettes();
    let mut missing = Vec::new();
    for op in connector().operations() {
        let mine: Vec<&Cassette> = cases
            .iter()
            .filter(|(name, _)| name.starts_with(&format!("{}/", op.name)))
            .map(|(_, c)| c)
            .collect();
        let ok = mine.iter().any(|c| c.expect.get("ok").is_some());
        // An operation that never sends a request (authorization-url,
        // create-pkce) cannot get an error response: its cassettes all have
        // no interactions and at least one of them succeeds.
        let offline = mine.iter().all(|c| c.interactions.is_empty())
            && mine
                .iter()
                .any(|c| c.interactions.is_empty() && c.expect.get("ok").is_some());
        let api_error = offline
            || mine
                .iter()
                .any(|c| c.expect.get("error").is_some() && !c.interactions.is_empty());
        let takes_input = op.params.iter().any(|(n, _)| n != "connection");
        let invalid = !takes_input
            || mine.iter().any(|c| {
                c.interactions.is_empty() && c.expect.pointer("/error/invalid-input").is_some()
            });
        for (has, what) in [
            (ok, "success"),
            (api_error, "error-response"),
            (invalid, "invalid-input"),
        ] {
            if !has {
                missing.push(format!("{}: no {what} cassette", op.name));
            }
        }
    }
    for (name, c) in &cases {
        if !name.starts_with(&format!("{}/", c.operation)) {
            missing.push(format!(
                "{name} is for {} but not in its folder",
                c.operation
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn component_imports_only_wasi_and_its_own_types() {
    let engine = Engine::new(&Config::new()).unwrap();
    let component = Component::new(&engine, goto_host::COMPONENT).unwrap();
    let mut names = BTreeSet::new();
    for (name, item) in component.component_type().imports(&engine) {
        if name.starts_with("goto:connector/types@") {
            // Types only: a host needs to provide nothing for it.
            let ComponentItem::ComponentInstance(i) = item.ty else {
                panic!("{name} is not an interface")
            };
            let funcs = i
                .exports(&engine)
                .filter(|(_, e)| matches!(e.ty, ComponentItem::ComponentFunc(_)))
                .count();
            assert_eq!(funcs, 0, "{name} must hold only types");
        }
        names.insert(name.split('@').next().unwrap_or(name).to_string());
    }
    // Exactly what README's "Embedding the component" asks of a host: no
    // filesystem, sockets, environment, stdin/stdout or exit (std's
    // wasi-libc imported those; the component is no_std).
    let expected = [
        "goto:connector/types",
        "wasi:cli/stderr",
        "wasi:clocks/monotonic-clock",
        "wasi:clocks/wall-clock",
        "wasi:http/outgoing-handler",
        "wasi:http/types",
        "wasi:io/error",
        "wasi:io/poll",
        "wasi:io/streams",
        "wasi:random/random",
    ];
    assert_eq!(
        names,
        expected
            .iter()
            .map(|n| n.to_string())
            .collect::<BTreeSet<_>>()
    );
}

#[test]
fn describe_lists_every_export_with_docs_and_schemas() {
    let (ops, defs) = describe::describe().unwrap();
    let described: BTreeSet<&str> = ops.iter().map(|o| o.name.as_str()).collect();
    let exported: BTreeSet<&str> = connector().operations().map(|o| o.name.as_str()).collect();
    assert_eq!(described, exported);
    for o in &ops {
        assert!(!o.description.is_empty(), "{} has no doc comment", o.name);
        assert_eq!(o.input["type"], "object", "{}", o.name);
        assert!(
            o.output.get("oneOf").is_some(),
            "{} output is not a result",
            o.name
        );
    }
    for name in ["connection", "error", "api-error"] {
        assert!(defs.get(name).is_some(), "$defs lacks {name}");
        assert!(
            defs[name].get("description").is_some(),
            "{name} has no description"
        );
    }
    let get = ops.iter().find(|o| o.name == "get-meeting").unwrap();
    assert_eq!(get.input["required"], json!(["meetingId"]));
    // The one JSON rule for 64-bit integers, stated on each of them.
    let id = &get.input["properties"]["meetingId"];
    assert!(
        id["description"]
            .as_str()
            .is_some_and(|d| d.contains("always a string")),
        "{id}"
    );
    assert_eq!(
        id["anyOf"][1]["maximum"],
        json!(9007199254740991u64),
        "{id}"
    );
}

/// The shared connector with its requests answered by `egress`.
fn answered_by(egress: Arc<Mutex<dyn Egress>>) -> Connector {
    connector().clone().with_backend(Backend::replay(egress))
}

#[test]
fn ids_are_strings_in_every_record_and_safe_integers_in_input() {
    let demo = answered_by(Arc::new(Mutex::new(Demo::load(&cassettes_dir()).unwrap())));
    let c = demo.blocking();
    let conn = json!({"accessToken": "demo-token"});
    let out = c
        .call("get-meeting", &conn, &json!({"meetingId": 42}))
        .unwrap();
    assert!(out.result["ok"]["meetingId"].is_string(), "{}", out.result);
    // A JSON integer above 2^53 - 1 may have been rounded: refused.
    let err = c
        .call(
            "get-meeting",
            &conn,
            &json!({"meetingId": 9007199254740993u64}),
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("meetingId"), "{err}");
    assert!(
        c.call(
            "get-meeting",
            &conn,
            &json!({"meetingId": "9007199254740993"}),
        )
        .is_ok()
    );
}

#[test]
fn the_demo_answers_any_id_without_a_token() {
    let demo = answered_by(Arc::new(Mutex::new(Demo::load(&cassettes_dir()).unwrap())));
    let c = demo.blocking();
    let conn = json!({"accessToken": "demo-token"});
    let out = c
        .call("get-meeting", &conn, &json!({"meetingId": "42"}))
        .unwrap();
    assert!(
        out.result.pointer("/ok/meetingId").is_some(),
        "{}",
        out.result
    );
    // An operation whose success is a redirect gets the recorded one.
    let input = json!({"trainingKey": "7", "recordingId": "8"});
    let out = c
        .call("get-training-recording-download", &conn, &input)
        .unwrap();
    let link = out.result.pointer("/ok").and_then(Value::as_str);
    assert!(
        link.is_some_and(|l| l.starts_with("https://")),
        "{}",
        out.result
    );
}

#[test]
fn an_api_base_override_cannot_widen_the_policy() {
    // The replay would answer anything; the policy must stop the request first.
    let replay = Arc::new(Mutex::new(Replay::default()));
    let out = answered_by(replay.clone())
        .blocking()
        .call(
            "get-meeting",
            &json!({"accessToken": "t0ken", "apiBase": "https://evil.example"}),
            &json!({"meetingId": 1}),
        )
        .unwrap();
    let transport = &out.result["error"]["transport"];
    assert_eq!(transport["kind"], "denied", "{}", out.result);
    assert_eq!(transport["code"], "HTTP-request-denied", "{}", out.result);
    assert_eq!(transport["applied"], "no", "{}", out.result);
    assert_eq!(
        out.denied,
        vec!["GET https://evil.example/G2M/rest/meetings/1".to_string()]
    );
    assert!(
        replay.lock().unwrap().misses.is_empty(),
        "the backend must never see a denied request"
    );
}

#[test]
fn the_demo_answers_each_operation_from_its_own_cassettes() {
    // exchange-code and refresh-token share POST /oauth/token; a refresh
    // must get the refresh answer (no new refresh token), so the one passed
    // in is kept.
    let demo = Arc::new(Mutex::new(
        Demo::load(&cassettes_dir())
            .unwrap()
            .prefer("refresh-token"),
    ));
    let out = answered_by(demo)
        .blocking()
        .call(
            "refresh-token",
            &Value::Null,
            &json!({"client": {"clientId": "demo-client", "clientSecret": "demo-secret"}, "refreshToken": "kept-refresh-token"}),
        )
        .unwrap();
    assert_eq!(
        out.result.pointer("/ok/refreshToken"),
        Some(&json!("kept-refresh-token")),
        "{}",
        out.result
    );
    assert_eq!(
        out.result.pointer("/ok/refreshTokenIssued"),
        Some(&json!(false)),
        "{}",
        out.result
    );
}

/// The schemas `schema` stands for: itself, or what its `$ref`, `anyOf`
/// (an option) or `oneOf` (a variant) lead to.
fn alternatives<'a>(schema: &'a Value, defs: &'a Value) -> Vec<&'a Value> {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        return alternatives(&defs[name], defs);
    }
    let mut out = vec![schema];
    for key in ["anyOf", "oneOf"] {
        for alt in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(alternatives(alt, defs));
        }
    }
    out
}

/// Follows one step of an invalid-input field path (`range`, `times[0]`,
/// `custom`) in a JSON Schema from `describe`: a record field or variant
/// case, then a list item for each `[i]`.
fn step<'a>(schema: &'a Value, defs: &'a Value, seg: &str) -> Vec<&'a Value> {
    let (name, indexed) = match seg.split_once('[') {
        Some((name, rest)) => (name, rest.ends_with(']')),
        None => (seg, false),
    };
    let fields = alternatives(schema, defs)
        .into_iter()
        .filter_map(|s| s.pointer(&format!("/properties/{name}")));
    if !indexed {
        return fields.collect();
    }
    fields
        .flat_map(|f| alternatives(f, defs))
        .filter_map(|f| f.get("items"))
        .collect()
}

/// Whether `path` (`meeting.startTime`) names a place in the operation's
/// input, the connection included.
fn names_an_input(op: &describe::OperationDoc, defs: &Value, path: &str) -> bool {
    let mut segs = path.split('.').peekable();
    let mut at: Vec<&Value> = if segs.peek() == Some(&"connection") {
        segs.next();
        vec![&defs["connection"]]
    } else {
        vec![&op.input]
    };
    for seg in segs {
        at = at.into_iter().flat_map(|s| step(s, defs, seg)).collect();
    }
    !at.is_empty()
}

#[test]
fn invalid_input_names_fields_as_the_json_view_spells_them() {
    let (ops, defs) = describe::describe().unwrap();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (name, c) in all_cassettes() {
        let Some(text) = c
            .expect
            .pointer("/error/invalid-input")
            .and_then(Value::as_str)
        else {
            continue;
        };
        let op = ops.iter().find(|o| o.name == c.operation).unwrap();
        let path = text.split(": ").next().unwrap_or_default();
        checked += 1;
        if !names_an_input(op, &defs, path) {
            wrong.push(format!(
                "{name}: {path:?} is not a JSON-view path of the input"
            ));
        }
    }
    // The checker tells the spellings apart.
    let get = ops.iter().find(|o| o.name == "get-meeting").unwrap();
    assert!(names_an_input(get, &defs, "connection.apiBase"));
    assert!(names_an_input(get, &defs, "connection.settings.maxRetries"));
    assert!(!names_an_input(get, &defs, "connection.api-base"));
    assert!(!names_an_input(get, &defs, "meeting-id"));
    let create = ops.iter().find(|o| o.name == "create-training").unwrap();
    assert!(names_an_input(create, &defs, "training.times[0].start"));
    assert!(!names_an_input(create, &defs, "training.time-zone"));
    assert!(checked >= 30, "only {checked} invalid-input cassettes");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
