import { afterAll, beforeAll, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { readNotebook, tinyParams } from "./notebook.ts";

let opened: OpenedPage;
let results: HeadlessResults;

beforeAll(async () => {
  opened = await openPage("/?headless");
  const page = opened.page;
  await page.waitForFunction(() => "carryover" in window);
  await page.evaluate(
    ([text, overrides]) => window.carryover!.open(text, "digits.md", overrides),
    [readNotebook("notebooks/digits.md"), { ...tinyParams, epochs: "5" }] as const,
  );
  // Cancel as a user would, once the first batch of epoch 1 has reported its progress.
  await page.waitForFunction(() => /epoch 1\/5, batch/.test(document.querySelector("[data-view=progress] span")?.textContent ?? ""), null, { timeout: 300_000, polling: 200 });
  await page.click("[data-view=progress] button");
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: 300_000, polling: 500 });
  results = await page.evaluate(() => window.carryover!.results());
});

afterAll(async () => {
  await opened?.close();
});

test("cancelled run stops early", () => {
  expect(results.summary?.status).toBe("cancelled");
  expect(results.summary!.epochs.length).toBeLessThan(6);
});

test("cancelled run keeps epoch 0", () => {
  expect(results.summary!.epochs[0]).toBe(0);
  expect(results.summary!.accuracy.targetModel.targetVal[0]).toBeGreaterThan(0.1);
});

test("cancelled run says so in the page", async () => {
  const text = await opened.page.textContent("[data-view=transferability]");
  expect(text).toContain("The run was cancelled");
});

test("cancelled run leaks no tensors", async () => {
  // Only the source model's 8 weight tensors stay while the notebook is open.
  expect(await opened.page.evaluate(() => window.carryover!.tensorCount())).toBe(8);
});
