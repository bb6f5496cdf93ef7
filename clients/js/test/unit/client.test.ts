import { fromBinary } from "@bufbuild/protobuf";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import {
  type Backoff,
  type ClientOptions,
  ConnectError,
  ConnectionLostError,
  type ConnectionState,
  Identity,
  SluiceClient,
  SluiceError,
  TimeoutError,
} from "../../src/index.js";
import { LoginSchema } from "../../src/gen/Messages_pb.js";
import { ack, bytes, error, FakeGateway, text, until } from "./fake-gateway.js";

const FAST: Backoff = { initialMs: 10, maxMs: 100 };

let gateway: FakeGateway;
const clients: SluiceClient[] = [];

beforeEach(async () => {
  gateway = await new FakeGateway().start();
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await gateway.kill();
});

async function connect(options: Partial<ClientOptions> = {}): Promise<SluiceClient> {
  const client = await SluiceClient.connect({
    endpoints: [gateway.url],
    reconnect: FAST,
    WebSocket: WebSocket as never,
    ...options,
  });
  clients.push(client);
  return client;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const someone = () => ({ userId: new Uint8Array(33).fill(5), deviceId: 1 });

describe("connecting", () => {
  it("skips an endpoint that is down and connects to the next", async () => {
    const down = `ws://127.0.0.1:${await freePort()}/api`;
    const client = await connect({ endpoints: [down, gateway.url] });
    expect(client.endpoint).toBe(gateway.url);
    expect(client.state).toBe("open");
  });

  it("fails with the last failure when no endpoint answers within the timeout", async () => {
    const down = `ws://127.0.0.1:${await freePort()}/api`;
    const failure = await connect({ endpoints: [down], requestTimeoutMs: 500 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConnectError);
    expect((failure as Error).message).toMatch(
      new RegExp(`^no connection to \\[${down}\\] within 500 ms \\(last failure: connection closed: 1006`),
    );
  });

  it("refuses options that make no sense, naming the option", () => {
    expect(() => SluiceClient.connect({ endpoints: [] })).toThrow("endpoints: [] (expected: at least one ws:// or wss:// URL)");
    expect(() => SluiceClient.connect({ endpoints: ["http://x/api"] })).toThrow("endpoints: 'http://x/api' (expected: ws:// or wss://)");
    expect(() => SluiceClient.connect({ endpoints: ["ws://x/api"], reconnect: { initialMs: 0, maxMs: 1 } })).toThrow(
      "initialMs: 0 (expected: > 0)",
    );
  });
});

describe("reconnecting", () => {
  it("logs in again on the next connection, signed over its nonce, before any other request", async () => {
    const alice = await Identity.generate();
    const client = await connect();
    await client.login(alice, 3);

    (await gateway.awaitPeer(1)).drop();
    const second = await gateway.awaitPeer(2);
    await client.register(1, bytes("signed"), []);

    expect(second.received.map((m) => m.payload.case)).toEqual(["authResponse", "register"]);
    const response = second.received[0]?.payload.value as { login: Uint8Array; signature: Uint8Array };
    const login = fromBinary(LoginSchema, response.login);
    expect(login.nonce).toEqual(second.nonce);
    expect(login.address?.deviceID).toBe(3);
    expect(login.address?.userID).toEqual(alice.userId);
    expect(await Identity.verify(alice.userId, response.login, response.signature)).toBe(true);
  });

  it("does not ack a message of a lost connection on the next one, and acks its redelivery once", async () => {
    const client = await connect();
    await client.login(await Identity.generate(), 1);
    const first = await gateway.awaitPeer(1);
    first.deliver(7, bytes("hello"));
    const stale = await client.nextInbound(5000);
    expect(stale?.sequence).toBe(7);

    first.drop();
    const second = await gateway.awaitPeer(2);
    await until(() => client.state === "open");
    expect(stale?.ack()).toBe(false);
    second.deliver(2, bytes("hello"));
    const again = await client.nextInbound(5000);
    expect(text(again!.body)).toBe("hello");
    expect(again!.ack()).toBe(true);
    expect(again!.ack()).toBe(true);

    // A later request proves every earlier frame of this connection arrived.
    await client.register(1, bytes("signed"), []);
    expect(second.receivedOf("ack").map((m) => m.sequence)).toEqual([2]);
    expect(first.receivedOf("ack")).toEqual([]);
  });

  it("drops messages of a lost connection not yet taken, since they come again", async () => {
    const client = await connect();
    const first = await gateway.awaitPeer(1);
    first.deliver(1, bytes("one"));
    first.deliver(2, bytes("two"));
    // Answered after both deliveries on the same socket: once it resolves, both are kept by the client.
    await client.unregister();

    first.drop();
    (await gateway.awaitPeer(2)).deliver(1, bytes("one"));

    const next = await client.nextInbound(5000);
    expect(text(next!.body)).toBe("one");
    expect(next!.ack()).toBe(true);
    expect(await client.nextInbound(200)).toBeUndefined();
  });

  it("sends a message in flight when its connection is lost again on the next one", async () => {
    const client = await connect();
    const first = await gateway.awaitPeer(1);
    gateway.script = (peer, request) => (peer === first ? undefined : ack(request.sequence));

    const sent = client.send(someone(), bytes("sealed"));
    await until(() => first.receivedOf("outboundMessage").length > 0);
    first.drop();

    await sent;
    const second = await gateway.awaitPeer(2);
    const resent = second.receivedOf("outboundMessage");
    expect(resent).toHaveLength(1);
    expect(text((resent[0]?.payload.value as { unidentifiedSenderMessage: Uint8Array }).unidentifiedSenderMessage)).toBe(
      "sealed",
    );
  });

  it("fails a register in flight when its connection is lost, and does not send it again", async () => {
    const client = await connect();
    const first = await gateway.awaitPeer(1);
    gateway.script = (peer, request) => (peer === first ? undefined : ack(request.sequence));

    const registered = client.register(1, bytes("signed"), [bytes("k1")]).catch((e: unknown) => e);
    await until(() => first.receivedOf("register").length > 0);
    first.drop();

    const failure = await registered;
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect((failure as Error).message).toMatch(
      /^connection lost before register was answered \(it may have been processed\): 1006/,
    );
    await until(() => client.state === "open");
    await client.unregister();
    expect((await gateway.awaitPeer(2)).receivedOf("register")).toEqual([]);
  });

  it("sends requests made while the gateway is down once it is back", async () => {
    const client = await connect();
    await gateway.kill();
    await until(() => client.state === "reconnecting");

    const sent = client.send(someone(), bytes("while down"));
    let done = false;
    void sent.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 200)); // the gateway stays down across several attempts
    expect(done).toBe(false);
    await gateway.start();

    await sent;
    expect(client.state).toBe("open");
  });

  it("reports state changes in order", async () => {
    const client = await connect();
    const seen: ConnectionState[] = [];
    client.on("state", (s) => seen.push(s));

    (await gateway.awaitPeer(1)).drop();
    await gateway.awaitPeer(2);
    await until(() => seen.length >= 2);
    client.close();

    expect(seen).toEqual(["reconnecting", "open", "closed"]);
  });

  it("fails waiting requests and stops reconnecting when closed", async () => {
    const client = await connect();
    await gateway.kill();
    await until(() => client.state === "reconnecting");
    const sent = client.send(someone(), bytes("never")).catch((e: unknown) => e);

    client.close();

    const failure = await sent;
    expect(failure).toBeInstanceOf(ConnectionLostError);
    expect((failure as Error).message).toBe("the client is closed");
    await expect(client.closed).resolves.toEqual({ code: 1000, reason: "bye" });
    await gateway.start();
    await new Promise((r) => setTimeout(r, 300)); // several backoff ceilings: a reconnect would have happened
    expect(gateway.peers).toHaveLength(1);
  });
});

describe("answers", () => {
  it("retries an unavailable answer after a backoff wait", async () => {
    const client = await connect();
    let answers = 0;
    gateway.script = (_peer, request) => (answers++ < 2 ? error(request.sequence, "unavailable") : ack(request.sequence));

    await client.send(someone(), bytes("sealed"));

    expect((await gateway.awaitPeer(1)).receivedOf("outboundMessage")).toHaveLength(3);
  });

  it("fails with the retryable unavailable error past the deadline", async () => {
    const client = await connect({ requestTimeoutMs: 300 });
    gateway.script = (_peer, request) => error(request.sequence, "unavailable");

    const failure = await client.send(someone(), bytes("sealed")).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(SluiceError);
    expect((failure as SluiceError).name).toBe("unavailable");
    expect((failure as SluiceError).retryable).toBe(true);
  });

  it("fails other errors at once, typed with the protocol's name", async () => {
    const client = await connect();
    gateway.script = (_peer, request) => error(request.sequence, "unknown_user");

    const failure = await client.requestPreKeys(new Uint8Array(33)).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(SluiceError);
    expect((failure as SluiceError).name).toBe("unknown_user");
    expect((failure as SluiceError).retryable).toBe(false);
    expect((failure as Error).message).toBe("unknown_user: scripted");
    expect((await gateway.awaitPeer(1)).received).toHaveLength(1);
  });

  it("times out a request without answer, naming its type", async () => {
    const client = await connect({ requestTimeoutMs: 300 });
    gateway.script = () => undefined;

    const failure = await client.unregister().catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(TimeoutError);
    expect((failure as Error).message).toBe("no answer to unregister within 300 ms");
  });

  it("cancels a request whose signal aborts, and ignores its late answer", async () => {
    const client = await connect();
    const answers: Array<() => void> = [];
    gateway.script = (peer, request) => {
      answers.push(() => peer.send(ack(request.sequence)));
      return undefined;
    };
    const abort = new AbortController();
    const sent = client.send(someone(), bytes("sealed"), { signal: abort.signal }).catch((e: unknown) => e);
    await until(() => answers.length === 1);

    abort.abort(new Error("user left"));
    answers[0]?.();

    expect(((await sent) as Error).message).toBe("user left");
    const late = await client.nextUnsolicited(2000);
    expect(late?.kind).toBe("ack");
  });

  it("without reconnect, fails requests in flight when the connection is lost, then refuses new ones", async () => {
    const client = await connect({ reconnect: false });
    gateway.script = () => undefined;
    const sent = client.send(someone(), bytes("sealed")).catch((e: unknown) => e);
    const only = await gateway.awaitPeer(1);
    await until(() => only.receivedOf("outboundMessage").length > 0);

    only.drop();

    expect(((await sent) as Error).message).toMatch(/^connection lost before outboundMessage was answered/);
    await client.closed;
    expect(client.state).toBe("closed");
    await expect(client.send(someone(), bytes("after"))).rejects.toThrow("the connection is closed");
  });

  it("collects the preKey answers up to the closing ack", async () => {
    const client = await connect();
    const { create } = await import("@bufbuild/protobuf");
    const { MessageSchema, PreKeySchema, AddressSchema } = await import("../../src/gen/Messages_pb.js");
    gateway.script = (peer, request) => {
      for (const device of [1, 2]) {
        peer.send(
          create(MessageSchema, {
            sequence: request.sequence,
            payload: {
              case: "preKey",
              value: create(PreKeySchema, {
                address: create(AddressSchema, { userID: new Uint8Array(33), deviceID: device }),
                registrationID: 40 + device,
                signedPreKey: bytes(`signed-${device}`),
                oneTimePreKey: device === 1 ? bytes("one-time") : new Uint8Array(),
              }),
            },
          }),
        );
      }
      return ack(request.sequence);
    };

    const keys = await client.requestPreKeys(new Uint8Array(33), [3]);

    expect(keys.map((k) => k.address.deviceId)).toEqual([1, 2]);
    expect(keys.map((k) => k.registrationId)).toEqual([41, 42]);
    expect(text(keys[0]!.oneTimePreKey!)).toBe("one-time");
    expect(keys[1]!.oneTimePreKey).toBeUndefined();
    const request = (await gateway.awaitPeer(1)).receivedOf("requestPreKeys")[0]?.payload.value as {
      knownDeviceIDs: number[];
    };
    expect(request.knownDeviceIDs).toEqual([3]);
  });

  it("hands PreKeysLow and inbound messages that arrived before a listener to the first listener", async () => {
    const client = await connect();
    const { create } = await import("@bufbuild/protobuf");
    const { MessageSchema, PreKeysLowSchema } = await import("../../src/gen/Messages_pb.js");
    const peer = await gateway.awaitPeer(1);
    peer.send(create(MessageSchema, { sequence: 1, payload: { case: "preKeysLow", value: create(PreKeysLowSchema, { keysRequested: 20 }) } }));
    peer.deliver(2, bytes("early"));
    await client.unregister();

    const low: number[] = [];
    const messages: string[] = [];
    client.on("preKeysLow", (n) => low.push(n));
    client.on("inbound", (m) => messages.push(text(m.body)));

    expect(low).toEqual([20]);
    expect(messages).toEqual(["early"]);
  });
});
