// The shared cases through jco against the loopback mock, plus the
// allow-list's own rules, on the installed package: the hosts test
// (xtask/tests/artifacts/hosts.rs) copies this folder and example.mjs into
// an app that installed the npm tarball, with typescript and @types/node.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { connect, allowListHandler, normalizeOrigin, DEFAULT_ORIGINS } from "goto-connector";
import { CASES, call, outcome, startMock, subsetMismatch } from "./cases.mjs";

let mock;
before(async () => {
  mock = await startMock();
});
after(() => mock?.stop());

test("goto-connector is the installed package, beside this folder", () => {
  const installed = new URL("../node_modules/goto-connector/index.js", import.meta.url).href;
  assert.equal(import.meta.resolve("goto-connector"), installed);
});

function run(name) {
  const c = call(name, mock.ports);
  const goto = connect({ allow: c.allowMock ? [c.base] : [] });
  const got = outcome(() => goto[c.iface][c.fn](...c.args));
  assert.equal(subsetMismatch(c.expect, got), null, JSON.stringify(got));
  return got;
}

for (const name of Object.keys(CASES.cases)) {
  test(`case ${name}`, () => run(name));
}

test("a refused origin goes through once the caller allows it", () => {
  const c = call("denied", mock.ports);
  const denied = outcome(() => connect()[c.iface][c.fn](...c.args));
  assert.equal(subsetMismatch(c.expect, denied), null, JSON.stringify(denied));
  const allowed = outcome(() => connect({ allow: [c.base] })[c.iface][c.fn](...c.args));
  assert.equal(subsetMismatch(call("ok", mock.ports).expect, allowed), null, JSON.stringify(allowed));
});

test("jco's first-byte timeout does not cut short an answer that is slow to start (README)", () => {
  // The timeout case's cassette holds its answer back for 5 s; wasmtime
  // hosts end the wait after its firstByteTimeoutMs, jco lets it through.
  const c = call("timeout", mock.ports, "wasmtime");
  const goto = connect({ allow: [c.base] });
  const got = outcome(() => goto[c.iface][c.fn](...c.args));
  assert.ok(c.args[0].settings.firstByteTimeoutMs < 5000);
  assert.equal(got.ok?.meetingId, "123456789", JSON.stringify(got));
});

test("origins are compared in one spelling: scheme, host and port", () => {
  assert.equal(normalizeOrigin("HTTPS://API.GetGo.com."), "https://api.getgo.com:443");
  assert.equal(normalizeOrigin("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
  for (const bad of ["https://api.getgo.com/G2M", "ftp://x", "https://u:p@api.getgo.com", "api.getgo.com"]) {
    assert.equal(normalizeOrigin(bad), null, bad);
  }
  assert.throws(() => allowListHandler(["https://api.getgo.com/path"]), TypeError);
  assert.equal(DEFAULT_ORIGINS.length, 3);
});

test("the allow-list decides on the request's scheme, authority and port", () => {
  const sent = [];
  const handler = allowListHandler(DEFAULT_ORIGINS, { handle: (r) => sent.push(r.authority()) });
  const request = (tag, authority) => ({ scheme: () => ({ tag }), authority: () => authority });
  handler.handle(request("HTTPS", "api.getgo.com"));
  handler.handle(request("HTTPS", "API.GETGO.COM:443"));
  for (const [tag, authority] of [["HTTP", "api.getgo.com"], ["HTTPS", "api.getgo.com:8443"], ["HTTPS", "api.getgo.com.evil.example"], ["HTTPS", undefined]]) {
    assert.throws(() => handler.handle(request(tag, authority)), (e) => e.tag === "HTTP-request-denied", `${tag} ${authority}`);
  }
  assert.deepEqual(sent, ["api.getgo.com", "API.GETGO.COM:443"]);
});

test("the README's Node snippet runs as shown", () => {
  const c = call("ok", mock.ports);
  const out = execFileSync(process.execPath, [fileURLToPath(new URL("../example.mjs", import.meta.url))], {
    env: { ...process.env, GOTO_TOKEN: "test-token", GOTO_API_BASE: c.base },
    encoding: "utf8",
  });
  assert.equal(out, "test 2012-12-01T09:00:00Z\n");
});

test("the snippet type-checks against the package's declarations (jco's, from the WIT)", () => {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const project = fileURLToPath(new URL("./tsconfig.json", import.meta.url));
  execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" });
});
