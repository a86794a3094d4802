// Types of index.js. The operations' types are jco's, generated from the
// component's WIT by `node build.mjs` into ./gen.
import type { Root } from "./gen/goto_connector.js";

export type { Root };
export type * as Types from "./gen/interfaces/goto-connector-types.js";
export type * as Meetings from "./gen/interfaces/goto-connector-meetings.js";
export type * as Organizers from "./gen/interfaces/goto-connector-organizers.js";
export type * as Groups from "./gen/interfaces/goto-connector-groups.js";
export type * as Oauth from "./gen/interfaces/goto-connector-oauth.js";
export type * as Trainings from "./gen/interfaces/goto-connector-trainings.js";
export type * as Assist from "./gen/interfaces/goto-connector-assist.js";
export type * as Seeit from "./gen/interfaces/goto-connector-seeit.js";
export type * as Raw from "./gen/interfaces/goto-connector-raw.js";

/** The origins the component may reach unless the caller adds others. */
export declare const DEFAULT_ORIGINS: readonly string[];

/** `scheme://host:port` in one spelling, or null when not an http(s) origin. */
export declare function normalizeOrigin(text: string): string | null;

/** A wasi:http/outgoing-handler as the preview2 shim provides it. */
export interface OutgoingHandler {
  handle(request: unknown, options?: unknown): unknown;
}

/**
 * Passes a request to `inner` only when its origin is in `origins`; any
 * other fails with the wasi:http error `HTTP-request-denied`.
 */
export declare function allowListHandler(origins: readonly string[], inner?: OutgoingHandler): OutgoingHandler;

export interface ConnectOptions {
  /** Origins to allow besides GoTo's (`"http://127.0.0.1:8080"`). */
  allow?: readonly string[];
}

/** One instance of the component (about 0.7 s to create: keep it). */
export declare function connect(options?: ConnectOptions): Root;
