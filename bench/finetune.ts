/**
 * Fine-tuning benchmark: time per epoch on webgpu, webgl and cpu in one headless Chromium,
 * and Carryover's fine-tuning with a snapshot per epoch against plain model.fit on the same
 * backend. Prints a Markdown table; the figures go into BENCHMARKS.md.
 *
 *   npm run bench -- [--epochs 2] [--backends webgpu,webgl,cpu]
 */
import { chromium } from "playwright-core";
import { chromiumArgs, findChromium } from "../src/cli/chromium.ts";
import { startPageServer } from "../src/cli/serve.ts";
import type { BenchRequest, BenchResult } from "./finetunePage.ts";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const epochs = Number(option("epochs", "2"));
const backends = option("backends", "webgpu,webgl,cpu").split(",") as BenchRequest["backend"][];
const base = { epochs, budgetPerClass: 30, batchSize: 32, sourceSamples: 1000, probePerDomain: 150 };

const { server, url } = await startPageServer();
const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
const rows: string[] = [];
try {
  for (const backend of backends) {
    // A fresh page per backend, so one backend's compiled programs and memory do not help another.
    const page = await browser.newPage();
    await page.goto(`${url}/bench/finetune.html`);
    await page.waitForFunction(() => Boolean(window.benchFineTune), null, { timeout: 120_000 });
    const run = (mode: BenchRequest["mode"]) =>
      page.evaluate((request) => window.benchFineTune!(request), { ...base, backend, mode } satisfies BenchRequest) as Promise<BenchResult>;
    const fit = await run("fit");
    const snapshots = await run("snapshots");
    const ratio = snapshots.msPerEpoch / fit.msPerEpoch;
    const accuracy = snapshots.targetVal.map((v) => v.toFixed(3)).join(" → ");
    rows.push(
      `| ${backend} | ${(fit.msPerEpoch / 1000).toFixed(1)} | ${(snapshots.msPerEpoch / 1000).toFixed(1)} | ${ratio.toFixed(2)} | ${accuracy} | ${snapshots.tensorsAfter - snapshots.tensorsBefore} |`,
    );
    console.error(rows.at(-1));
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

console.log(
  `Fine-tuning on ${base.budgetPerClass * 10} labelled target images, batch ${base.batchSize}, ${epochs} epochs. ` +
    `Each snapshot evaluates the fine-tuned model on ${base.sourceSamples} source validation images, the target train and validation sets and a ${base.probePerDomain * 2}-image probe.\n`,
);
console.log("| backend | model.fit s/epoch | with snapshots s/epoch | ratio | target val accuracy by epoch | leaked tensors |");
console.log("|---|---|---|---|---|---|");
for (const row of rows) console.log(row);
