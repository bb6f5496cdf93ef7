import { describe, expect, it } from "vitest";
import { ceilingMs, DEFAULT_BACKOFF, delayMs } from "../../src/index.js";

describe("backoff", () => {
  const backoff = { initialMs: 100, maxMs: 5000 };

  it("doubles its ceiling from initial up to max", () => {
    expect([0, 1, 5, 6, 1000, 1e9].map((n) => ceilingMs(backoff, n))).toEqual([100, 200, 3200, 5000, 5000, 5000]);
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 250, maxMs: 30_000 });
  });

  it("draws full-jitter waits spread over zero to the ceiling", () => {
    const tenths = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const wait = delayMs(backoff, 3);
      expect(wait).toBeGreaterThanOrEqual(0);
      expect(wait).toBeLessThan(800);
      tenths.add(Math.floor(wait / 80));
    }
    expect(tenths.size).toBe(10);
  });
});
