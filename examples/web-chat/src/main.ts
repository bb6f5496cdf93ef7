// The demo page: makes an identity, logs in, registers prekeys, looks up a peer by UserID and sends it messages
// sealed in the page. The gateway only carries the sealed bytes.
import { type Inbound, Identity, type PreKey, SluiceClient } from "@sluice/client";
import {
  type AgreementKey,
  base64,
  fromHex,
  hex,
  type Keys,
  newAgreementKey,
  open,
  seal,
  signedPreKey,
  verifiedSignedPreKey,
} from "./sealed.js";

const DEVICE_ID = 1;
const ONE_TIME_KEYS = 10;

const $ = <T extends HTMLElement>(id: string) => document.querySelector(`[data-testid="${id}"]`) as T;
const status = $<HTMLSpanElement>("status");
const toggle = $<HTMLButtonElement>("toggle-online");
const messageInput = $<HTMLInputElement>("message-input");
const sendButton = $<HTMLButtonElement>("send");
const peerInput = $<HTMLInputElement>("peer-user-id");
const peerStatus = $<HTMLParagraphElement>("peer-status");
const list = $<HTMLOListElement>("messages");

interface Peer {
  readonly userId: Uint8Array;
  readonly devices: Array<{ deviceId: number; signedKey: Uint8Array; oneTimeKey?: Uint8Array }>;
}

let peer: Peer | undefined;

async function gatewayUrl(): Promise<string> {
  const override = new URLSearchParams(location.search).get("gateway");
  if (override) return override;
  const config = (await (await fetch("/config.json")).json()) as { gatewayPort: number };
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.hostname}:${config.gatewayPort}/api`;
}

function show(kind: "sent" | "received" | "failed", text: string, meta: string, sealed?: Uint8Array): HTMLLIElement {
  const item = document.createElement("li");
  item.className = kind;
  item.dataset.kind = kind;
  item.textContent = text;
  const small = document.createElement("span");
  small.className = "meta";
  small.textContent = meta;
  item.append(small);
  if (sealed) item.dataset.sealed = base64(sealed);
  list.append(item);
  return item;
}

async function main(): Promise<void> {
  const url = await gatewayUrl();
  $("gateway-url").textContent = url;

  // The identity and prekeys of this tab; the private halves never leave it.
  const identity = await Identity.generate();
  const registrationId = 1 + Math.floor(Math.random() * 16380);
  const signed = await newAgreementKey();
  const signedBytes = await signedPreKey(identity, signed);
  const keys: Keys = { signed, oneTime: new Map() };
  const newOneTimeKeys = async (count: number): Promise<Uint8Array[]> => {
    const fresh: AgreementKey[] = await Promise.all(Array.from({ length: count }, () => newAgreementKey()));
    for (const k of fresh) keys.oneTime.set(hex(k.publicKey), k);
    return fresh.map((k) => k.publicKey);
  };
  $<HTMLInputElement>("my-user-id").value = hex(identity.userId);
  $("copy-user-id").addEventListener("click", () => void navigator.clipboard?.writeText(hex(identity.userId)));

  // Requests that need an anonymous connection (lookups, sends) go on their own; this tab's Address logs in on
  // the other, which receives.
  const anonymous = await SluiceClient.connect({ endpoints: [url] });
  let device: SluiceClient | undefined;

  const receive = async (message: Inbound) => {
    try {
      const content = JSON.parse(new TextDecoder().decode(await open(identity.userId, keys, message.body))) as {
        from: string;
        text: string;
      };
      show("received", content.text, `from ${content.from.slice(0, 12)}… · ${message.body.length} sealed bytes`);
      if (!peerInput.value) peerInput.value = content.from;
    } catch (e) {
      show("failed", "a message this tab cannot open", String(e));
    }
    // Acked once shown: the page is where it is kept.
    message.ack();
  };

  const goOnline = async () => {
    status.textContent = "connecting…";
    const client = await SluiceClient.connect({ endpoints: [url] });
    client.on("state", (state) => {
      status.textContent = state;
      status.className = `status ${state}`;
    });
    client.on("preKeysLow", (count) => {
      void newOneTimeKeys(count).then((more) => client.register(registrationId, signedBytes, more));
      $("prekeys").textContent = `the gateway asked for ${count} more one-time prekeys: uploaded`;
    });
    await client.login(identity, DEVICE_ID);
    await client.register(registrationId, signedBytes, keys.oneTime.size ? [] : await newOneTimeKeys(ONE_TIME_KEYS));
    $("prekeys").textContent = `registered: a signed prekey and ${keys.oneTime.size} one-time prekeys`;
    client.on("inbound", (m) => void receive(m));
    status.textContent = client.state;
    status.className = `status ${client.state}`;
    device = client;
  };

  toggle.addEventListener("click", async () => {
    toggle.disabled = true;
    if (device) {
      device.close();
      device = undefined;
      status.textContent = "offline";
      status.className = "status offline";
      toggle.textContent = "Go online";
    } else {
      await goOnline();
      toggle.textContent = "Go offline";
    }
    toggle.disabled = false;
  });

  $<HTMLFormElement>("lookup-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      peer = await lookUp(anonymous, fromHex(peerInput.value));
      peerStatus.textContent = `found ${peer.devices.length} device(s); signed prekeys verified against the UserID`;
      messageInput.disabled = false;
      sendButton.disabled = false;
    } catch (e) {
      peer = undefined;
      peerStatus.textContent = `lookup failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  });

  $<HTMLFormElement>("send-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = messageInput.value;
    if (!text || !peer) return;
    messageInput.value = "";
    const plaintext = new TextEncoder().encode(JSON.stringify({ from: hex(identity.userId), text }));
    for (const target of peer.devices) {
      const sealed = await seal(peer.userId, target.signedKey, target.oneTimeKey, plaintext);
      // A one-time prekey serves one message.
      delete target.oneTimeKey;
      const item = show("sent", text, `sending ${sealed.length} sealed bytes…`, sealed);
      try {
        await anonymous.send({ userId: peer.userId, deviceId: target.deviceId }, sealed);
        (item.lastChild as HTMLElement).textContent = `${sealed.length} sealed bytes, queued by the gateway`;
        item.dataset.acked = "true";
      } catch (e) {
        item.className = "failed";
        (item.lastChild as HTMLElement).textContent = `not sent: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
  });

  await goOnline();
  toggle.disabled = false;
  document.body.dataset.ready = "true";
}

async function lookUp(client: SluiceClient, userId: Uint8Array): Promise<Peer> {
  const bundles: PreKey[] = await client.requestPreKeys(userId, []);
  const devices = [];
  for (const bundle of bundles) {
    devices.push({
      deviceId: bundle.address.deviceId,
      signedKey: await verifiedSignedPreKey(userId, bundle.signedPreKey),
      ...(bundle.oneTimePreKey ? { oneTimeKey: bundle.oneTimePreKey } : {}),
    });
  }
  return { userId, devices };
}

main().catch((e: unknown) => {
  status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
  status.className = "status failed";
});
