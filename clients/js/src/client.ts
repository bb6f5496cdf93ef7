import { type Backoff, checkBackoff, DEFAULT_BACKOFF, delayMs } from "./backoff.js";
import { Channel } from "./channel.js";
import * as codec from "./codec.js";
import type { Address, Incoming, Payload, PreKey } from "./codec.js";
import { ConnectError, ConnectionLostError, SluiceError, TimeoutError } from "./errors.js";
import type { Identity } from "./identity.js";

/** Where a client stands with the gateway. */
export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

/** What the client needs of a WebSocket: the browser's, or the `ws` package's on Node 20. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** A WebSocket class: `globalThis.WebSocket` in browsers, `WebSocket` from `ws` on Node 20. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** How a client connects. */
export interface ClientOptions {
  /** The gateways (`ws://` or `wss://` URLs ending in `/api`), tried in turn; after a failure the next one. */
  readonly endpoints: readonly string[];
  /**
   * The waits between connection attempts (exponential, full jitter); `false` keeps one connection whose loss is
   * final. Default: 250 ms doubling up to 30 s.
   */
  readonly reconnect?: Backoff | false;
  /** How long a request may take, from the call to its answer, across reconnects and retries. Default 10 000. */
  readonly requestTimeoutMs?: number;
  /** The WebSocket class; default `globalThis.WebSocket`. Node 20 has none: pass `WebSocket` from `ws`. */
  readonly WebSocket?: WebSocketConstructor;
  /** The random numbers of the jitter, in [0, 1); for tests. */
  readonly random?: () => number;
}

/** Per-request options. */
export interface RequestOptions {
  /** Cancels the request: it fails with the signal's reason and its answer, if one comes, is ignored. */
  readonly signal?: AbortSignal;
}

/** How the connection closed. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/**
 * A sealed message delivered to this client. Ack it once it is safely stored: the server sends it again (to this
 * device's next connection) until one connection acks it. An ack only means something on the connection that
 * delivered the message: if that one is gone, `ack()` sends nothing and returns false, and the message comes
 * again on a later connection, where that delivery is acked. Delivery is at least once.
 */
export interface Inbound {
  /** The sealed bytes. */
  readonly body: Uint8Array;
  /** The server's sequence of this delivery, on the connection that delivered it. */
  readonly sequence: number;
  /**
   * Tells the server the message is stored and must not be sent again; acking twice sends one ack. True when the
   * ack went out on the connection that delivered the message, false when that connection is gone.
   */
  ack(): boolean;
}

export type { Address, Incoming, PreKey };

const OPEN = 1;
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

type OnLoss = "resend" | "fail";

/** One request, from the call to its answer: sent on one or more connections, with one deadline and result. */
class Call {
  readonly promise: Promise<Incoming[]>;
  resolve!: (responses: Incoming[]) => void;
  reject!: (failure: unknown) => void;
  done = false;
  responses: Incoming[] = [];
  connection?: Connection;
  sequence = 0;
  unavailableAnswers = 0;
  /** The `unavailable` answer of an earlier attempt: what the call fails with if its deadline passes. */
  lastError?: SluiceError;
  readonly deadline: number;

  constructor(
    readonly type: string,
    readonly payload: (on: Connection) => Payload | Promise<Payload>,
    readonly onLoss: OnLoss,
    timeoutMs: number,
  ) {
    this.deadline = Date.now() + timeoutMs;
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** One WebSocket: a client has one at a time and never reuses a lost one. */
class Connection {
  readonly pending = new Map<number, Call>();
  lost = false;
  nonce?: Uint8Array;
  challengeTimer?: ReturnType<typeof setTimeout>;

  constructor(
    readonly url: string,
    private readonly socket: WebSocketLike,
  ) {}

  get isOpen(): boolean {
    return !this.lost && this.socket.readyState === OPEN;
  }

  /** Sends one frame; false when the socket is not open (its close is on its way). */
  send(frame: Uint8Array): boolean {
    if (!this.isOpen) return false;
    this.socket.send(frame);
    return true;
  }

  close(code: number, reason: string): void {
    try {
      this.socket.close(code, reason);
    } catch {
      // already closing
    }
  }
}

interface LoginState {
  readonly identity: Identity;
  readonly deviceId: number;
  readonly promise: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (failure: unknown) => void;
  // Once a login as this identity succeeded, a failed login on a later connection is that connection's problem.
  succeeded: boolean;
  settled: boolean;
}

/**
 * A client of the Sluice protocol, for browsers and Node 20+.
 *
 * ```ts
 * const bob = await SluiceClient.connect({ endpoints: ["ws://localhost:8080/api"] });
 * await bob.login(bobIdentity, 1);
 * bob.on("inbound", (message) => { store(message.body); message.ack(); });
 * const anonymous = await SluiceClient.connect({ endpoints: ["ws://localhost:8080/api"] });
 * await anonymous.send({ userId: bobIdentity.userId, deviceId: 1 }, sealed); // resolves on the server's ack
 * ```
 *
 * Requests fail with `SluiceError` on an `Error` answer (its `name` is the protocol's), `TimeoutError` past the
 * request timeout, or `ConnectionLostError`. The client reconnects by default, exactly as the Java client with a
 * backoff set: after a wait drawn from the backoff it opens a connection to the next endpoint and logs in again as
 * the identity of the last successful `login`, before anything else is sent.
 *
 * - Requests made while there is no connection wait for the next one, within their timeout.
 * - Requests sent on a connection lost before their answer: `send`, `requestPreKeys` and `unregister` are sent
 *   again on the next connection (a sealed message may then arrive twice, which recipients handle since delivery
 *   is at least once; a prekey claim whose answer was lost spent its one-time prekey either way; unregister is
 *   idempotent). `register` fails with `ConnectionLostError`: a second one with the same keys would append its
 *   one-time prekeys twice, so the caller decides.
 * - An `unavailable` answer means nothing was stored: the request is sent again after a backoff wait, within its
 *   timeout; past it, it fails with that `SluiceError`.
 * - An inbound message delivered on a lost connection acks nothing; it comes again on the next connection.
 *   Messages of a lost connection not yet handed out are dropped for that reason. No ack is sent twice.
 */
export class SluiceClient {
  private readonly endpoints: readonly string[];
  private readonly backoff: Backoff | undefined;
  private readonly requestTimeoutMs: number;
  private readonly WebSocketClass: WebSocketConstructor;
  private readonly random: () => number;

  private readonly inbound = new Channel<Delivered>();
  private readonly preKeysLow = new Channel<number>();
  private readonly unsolicited = new Channel<Incoming>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();

  private current?: Connection;
  private ready = false;
  private readonly waiting: Call[] = [];
  private login_?: LoginState;
  private state_: ConnectionState = "connecting";
  private failures = 0;
  private nextEndpoint = 0;
  private lastFailure?: string;
  private nextAttempt?: ReturnType<typeof setTimeout>;
  private closing = false;
  private sequence = 0;

  private readonly firstConnection: Promise<SluiceClient>;
  private resolveFirst!: (client: SluiceClient) => void;
  private rejectFirst!: (failure: unknown) => void;
  private firstSettled = false;
  /** Resolves when the client is closed for good: by `close()`, or without reconnecting, by losing its connection. */
  readonly closed: Promise<CloseInfo>;
  private resolveClosed!: (how: CloseInfo) => void;

  private constructor(options: ClientOptions) {
    if (!options.endpoints || options.endpoints.length === 0) {
      throw new RangeError("endpoints: [] (expected: at least one ws:// or wss:// URL)");
    }
    for (const endpoint of options.endpoints) {
      if (!/^wss?:\/\//.test(endpoint)) {
        throw new RangeError(`endpoints: '${endpoint}' (expected: ws:// or wss://)`);
      }
    }
    const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    if (!(timeout > 0)) {
      throw new RangeError(`requestTimeoutMs: ${timeout} (expected: > 0)`);
    }
    this.backoff = options.reconnect === false ? undefined : checkBackoff(options.reconnect ?? DEFAULT_BACKOFF);
    const WebSocketClass =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!WebSocketClass) {
      throw new Error("no WebSocket here: on Node 20 pass { WebSocket } from the ws package");
    }
    this.endpoints = [...options.endpoints];
    this.requestTimeoutMs = timeout;
    this.WebSocketClass = WebSocketClass;
    this.random = options.random ?? Math.random;
    this.firstConnection = new Promise((resolve, reject) => {
      this.resolveFirst = resolve;
      this.rejectFirst = reject;
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /**
   * Connects to the first endpoint that answers and resolves once its challenge arrived. A reconnecting client
   * keeps trying, after backoff waits, until the request timeout, then rejects with a `ConnectError` naming the
   * last failure.
   */
  static connect(options: ClientOptions): Promise<SluiceClient> {
    const client = new SluiceClient(options);
    const timer = setTimeout(() => {
      const last = client.lastFailure;
      client.settleFirst(
        new ConnectError(
          `no connection to [${client.endpoints.join(", ")}] within ${client.requestTimeoutMs} ms` +
            (last ? ` (last failure: ${last})` : ""),
        ),
      );
      client.close();
    }, client.requestTimeoutMs);
    client.firstConnection.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    client.attempt();
    return client.firstConnection;
  }

  /** Where the client stands: connecting, open, reconnecting or closed. */
  get state(): ConnectionState {
    return this.state_;
  }

  /** The endpoint of the current (or last) connection. */
  get endpoint(): string | undefined {
    return this.current?.url;
  }

  /** Whether the client has an open connection. */
  get isOpen(): boolean {
    return this.current?.isOpen ?? false;
  }

  /** The nonce of the current connection's challenge. */
  get nonce(): Uint8Array | undefined {
    return this.current?.nonce;
  }

  /** Inbound messages; those that arrived before the first listener are handed to it. */
  on(event: "inbound", listener: (message: Inbound) => void): () => void;
  /** `PreKeysLow{keysRequested}`: the server wants this many more one-time prekeys. */
  on(event: "preKeysLow", listener: (keysRequested: number) => void): () => void;
  /** Each change of `state`, in order. */
  on(event: "state", listener: (state: ConnectionState) => void): () => void;
  /** Frames that answer no request of this client (an error with sequence 0 after a malformed frame). */
  on(event: "unsolicited", listener: (frame: Incoming) => void): () => void;
  on(event: string, listener: (value: never) => void): () => void {
    switch (event) {
      case "inbound":
        return this.inbound.listen(listener as (m: Delivered) => void);
      case "preKeysLow":
        return this.preKeysLow.listen(listener as (n: number) => void);
      case "unsolicited":
        return this.unsolicited.listen(listener as (f: Incoming) => void);
      case "state": {
        const l = listener as (s: ConnectionState) => void;
        this.stateListeners.add(l);
        return () => this.stateListeners.delete(l);
      }
      default:
        throw new RangeError(`event: '${event}' (expected: inbound, preKeysLow, state or unsolicited)`);
    }
  }

  /** The next inbound message, or undefined if none arrives within the timeout. */
  nextInbound(timeoutMs: number): Promise<Inbound | undefined> {
    return this.inbound.next(timeoutMs);
  }

  /** The keysRequested of the next PreKeysLow, or undefined. */
  nextPreKeysLow(timeoutMs: number): Promise<number | undefined> {
    return this.preKeysLow.next(timeoutMs);
  }

  /** The next frame that answers no request, or undefined. */
  nextUnsolicited(timeoutMs: number): Promise<Incoming | undefined> {
    return this.unsolicited.next(timeoutMs);
  }

  /**
   * Logs in as `identity`'s device `deviceId`, signing the challenge with WebCrypto. Requests made meanwhile wait
   * for the answer. A reconnecting client logs in as this identity on every later connection, before anything
   * else; a login that fails is forgotten.
   */
  login(identity: Identity, deviceId: number): Promise<void> {
    if (this.closing) return Promise.reject(new ConnectionLostError("the client is closed"));
    if (this.state_ === "closed") return Promise.reject(new ConnectionLostError("the connection is closed"));
    let resolve!: () => void;
    let reject!: (failure: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const state: LoginState = { identity, deviceId, promise, resolve, reject, succeeded: false, settled: false };
    const timer = setTimeout(
      () => this.settleLogin(state, new TimeoutError(`no answer to authResponse within ${this.requestTimeoutMs} ms`)),
      this.requestTimeoutMs,
    );
    promise.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    this.login_ = state;
    if (this.ready && this.current) {
      this.logIn(this.current, state);
    }
    return promise;
  }

  /** Sends an AuthResponse of exactly these bytes: for tests of bad logins. */
  async authenticate(loginBytes: Uint8Array, signature: Uint8Array, options?: RequestOptions): Promise<void> {
    await this.submit("authResponse", () => codec.authResponse(loginBytes, signature), "fail", options);
  }

  /**
   * Registers a signed prekey and one-time prekeys for this connection's Address. Not sent again when its
   * connection is lost before the answer (see the class comment).
   */
  async register(
    registrationId: number,
    signedPreKey: Uint8Array,
    oneTimePreKeys: Uint8Array[],
    options?: RequestOptions,
  ): Promise<void> {
    const payload = codec.register(registrationId, signedPreKey, oneTimePreKeys);
    await this.submit("register", () => payload, "fail", options);
  }

  /** Removes this connection's Address's registration. */
  async unregister(options?: RequestOptions): Promise<void> {
    await this.submit("unregister", () => codec.unregister(), "resend", options);
  }

  /**
   * Claims the prekeys of every device of `userId` not in `knownDeviceIds`: the `preKey` answers, collected up to
   * the closing `ack`.
   */
  async requestPreKeys(userId: Uint8Array, knownDeviceIds: number[] = [], options?: RequestOptions): Promise<PreKey[]> {
    const payload = codec.requestPreKeys(userId, knownDeviceIds);
    const responses = await this.submit("requestPreKeys", () => payload, "resend", options);
    return responses.flatMap((r) => (r.kind === "preKey" ? [r.preKey] : []));
  }

  /** Sends a sealed message to a device; resolves once the server acked it (it is durably queued). */
  async send(to: Address, sealed: Uint8Array, options?: RequestOptions): Promise<void> {
    const payload = codec.outbound(to, sealed);
    await this.submit("outboundMessage", () => payload, "resend", options);
  }

  /** Sends bytes as one binary frame, as they are, on the current connection: for tests of malformed frames. */
  sendRaw(frame: Uint8Array): void {
    if (!this.current?.send(frame)) {
      throw new ConnectionLostError("the connection is closed");
    }
  }

  /** Closes the connection (1000) and stops reconnecting; requests still waiting fail. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    clearTimeout(this.nextAttempt);
    const waiting = this.waiting.splice(0);
    this.setState("closed");
    for (const call of waiting) this.fail(call, new ConnectionLostError("the client is closed"));
    const connection = this.current;
    if (connection?.isOpen) {
      connection.close(1000, "bye");
    } else {
      connection?.close(1000, "bye");
      if (connection) this.lost(connection, 1000, "bye");
      this.resolveClosed({ code: 1000, reason: "bye" });
      this.settleFirst(new ConnectionLostError("the client is closed"));
    }
  }

  // ---- connections ----

  private attempt(): void {
    if (this.closing) return;
    this.nextAttempt = undefined;
    const url = this.endpoints[this.nextEndpoint % this.endpoints.length] as string;
    let socket: WebSocketLike;
    try {
      socket = new this.WebSocketClass(url);
    } catch (e) {
      const failed = new Connection(url, { readyState: 3 } as WebSocketLike);
      this.current = failed;
      this.lost(failed, 1006, String(e));
      return;
    }
    socket.binaryType = "arraybuffer";
    const connection = new Connection(url, socket);
    this.current = connection;
    this.ready = false;
    connection.challengeTimer = setTimeout(() => {
      connection.close(1000, "no challenge");
      this.lost(connection, 1006, `no challenge within ${this.requestTimeoutMs} ms`);
    }, this.requestTimeoutMs);
    socket.onmessage = (event) => this.received(connection, event.data);
    socket.onclose = (event) => this.lost(connection, event.code, event.reason);
    // An error is followed by a close, which carries the status.
    socket.onerror = () => {};
  }

  private received(connection: Connection, data: unknown): void {
    let frame: Incoming;
    try {
      frame = codec.decode(toBytes(data));
    } catch {
      // The server only sends valid frames; a broken one means a broken connection.
      connection.close(1002, "unparseable frame");
      return;
    }
    switch (frame.kind) {
      case "challenge":
        this.challenged(connection, frame.nonce);
        return;
      case "inbound":
        this.inbound.push(new Delivered(connection, frame.sequence, frame.body));
        return;
      case "preKeysLow":
        this.preKeysLow.push(frame.keysRequested);
        return;
      case "ack":
      case "error":
      case "preKey":
        this.answered(connection, frame);
        return;
      default:
        this.unsolicited.push(frame);
    }
  }

  private challenged(connection: Connection, nonce: Uint8Array): void {
    clearTimeout(connection.challengeTimer);
    connection.nonce = nonce;
    if (this.closing) {
      connection.close(1000, "bye");
      return;
    }
    if (connection !== this.current || connection.lost) return;
    if (this.login_) {
      this.logIn(connection, this.login_);
    } else {
      this.becomeReady(connection);
    }
  }

  private becomeReady(connection: Connection): void {
    this.ready = true;
    this.failures = 0;
    this.lastFailure = undefined;
    this.setState("open");
    for (let call = this.waiting.shift(); call; call = this.waiting.shift()) {
      this.transmit(connection, call);
    }
    if (!this.firstSettled) {
      this.firstSettled = true;
      this.resolveFirst(this);
    }
  }

  /** Logs in on `connection`; nothing else is sent on it until the answer, so no request reaches it anonymous. */
  private logIn(connection: Connection, state: LoginState): void {
    this.ready = false;
    const call = new Call(
      "authResponse",
      async (on) => {
        const address = { userId: state.identity.userId, deviceId: state.deviceId };
        const loginBytes = codec.login(address, on.nonce as Uint8Array);
        return codec.authResponse(loginBytes, await state.identity.sign(loginBytes));
      },
      "fail",
      this.requestTimeoutMs,
    );
    this.arm(call);
    this.transmit(connection, call);
    call.promise.then(
      () => {
        state.succeeded = true;
        this.settleLogin(state);
        if (connection === this.current && !connection.lost && !this.closing) this.becomeReady(connection);
      },
      (failure: unknown) => {
        if (failure instanceof ConnectionLostError && this.backoff) {
          return; // the next connection logs in again
        }
        const refused = failure instanceof SluiceError && failure.name === "unauthorized";
        if (refused || !state.succeeded) {
          // A login that fails is forgotten; the connection (left open unless refused) goes on anonymous.
          if (this.login_ === state) this.login_ = undefined;
          this.settleLogin(state, failure);
          if (!refused && connection === this.current && !connection.lost && !this.closing) {
            this.becomeReady(connection);
          }
        } else {
          // rate_limited, a timeout, …: this connection is of no use; the next attempt waits longer.
          connection.close(1000, "login failed");
        }
      },
    );
  }

  private settleLogin(state: LoginState, failure?: unknown): void {
    if (state.settled) return;
    state.settled = true;
    if (failure === undefined) state.resolve();
    else state.reject(failure);
  }

  private settleFirst(failure: unknown): void {
    if (this.firstSettled) return;
    this.firstSettled = true;
    this.rejectFirst(failure);
  }

  private setState(next: ConnectionState): void {
    if (this.state_ === next) return;
    this.state_ = next;
    for (const listener of [...this.stateListeners]) listener(next);
  }

  /** `connection` closed or never opened: resend or fail its calls, then reconnect or close for good. */
  private lost(connection: Connection, code: number, reason: string): void {
    if (connection.lost) return;
    connection.lost = true;
    clearTimeout(connection.challengeTimer);
    const how = `${code} ${reason}`;
    this.lastFailure = `connection closed: ${how}`;
    const wasCurrent = connection === this.current;
    if (wasCurrent) this.ready = false;
    const unanswered = [...connection.pending.values()].sort((a, b) => a.sequence - b.sequence);
    connection.pending.clear();
    const final = !this.backoff || this.closing;
    const toFail: Call[] = [];
    if (final) {
      toFail.push(...unanswered);
      if (wasCurrent) toFail.push(...this.waiting.splice(0));
    } else {
      for (let i = unanswered.length - 1; i >= 0; i--) {
        const call = unanswered[i] as Call;
        if (call.onLoss === "resend") this.waiting.unshift(call);
        else toFail.push(call);
      }
      // The server delivers these again on the next connection, where they can be acked.
      this.inbound.removeIf((m) => m.connection === connection);
      if (wasCurrent) {
        this.failures++;
        this.nextEndpoint++;
        this.setState("reconnecting");
        const wait = delayMs(this.backoff as Backoff, this.failures - 1, this.random);
        this.nextAttempt = setTimeout(() => this.attempt(), wait);
      }
    }
    for (const call of toFail) {
      this.fail(
        call,
        new ConnectionLostError(`connection lost before ${call.type} was answered (it may have been processed): ${how}`),
      );
    }
    if (final) {
      if (wasCurrent) this.setState("closed");
      this.resolveClosed({ code, reason });
      this.settleFirst(new ConnectError(`no connection to [${this.endpoints.join(", ")}] (last failure: ${this.lastFailure})`));
    }
  }

  // ---- requests ----

  private submit(
    type: string,
    payload: (on: Connection) => Payload | Promise<Payload>,
    onLoss: OnLoss,
    options?: RequestOptions,
  ): Promise<Incoming[]> {
    if (this.closing) return Promise.reject(new ConnectionLostError("the client is closed"));
    if (this.state_ === "closed") return Promise.reject(new ConnectionLostError("the connection is closed"));
    const call = new Call(type, payload, onLoss, this.requestTimeoutMs);
    this.arm(call, options?.signal);
    if (!call.done) {
      if (this.ready && this.current) this.transmit(this.current, call);
      else this.waiting.push(call);
    }
    return call.promise;
  }

  /** The call's one deadline, and its cancellation. */
  private arm(call: Call, signal?: AbortSignal): void {
    const timer = setTimeout(
      () =>
        this.fail(
          call,
          call.lastError ?? new TimeoutError(`no answer to ${call.type} within ${this.requestTimeoutMs} ms`),
        ),
      Math.max(0, call.deadline - Date.now()),
    );
    const onAbort = () => this.fail(call, signal?.reason ?? new Error("aborted"));
    signal?.addEventListener("abort", onAbort, { once: true });
    const settled = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      const index = this.waiting.indexOf(call);
      if (index >= 0) this.waiting.splice(index, 1);
      if (call.connection?.pending.get(call.sequence) === call) call.connection.pending.delete(call.sequence);
    };
    call.promise.then(settled, settled);
    if (signal?.aborted) onAbort();
  }

  private fail(call: Call, failure: unknown): void {
    if (call.done) return;
    call.done = true;
    call.reject(failure);
  }

  private succeed(call: Call, responses: Incoming[]): void {
    if (call.done) return;
    call.done = true;
    call.resolve(responses);
  }

  private transmit(connection: Connection, call: Call): void {
    if (call.done) return;
    if (connection.lost) {
      this.waiting.unshift(call);
      return;
    }
    const seq = (this.sequence = (this.sequence + 1) >>> 0 || 1);
    call.connection = connection;
    call.sequence = seq;
    call.responses = [];
    connection.pending.set(seq, call);
    const send = (payload: Payload) => {
      // When the socket is already closing, its close reaches lost(), which resends or fails the call.
      if (connection.pending.get(seq) === call) connection.send(codec.encode(seq, payload));
    };
    let payload: Payload | Promise<Payload>;
    try {
      payload = call.payload(connection);
    } catch (e) {
      this.fail(call, e);
      return;
    }
    if (payload instanceof Promise) {
      payload.then(send, (e: unknown) => this.fail(call, e));
    } else {
      send(payload);
    }
  }

  private answered(connection: Connection, frame: Incoming): void {
    const call = connection.pending.get(frame.sequence);
    if (!call) {
      this.unsolicited.push(frame);
      return;
    }
    if (frame.kind === "preKey") {
      call.responses.push(frame);
      return;
    }
    connection.pending.delete(frame.sequence);
    if (frame.kind === "ack") {
      this.succeed(call, [...call.responses, frame]);
    } else if (frame.kind === "error") {
      const error = new SluiceError(frame.name, frame.description);
      if (!this.retryLater(call, error)) this.fail(call, error);
    }
  }

  /** Sends a call answered `unavailable` again after a backoff wait, if its deadline allows. */
  private retryLater(call: Call, error: SluiceError): boolean {
    if (!this.backoff || error.name !== "unavailable" || call.type === "authResponse") return false;
    const wait = delayMs(this.backoff, call.unavailableAnswers++, this.random);
    if (Date.now() + wait >= call.deadline) return false;
    call.lastError = error;
    setTimeout(() => {
      if (call.done) return;
      if (this.closing) this.fail(call, error);
      else if (this.ready && this.current) this.transmit(this.current, call);
      else this.waiting.push(call);
    }, wait);
    return true;
  }
}

/** An inbound message, acked on the connection that delivered it or not at all. */
class Delivered implements Inbound {
  private acked = false;
  private sent = false;

  constructor(
    readonly connection: Connection,
    readonly sequence: number,
    readonly body: Uint8Array,
  ) {}

  ack(): boolean {
    if (!this.acked) {
      this.acked = true;
      this.sent = this.connection.send(codec.encode(this.sequence, codec.ack()));
    }
    return this.sent;
  }
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (Array.isArray(data)) {
    // ws hands fragmented messages over as an array of Buffers unless binaryType is arraybuffer.
    const parts = data.map((d) => toBytes(d));
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    return all;
  }
  throw new TypeError("not a binary frame");
}
