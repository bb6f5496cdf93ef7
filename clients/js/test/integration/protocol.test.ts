// The client against the real gateway jar: login, prekeys, send, receive and ack, PreKeysLow, and every error
// name the protocol lists, each provoked through the gateway.
import { create, toBinary } from "@bufbuild/protobuf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { ERROR_NAMES, Identity, type ClientOptions, SluiceClient, SluiceError } from "../../src/index.js";
import { MessageSchema, OutboundMessageSchema } from "../../src/gen/Messages_pb.js";
import { freePort, GatewayProcess, tempDir } from "./gateway-process.js";

let gateway: GatewayProcess;
const clients: SluiceClient[] = [];
const provoked = new Set<string>();

beforeAll(async () => {
  gateway = await GatewayProcess.start({
    dataDir: tempDir("sluice-js-it-"),
    port: await freePort(),
    settings: {
      "sluice.routes": new URL("./failing-routes.yaml", import.meta.url).pathname,
      "sluice.limits.prekey-requests": "3/1h",
      "sluice.prekeys.low-threshold": "5",
      "sluice.prekeys.request-count": "20",
      "sluice.prekeys.check-interval": "1h",
    },
  });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await gateway?.stop();
  // Every name of the protocol's list was provoked by one of the tests above.
  if (provoked.size > 0) expect([...provoked].sort()).toEqual([...ERROR_NAMES].sort());
});

async function connect(options: Partial<ClientOptions> = {}): Promise<SluiceClient> {
  const client = await SluiceClient.connect({ endpoints: [gateway.url], WebSocket: WebSocket as never, ...options });
  clients.push(client);
  return client;
}

async function device(identity: Identity, deviceId: number): Promise<SluiceClient> {
  const client = await connect();
  await client.login(identity, deviceId);
  return client;
}

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function errorOf(request: Promise<unknown>): Promise<SluiceError> {
  const failure = await request.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(SluiceError);
  provoked.add((failure as SluiceError).name);
  return failure as SluiceError;
}

describe("prekeys", () => {
  it("registers devices and hands out every device not known, each one-time prekey once, then an ack", async () => {
    const bob = await Identity.generate();
    await (await device(bob, 1)).register(11, bytes("signed-1"), [bytes("k1")]);
    await (await device(bob, 2)).register(22, bytes("signed-2"), [bytes("k2")]);
    const anonymous = await connect();

    const both = await anonymous.requestPreKeys(bob.userId, []);
    const onlySecond = await anonymous.requestPreKeys(bob.userId, [1]);

    expect(both.map((k) => [k.address.deviceId, k.registrationId, text(k.signedPreKey), text(k.oneTimePreKey!)]).sort()).toEqual([
      [1, 11, "signed-1", "k1"],
      [2, 22, "signed-2", "k2"],
    ]);
    expect(both[0]!.address.userId).toEqual(bob.userId);
    expect(onlySecond.map((k) => k.address.deviceId)).toEqual([2]);
    expect(onlySecond[0]!.oneTimePreKey).toBeUndefined();
  });

  it("unregisters: the user is then unknown", async () => {
    const carol = await Identity.generate();
    const phone = await device(carol, 1);
    await phone.register(1, bytes("signed"), []);
    await phone.unregister();

    expect((await errorOf((await connect()).requestPreKeys(carol.userId))).name).toBe("unknown_user");
  });

  it("tells a device low on one-time prekeys how many to upload, as a preKeysLow event on login", async () => {
    const dave = await Identity.generate();
    const first = await device(dave, 1);
    await first.register(1, bytes("signed"), [bytes("only one")]);

    const second = await connect();
    const low = new Promise<number>((resolve) => second.on("preKeysLow", resolve));
    await second.login(dave, 1);

    expect(await low).toBe(20);
  });
});

describe("messages", () => {
  it("sends anonymously, receives on the recipient's connection, and an acked message is not sent again", async () => {
    const erin = await Identity.generate();
    const phone = await device(erin, 1);
    const sender = await connect();

    await sender.send({ userId: erin.userId, deviceId: 1 }, bytes("first"));
    await sender.send({ userId: erin.userId, deviceId: 1 }, bytes("second"));
    const first = await phone.nextInbound(10_000);
    const second = await phone.nextInbound(10_000);
    expect([text(first!.body), text(second!.body)]).toEqual(["first", "second"]);
    expect(first!.ack()).toBe(true);
    phone.close();
    await phone.closed;

    const again = await device(erin, 1);
    const redelivered = await again.nextInbound(10_000);
    expect(text(redelivered!.body)).toBe("second");
    expect(redelivered!.ack()).toBe(true);
    expect(await again.nextInbound(1000)).toBeUndefined();
  });

  it("hands inbound messages to a listener", async () => {
    const frank = await Identity.generate();
    const phone = await device(frank, 1);
    const received: string[] = [];
    phone.on("inbound", (m) => {
      received.push(text(m.body));
      m.ack();
    });

    const sender = await connect();
    for (let i = 0; i < 20; i++) await sender.send({ userId: frank.userId, deviceId: 1 }, bytes(`m${i}`));

    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(20);
    expect(received).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
  });
});

describe("errors", () => {
  it("unauthorized: a login signed by another key, and the connection is closed", async () => {
    const client = await connect({ reconnect: false });
    const victim = await Identity.generate();
    const mallory = await Identity.generate();
    const { login } = await import("../../src/codec.js");
    const loginBytes = login({ userId: victim.userId, deviceId: 1 }, client.nonce!);

    const error = await errorOf(client.authenticate(loginBytes, await mallory.sign(loginBytes)));

    expect(error.name).toBe("unauthorized");
    expect((await client.closed).code).toBe(1008);
  });

  it("unauthorized: register on an anonymous connection", async () => {
    const error = await errorOf((await connect()).register(1, bytes("signed"), []));
    expect(error.name).toBe("unauthorized");
  });

  it("attempted_anonymous_op_on_authenticated_connection: requestPreKeys after login", async () => {
    const client = await device(await Identity.generate(), 1);
    const error = await errorOf(client.requestPreKeys((await Identity.generate()).userId));
    expect(error.name).toBe("attempted_anonymous_op_on_authenticated_connection");
  });

  it("invalid_message: a frame that does not parse gets sequence 0 and the connection stays open", async () => {
    const client = await connect();
    client.sendRaw(new Uint8Array([0xff, 0xff, 0xff]));

    const answer = await client.nextUnsolicited(10_000);

    expect(answer).toMatchObject({ kind: "error", sequence: 0, name: "invalid_message" });
    provoked.add("invalid_message");
    expect(client.isOpen).toBe(true);
    // The connection still answers requests.
    expect((await errorOf(client.requestPreKeys((await Identity.generate()).userId))).name).toBe("unknown_user");
  });

  it("invalid_message: a request missing a required field", async () => {
    const client = await connect();
    // An outboundMessage without its recipient, which the client's own send() cannot make.
    const frame = create(MessageSchema, {
      sequence: 4242,
      payload: { case: "outboundMessage", value: create(OutboundMessageSchema, { unidentifiedSenderMessage: bytes("x") }) },
    });
    client.sendRaw(toBinary(MessageSchema, frame));

    expect(await client.nextUnsolicited(10_000)).toMatchObject({ kind: "error", sequence: 4242, name: "invalid_message" });
  });

  it("invalid_user_id: a UserID that is not 33 bytes starting with 0x05", async () => {
    const error = await errorOf((await connect()).requestPreKeys(new Uint8Array(32)));
    expect(error.name).toBe("invalid_user_id");
  });

  it("unknown_user: prekeys of a user with no device", async () => {
    const error = await errorOf((await connect()).requestPreKeys((await Identity.generate()).userId));
    expect(error.name).toBe("unknown_user");
  });

  it("unavailable: the broker is down; retried within the timeout, then the retryable error", async () => {
    const once = await connect({ reconnect: false });
    const error = await errorOf(once.send({ userId: (await Identity.generate()).userId, deviceId: 666 }, bytes("x")));
    expect(error.name).toBe("unavailable");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("ConnectException");

    const retrying = await connect({ requestTimeoutMs: 1500, reconnect: { initialMs: 50, maxMs: 200 } });
    const before = await gateway.metric("sluice_responses_total", { type: "outboundMessage", result: "unavailable" });
    const again = await errorOf(retrying.send({ userId: (await Identity.generate()).userId, deviceId: 666 }, bytes("x")));
    expect(again.name).toBe("unavailable");
    const after = await gateway.metric("sluice_responses_total", { type: "outboundMessage", result: "unavailable" });
    expect(after - before).toBeGreaterThan(1);
  });

  it("rate_limited: prekey requests for one user beyond the limit", async () => {
    const grace = await Identity.generate();
    await (await device(grace, 1)).register(1, bytes("signed"), []);
    const anonymous = await connect();
    for (let i = 0; i < 3; i++) await anonymous.requestPreKeys(grace.userId);

    const error = await errorOf(anonymous.requestPreKeys(grace.userId));

    expect(error.name).toBe("rate_limited");
    expect(error.retryable).toBe(true);
  });

  it("unknown_error: a key store that answers nonsense", async () => {
    const broken = new Uint8Array(33).fill(0xee);
    broken[0] = 0x05;
    const error = await errorOf((await connect()).requestPreKeys(broken));
    expect(error.name).toBe("unknown_error");
    expect(error.retryable).toBe(false);
  });
});
