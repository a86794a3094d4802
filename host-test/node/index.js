// The goto-connector component in Node, through jco and the WASI preview2
// shim, with an egress allow-list. `connect()` returns the component's
// exports (`meetings`, `organizers`, `oauth`, ...), typed by jco's generated
// declarations (see index.d.ts). Run `node build.mjs` first to transpile.
import { readFileSync } from "node:fs";
import { http } from "@bytecodealliance/preview2-shim";
import { WASIShim } from "@bytecodealliance/preview2-shim/instantiation";
import { instantiate } from "./gen/goto_connector.js";

/** The origins the component may reach unless the caller adds others. */
export const DEFAULT_ORIGINS = Object.freeze([
  "https://api.getgo.com",
  "https://api.citrixonline.com",
  "https://authentication.logmeininc.com",
]);

const DEFAULT_PORTS = { "http:": "80", "https:": "443" };

/**
 * `scheme://host:port` in one spelling (lower case, no trailing dot, the
 * default port filled in), or `null` when `text` is not an http(s) origin.
 */
export function normalizeOrigin(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  const bare = url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
  if (!(url.protocol in DEFAULT_PORTS) || !bare || !url.hostname) return null;
  const host = url.hostname.replace(/\.$/, "");
  return `${url.protocol}//${host}:${url.port || DEFAULT_PORTS[url.protocol]}`;
}

/** The origin of a wasi:http outgoing-request, as the shim will send it. */
function requestOrigin(request) {
  const scheme = request.scheme();
  const name = !scheme || scheme.tag === "HTTPS" ? "https" : scheme.tag === "HTTP" ? "http" : scheme.val;
  const authority = request.authority();
  return authority ? normalizeOrigin(`${name}://${authority}`) : null;
}

/**
 * A wasi:http/outgoing-handler that passes a request to `inner` only when
 * its origin is in `origins`; any other request fails with the wasi:http
 * error `HTTP-request-denied`, which the component returns as `transport`.
 */
export function allowListHandler(origins, inner = http.outgoingHandler) {
  const allowed = new Set(
    origins.map((o) => {
      const n = normalizeOrigin(o);
      if (!n) throw new TypeError(`not an http(s) origin: ${o}`);
      return n;
    }),
  );
  return {
    handle(request, options) {
      const origin = requestOrigin(request);
      if (!origin || !allowed.has(origin)) throw { tag: "HTTP-request-denied" };
      return inner.handle(request, options);
    },
  };
}

const modules = new Map();
function getCoreModule(path) {
  if (!modules.has(path)) {
    const bytes = readFileSync(new URL(`./gen/${path}`, import.meta.url));
    modules.set(path, new WebAssembly.Module(bytes));
  }
  return modules.get(path);
}

/**
 * One instance of the component. It may reach GoTo's origins and the ones in
 * `allow` (`"http://127.0.0.1:8080"`), nothing else. Calls are synchronous:
 * the shim runs each request on a worker thread and blocks until it ends.
 */
export function connect({ allow = [] } = {}) {
  const outgoingHandler = allowListHandler([...DEFAULT_ORIGINS, ...allow]);
  const shim = new WASIShim({ http: { ...http, outgoingHandler } });
  return instantiate(getCoreModule, shim.getImportObject());
}
