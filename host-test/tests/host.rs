//! The async host: calls from a multi-thread runtime, thousands in flight
//! waiting for the pool, the blocking form from every kind of thread, one
//! deadline over everything (including the host's waits), and each typed
//! [`HostError`] produced for real.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use goto_host::cassette::{Cassette, Replay, subset};
use goto_host::fault::Fault;
use goto_host::limits::GRACE;
use goto_host::policy::Policy;
use goto_host::{
    Backend, Connector, Egress, HostError, Limits, Outcome, OutgoingRequest, Response, engine,
};
use serde_json::{Value, json};
use wasmtime_wasi_http::Error as HttpError;

/// What a loaded 2-core machine may add to a deadline before the runtime's
/// timer runs: the time-limit tests allow the limit, the grace and this.
const SCHEDULING_MARGIN: Duration = Duration::from_secs(1);

/// Compiled once per test process, with the default pool of 64.
fn connector() -> &'static Connector {
    static C: OnceLock<Connector> = OnceLock::new();
    C.get_or_init(|| Connector::embedded().build().expect("the component loads"))
}

fn token() -> Value {
    json!({"accessToken": "test-token"})
}

/// Answers every request with `answer` (after `delay_ms`, when set) and
/// counts the requests.
struct Always {
    answer: Response,
    seen: Arc<AtomicUsize>,
}

impl Egress for Always {
    fn exchange(&mut self, _request: &OutgoingRequest) -> Result<Response, HttpError> {
        self.seen.fetch_add(1, Ordering::Relaxed);
        Ok(self.answer.clone())
    }
}

fn meeting(delay_ms: u64) -> Response {
    let mut a = Response::new(
        200,
        &[("content-type", "application/json")],
        r#"[{"meetingId":123456789,"subject":"test","startTime":"2012-12-01T09:00:00.+0000","endTime":"2012-12-01T10:00:00.+0000","meetingType":"Scheduled"}]"#,
    );
    a.fault = (delay_ms > 0).then_some(Fault::Delay { ms: delay_ms });
    a
}

fn egress(answer: Response) -> (Arc<Mutex<dyn Egress>>, Arc<AtomicUsize>) {
    let seen = Arc::new(AtomicUsize::new(0));
    let e = Always {
        answer,
        seen: seen.clone(),
    };
    (Arc::new(Mutex::new(e)), seen)
}

/// `c` with its requests answered by `egress`, real clock and randomness.
fn answered_by(c: &Connector, egress: Arc<Mutex<dyn Egress>>) -> Connector {
    c.clone().with_backend(Backend::replay(egress))
}

async fn get_meeting(c: &Connector, delay_ms: u64) -> Result<Outcome, HostError> {
    let (e, _) = egress(meeting(delay_ms));
    answered_by(c, e)
        .call("get-meeting", &token(), &json!({"meetingId": 123456789}))
        .await
}

fn assert_meeting(out: &Outcome) {
    assert_eq!(out.result["ok"]["meetingId"], "123456789", "{}", out.result);
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn a_thousand_concurrent_calls_wait_for_the_pool_and_all_succeed() {
    // A pool of its own, so the other tests' calls do not wait behind these,
    // and a time limit that a debug build on a loaded 2-core machine keeps:
    // the last calls wait for all the others.
    let c = &Connector::embedded()
        .build()
        .expect("the component loads")
        .with_limits(Limits {
            time: Duration::from_secs(120),
            ..Limits::default()
        });
    assert_eq!(c.pool_size(), 64);
    // The get-meeting success cassette, each answer 20 ms late, so the pool
    // of 64 is full for most of the run and the other calls wait their turn.
    let path = goto_host::cassettes_dir().join("get-meeting/success.json");
    let mut case = Cassette::load(&path).expect("the cassette loads");
    for i in &mut case.interactions {
        i.response.fault = Some(Fault::Delay { ms: 20 });
    }
    let case = Arc::new(case);
    let outcomes = multi_thread().block_on(async {
        let tasks: Vec<_> = (0..1000)
            .map(|_| {
                let (c, case) = (c.clone(), case.clone());
                tokio::spawn(async move {
                    let replay = Arc::new(Mutex::new(Replay::new(case.interactions.clone())));
                    let out = c
                        .with_backend(Backend::deterministic_replay(replay))
                        .call(&case.operation, &case.connection(), &case.input)
                        .await;
                    out.map(|o| o.result)
                })
            })
            .collect();
        let mut outcomes = Vec::new();
        for t in tasks {
            outcomes.push(t.await.expect("the task ran"));
        }
        outcomes
    });
    assert_eq!(outcomes.len(), 1000);
    for result in outcomes {
        let result = result.expect("no call fails: they wait for a free instance");
        let mut failures = Vec::new();
        subset(&case.expect, &result, "", &mut failures);
        assert!(failures.is_empty(), "{failures:?}");
    }
}

#[test]
fn blocking_calls_work_from_plain_threads_spawn_blocking_and_async_tasks() {
    let c = connector();
    let call = || {
        let (e, _) = egress(meeting(0));
        answered_by(c, e)
            .blocking()
            .call("get-meeting", &token(), &json!({"meetingId": 123456789}))
    };
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|_| s.spawn(|| (0..3).map(|_| call()).collect::<Vec<_>>()))
            .collect();
        for t in threads {
            for out in t.join().expect("the thread ran") {
                assert_meeting(&out.expect("a plain thread's call"));
            }
        }
    });
    let runtime = multi_thread();
    let from_pool = runtime
        .block_on(runtime.spawn_blocking(call))
        .expect("the blocking task ran");
    assert_meeting(&from_pool.expect("a spawn_blocking thread's call"));
    // Blocking inside an async task stalls that worker, but still works.
    let inside = runtime.block_on(async { call() });
    assert_meeting(&inside.expect("a call from inside the runtime"));
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    assert_meeting(&current.block_on(async { call() }).expect("current-thread"));
}

#[test]
fn async_calls_run_on_a_current_thread_runtime_too() {
    let current = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let out = current.block_on(get_meeting(connector(), 5));
    assert_meeting(&out.expect("a call on a current-thread runtime"));
}

/// Asserts a time-limit error that came no later than the limit plus the
/// grace (and a margin for a loaded machine), then that the next call works.
fn assert_cut_at_the_limit(c: &Connector, started: Instant, e: HostError) {
    let took = started.elapsed();
    assert!(matches!(e, HostError::TimeLimit { .. }), "{e:?}");
    assert!(e.retryable());
    assert!(took >= c.limits().time, "{took:?}");
    assert!(
        took < c.limits().time + GRACE + SCHEDULING_MARGIN,
        "{took:?}"
    );
    let next = multi_thread().block_on(get_meeting(c, 0));
    assert_meeting(&next.expect("the next call works"));
}

fn limited(time: Duration) -> Connector {
    connector().clone().with_limits(Limits {
        time,
        ..Limits::default()
    })
}

#[test]
fn a_retry_after_of_an_hour_ends_at_the_time_limit() {
    let c = limited(Duration::from_secs(1));
    let connection = json!({"accessToken": "test-token",
        "settings": {"retryBudgetMs": 3_600_000, "maxRetries": 5}});
    let (e, seen) = egress(Response::new(503, &[("retry-after", "3000")], ""));
    let started = Instant::now();
    // Real time (the default call options): the guest's backoff is a real
    // `subscribe-duration`, and only the deadline can end it.
    let out = answered_by(&c, e).blocking().call(
        "get-meeting",
        &connection,
        &json!({"meetingId": 123456789}),
    );
    let e = out.expect_err("the backoff outlives the limit");
    assert_eq!(
        e,
        HostError::TimeLimit {
            limit: Duration::from_secs(1),
            requests_sent: 1
        }
    );
    assert_eq!(seen.load(Ordering::Relaxed), 1);
    assert_cut_at_the_limit(&c, started, e);
}

/// A component that is not ours: it waits on `subscribe-duration(u64::MAX)`
/// or traps, which our component never does.
const HOSTILE: &str = r#"
(component
  (import "wasi:io/poll@0.2.12" (instance $poll
    (export "pollable" (type (sub resource)))
    (export "[method]pollable.block" (func (param "self" (borrow 0))))
  ))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:clocks/monotonic-clock@0.2.12" (instance $clock
    (alias outer 1 $pollable (type $p))
    (export "pollable" (type (eq $p)))
    (export "subscribe-duration" (func (param "when" u64) (result (own $p))))
  ))
  (core func $subscribe (canon lower (func $clock "subscribe-duration")))
  (core func $block (canon lower (func $poll "[method]pollable.block")))
  (core module $m
    (import "host" "subscribe" (func $subscribe (param i64) (result i32)))
    (import "host" "block" (func $block (param i32)))
    (func (export "sleep-forever") (call $block (call $subscribe (i64.const -1))))
    (func (export "trap") unreachable)
  )
  (core instance $host (export "subscribe" (func $subscribe)) (export "block" (func $block)))
  (core instance $i (instantiate $m (with "host" (instance $host))))
  (type $nothing (func))
  (func $sleep (type $nothing) (canon lift (core func $i "sleep-forever")))
  (func $trap (type $nothing) (canon lift (core func $i "trap")))
  (instance $probe (export "sleep-forever" (func $sleep)) (export "trap" (func $trap)))
  (export "goto:hostile/probe@0.1.0" (instance $probe))
)
"#;

/// A component that is not ours and sends what ours never would: a request
/// whose authority carries userinfo (`evil.example:443@api.getgo.com`, whose
/// host is `api.getgo.com` but which names `evil.example` first), and, as a
/// control, the same request to plain `api.getgo.com`. It waits for the
/// answer's pollable, so the host's hook has run when the call returns.
const HOSTILE_HTTP: &str = r#"
(component
  (import "wasi:io/poll@0.2.12" (instance $poll
    (export "pollable" (type (sub resource)))
    (export "[method]pollable.block" (func (param "self" (borrow 0))))
  ))
  (alias export $poll "pollable" (type $pollable))
  (import "wasi:http/types@0.2.12" (instance $types
    (alias outer 1 $pollable (type $p))
    (export "fields" (type $fields (sub resource)))
    (export "outgoing-request" (type $req (sub resource)))
    (export "request-options" (type $opts (sub resource)))
    (export "future-incoming-response" (type $fut (sub resource)))
    (type $dns (record (field "rcode" (option string)) (field "info-code" (option u16))))
    (export "DNS-error-payload" (type $dns' (eq $dns)))
    (type $tls (record (field "alert-id" (option u8)) (field "alert-message" (option string))))
    (export "TLS-alert-received-payload" (type $tls' (eq $tls)))
    (type $fsp (record (field "field-name" (option string)) (field "field-size" (option u32))))
    (export "field-size-payload" (type $fsp' (eq $fsp)))
    (type $ec (variant
      (case "DNS-timeout") (case "DNS-error" $dns') (case "destination-not-found")
      (case "destination-unavailable") (case "destination-IP-prohibited")
      (case "destination-IP-unroutable") (case "connection-refused")
      (case "connection-terminated") (case "connection-timeout")
      (case "connection-read-timeout") (case "connection-write-timeout")
      (case "connection-limit-reached") (case "TLS-protocol-error")
      (case "TLS-certificate-error") (case "TLS-alert-received" $tls')
      (case "HTTP-request-denied") (case "HTTP-request-length-required")
      (case "HTTP-request-body-size" (option u64)) (case "HTTP-request-method-invalid")
      (case "HTTP-request-URI-invalid") (case "HTTP-request-URI-too-long")
      (case "HTTP-request-header-section-size" (option u32))
      (case "HTTP-request-header-size" (option $fsp'))
      (case "HTTP-request-trailer-section-size" (option u32))
      (case "HTTP-request-trailer-size" $fsp') (case "HTTP-response-incomplete")
      (case "HTTP-response-header-section-size" (option u32))
      (case "HTTP-response-header-size" $fsp') (case "HTTP-response-body-size" (option u64))
      (case "HTTP-response-trailer-section-size" (option u32))
      (case "HTTP-response-trailer-size" $fsp')
      (case "HTTP-response-transfer-coding" (option string))
      (case "HTTP-response-content-coding" (option string)) (case "HTTP-response-timeout")
      (case "HTTP-upgrade-failed") (case "HTTP-protocol-error") (case "loop-detected")
      (case "configuration-error") (case "internal-error" (option string))))
    (export "error-code" (type $ec' (eq $ec)))
    (export "[constructor]fields" (func (result (own $fields))))
    (export "[constructor]outgoing-request" (func (param "headers" (own $fields)) (result (own $req))))
    (export "[method]outgoing-request.set-authority"
      (func (param "self" (borrow $req)) (param "authority" (option string)) (result (result))))
    (export "[method]outgoing-request.set-path-with-query"
      (func (param "self" (borrow $req)) (param "path-with-query" (option string)) (result (result))))
    (export "[method]future-incoming-response.subscribe"
      (func (param "self" (borrow $fut)) (result (own $p))))
  ))
  (alias export $types "outgoing-request" (type $req))
  (alias export $types "request-options" (type $opts))
  (alias export $types "future-incoming-response" (type $fut))
  (alias export $types "error-code" (type $ec))
  (import "wasi:http/outgoing-handler@0.2.12" (instance $handler
    (alias outer 1 $req (type $req'))
    (export "outgoing-request" (type (eq $req')))
    (alias outer 1 $opts (type $opts'))
    (export "request-options" (type (eq $opts')))
    (alias outer 1 $fut (type $fut'))
    (export "future-incoming-response" (type (eq $fut')))
    (alias outer 1 $ec (type $ec'))
    (export "error-code" (type (eq $ec')))
    (export "handle" (func
      (param "request" (own $req')) (param "options" (option (own $opts')))
      (result (result (own $fut') (error $ec')))))
  ))
  (core module $mem
    (memory (export "memory") 1)
    (global $next (mut i32) (i32.const 4096))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $at i32)
      (local.set $at (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $at) (local.get 3)))
      (local.get $at))
    (data (i32.const 1024) "evil.example:443@api.getgo.com")
    (data (i32.const 1536) "api.getgo.com")
    (data (i32.const 1800) "/")
  )
  (core instance $m (instantiate $mem))
  (alias core export $m "memory" (core memory $memory))
  (alias core export $m "realloc" (core func $realloc))
  (core func $fields_new (canon lower (func $types "[constructor]fields")))
  (core func $req_new (canon lower (func $types "[constructor]outgoing-request")))
  (core func $set_authority (canon lower (func $types "[method]outgoing-request.set-authority")
    (memory $memory)))
  (core func $set_path (canon lower (func $types "[method]outgoing-request.set-path-with-query")
    (memory $memory)))
  (core func $subscribe (canon lower (func $types "[method]future-incoming-response.subscribe")))
  (core func $block (canon lower (func $poll "[method]pollable.block")))
  (core func $handle (canon lower (func $handler "handle") (memory $memory) (realloc $realloc)))
  (core module $guest
    (import "host" "memory" (memory 1))
    (import "host" "fields-new" (func $fields_new (result i32)))
    (import "host" "req-new" (func $req_new (param i32) (result i32)))
    (import "host" "set-authority" (func $set_authority (param i32 i32 i32 i32) (result i32)))
    (import "host" "set-path" (func $set_path (param i32 i32 i32 i32) (result i32)))
    (import "host" "handle" (func $handle (param i32 i32 i32 i32)))
    (import "host" "subscribe" (func $subscribe (param i32) (result i32)))
    (import "host" "block" (func $block (param i32)))
    (func $send (param $authority i32) (param $len i32)
      (local $req i32)
      (local.set $req (call $req_new (call $fields_new)))
      (drop (call $set_authority (local.get $req) (i32.const 1) (local.get $authority) (local.get $len)))
      (drop (call $set_path (local.get $req) (i32.const 1) (i32.const 1800) (i32.const 1)))
      (call $handle (local.get $req) (i32.const 0) (i32.const 0) (i32.const 2048))
      (if (i32.eqz (i32.load8_u (i32.const 2048)))
        (then (call $block (call $subscribe (i32.load (i32.const 2056)))))))
    (func (export "send-userinfo") (call $send (i32.const 1024) (i32.const 30)))
    (func (export "send-plain") (call $send (i32.const 1536) (i32.const 13)))
  )
  (core instance $host
    (export "memory" (memory $memory))
    (export "fields-new" (func $fields_new))
    (export "req-new" (func $req_new))
    (export "set-authority" (func $set_authority))
    (export "set-path" (func $set_path))
    (export "handle" (func $handle))
    (export "subscribe" (func $subscribe))
    (export "block" (func $block)))
  (core instance $g (instantiate $guest (with "host" (instance $host))))
  (type $nothing (func))
  (func $userinfo (type $nothing) (canon lift (core func $g "send-userinfo")))
  (func $plain (type $nothing) (canon lift (core func $g "send-plain")))
  (instance $probe (export "send-userinfo" (func $userinfo)) (export "send-plain" (func $plain)))
  (export "goto:hostile/http@0.1.0" (instance $probe))
)
"#;

/// What the hostile guest's request looked like when it reached the
/// backend.
#[derive(Default)]
struct Seen(Vec<(String, Vec<(String, String)>)>);

impl Egress for Seen {
    fn exchange(&mut self, request: &OutgoingRequest) -> Result<Response, HttpError> {
        self.0
            .push((request.uri.to_string(), request.headers.clone()));
        Ok(Response::new(200, &[], ""))
    }
}

#[test]
fn a_hostile_guest_cannot_pass_the_policy_with_userinfo_in_the_authority() {
    let wasm = wat::parse_str(HOSTILE_HTTP).expect("the hostile guest assembles");
    let seen = Arc::new(Mutex::new(Seen::default()));
    let c = Connector::builder(wasm)
        .backend(Backend::replay(seen.clone()))
        .build()
        .expect("the hostile guest loads");
    let out = c
        .blocking()
        .call("send-userinfo", &Value::Null, &json!({}))
        .expect("the guest returns");
    assert_eq!(
        out.denied,
        vec!["GET https://evil.example:443@api.getgo.com/".to_string()]
    );
    assert!(
        seen.lock().unwrap().0.is_empty(),
        "nothing reached the backend"
    );
    // The control: the same request to the plain host passes, readdressed
    // to exactly the origin the policy checked.
    let out = c
        .blocking()
        .call("send-plain", &Value::Null, &json!({}))
        .expect("the guest returns");
    assert!(out.denied.is_empty(), "{:?}", out.denied);
    let seen = seen.lock().unwrap();
    let [(uri, headers)] = seen.0.as_slice() else {
        panic!("{:?}", seen.0)
    };
    assert_eq!(uri, "https://api.getgo.com/");
    assert!(
        headers.contains(&("host".to_string(), "api.getgo.com".to_string())),
        "{headers:?}"
    );
}

fn hostile() -> Connector {
    let wasm = wat::parse_str(HOSTILE).expect("the hostile guest assembles");
    Connector::builder(wasm)
        .policy(Policy::deny_all())
        .backend(Backend::replay(Arc::new(Mutex::new(Replay::default()))))
        .build()
        .expect("the hostile guest loads")
}

fn call_hostile(c: &Connector, operation: &str) -> Result<Outcome, HostError> {
    c.blocking().call(operation, &Value::Null, &json!({}))
}

#[test]
fn a_guest_that_waits_forever_ends_at_the_time_limit() {
    let c = hostile().with_limits(Limits {
        time: Duration::from_millis(500),
        ..Limits::default()
    });
    let started = Instant::now();
    let e = call_hostile(&c, "sleep-forever").expect_err("the wait never ends by itself");
    assert_eq!(
        e,
        HostError::TimeLimit {
            limit: Duration::from_millis(500),
            requests_sent: 0
        }
    );
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(500) + GRACE + SCHEDULING_MARGIN,
        "{took:?}"
    );
    // The same connector runs its next call.
    assert!(matches!(
        call_hostile(&c, "trap"),
        Err(HostError::Trap { .. })
    ));
}

#[test]
fn a_trap_is_a_typed_error_and_not_retryable() {
    let e = call_hostile(&hostile(), "trap").expect_err("the guest traps");
    let HostError::Trap {
        operation,
        message,
        requests_sent,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(operation, "trap");
    assert!(message.contains("unreachable"), "{message}");
    assert_eq!(*requests_sent, 0);
    assert!(!e.retryable());
}

#[test]
fn unknown_operations_and_bad_input_are_typed_and_name_the_field() {
    let c = connector();
    let call = |operation: &str, input: Value| {
        let replay = Arc::new(Mutex::new(Replay::default()));
        answered_by(c, replay)
            .blocking()
            .call(operation, &token(), &input)
            .expect_err("refused before the guest runs")
    };
    let e = call("no-such-op", json!({}));
    assert_eq!(
        e,
        HostError::UnknownOperation {
            operation: "no-such-op".into()
        }
    );
    assert!(!e.retryable());
    let field = |e: HostError| match e {
        HostError::InvalidInput { field, .. } => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(call("get-meeting", json!({"meetingID": 1}))),
        "meetingID"
    );
    assert_eq!(field(call("get-meeting", json!({}))), "meetingId");
    assert_eq!(
        field(call("get-meeting", json!({"meetingId": -1}))),
        "meetingId"
    );
    assert_eq!(
        field(call("get-meeting", json!({"meetingId": "12x"}))),
        "meetingId"
    );
    assert_eq!(field(call("get-meeting", json!([1]))), "get-meeting");
    let nested = call(
        "create-meeting",
        json!({"meeting": {"subject": "s", "startTime": 5}}),
    );
    assert!(!nested.retryable());
    assert!(field(nested).starts_with("meeting."));
    assert!(
        call("get-meeting", json!({}))
            .to_string()
            .contains("meetingId: required")
    );
}

#[test]
fn a_pool_that_stays_busy_for_half_the_limit_is_a_typed_error() {
    // A pool of one: a call holds it for 2.5 s; the next, with a 2 s
    // limit, waits half of it (1 s) and then gives up.
    let c = Connector::embedded()
        .pool_size(1)
        .build()
        .expect("the component loads");
    let short = c.clone().with_limits(Limits {
        time: Duration::from_secs(2),
        ..Limits::default()
    });
    let (held, waited) = multi_thread().block_on(async {
        let holder = {
            let c = c.clone();
            tokio::spawn(async move { get_meeting(&c, 2500).await })
        };
        tokio::time::sleep(Duration::from_millis(200)).await;
        let waited = get_meeting(&short, 0).await;
        (holder.await.expect("the task ran"), waited)
    });
    assert_meeting(&held.expect("the first call had the instance"));
    let e = waited.expect_err("no instance came free in time");
    let HostError::PoolExhausted { pool_size, waited } = e else {
        panic!("{e:?}")
    };
    assert_eq!(pool_size, 1);
    // Half the limit, not all of it (a 0.9 s margin for a slow machine).
    assert!(
        waited >= Duration::from_secs(1) && waited < Duration::from_millis(1900),
        "{waited:?}"
    );
    assert!(e.retryable());
    // Free again: the next call gets the instance.
    assert_meeting(
        &multi_thread()
            .block_on(get_meeting(&short, 0))
            .expect("free"),
    );
}

#[test]
fn an_instance_the_allocator_cannot_give_is_a_typed_error() {
    // An allocator with room for one instance behind a pool of two: the
    // second concurrent call passes the pool and fails to instantiate.
    let mut config = wasmtime::Config::new();
    config.allocation_strategy(engine::pooling(1));
    let c = Connector::builder(goto_host::COMPONENT)
        .config(config)
        .pool_size(2)
        .build()
        .expect("the component loads");
    let (held, second) = multi_thread().block_on(async {
        let holder = {
            let c = c.clone();
            tokio::spawn(async move { get_meeting(&c, 1000).await })
        };
        tokio::time::sleep(Duration::from_millis(300)).await;
        let second = get_meeting(&c, 0).await;
        (holder.await.expect("the task ran"), second)
    });
    assert_meeting(&held.expect("the first call had the instance"));
    let e = second.expect_err("the allocator is full");
    assert!(matches!(e, HostError::Instantiation { .. }), "{e:?}");
    assert!(e.retryable());
    assert!(e.to_string().contains("could not be instantiated"), "{e}");
}

/// The README and the book's Rust page show the examples `cargo test`
/// builds, from their first `use` on.
#[test]
fn the_rust_examples_shown_are_the_ones_cargo_test_builds() {
    let root = goto_test_support::workspace_root();
    for (example, pages) in [
        (
            "async_call",
            &["README.md", "docs/src/embedding-rust.md"][..],
        ),
        ("typed_call", &["docs/src/embedding-rust.md"]),
    ] {
        let path = root.join(format!("host-test/examples/{example}.rs"));
        let text = std::fs::read_to_string(&path).expect("the example");
        let code = &text[text.find("use std::sync").expect("the example's code")..];
        for page in pages {
            assert!(
                goto_test_support::docs::shows(&root.join(page), "rust", code).expect(page),
                "{page} must show {} from its first `use` on",
                path.display()
            );
        }
    }
}
