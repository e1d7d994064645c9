import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Page } from "playwright-core";
import { openPage, type OpenedPage } from "./harness.ts";

/**
 * 40 instances of two classes (even indices "zero", odd "one") in a projection, and a class
 * table on a snapshot whose per-class figures are made up: only the rows matter here.
 */
const notebook = `# Class rows select instances

\`\`\`js
const labels = Uint8Array.from({ length: 40 }, (_, i) => i % 2);
const layout = Float32Array.from({ length: 80 }, (_, i) => (i % 2 === 0 ? (i / 2) % 8 : Math.floor(i / 16)));
\`\`\`

\`\`\`js
import { projectionView } from "carryover";

const projectionPlot = projectionView({
  layouts: [layout],
  predictions: [labels],
  labels,
  domain: new Uint8Array(40),
  images: new Uint8Array(40 * 784),
  classNames: ["zero", "one"],
  domainNames: ["A", "B"],
  transitionMs: 0,
});
display(projectionPlot);
\`\`\`

\`\`\`js
import { inputValues } from "carryover";

const selection = inputValues(projectionPlot);
\`\`\`

\`\`\`js
const selectedList = Array.from(selection.indices).join(",");
\`\`\`

\`\`\`js
import { classTableView } from "carryover";

const snapshot = {
  perClass: { source: Float32Array.of(0.9, 0.8), target: Float32Array.of(0.7, 0.6) },
  confusion: { source: Uint32Array.of(9, 1, 2, 8), target: Uint32Array.of(7, 3, 4, 6) },
};
const classTable = classTableView(snapshot, ["zero", "one"]);
display(classTable);
\`\`\`

\`\`\`js
import { inputValues } from "carryover";

const tableClass = inputValues(classTable);
\`\`\`

\`\`\`js
import { indicesOfClass } from "carryover";

if (projectionPlot && tableClass !== null) projectionPlot.select(indicesOfClass(labels, tableClass));
\`\`\`
`;

let opened: OpenedPage;
let page: Page;

const evens = Array.from({ length: 20 }, (_, i) => 2 * i).join(",");
const odds = Array.from({ length: 20 }, (_, i) => 2 * i + 1).join(",");

async function waitForList(expected: string): Promise<void> {
  await page.waitForFunction(
    (list) => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("selectedList"))?.values.get("selectedList") === list,
    expected,
    { timeout: 30_000, polling: 100 },
  );
}

function chosenRows(): Promise<string[]> {
  return page.$$eval("[data-view=class-table] tbody tr[aria-selected=true]", (rows) => rows.map((row) => (row as HTMLElement).dataset.classIndex!));
}

beforeAll(async () => {
  opened = await openPage("/?headless");
  page = opened.page;
  await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
  await page.evaluate((text) => window.carryover!.open(text, "class-link.md", {}), notebook);
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 120_000, polling: 200 });
});

afterAll(async () => {
  await opened?.close();
});

describe("class table rows", () => {
  test("start with nothing chosen", async () => {
    await waitForList("");
    expect(await chosenRows()).toEqual([]);
  });

  test("click selects the class's instances", async () => {
    await page.click("[data-view=class-table] tbody tr[data-class-index='1']");
    await waitForList(odds);
    expect(await chosenRows()).toEqual(["1"]);
  });

  test("Enter chooses another class", async () => {
    await page.focus("[data-view=class-table] tbody tr[data-class-index='0']");
    await page.keyboard.press("Enter");
    await waitForList(evens);
    expect(await chosenRows()).toEqual(["0"]);
  });

  test("second click clears the choice only", async () => {
    await page.click("[data-view=class-table] tbody tr[data-class-index='0']");
    await page.waitForFunction(() => document.querySelectorAll("[data-view=class-table] tbody tr[aria-selected=true]").length === 0);
    await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 30_000, polling: 100 });
    expect(await page.evaluate(() => window.carryover!.page()!.cellStates().find((cell) => cell.outputs.includes("selectedList"))?.values.get("selectedList"))).toBe(evens);
  });
});
