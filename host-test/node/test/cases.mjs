// The shared cases (host-test/hosts/cases.json) for node --test: the mock,
// the call each case makes, and its result in the cassettes' JSON form.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

// host-test/ (the cases, the mock, the cassettes): GOTO_HOST_TEST when these
// files run from a copy beside the installed package, as the hosts test runs them.
const HOST_TEST = process.env.GOTO_HOST_TEST ?? join(dirname(fileURLToPath(import.meta.url)), "../..");
const HOSTS = join(HOST_TEST, "hosts");
export const CASES = JSON.parse(readFileSync(join(HOSTS, "cases.json"), "utf8"));

export function cassette(name) {
  return JSON.parse(readFileSync(join(HOSTS, "../cassettes", `${name}.json`), "utf8"));
}

/** Starts mock.mjs for every case's cassette; resolves to {ports, stop}. */
export async function startMock(seconds = 120) {
  const names = [...new Set(Object.values(CASES.cases).map((c) => c.cassette))];
  const child = spawn(process.execPath, [join(HOSTS, "mock.mjs"), "--seconds", `${seconds}`, ...names], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]()
    .next()
    .then((r) => [r.value]);
  if (!line) throw new Error("the mock did not start");
  return { ports: JSON.parse(line), stop: () => child.stdin.end() };
}

/** The case as this host runs it: [interface, function, args, expect, allowMock]. */
export function call(name, ports, host = "node") {
  const c = { ...CASES.cases[name], ...(CASES[host]?.[name] ?? {}) };
  const tape = cassette(c.cassette);
  const op = CASES.operations[tape.operation];
  const base = `http://127.0.0.1:${ports[c.cassette]}`;
  const settings = c.settings ?? tape.connection?.settings;
  const connection = { accessToken: "test-token", ...tape.connection, apiBase: base, settings };
  const args = op.args.map(([arg, type]) => (type === "u64" ? BigInt(tape.input[arg]) : tape.input[arg]));
  const camel = (kebab) => kebab.replace(/-(\w)/g, (_, x) => x.toUpperCase());
  return { iface: camel(op.interface), fn: camel(tape.operation), args: [connection, ...args], expect: c.expect ?? tape.expect, base, allowMock: c.allowMock ?? true };
}

/** A jco value in the cassettes' JSON form (variants as their case name or {case: value}). */
export function toJson(v) {
  // The JSON view's rule: every u64 is a decimal string (jco gives exactly the u64s as BigInt).
  if (typeof v === "bigint") return v.toString();
  if (v === undefined || v === null) return null;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) return Array.from(v, toJson);
  if (typeof v !== "object") return v;
  const keys = Object.keys(v);
  if (keys.includes("tag") && keys.every((k) => k === "tag" || k === "val")) {
    return v.val === undefined ? v.tag : { [v.tag]: toJson(v.val) };
  }
  return Object.fromEntries(keys.map((k) => [k, toJson(v[k])]));
}

/** Runs a call: {ok: value} or {error: value}, in JSON form. */
export function outcome(f) {
  try {
    return { ok: toJson(f()) };
  } catch (e) {
    if (e?.payload === undefined) throw e;
    return { error: toJson(e.payload) };
  }
}

/** The cassette runner's rule: every key given is present and equal; arrays match element by element. */
export function subsetMismatch(want, got, path = "$") {
  if (Array.isArray(want)) {
    if (!Array.isArray(got) || got.length !== want.length) return `${path}: want ${want.length} items, got ${JSON.stringify(got)}`;
    for (let i = 0; i < want.length; i++) {
      const m = subsetMismatch(want[i], got[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (want !== null && typeof want === "object") {
    if (got === null || typeof got !== "object") return `${path}: want an object, got ${JSON.stringify(got)}`;
    for (const k of Object.keys(want)) {
      const m = subsetMismatch(want[k], got[k], `${path}.${k}`);
      if (m) return m;
    }
    return null;
  }
  return want === got ? null : `${path}: want ${JSON.stringify(want)}, got ${JSON.stringify(got)}`;
}
