/** The error names of the protocol (PROTOCOL.md, "Error names"). */
export const ERROR_NAMES = [
  "unauthorized",
  "attempted_anonymous_op_on_authenticated_connection",
  "invalid_message",
  "invalid_user_id",
  "unknown_user",
  "unavailable",
  "rate_limited",
  "unknown_error",
] as const;

/** One of the protocol's error names. */
export type ErrorName = (typeof ERROR_NAMES)[number];

/**
 * The server answered a request with `Error{name, description}`. As in the Java client, `name` is the protocol's
 * error name (`unknown_user`, …) and the message is `name: description`.
 */
export class SluiceError extends Error {
  /** The protocol error name; a name outside the protocol's list is kept as the server sent it. */
  declare readonly name: ErrorName;
  /** The server's free-text description, possibly empty. */
  readonly description: string;

  constructor(name: string, description: string) {
    super(description ? `${name}: ${description}` : name);
    Object.defineProperty(this, "name", { value: name, enumerable: false, configurable: true });
    this.description = description;
  }

  /**
   * Whether the server did nothing and the same request may be sent again: true for `unavailable` (at once, or
   * elsewhere) and `rate_limited` (later).
   */
  get retryable(): boolean {
    return this.name === "unavailable" || this.name === "rate_limited";
  }
}

/**
 * A request's connection closed before its answer arrived, or the client was closed. Whether the server acted on
 * the request is unknown, so sending it again is the caller's choice.
 */
export class ConnectionLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConnectionLostError";
  }
}

/** No answer within the request timeout. */
export class TimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TimeoutError";
  }
}

/** No endpoint could be connected to within the request timeout; `cause` is the last failure. */
export class ConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ConnectError";
  }
}
