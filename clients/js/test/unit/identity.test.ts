import { describe, expect, it } from "vitest";
import { Identity, SluiceError } from "../../src/index.js";

describe("identity", () => {
  it("has a 33-byte UserID of 0x05 and its Ed25519 public key, and signs verifiably", async () => {
    const alice = await Identity.generate();
    const data = new TextEncoder().encode("login bytes");

    const signature = await alice.sign(data);

    expect(alice.userId).toHaveLength(33);
    expect(alice.userId[0]).toBe(0x05);
    expect(signature).toHaveLength(64);
    expect(await Identity.verify(alice.userId, data, signature)).toBe(true);
    expect(await Identity.verify((await Identity.generate()).userId, data, signature)).toBe(false);
  });
});

describe("errors", () => {
  it("carry the protocol's name and the Java client's message", () => {
    const error = new SluiceError("unavailable", "the backend failed: ConnectException");
    expect(error.name).toBe("unavailable");
    expect(error.message).toBe("unavailable: the backend failed: ConnectException");
    expect(error.retryable).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(new SluiceError("unknown_user", "").message).toBe("unknown_user");
  });
});
