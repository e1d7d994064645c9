import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { openPage, type OpenedPage } from "./harness.ts";

// The page's API is typed in pages/scatter.ts; page.evaluate bodies run in the browser.
type PointRow = [number, number, number, number, number];
declare global {
  interface Window {
    scatterTest: {
      resources(): { buffers: number; instances: number };
      create(width: number, height: number, pointSize?: number): void;
      setPoints(points: PointRow[]): void;
      fit(bounds?: { xMin: number; xMax: number; yMin: number; yMax: number }): void;
      draw(): void;
      coverage(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
      toClient(x: number, y: number): [number, number];
      pick(clientX: number, clientY: number): number;
      destroy(): void;
      destroyed(): boolean;
      drawError(): string;
      setDataError(points: PointRow[]): string;
      mountProjection(n: number): void;
      settle(): Promise<void>;
      projectionCoverage(): { left: number; right: number; top: number; bottom: number; width: number; height: number };
      projectionFingerprint(): string;
      setEpoch(epoch: number): string;
      findHoverTarget(): [number, number] | undefined;
      tooltipText(): string | undefined;
      disposeProjection(): void;
    };
  }
}

/**
 * 40 points with x in [0.05, 0.35] and y in [0.05, 0.95], 0.1 apart: all three shapes, and
 * every other column outlined.
 */
function leftHalfGrid(): PointRow[] {
  const points: PointRow[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 10; j++) points.push([0.05 + i * 0.1, 0.05 + j * 0.1, (i + j) % 3, j % 3, i % 2]);
  }
  return points;
}

/**
 * Returns the area in pixels that the shaders' shapes cover for shape size s and ring width w.
 * The shapes are a circle of radius s/2, a square of the same area, and an equilateral
 * triangle of circumradius 1.15 · s/2, whose inradius is half that. A ring grows each shape
 * by w on all sides.
 */
function expectedArea(points: PointRow[], size: number, ring: number): number {
  let total = 0;
  for (const [, , , shape, outlined] of points) {
    const grow = outlined ? ring : 0;
    if (shape === 0) total += Math.PI * (size / 2 + grow) ** 2;
    if (shape === 1) total += (2 * (0.886 * (size / 2) + grow)) ** 2;
    if (shape === 2) total += 3 * Math.sqrt(3) * (0.575 * (size / 2) + grow) ** 2;
  }
  return total;
}

let opened: OpenedPage;
let page: Page;

beforeAll(async () => {
  opened = await openPage("/tests/browser/pages/scatter.html");
  page = opened.page;
  await page.waitForFunction(() => window.scatterTest !== undefined);
});

afterAll(async () => {
  await opened?.close();
});

describe("scatterplot", () => {
  test("draws points only where they are", async () => {
    const points = leftHalfGrid();
    const result = await page.evaluate((rows) => {
      const api = window.scatterTest;
      api.create(200, 200, 8);
      api.setPoints(rows);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      const counts = api.coverage();
      api.destroy();
      return counts;
    }, points);

    expect(result.width).toBe(200);
    // The rightmost sprites end at 0.35 · 200 + 8 = 78 CSS pixels, far from the middle at 100.
    expect(result.right).toBe(0);
    // Points are 20 pixels apart, so none overlap. Antialiased edge pixels count as covered
    // when they are 10 % dark, which adds about half a pixel around each shape.
    const area = expectedArea(points, 8, 1.5);
    expect(result.left).toBeGreaterThan(0.9 * area);
    expect(result.left).toBeLessThan(1.4 * area);
  });

  test("y grows upwards", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(100, 100, 10);
      api.setPoints([[0.5, 0.9, 0, 0, 0]]);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      const counts = api.coverage();
      api.destroy();
      return counts;
    });
    expect(result.top).toBeGreaterThan(40);
    expect(result.bottom).toBe(0);
  });

  test("pick finds the point under the cursor", async () => {
    const points: PointRow[] = [
      [0.1, 0.1, 0, 0, 0],
      [0.5, 0.5, 1, 1, 1],
      [0.52, 0.5, 2, 2, 0],
      [0.9, 0.8, 0, 0, 0],
    ];
    const result = await page.evaluate((rows) => {
      const api = window.scatterTest;
      api.create(300, 300, 8);
      api.setPoints(rows);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      const picks = rows.map(([x, y]) => {
        const [clientX, clientY] = api.toClient(x, y);
        return api.pick(clientX, clientY);
      });
      const [nearX, nearY] = api.toClient(0.9, 0.8);
      const [farX, farY] = api.toClient(0.3, 0.7);
      return {
        picks,
        nearby: api.pick(nearX + 3, nearY - 3),
        far: api.pick(farX, farY),
        outside: api.pick(5000, 5000),
      };
    }, points);

    expect(result.picks).toEqual([0, 1, 2, 3]);
    expect(result.nearby).toBe(3);
    expect(result.far).toBe(-1);
    expect(result.outside).toBe(-1);
  });

  test("wheel zooms around the cursor", async () => {
    const [before, after] = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(300, 300, 8);
      api.setPoints([
        [0.25, 0.25, 0, 0, 0],
        [0.75, 0.75, 1, 0, 0],
      ]);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      return [api.toClient(0.25, 0.25), api.toClient(0.75, 0.75)];
    });
    await page.mouse.move(before[0], before[1]);
    await page.mouse.wheel(0, -300);
    const zoomed = await page.evaluate(() => [window.scatterTest.toClient(0.25, 0.25), window.scatterTest.toClient(0.75, 0.75)]);

    // The point under the cursor stays put, while the other moves away from it.
    expect(zoomed[0]![0]).toBeCloseTo(before[0], 3);
    expect(zoomed[0]![1]).toBeCloseTo(before[1], 3);
    const spreadBefore = after[0] - before[0];
    const spreadAfter = zoomed[1]![0]! - zoomed[0]![0]!;
    expect(spreadAfter / spreadBefore).toBeGreaterThan(1.5);
  });

  test("drag pans the view", async () => {
    const start = await page.evaluate(() => {
      const api = window.scatterTest;
      api.destroy();
      api.create(300, 300, 8);
      api.setPoints([[0.5, 0.5, 0, 0, 0]]);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      return api.toClient(0.5, 0.5);
    });
    await page.mouse.move(start[0] + 20, start[1] + 20);
    await page.mouse.down();
    await page.mouse.move(start[0] + 60, start[1] - 10, { steps: 4 });
    await page.mouse.up();
    const moved = await page.evaluate(() => {
      const position = window.scatterTest.toClient(0.5, 0.5);
      window.scatterTest.destroy();
      return position;
    });
    expect(moved[0] - start[0]).toBeCloseTo(40, 3);
    expect(moved[1] - start[1]).toBeCloseTo(-30, 3);
  });

  test("destroy returns resources to baseline", async () => {
    const result = await page.evaluate((rows) => {
      const api = window.scatterTest;
      const baseline = api.resources();
      api.create(120, 120);
      api.setPoints(rows);
      api.draw();
      const live = api.resources();
      api.setPoints(rows);
      const replaced = api.resources();
      api.destroy();
      api.destroy();
      return { baseline, live, replaced, after: api.resources(), destroyed: api.destroyed(), error: api.drawError() };
    }, leftHalfGrid());

    expect(result.live).toEqual({ buffers: result.baseline.buffers + 5, instances: result.baseline.instances + 1 });
    expect(result.replaced).toEqual(result.live);
    expect(result.after).toEqual(result.baseline);
    expect(result.destroyed).toBe(true);
    expect(result.error).toContain("scatterplot: used after destroy");
    expect(result.error.startsWith("gpu:")).toBe(true);
  });

  test("rejects invalid data", async () => {
    const messages = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(50, 50);
      const colour = api.setDataError([[0, 0, 7, 0, 0]]);
      const shape = api.setDataError([[0, 0, 0, 5, 0]]);
      const position = api.setDataError([[Number.NaN, 0, 0, 0, 0]]);
      api.destroy();
      return { colour, shape, position };
    });
    expect(messages.colour).toBe("gpu: invalid colour index at point 0: 7 (expected 0 to 2, an index into the palette)");
    expect(messages.shape).toContain("gpu: invalid shape at point 0: 5");
    expect(messages.position).toContain("gpu: invalid scatter position at point 0: (NaN, 0)");
  });
});

describe("projectionView", () => {
  test("renders and follows the slider", async () => {
    const baseline = await page.evaluate(() => window.scatterTest.resources());
    await page.evaluate(async () => {
      window.scatterTest.mountProjection(200);
      await window.scatterTest.settle();
    });

    const first = await page.evaluate(() => ({ coverage: window.scatterTest.projectionCoverage(), fingerprint: window.scatterTest.projectionFingerprint() }));
    expect(first.coverage.width).toBe(640);
    expect(first.coverage.left + first.coverage.right).toBeGreaterThan(200 * 10);

    const epochZero = await page.evaluate(() => ({ label: window.scatterTest.setEpoch(0), fingerprint: window.scatterTest.projectionFingerprint() }));
    expect(epochZero.label).toBe("epoch 0");
    expect(epochZero.fingerprint).not.toBe(first.fingerprint);

    const back = await page.evaluate(() => ({ label: window.scatterTest.setEpoch(2), fingerprint: window.scatterTest.projectionFingerprint() }));
    expect(back.label).toBe("epoch 2");
    expect(back.fingerprint).toBe(first.fingerprint);

    const target = await page.evaluate(() => window.scatterTest.findHoverTarget());
    expect(target).toBeDefined();
    await page.mouse.move(-1, -1);
    await page.mouse.move(target![0], target![1]);
    const tooltip = await page.evaluate(() => window.scatterTest.tooltipText());
    expect(tooltip).toMatch(/true: \d/);
    expect(tooltip).toMatch(/predicted: \d/);
    expect(tooltip).toMatch(/domain: (MNIST|UCI digits)/);

    const after = await page.evaluate(() => {
      window.scatterTest.disposeProjection();
      return window.scatterTest.resources();
    });
    expect(after).toEqual(baseline);
    expect(opened.console.filter((message) => message.startsWith("pageerror") || message.startsWith("error"))).toEqual([]);
  });
});
