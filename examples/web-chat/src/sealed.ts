// The demo's encryption, all in WebCrypto. NOT the Signal protocol: one X25519 agreement per message with the
// recipient's signed prekey (and, on the first message after a lookup, a one-time prekey), HKDF-SHA-256, then
// AES-256-GCM. No ratchet and no authentication of the sender beyond what the plaintext claims. It shows that the
// gateway only ever carries opaque bytes; do not use it to protect anything.
import { Identity } from "@sluice/client";

const VERSION = 1;
const INFO = new TextEncoder().encode("sluice web-chat demo v1");

/** An X25519 key pair with its raw public key. */
export interface AgreementKey {
  readonly publicKey: Uint8Array;
  readonly privateKey: CryptoKey;
}

export async function newAgreementKey(): Promise<AgreementKey> {
  const pair = (await crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"])) as CryptoKeyPair;
  return { publicKey: new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey)), privateKey: pair.privateKey };
}

/** The bytes registered as the signed prekey: the X25519 public key, then the identity's signature of it. */
export async function signedPreKey(identity: Identity, key: AgreementKey): Promise<Uint8Array> {
  return concat(key.publicKey, await identity.sign(key.publicKey));
}

/** The X25519 public key of a peer's signed prekey, once its signature by the peer's UserID checks out. */
export async function verifiedSignedPreKey(userId: Uint8Array, signed: Uint8Array): Promise<Uint8Array> {
  const publicKey = signed.subarray(0, 32);
  if (signed.length !== 96 || !(await Identity.verify(userId, publicKey, signed.subarray(32)))) {
    throw new Error("the peer's signed prekey is not signed by its UserID");
  }
  return publicKey;
}

/** What a recipient needs to open sealed messages: its prekeys' private halves. */
export interface Keys {
  readonly signed: AgreementKey;
  /** One-time prekeys by their public key in hex; each is deleted once used. */
  readonly oneTime: Map<string, AgreementKey>;
}

/** Seals `plaintext` for a device with `signedKey`, and `oneTimeKey` when one was handed out. */
export async function seal(
  recipient: Uint8Array,
  signedKey: Uint8Array,
  oneTimeKey: Uint8Array | undefined,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  const ephemeral = await newAgreementKey();
  const header = concat(
    new Uint8Array([VERSION]),
    ephemeral.publicKey,
    new Uint8Array([oneTimeKey ? 1 : 0]),
    oneTimeKey ?? new Uint8Array(),
  );
  const secrets = [await agree(ephemeral.privateKey, signedKey)];
  if (oneTimeKey) secrets.push(await agree(ephemeral.privateKey, oneTimeKey));
  const key = await messageKey(concat(...secrets), recipient);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: header }, key, plaintext as BufferSource),
  );
  return concat(header, iv, ciphertext);
}

/** Opens a sealed message addressed to `self`; throws when it was not sealed for these keys. */
export async function open(self: Uint8Array, keys: Keys, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed[0] !== VERSION || sealed.length < 34) throw new Error("not a sealed demo message");
  const ephemeral = sealed.subarray(1, 33);
  const hasOneTime = sealed[33] === 1;
  const headerLength = hasOneTime ? 66 : 34;
  const header = sealed.subarray(0, headerLength);
  const secrets = [await agree(keys.signed.privateKey, ephemeral)];
  let oneTimeId: string | undefined;
  if (hasOneTime) {
    oneTimeId = hex(sealed.subarray(34, 66));
    const oneTime = keys.oneTime.get(oneTimeId);
    if (!oneTime) throw new Error("sealed with a one-time prekey this tab does not have (any more)");
    secrets.push(await agree(oneTime.privateKey, ephemeral));
  }
  const key = await messageKey(concat(...secrets), self);
  const iv = sealed.subarray(headerLength, headerLength + 12);
  const plaintext = new Uint8Array(
    await crypto.subtle.decrypt(
      { name: "AES-GCM", iv, additionalData: header },
      key,
      sealed.subarray(headerLength + 12) as BufferSource,
    ),
  );
  if (oneTimeId) keys.oneTime.delete(oneTimeId);
  return plaintext;
}

async function agree(privateKey: CryptoKey, publicKey: Uint8Array): Promise<Uint8Array> {
  const peer = await crypto.subtle.importKey("raw", publicKey as BufferSource, { name: "X25519" }, false, []);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: "X25519", public: peer }, privateKey, 256));
}

async function messageKey(secret: Uint8Array, recipient: Uint8Array): Promise<CryptoKey> {
  const ikm = await crypto.subtle.importKey("raw", secret as BufferSource, "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: concat(INFO, recipient) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return all;
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function fromHex(text: string): Uint8Array {
  const clean = text.trim().toLowerCase();
  if (!/^([0-9a-f]{2})+$/.test(clean)) throw new Error("not hex");
  return new Uint8Array(clean.match(/../g)!.map((b) => parseInt(b, 16)));
}

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
