import { existsSync } from "node:fs";

/**
 * Flags for headless Chromium. `--enable-unsafe-webgpu` is required for
 * `navigator.gpu.requestAdapter()` to return an adapter on Linux, where WebGPU is
 * otherwise off by default. The network flags stop Chromium from reaching out to
 * Google's services, which fails on offline machines.
 */
export const chromiumArgs = [
  "--enable-unsafe-webgpu",
  "--no-sandbox",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

const candidates = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** Finds a Chromium or Chrome executable: `CARRYOVER_CHROMIUM` first, then the usual paths. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const named = env.CARRYOVER_CHROMIUM;
  if (named) {
    if (!existsSync(named)) {
      throw new Error(`Chromium not found: CARRYOVER_CHROMIUM=${named} (set it to the path of a Chromium or Chrome executable)`);
    }
    return named;
  }
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      "missing Chromium: none of " + candidates.join(", ") + " exists. " +
        "Install one (Debian/Ubuntu: `sudo apt-get install chromium libvulkan1`) " +
        "or set CARRYOVER_CHROMIUM to the path of a Chromium or Chrome executable.",
    );
  }
  return found;
}
