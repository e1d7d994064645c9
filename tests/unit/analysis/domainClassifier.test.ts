import { describe, expect, test } from "vitest";
import { proxyADistance, rankNeuronsByDomain } from "../../../src/cells/analysis/domainClassifier.ts";
import { fitLogisticRegression, predictProbabilities } from "../../../src/cells/analysis/logisticRegression.ts";
import { createGaussian } from "../../../src/cells/analysis/gaussian.ts";
import { createRandom } from "../../../src/cells/random.ts";

/** n rows of d Gaussian features; the target rows (second half) are shifted by `shift` along the given columns. */
function twoDomains(n: number, d: number, seed: number, shift: number, shiftedColumns: number[]): { data: Float32Array; domain: Uint8Array } {
  const gaussian = createGaussian(createRandom(seed));
  const data = new Float32Array(n * d);
  const domain = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    domain[i] = i < n / 2 ? 0 : 1;
    for (let j = 0; j < d; j++) data[i * d + j] = gaussian() + (domain[i] === 1 && shiftedColumns.includes(j) ? shift : 0);
  }
  return { data, domain };
}

describe("fitLogisticRegression", () => {
  test("separates two shifted clouds", () => {
    const { data, domain } = twoDomains(200, 3, 1, 6, [0]);
    const model = fitLogisticRegression(data, 200, 3, domain);
    const probabilities = predictProbabilities(model, data, 200);
    let correct = 0;
    for (let i = 0; i < 200; i++) if ((probabilities[i]! >= 0.5 ? 1 : 0) === domain[i]) correct++;
    expect(correct).toBeGreaterThanOrEqual(198);
    expect(Math.abs(model.weights[0]!)).toBeGreaterThan(5 * Math.max(Math.abs(model.weights[1]!), Math.abs(model.weights[2]!)));
  });

  test("constant feature gets no weight and no NaN", () => {
    const { data, domain } = twoDomains(40, 2, 2, 3, [0]);
    for (let i = 0; i < 40; i++) data[i * 2 + 1] = 0.1;
    const model = fitLogisticRegression(data, 40, 2, domain);
    expect(model.weights[1]).toBe(0);
    expect(Number.isFinite(model.weights[0]!)).toBe(true);
  });
});

describe("proxyADistance", () => {
  test("near 0 for one distribution", () => {
    const { data, domain } = twoDomains(400, 10, 3, 0, []);
    const result = proxyADistance(data, 400, 10, domain, { seed: 1 });
    expect(Math.abs(result.distance)).toBeLessThan(0.3);
    expect(result.testRows).toBe(200);
    expect(result.trainRows).toBe(200);
  });

  test("near 2 for separable domains", () => {
    const { data, domain } = twoDomains(400, 10, 4, 8, [2, 5]);
    const result = proxyADistance(data, 400, 10, domain, { seed: 1 });
    expect(result.distance).toBeGreaterThan(1.95);
    expect(result.error).toBeLessThan(0.0125);
  });

  test("same seed gives the same split", () => {
    const { data, domain } = twoDomains(100, 4, 5, 1, [0]);
    expect(proxyADistance(data, 100, 4, domain, { seed: 9 })).toEqual(proxyADistance(data, 100, 4, domain, { seed: 9 }));
  });

  test("rejects bad domain values and tiny domains", () => {
    const data = new Float32Array(4);
    expect(() => proxyADistance(data, 4, 1, [0, 1, 2, 1])).toThrow("invalid domainIndex value: 2 at row 2");
    expect(() => proxyADistance(data, 4, 1, [0, 1, 1, 1])).toThrow("domain 0 has 1 rows");
  });
});

describe("rankNeuronsByDomain", () => {
  test("puts the shifted neurons first", () => {
    const { data, domain } = twoDomains(300, 8, 6, 2, [6, 3]);
    for (let i = 150; i < 300; i++) data[i * 8 + 6]! += 2;
    const { order, weights } = rankNeuronsByDomain(data, 300, 8, domain);
    expect(Array.from(order.slice(0, 2))).toEqual([6, 3]);
    expect(weights[6]).toBeGreaterThan(0);
    expect(new Set(order).size).toBe(8);
  });

  test("ranks within the given rows", () => {
    const { data, domain } = twoDomains(200, 4, 7, 0, []);
    // Only the even rows differ between domains, in neuron 1.
    for (let i = 100; i < 200; i += 2) data[i * 4 + 1]! += 5;
    const even = Array.from({ length: 100 }, (_, i) => 2 * i);
    expect(rankNeuronsByDomain(data, 200, 4, domain, { rows: even }).order[0]).toBe(1);
    expect(() => rankNeuronsByDomain(data, 200, 4, domain, { rows: [0, 2, 4] })).toThrow("one domain only");
  });
});
