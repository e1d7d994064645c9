import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { openPage, type OpenedPage } from "./harness.ts";

// The page's API, window.scatterTest, is typed in pages/scatter.ts; page.evaluate bodies run in the browser.
type PointRow = [number, number, number, number, number];

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
    const result = await page.evaluate(async (rows) => {
      const api = window.scatterTest;
      const baseline = api.resources();
      api.create(120, 120);
      api.setPoints(rows);
      api.draw();
      const live = api.resources();
      const reglLive = api.plot().reglBufferCount;
      api.setPoints(rows);
      const replaced = api.resources();
      // A transition keeps the start positions in a buffer until it ends, and trails take one buffer.
      const plot = api.plot();
      const moving = plot.transitionTo({ x: Float32Array.from(rows, (r) => r[1]), y: Float32Array.from(rows, (r) => r[0]) }, 50);
      plot.setTrails([Float32Array.of(0, 0, 1, 1, 0.5, 0.2)]);
      const during = api.resources();
      const reglDuring = plot.reglBufferCount;
      await moving;
      const afterTransition = api.resources();
      api.destroy();
      api.destroy();
      return { baseline, live, reglLive, replaced, during, reglDuring, afterTransition, after: api.resources(), destroyed: api.destroyed(), error: api.drawError() };
    }, leftHalfGrid());

    // Positions, styles and selection state: three buffers per plot, all owned and counted.
    expect(result.live).toEqual({ buffers: result.baseline.buffers + 3, textures: result.baseline.textures, instances: result.baseline.instances + 1 });
    expect(result.reglLive).toBe(3);
    expect(result.replaced).toEqual(result.live);
    expect(result.during.buffers).toBe(result.live.buffers + 2);
    expect(result.reglDuring).toBe(5);
    expect(result.afterTransition.buffers).toBe(result.live.buffers + 1);
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

/** Even-odd point-in-polygon test, written apart from the renderer's so that it can check it. */
function insidePolygon(polygon: [number, number][], x: number, y: number): boolean {
  let inside = false;
  for (let k = 0, j = polygon.length - 1; k < polygon.length; j = k++) {
    const [xk, yk] = polygon[k]!;
    const [xj, yj] = polygon[j]!;
    if (yk > y !== yj > y && x < xk + ((y - yk) * (xj - xk)) / (yj - yk)) inside = !inside;
  }
  return inside;
}

/** 12 × 12 points at 0.04 + 0.08k on both axes, one palette colour per quadrant's diagonal. */
function denseGrid(): PointRow[] {
  const points: PointRow[] = [];
  for (let i = 0; i < 12; i++) {
    for (let j = 0; j < 12; j++) points.push([0.04 + 0.08 * i, 0.04 + 0.08 * j, 0, 0, 0]);
  }
  return points;
}

describe("scatterplot regions and selection", () => {
  test("colours land in their regions", async () => {
    // Red circles in the top-left quadrant, blue squares in the bottom-right, none elsewhere.
    const points: PointRow[] = [];
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        points.push([0.06 + 0.1 * i, 0.56 + 0.1 * j, 0, 0, 0]);
        points.push([0.56 + 0.1 * i, 0.06 + 0.1 * j, 1, 1, 0]);
      }
    }
    const counts = await page.evaluate((rows) => {
      const api = window.scatterTest;
      api.create(200, 200, 10);
      api.setPoints(rows);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      const quadrants: [number, number, number, number][] = [
        [0, 0, 100, 100],
        [100, 0, 200, 100],
        [0, 100, 100, 200],
        [100, 100, 200, 200],
      ];
      const red = api.colourCounts([220, 30, 30], quadrants);
      const blue = api.colourCounts([30, 30, 220], quadrants);
      api.destroy();
      return { red, blue };
    }, points);

    // A pixel counts when it is within 40 of the fill colour, which takes about 80 % coverage,
    // so each shape counts between its area shrunk by half a pixel on every side and its full
    // area. Circles have radius 5; squares have the circle's area, half-side 0.886 · 5.
    const radius = 5;
    const halfSide = 0.886 * radius;
    expect(counts.red[0]).toBeGreaterThanOrEqual(16 * Math.PI * (radius - 0.5) ** 2);
    expect(counts.red[0]).toBeLessThanOrEqual(16 * Math.PI * radius ** 2);
    expect(counts.blue[3]).toBeGreaterThanOrEqual(16 * (2 * halfSide - 1) ** 2);
    expect(counts.blue[3]).toBeLessThanOrEqual(16 * (2 * halfSide) ** 2);
    for (const quadrant of [1, 2, 3]) expect(counts.red[quadrant]).toBe(0);
    for (const quadrant of [0, 1, 2]) expect(counts.blue[quadrant]).toBe(0);
  });

  test("lasso selects exactly the points inside", async () => {
    const points = denseGrid();
    // A concave arrow. Every point is at least 0.0101 data units (3 CSS pixels) from its edges,
    // so rounding of pointer positions cannot move a point across.
    const polygon: [number, number][] = [
      [0.13, 0.07],
      [0.74, 0.1],
      [0.88, 0.53],
      [0.57, 0.85],
      [0.54, 0.46],
      [0.14, 0.84],
    ];
    const clientPolygon = await page.evaluate(
      ([rows, vertices]) => {
        const api = window.scatterTest;
        api.create(300, 300, 6);
        api.setPoints(rows);
        api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
        api.draw();
        api.plot().dragMode = "lasso";
        return vertices.map(([x, y]) => api.toClient(x, y));
      },
      [points, polygon] as const,
    );
    await page.mouse.move(clientPolygon[0]![0], clientPolygon[0]![1]);
    await page.mouse.down();
    for (const [x, y] of [...clientPolygon.slice(1), clientPolygon[0]!]) await page.mouse.move(x, y, { steps: 6 });
    await page.mouse.up();
    const selected = await page.evaluate(() => Array.from(window.scatterTest.plot().selection));

    const expected = points.flatMap(([x, y], i) => (insidePolygon(polygon, x, y) ? [i] : []));
    expect(expected.length).toBeGreaterThan(20);
    expect(expected.length).toBeLessThan(points.length - 20);
    expect(selected).toEqual(expected);
  });

  test("rectangle, shift and click select", async () => {
    const points = denseGrid();
    const corners = await page.evaluate((rows) => {
      const api = window.scatterTest;
      api.destroy();
      api.create(300, 300, 6);
      api.setPoints(rows);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      api.plot().dragMode = "rectangle";
      return [api.toClient(0.1, 0.3), api.toClient(0.3, 0.1), api.toClient(0.7, 0.9), api.toClient(0.9, 0.7), api.toClient(0.04, 0.04)];
    }, points);
    const drag = async ([x0, y0]: number[], [x1, y1]: number[], shift: boolean) => {
      if (shift) await page.keyboard.down("Shift");
      await page.mouse.move(x0!, y0!);
      await page.mouse.down();
      await page.mouse.move(x1!, y1!, { steps: 5 });
      await page.mouse.up();
      if (shift) await page.keyboard.up("Shift");
    };
    const selection = () => page.evaluate(() => Array.from(window.scatterTest.plot().selection));
    const inBox = (x0: number, x1: number, y0: number, y1: number) =>
      points.flatMap(([x, y], i) => (x > x0 && x < x1 && y > y0 && y < y1 ? [i] : []));

    await drag(corners[0]!, corners[1]!, false);
    const first = inBox(0.1, 0.3, 0.1, 0.3);
    expect(first).toHaveLength(9);
    expect(await selection()).toEqual(first);

    await drag(corners[2]!, corners[3]!, true);
    const both = [...first, ...inBox(0.7, 0.9, 0.7, 0.9)].sort((a, b) => a - b);
    expect(await selection()).toEqual(both);

    // A click on a point replaces the selection; Shift-click adds; a click on nothing clears.
    const [cornerX, cornerY] = corners[4]!;
    await page.mouse.click(cornerX!, cornerY!);
    expect(await selection()).toEqual([0]);
    await page.keyboard.down("Shift");
    await page.mouse.click(corners[0]![0]! + 1, corners[0]![1]! + 1);
    await page.keyboard.up("Shift");
    expect((await selection()).length).toBe(1);
    const [emptyX, emptyY] = await page.evaluate(() => window.scatterTest.toClient(0.08, 0.08));
    await page.mouse.click(emptyX, emptyY);
    expect(await selection()).toEqual([]);
    await page.evaluate(() => window.scatterTest.destroy());
  });

  test("zoomed far in, points 1e-6 apart stay apart", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(300, 100, 8);
      const a = Math.fround(0.5);
      const b = Math.fround(0.5 + 1e-6);
      // Two far points stretch the data range to [0, 1], as in a real layout.
      api.setPoints([
        [0, 0, 0, 0, 0],
        [a, 0.5, 0, 0, 0],
        [b, 0.5, 1, 0, 0],
        [1, 1, 0, 0, 0],
      ]);
      const plot = api.plot();
      // 200 CSS pixels between the two: 2e8 pixels per data unit.
      plot.camera = { centreX: (a + b) / 2, centreY: 0.5, scale: 200 / (b - a) };
      api.draw();
      const ratio = window.devicePixelRatio || 1;
      const runs = api.inkRuns(Math.round(50 * ratio));
      const expected = [plot.toCanvas(a, 0.5)[0] * ratio, plot.toCanvas(b, 0.5)[0] * ratio];
      api.destroy();
      return { runs, expected, ratio };
    });
    expect(result.expected[0]).toBeCloseTo(50 * result.ratio, 6);
    expect(result.expected[1]).toBeCloseTo(250 * result.ratio, 6);
    expect(result.runs).toHaveLength(2);
    // Each run is a point 8 CSS pixels wide; its centre is within 1.5 device pixels of where it belongs.
    for (const [k, [first, last]] of result.runs.entries()) {
      expect(Math.abs((first + last + 1) / 2 - result.expected[k]!)).toBeLessThan(1.5);
    }
  });
});

describe("projectionView selection", () => {
  test("hover names the instance", async () => {
    await page.evaluate(async () => {
      window.scatterTest.mountProjection(60);
      await window.scatterTest.settle();
    });
    // Points 0, 17 and 59 at epoch 2; hovering each one's centre must name it.
    const probe = await page.evaluate(() => {
      const view = window.scatterTest.projection();
      const canvas = view.querySelector("canvas")!;
      const rect = canvas.getBoundingClientRect();
      const plot = view.plot;
      const picks: [number, number, number][] = [];
      for (const index of [0, 17, 59]) {
        // The page's layout at epoch 2 (see mountProjection), recomputed here.
        const label = index % 10;
        const angle = index * 0.7;
        const radius = 1 + index / 20;
        const pull = 2 / 3;
        const targetAngle = (label / 10) * 2 * Math.PI;
        const x = Math.fround((1 - pull) * radius * Math.cos(angle) + pull * 8 * Math.cos(targetAngle));
        const y = Math.fround((1 - pull) * radius * Math.sin(angle) + pull * 8 * Math.sin(targetAngle));
        const [cssX, cssY] = plot.toCanvas(x, y);
        picks.push([index, rect.left + cssX, rect.top + cssY]);
      }
      return picks;
    });
    for (const [index, clientX, clientY] of probe) {
      const picked = await page.evaluate(([x, y]) => window.scatterTest.projection().plot.pick(x, y), [clientX, clientY] as const);
      await page.mouse.move(clientX, clientY);
      const text = await page.evaluate(() => window.scatterTest.tooltipText());
      expect(picked).toBe(index);
      expect(text).toContain(`instance ${index}`);
    }
    await page.mouse.move(-1, -1);
  });

  test("selection survives an epoch change", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      const view = api.projection();
      const events: number[] = [];
      view.addEventListener("input", () => events.push(view.value.indices.length));
      view.select([3, 5, 8]);
      const before = Array.from(view.value.indices);
      api.setEpoch(0);
      const after = { indices: Array.from(view.value.indices), epoch: view.value.epoch, plot: Array.from(view.plot.selection) };
      return { before, after, events };
    });
    expect(result.before).toEqual([3, 5, 8]);
    expect(result.after).toEqual({ indices: [3, 5, 8], epoch: 0, plot: [3, 5, 8] });
    // One event for the selection, one for the epoch.
    expect(result.events).toEqual([3, 3]);
  });

  test("transition passes between the layouts", async () => {
    const result = await page.evaluate(async () => {
      const api = window.scatterTest;
      api.disposeProjection();
      api.mountProjection(60, 400);
      await api.settle();
      const atEpochTwo = api.projectionFingerprint();
      api.setEpoch(0);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const during = api.projectionFingerprint();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await api.settle();
      const atEpochZero = api.projectionFingerprint();
      api.disposeProjection();
      api.mountProjection(60, 0);
      await api.settle();
      api.setEpoch(0);
      const jumpedToZero = api.projectionFingerprint();
      api.disposeProjection();
      return { atEpochTwo, during, atEpochZero, jumpedToZero };
    });
    expect(result.during).not.toBe(result.atEpochTwo);
    expect(result.during).not.toBe(result.atEpochZero);
    expect(result.atEpochZero).toBe(result.jumpedToZero);
  });
});

describe("density mode", () => {
  test("matches sprites where points overplot", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      const draw = (mode: "points" | "density" | "auto") => {
        api.create(240, 240, 6, mode);
        // 30 000 points, standard deviation 0.04 around (0.3, 0.5): hundreds of sprites overlap in
        // the middle, and the right half (5 deviations away) stays empty.
        api.setBlob(30_000, 0.3, 0.5, 0.04);
        api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
        api.draw();
        const quadrants: [number, number, number, number][] = [
          [0, 0, 120, 240],
          [120, 0, 240, 240],
          // The blob's core, where both modes should be fully red.
          [62, 110, 82, 130],
        ];
        const red = api.colourCounts([220, 30, 30], quadrants);
        const ink = api.coverage();
        const drawnAs = api.plot().lastMode;
        const held = api.resources();
        api.destroy();
        return { red, left: ink.left, right: ink.right, drawnAs, held };
      };
      const baseline = api.resources();
      const modes = { points: draw("points"), density: draw("density"), auto: draw("auto") };
      return { ...modes, baseline, after: api.resources() };
    });
    // Density mode owns one texture and one buffer of corners besides the three point buffers.
    expect(result.density.held.textures).toBe(result.baseline.textures + 1);
    expect(result.density.held.buffers).toBe(result.baseline.buffers + 4);
    expect(result.after).toEqual(result.baseline);
    expect(result.points.drawnAs).toBe("points");
    expect(result.density.drawnAs).toBe("density");
    expect(result.auto.drawnAs).toBe("density");
    for (const mode of [result.points, result.density]) {
      expect(mode.right).toBe(0);
      // The 20 × 20 core is saturated in both modes.
      expect(mode.red[2]).toBe(400);
    }
    // The blob's footprint (pixels with any ink) agrees within 10 %: density spreads each point
    // over a square as wide as its circle, so its faint rim is a little wider.
    expect(result.density.left).toBeGreaterThan(0.9 * result.points.left);
    expect(result.density.left).toBeLessThan(1.1 * result.points.left);
  });
});

describe("encodings and trails", () => {
  test("size and opacity per point", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(200, 100, 8, "points");
      api.plot().setData({
        x: Float32Array.of(0.25, 0.75),
        y: Float32Array.of(0.5, 0.5),
        colour: Uint8Array.of(0, 0),
        size: Float32Array.of(4, 16),
        opacity: Float32Array.of(1, 0.5),
      });
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.draw();
      const ink = api.coverage();
      // Opaque red, and red at half opacity over white: (220 + 255) / 2, (30 + 255) / 2.
      const [opaque] = api.colourCounts([220, 30, 30], [[0, 0, 100, 100]]);
      const [half] = api.colourCounts([238, 143, 143], [[100, 0, 200, 100]]);
      api.destroy();
      return { ink, opaque, half };
    });
    // Diameters 4 and 16: areas about 12.6 and 201 pixels.
    expect(result.ink.left).toBeGreaterThan(8);
    expect(result.ink.left).toBeLessThan(20);
    expect(result.ink.right).toBeGreaterThan(170);
    expect(result.ink.right).toBeLessThan(230);
    expect(result.opaque).toBeGreaterThan(0);
    // The large point's inside is half-transparent red, so it matches the blend, not full red.
    expect(result.half).toBeGreaterThan(120);
  });

  test("trails draw lines in data coordinates", async () => {
    const result = await page.evaluate(() => {
      const api = window.scatterTest;
      api.create(200, 200, 8, "points");
      api.setPoints([[0.5, 0.5, 0, 0, 0]]);
      api.fit({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 });
      api.plot().setTrails([Float32Array.of(0.1, 0.8975, 0.4, 0.8975)]);
      api.draw();
      // The trail runs through the middle of the pixel row 20 CSS pixels below the top, from x 20 to 80.
      const ratio = window.devicePixelRatio || 1;
      const runs = api.inkRuns(Math.round(20 * ratio));
      api.plot().setTrails([]);
      api.draw();
      const cleared = api.inkRuns(Math.round(20 * ratio));
      api.destroy();
      return { runs, cleared, ratio };
    });
    expect(result.runs).toHaveLength(1);
    expect(Math.abs(result.runs[0]![0] - 20 * result.ratio)).toBeLessThanOrEqual(1);
    expect(Math.abs(result.runs[0]![1] - 80 * result.ratio)).toBeLessThanOrEqual(1);
    expect(result.cleared).toEqual([]);
  });
});
