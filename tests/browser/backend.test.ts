import { afterEach, expect, test } from "vitest";
import { openPage, type OpenedPage } from "./harness.ts";

interface ProbeResult {
  choice: { name: string; requested: string; notices: string[]; adapter?: { isFallbackAdapter: boolean } };
  product: number[];
}

let opened: OpenedPage | undefined;
afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

test("webgpu chosen when available", async () => {
  opened = await openPage("/tests/browser/pages/backend.html");
  await opened.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  const result = (await opened.page.evaluate(() => (window as unknown as { probe: () => Promise<unknown> }).probe())) as ProbeResult;
  expect(result.choice.name).toBe("webgpu");
  expect(result.choice.notices).toEqual([]);
  expect(result.product).toEqual([7, 10, 15, 22]);
});

test("missing WebGPU falls back to webgl with a notice", async () => {
  opened = await openPage("/tests/browser/pages/backend.html?nogpu");
  await opened.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  const result = (await opened.page.evaluate(() => (window as unknown as { probe: () => Promise<unknown> }).probe())) as ProbeResult;
  expect(result.choice.name).toBe("webgl");
  expect(result.choice.requested).toBe("webgpu");
  expect(result.choice.notices).toEqual(["WebGPU unavailable: this browser has no WebGPU (navigator.gpu is missing)."]);
  expect(result.product).toEqual([7, 10, 15, 22]);
});

test("cpu is the last fallback", async () => {
  opened = await openPage("/tests/browser/pages/backend.html");
  await opened.page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  const result = (await opened.page.evaluate(() => (window as unknown as { probe: (order: string[]) => Promise<unknown> }).probe(["cpu"]))) as ProbeResult;
  expect(result.choice.name).toBe("cpu");
  expect(result.product).toEqual([7, 10, 15, 22]);
});
