// The client survives a lost gateway: the jar killed with SIGKILL and restarted on the same data directory and
// port, with an endpoint that is down first in the list. Every message is counted.
import { afterEach, expect, it } from "vitest";
import { WebSocket } from "ws";
import { Identity, type Inbound, SluiceClient } from "../../src/index.js";
import { freePort, GatewayProcess, tempDir } from "./gateway-process.js";

const open: Array<{ close(): void } | GatewayProcess> = [];

afterEach(async () => {
  for (const o of open.splice(0).reverse()) {
    if (o instanceof GatewayProcess) await o.kill9();
    else o.close();
  }
});

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array) => new TextDecoder().decode(b);

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

it("reconnects after a kill -9 and restart, logs in again, and gets every queued message, acked once each", async () => {
  const dataDir = tempDir("sluice-js-reconnect-");
  const port = await freePort();
  const settings = { "sluice.prekeys.check-interval": "1h" };
  const start = async () => {
    const gateway = await GatewayProcess.start({ dataDir, port, settings });
    open.push(gateway);
    return gateway;
  };
  const first = await start();
  const options = {
    endpoints: [`ws://127.0.0.1:${await freePort()}/api`, first.url],
    reconnect: { initialMs: 50, maxMs: 1000 },
    requestTimeoutMs: 30_000,
    WebSocket: WebSocket as never,
  };
  const bob = await Identity.generate();
  const phone = await SluiceClient.connect(options);
  open.push(phone);
  await phone.login(bob, 1);
  const delivered: Inbound[] = [];
  phone.on("inbound", (m) => delivered.push(m));
  const sender = await SluiceClient.connect(options);
  open.push(sender);
  const to = { userId: bob.userId, deviceId: 1 };

  // Before the kill: 60 queued; Bob acks the first 30 and holds the rest.
  const all: string[] = [];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 60; i++) {
    all.push(`before-${i}`);
    sends.push(sender.send(to, bytes(`before-${i}`)));
  }
  await Promise.all(sends);
  await until(() => delivered.length >= 60);
  const ackedBefore = new Set<string>();
  const held = delivered.splice(0, 60);
  for (const m of held.splice(0, 30)) {
    expect(m.ack()).toBe(true);
    ackedBefore.add(text(m.body));
  }

  // The kill, with sends in flight, then sends while nothing answers: none of them fails.
  sends.length = 0;
  for (let i = 0; i < 30; i++) {
    all.push(`in-flight-${i}`);
    sends.push(sender.send(to, bytes(`in-flight-${i}`)));
  }
  await first.kill9();
  await until(() => phone.state === "reconnecting");
  for (let i = 0; i < 30; i++) {
    all.push(`while-down-${i}`);
    sends.push(sender.send(to, bytes(`while-down-${i}`)));
  }
  delivered.length = 0; // what the dead connection delivered after the holds comes again

  const second = await start();
  await Promise.all(sends);
  await until(() => phone.state === "open");
  expect(phone.endpoint).toBe(first.url);
  // Acked now, with a new connection open: their sequences belong to the dead one, so nothing is sent.
  expect(held.map((m) => m.ack())).toEqual(held.map(() => false));

  const expected = all.filter((m) => !ackedBefore.has(m));
  const afterRestart = new Map<string, number>();
  let taken = 0;
  await until(() => {
    for (; taken < delivered.length; taken++) {
      const m = delivered[taken] as Inbound;
      expect(m.ack()).toBe(true);
      afterRestart.set(text(m.body), (afterRestart.get(text(m.body)) ?? 0) + 1);
    }
    return expected.every((m) => afterRestart.has(m));
  });
  await new Promise((r) => setTimeout(r, 1000)); // anything still coming (repeats) is counted too
  for (; taken < delivered.length; taken++) {
    const m = delivered[taken] as Inbound;
    expect(m.ack()).toBe(true);
    afterRestart.set(text(m.body), (afterRestart.get(text(m.body)) ?? 0) + 1);
  }
  expect(new Set([...afterRestart.keys(), ...ackedBefore])).toEqual(new Set(all));
  // Twice only for a send that was in flight at the kill: stored, its ack lost with the connection, sent again.
  for (const [body, times] of afterRestart) {
    expect(times === 1 || body.startsWith("in-flight-"), `${body} delivered ${times} times`).toBe(true);
  }
  const deliveries = [...afterRestart.values()].reduce((a, b) => a + b, 0);
  await expect
    .poll(() => second.metric("sluice_frames_in_total", { type: "ack" }), { timeout: 10_000 })
    .toBe(deliveries);

  // Everything acked survives another kill: the next connection gets nothing old, and a new message.
  await second.kill9();
  await start();
  await sender.send(to, bytes("after"));
  await until(() => delivered.length > taken);
  expect(text((delivered[taken] as Inbound).body)).toBe("after");
  expect(delivered.length).toBe(taken + 1);
});
