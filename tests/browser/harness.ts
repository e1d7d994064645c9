import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";
import { chromiumArgs, findChromium } from "../../src/cli/chromium.ts";

export interface OpenedPage {
  browser: Browser;
  page: Page;
  /** Messages the page wrote to the console, in order, for assertions and failure output. */
  console: string[];
  close(): Promise<void>;
}

/** Launches headless Chromium (WebGPU on SwiftShader where no GPU exists) and opens a path of the dev server. */
export async function openPage(path: string): Promise<OpenedPage> {
  const browser = await chromium.launch({ executablePath: findChromium(), args: chromiumArgs, headless: true });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const messages: string[] = [];
  page.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
  page.on("pageerror", (error) => messages.push(`pageerror: ${error.message}`));
  await page.goto(inject("baseUrl") + path);
  return { browser, page, console: messages, close: () => browser.close() };
}
