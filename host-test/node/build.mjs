// Transpiles the connector component into ./gen with jco, for custom
// instantiation (so index.js supplies the imports, among them the
// allow-listed wasi:http/outgoing-handler):
//
//   node build.mjs [path/to/goto_connector.wasm]
//
// Default: the release build of this checkout.
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const wasm = resolve(
  process.argv[2] ?? join(here, "../../target/wasm32-wasip2/release/goto_connector.wasm"),
);
const out = join(here, "gen");
rmSync(out, { recursive: true, force: true });
const jco = join(here, "node_modules/@bytecodealliance/jco/dist/jco.js");
execFileSync(
  process.execPath,
  [jco, "transpile", wasm, "-o", out, "--name", "goto_connector", "--instantiation", "sync", "--quiet"],
  { stdio: "inherit" },
);
