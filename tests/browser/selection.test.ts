import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { openPage, type OpenedPage } from "./harness.ts";

const viewSource = `import { projectionView } from "carryover";

const view = projectionView({
  layouts,
  predictions: layouts.map(() => new Uint8Array(40)),
  labels: new Uint8Array(40),
  domain: Uint8Array.from({ length: 40 }, (_, i) => i % 2),
  images: new Uint8Array(40 * 784),
  classNames: ["zero"],
  domainNames: ["A", "B"],
  selectionKey: "linked-selection-test",
  transitionMs: 0,
});
display(view);`;

/** 40 instances on an 8 × 5 grid, one unit apart, shifted right by 0.1 per epoch. */
const notebook = `# Linked selection

\`\`\`js cache
const layouts = [0, 1, 2].map((epoch) => {
  const layout = new Float32Array(80);
  for (let i = 0; i < 40; i++) {
    layout[2 * i] = (i % 8) + epoch * 0.1;
    layout[2 * i + 1] = Math.floor(i / 8);
  }
  return layout;
});
\`\`\`

\`\`\`js
${viewSource}
\`\`\`

\`\`\`js
import { inputValues } from "carryover";

const selection = inputValues(view);
\`\`\`

\`\`\`js
const selectedList = Array.from(selection.indices).join(",");
\`\`\`
`;

let opened: OpenedPage;
let page: Page;

async function openNotebook(): Promise<void> {
  await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
  await page.evaluate((text) => window.carryover!.open(text, "linked.md", {}), notebook);
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 120_000, polling: 200 });
}

/** Returns the value of the output `name`, from whichever cell declares it. */
function outputValue(name: string): Promise<unknown> {
  return page.evaluate((output) => {
    const state = window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes(output));
    return state?.values.get(output);
  }, name);
}

function runCount(name: string): Promise<number> {
  return page.evaluate((output) => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes(output))!.runCount, name);
}

async function waitForList(expected: string): Promise<void> {
  await page.waitForFunction(
    (list) => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("selectedList"))?.values.get("selectedList") === list,
    expected,
    { timeout: 30_000, polling: 100 },
  );
}

beforeAll(async () => {
  opened = await openPage("/?headless");
  page = opened.page;
  await openNotebook();
});

afterAll(async () => {
  await opened?.close();
});

describe("linked selection", () => {
  const expected = "0,1,2,8,9,10";

  test("dependent cell starts with nothing selected", async () => {
    expect(await outputValue("selectedList")).toBe("");
  });

  test("rectangle selection reaches the dependent cell", async () => {
    await page.click("[data-view=projection] button[data-mode=rectangle]");
    const [from, to] = await page.evaluate(() => {
      const view = document.querySelector("[data-view=projection]") as HTMLElement & { plot: { toCanvas(x: number, y: number): [number, number] } };
      const rect = view.querySelector("canvas")!.getBoundingClientRect();
      // Around x 0 to 2 and y 0 to 1 of the last epoch's layout: instances 0, 1, 2, 8, 9, 10.
      return [view.plot.toCanvas(-0.4, 1.5), view.plot.toCanvas(2.6, -0.5)].map(([x, y]) => [rect.left + x, rect.top + y]);
    });
    await page.mouse.move(from![0]!, from![1]!);
    await page.mouse.down();
    await page.mouse.move(to![0]!, to![1]!, { steps: 6 });
    await page.mouse.up();
    await waitForList(expected);
    expect(await runCount("selectedList")).toBe(2);
    expect(await runCount("selection")).toBe(1);
  });

  test("selection survives an epoch change", async () => {
    await page.evaluate(() => {
      const slider = document.querySelector<HTMLInputElement>("[data-view=projection] input[type=range]")!;
      slider.value = "0";
      slider.dispatchEvent(new Event("input", { bubbles: true }));
    });
    await page.waitForFunction(() => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("selectedList"))!.runCount === 3);
    expect(await outputValue("selectedList")).toBe(expected);
  });

  test("selection survives a re-run of the view cell", async () => {
    const oldView = await page.evaluateHandle(() => document.querySelector("[data-view=projection]"));
    await page.evaluate((source) => {
      const api = window.carryover!.page()!;
      const id = api.cellStates().find((cell) => cell.outputs.includes("view"))!.id;
      api.runtime.updateCell(id, source);
    }, viewSource);
    await page.waitForFunction(() => window.carryover!.isSettled() && window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("view"))!.runCount === 2);
    await waitForList(expected);
    const state = await page.evaluate((old) => {
      const view = document.querySelector("[data-view=projection]") as HTMLElement & { plot: { selection: Uint32Array; destroyed: boolean } };
      return { replaced: view !== old, oldDestroyed: (old as unknown as { plot: { destroyed: boolean } }).plot.destroyed, plotSelection: Array.from(view.plot.selection).join(",") };
    }, oldView);
    expect(state).toEqual({ replaced: true, oldDestroyed: true, plotSelection: expected });
  });

  test("selection survives a reload that restores the layouts from the cache", async () => {
    await page.reload();
    await openNotebook();
    const cache = await page.evaluate(() => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("layouts"))!.cache);
    expect(cache?.status).toBe("restored");
    await waitForList(expected);
  });
});
