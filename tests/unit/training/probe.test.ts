import { describe, expect, test } from "vitest";
import type { Domain } from "../../../src/cells/data/types.ts";
import { makeProbeSet } from "../../../src/cells/training/probe.ts";

function digits(name: string, count: number, fill: number): Domain {
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { name, images: new Uint8Array(count * 784).fill(fill), labels, count, classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"] };
}

describe("makeProbeSet", () => {
  test("keeps small domains whole", () => {
    const probe = makeProbeSet(digits("A", 30, 1), digits("B", 20, 2));
    expect(probe.count).toBe(50);
    expect(probe.sampled).toBeUndefined();
    expect(probe.name).toBe("probe (30 A, 20 B)");
  });

  test("samples a large domain and says so", () => {
    const probe = makeProbeSet(digits("A", 12000, 1), digits("B", 40, 2), { maxPerDomain: 500, seed: 3 });
    expect(probe.count).toBe(540);
    expect(probe.sampled).toEqual({ source: { kept: 500, total: 12000 }, target: { kept: 40, total: 40 } });
    expect(probe.name).toBe("probe (500 sampled of 12000 A, 40 B)");
    expect(Array.from(probe.domainIndex.subarray(495, 505))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(probe.images[500 * 784 - 1]).toBe(1);
    expect(probe.images[500 * 784]).toBe(2);
  });

  test("sample is stratified by class", () => {
    const probe = makeProbeSet(digits("A", 12000, 1), digits("B", 40, 2), { maxPerDomain: 500 });
    const perClass = new Array(10).fill(0);
    for (let i = 0; i < 500; i++) perClass[probe.labels[i]!] += 1;
    expect(perClass).toEqual(new Array(10).fill(50));
  });

  test("rejects different image shapes", () => {
    const rgb: Domain = { ...digits("C", 2, 0), images: new Uint8Array(2 * 12), shape: [2, 2, 3] };
    expect(() => makeProbeSet(digits("A", 2, 1), rgb)).toThrow("invalid probe domains: A has images of shape [28, 28, 1] but C has [2, 2, 3]");
  });
});
