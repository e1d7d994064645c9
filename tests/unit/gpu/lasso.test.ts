import { describe, expect, test } from "vitest";
import { containsPoint, pointsInPolygon } from "../../../src/gpu/scatter/lasso.ts";
import { PointGrid } from "../../../src/gpu/scatter/pick.ts";
import { createRandom } from "../../../src/cells/random.ts";

function randomPositions(count: number, seed: number): Float32Array {
  const random = createRandom(seed);
  const positions = new Float32Array(count * 2);
  for (let i = 0; i < positions.length; i++) positions[i] = random() * 10 - 5;
  return positions;
}

/** A star with `spikes` points around (cx, cy): concave, so the even-odd rule matters. */
function star(cx: number, cy: number, outer: number, inner: number, spikes: number): number[] {
  const polygon: number[] = [];
  for (let k = 0; k < 2 * spikes; k++) {
    const radius = k % 2 === 0 ? outer : inner;
    const angle = (k * Math.PI) / spikes;
    polygon.push(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
  }
  return polygon;
}

function bruteForce(positions: Float32Array, polygon: number[]): number[] {
  const inside: number[] = [];
  for (let i = 0; i < positions.length / 2; i++) {
    if (containsPoint(polygon, polygon.length / 2, positions[2 * i]!, positions[2 * i + 1]!)) inside.push(i);
  }
  return inside;
}

describe("pointsInPolygon", () => {
  test("matches a test of every point", () => {
    const positions = randomPositions(20_000, 7);
    const grid = new PointGrid(positions);
    const polygons = [
      star(0, 0, 4, 1.5, 7),
      star(3, -2, 3, 0.5, 5),
      [-6, -6, 6, -6, 6, 6, -6, 6],
      [-1, -1, 0.2, -0.9, 0.1, 0.3],
      star(-4.8, 4.8, 1, 0.3, 4),
    ];
    for (const polygon of polygons) {
      const expected = bruteForce(positions, polygon);
      expect(expected.length).toBeGreaterThan(0);
      expect([...pointsInPolygon(grid, polygon)]).toEqual(expected);
    }
  });

  test("returns nothing outside the points", () => {
    const grid = new PointGrid(randomPositions(1000, 3));
    expect(pointsInPolygon(grid, [20, 20, 21, 20, 21, 21]).length).toBe(0);
    expect(pointsInPolygon(grid, [0, 0, 1, 1]).length).toBe(0);
  });

  test("selects every point of a polygon around all", () => {
    const grid = new PointGrid(randomPositions(5000, 4));
    expect(pointsInPolygon(grid, [-10, -10, 10, -10, 10, 10, -10, 10]).length).toBe(5000);
  });
});

describe("PointGrid.nearest", () => {
  test("finds the closest point within the radius", () => {
    const positions = Float32Array.from([0, 0, 1, 1, 1.1, 1, 5, 5]);
    const grid = new PointGrid(positions);
    expect(grid.nearest(1.04, 1, 0.2)).toBe(1);
    expect(grid.nearest(1.06, 1, 0.2)).toBe(2);
    expect(grid.nearest(3, 3, 0.5)).toBe(-1);
  });
});
