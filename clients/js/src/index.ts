/**
 * `@sluice/client`: a client of the Sluice protocol for browsers and Node 20+.
 *
 * ```ts
 * import { Identity, SluiceClient } from "@sluice/client";
 * const alice = await Identity.generate();
 * const client = await SluiceClient.connect({ endpoints: ["ws://localhost:8080/api"] });
 * await client.login(alice, 1);
 * ```
 */
export { SluiceClient } from "./client.js";
export type {
  Address,
  ClientOptions,
  CloseInfo,
  ConnectionState,
  Inbound,
  Incoming,
  PreKey,
  RequestOptions,
  WebSocketConstructor,
  WebSocketLike,
} from "./client.js";
export { Identity } from "./identity.js";
export { type Backoff, ceilingMs, DEFAULT_BACKOFF, delayMs } from "./backoff.js";
export { ConnectError, ConnectionLostError, ERROR_NAMES, type ErrorName, SluiceError, TimeoutError } from "./errors.js";
