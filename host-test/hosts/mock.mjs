// A loopback GoTo for the Node, Python and wasmtime CLI tests: it answers
// from the repository's cassettes, so every host is checked against the same
// recorded answers and expectations as the Rust host.
//
//   node mock.mjs [--seconds N] CASSETTE...
//
// CASSETTE is a path under host-test/cassettes without `.json`
// (`get-meeting/success`). Each cassette gets its own server on 127.0.0.1
// and an ephemeral port; the first line on stdout is a JSON object
// `{"get-meeting/success": 40123, ...}`. A server plays its cassette's
// interactions in order, starting over after the last one (so a benchmark
// can call it many times), and answers a request that does not match the
// next interaction with 599. The process exits when stdin closes (its
// parent is gone) or after N seconds (default 120), whichever comes first.

import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const CASSETTES = join(dirname(fileURLToPath(import.meta.url)), "..", "cassettes");
const MAX_REQUESTS = 100_000;

function parseArgs(argv) {
  let seconds = 120;
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--seconds") seconds = Number(argv[++i]);
    else names.push(argv[i]);
  }
  if (!(seconds > 0) || names.length === 0) {
    console.error("usage: node mock.mjs [--seconds N] CASSETTE...");
    process.exit(2);
  }
  return { seconds, names };
}

function responseBody(response) {
  if (response.json !== undefined) return Buffer.from(JSON.stringify(response.json));
  if (response.body !== undefined) return Buffer.from(response.body);
  if (response.bodyBase64 !== undefined) return Buffer.from(response.bodyBase64, "base64");
  return Buffer.alloc(0);
}

function serve(name, served) {
  const cassette = JSON.parse(readFileSync(join(CASSETTES, `${name}.json`), "utf8"));
  const plays = cassette.interactions ?? [];
  for (const { response } of plays) {
    if (response.fault && response.fault.kind !== "delay") {
      throw new Error(`mock ${name}: fault ${response.fault.kind} is not played here`);
    }
  }
  let next = 0;
  const server = createServer((req, res) => {
    served.count += 1;
    const play = plays[next % Math.max(plays.length, 1)];
    next += 1;
    const want = play && new URL(play.request.url);
    if (!play || req.method !== play.request.method || req.url !== want.pathname + want.search) {
      res.writeHead(599, { "content-type": "text/plain" });
      res.end(`mock ${name}: unexpected ${req.method} ${req.url}`);
      return;
    }
    req.resume();
    const { response } = play;
    const body = responseBody(response);
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(response.status, { ...(response.headers ?? {}), "content-length": body.length });
      res.end(body);
    };
    if (response.fault) setTimeout(answer, response.fault.ms).unref();
    else answer();
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve([name, server])));
}

const { seconds, names } = parseArgs(process.argv.slice(2));
const served = { count: 0 };
const servers = await Promise.all(names.map((n) => serve(n, served)));
const stop = () => process.exit(0);
setTimeout(stop, seconds * 1000).unref();
setInterval(() => served.count > MAX_REQUESTS && stop(), 1000).unref();
process.stdin.on("end", stop).on("close", stop).resume();
const ports = Object.fromEntries(servers.map(([n, s]) => [n, s.address().port]));
process.stdout.write(`${JSON.stringify(ports)}\n`);
