// End to end in a real browser: two tabs of headless Chromium chat through the real gateway jar. Tab A sends,
// tab B shows the plaintext; the frames B received and the gateway's queue on disk hold only ciphertext.
// Screenshots land in test-results/.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { freePort, startDemo } from "../serve.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const results = join(here, "..", "test-results");
const WAIT = 60_000;

let demo;
let browser;
let dataDir;

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: scripts/services.sh ensure installs Debian's chromium (or set CHROMIUM)`);
  }
  mkdirSync(results, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), "sluice-web-chat-"));
  demo = await startDemo({ port: 0, gatewayPort: await freePort(), adminPort: await freePort(), dataDir });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives each launch a fresh profile directory of its own. The network is closed here: without
    // these, Chromium stalls on its background fetches.
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  await demo?.close();
});

/** Every file under `dir`, recursively. */
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The files under `dir` that contain `bytes`. */
function containing(dir, bytes) {
  const needle = Buffer.from(bytes);
  return files(dir).filter((file) => readFileSync(file).includes(needle));
}

async function openTab(context, name) {
  const page = await context.newPage();
  const frames = [];
  page.on("websocket", (socket) =>
    socket.on("framereceived", (frame) => frames.push(Buffer.from(frame.payload))),
  );
  page.on("pageerror", (e) => console.error(`tab ${name}: ${e.message}`));
  await page.goto(demo.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: WAIT });
  return { page, frames };
}

async function send(page, text) {
  await page.getByTestId("message-input").fill(text);
  await page.getByTestId("send").click();
  const item = page.locator('li[data-kind="sent"][data-acked="true"]', { hasText: text });
  await item.waitFor({ timeout: WAIT });
  return Buffer.from(await item.getAttribute("data-sealed"), "base64");
}

test("tab A sends, tab B shows the plaintext, and the gateway only ever held ciphertext", { timeout: 240_000 }, async () => {
  const context = await browser.newContext();
  const a = await openTab(context, "A");
  const b = await openTab(context, "B");
  assert.match(await a.page.getByTestId("notice").innerText(), /demo, not the\s+Signal protocol/);
  assert.equal(await a.page.getByTestId("gateway-url").innerText(), demo.gateway.url);

  // A looks B up by its UserID and sends; B shows the plaintext.
  const bobId = await b.page.getByTestId("my-user-id").inputValue();
  assert.match(bobId, /^05[0-9a-f]{64}$/);
  await a.page.getByTestId("peer-user-id").fill(bobId);
  await a.page.getByTestId("lookup").click();
  await a.page.getByTestId("peer-status").filter({ hasText: "found 1 device(s)" }).waitFor({ timeout: WAIT });
  const first = `hello from A ${Math.random().toString(36).slice(2)}`;
  const firstSealed = await send(a.page, first);
  await b.page.locator('li[data-kind="received"]', { hasText: first }).waitFor({ timeout: WAIT });
  await a.page.screenshot({ path: join(results, "1-tab-a-sent.png"), fullPage: true });
  await b.page.screenshot({ path: join(results, "2-tab-b-received.png"), fullPage: true });

  // What reached tab B over its WebSocket: the sealed bytes, never the plaintext.
  assert.ok(b.frames.some((f) => f.includes(firstSealed)), "tab B received the sealed bytes");
  assert.ok(!b.frames.some((f) => f.includes(Buffer.from(first))), "no frame to tab B carries the plaintext");

  // B goes offline; A's next message waits in the gateway's queue. Killed there, the queue on disk is read back.
  await b.page.getByTestId("toggle-online").click();
  await b.page.getByTestId("status").filter({ hasText: "offline" }).waitFor({ timeout: WAIT });
  const second = `while you were away ${Math.random().toString(36).slice(2)}`;
  const secondSealed = await send(a.page, second);
  await demo.gateway.kill9();
  const queue = join(dataDir, "queue");
  assert.notDeepEqual(containing(queue, secondSealed), [], "the queue's files hold the waiting sealed message");
  assert.deepEqual(containing(queue, Buffer.from(second)), [], "no queue file holds the waiting plaintext");
  assert.deepEqual(containing(queue, Buffer.from(first)), [], "no queue file holds the delivered plaintext");
  assert.deepEqual(containing(dataDir, Buffer.from(second)), [], "nothing the gateway stored holds it");

  // The gateway comes back on the same data directory; B comes online and gets what waited; B replies.
  await demo.gateway.start();
  await b.page.getByTestId("toggle-online").click();
  await b.page.locator('li[data-kind="received"]', { hasText: second }).waitFor({ timeout: WAIT });
  assert.equal(await b.page.getByTestId("peer-user-id").inputValue(), await a.page.getByTestId("my-user-id").inputValue());
  await b.page.getByTestId("lookup").click();
  await b.page.getByTestId("peer-status").filter({ hasText: "found 1 device(s)" }).waitFor({ timeout: WAIT });
  const reply = `reply from B ${Math.random().toString(36).slice(2)}`;
  await send(b.page, reply);
  await a.page.locator('li[data-kind="received"]', { hasText: reply }).waitFor({ timeout: WAIT });
  await a.page.screenshot({ path: join(results, "3-tab-a-reply.png"), fullPage: true });
  await b.page.screenshot({ path: join(results, "4-tab-b-after-restart.png"), fullPage: true });
  await context.close();
});
