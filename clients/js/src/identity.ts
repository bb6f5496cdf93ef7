/**
 * An Ed25519 identity, kept in WebCrypto: its UserID is `0x05` followed by the 32-byte public key. The private key
 * is not extractable; a `CryptoKeyPair` can be stored as it is in IndexedDB.
 *
 * ```ts
 * const alice = await Identity.generate();
 * await client.login(alice, 1);
 * ```
 */
export class Identity {
  private constructor(
    /** The key pair; its private key signs logins. */
    readonly keyPair: CryptoKeyPair,
    /** The 33-byte UserID. */
    readonly userId: Uint8Array,
  ) {}

  /** A fresh random identity. */
  static async generate(): Promise<Identity> {
    const keyPair = (await subtle().generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    return Identity.fromKeyPair(keyPair);
  }

  /** The identity of an Ed25519 key pair, for example one read back from IndexedDB. */
  static async fromKeyPair(keyPair: CryptoKeyPair): Promise<Identity> {
    const raw = new Uint8Array(await subtle().exportKey("raw", keyPair.publicKey));
    if (raw.length !== 32) {
      throw new RangeError(`publicKey: ${raw.length} bytes (expected: a 32-byte Ed25519 key)`);
    }
    const userId = new Uint8Array(33);
    userId[0] = 0x05;
    userId.set(raw, 1);
    return new Identity(keyPair, userId);
  }

  /** The Ed25519 signature of `data`. */
  async sign(data: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await subtle().sign("Ed25519", this.keyPair.privateKey, data as BufferSource));
  }

  /** Whether `signature` is `userId`'s Ed25519 signature of `data`. */
  static async verify(userId: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    if (userId.length !== 33 || userId[0] !== 0x05) {
      return false;
    }
    const key = await subtle().importKey("raw", userId.subarray(1) as BufferSource, { name: "Ed25519" }, false, [
      "verify",
    ]);
    return subtle().verify("Ed25519", key, signature as BufferSource, data as BufferSource);
  }

  toString(): string {
    return `Identity[${toBase64Url(this.userId)}]`;
  }
}

function subtle(): SubtleCrypto {
  const crypto = globalThis.crypto;
  if (!crypto?.subtle) {
    throw new Error("no WebCrypto here: browsers offer it only in secure contexts (https:// or localhost)");
  }
  return crypto.subtle;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
