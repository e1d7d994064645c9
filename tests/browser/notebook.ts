import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import type { HeadlessResults } from "../../src/app/headless.ts";

/** Parameters small enough for software WebGPU on two cores: 50 training images, 2 epochs. */
export const tinyParams = { epochs: "2", budgetPerClass: "5", sourceSamples: "200", probePerDomain: "30" };

export function readNotebook(path: string): string {
  return readFileSync(path, "utf8");
}

/** Opens notebook text in the page at `/?headless` and waits until every cell has settled. */
export async function runNotebookText(page: Page, text: string, fileName: string, overrides: Record<string, string> = {}, timeoutMs = 540_000) {
  await page.waitForFunction(() => "carryover" in window, null, { timeout: 120_000 });
  await page.evaluate(([source, file, values]) => window.carryover!.open(source, file, values), [text, fileName, overrides] as const);
  await page.waitForFunction(() => window.carryover!.isSettled(), null, { timeout: timeoutMs, polling: 1000 });
  // One more frame, so the page has drawn the last values.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  return page.evaluate(() => window.carryover!.results()) as Promise<HeadlessResults>;
}

/** Counts pixels of a canvas that differ from its top-left (background) pixel. */
export async function nonBackgroundPixels(page: Page, selector: string): Promise<number> {
  return page.$eval(selector, (element) => {
    const canvas = element as HTMLCanvasElement;
    const copy = document.createElement("canvas");
    copy.width = canvas.width;
    copy.height = canvas.height;
    const context = copy.getContext("2d")!;
    context.drawImage(canvas, 0, 0);
    const { data } = context.getImageData(0, 0, copy.width, copy.height);
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) count++;
    }
    return count;
  });
}
