import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { openSession, sessionFileName } from "../app/session.ts";
import { summarizeReport } from "../cells/report.ts";
import { reportFormatVersion } from "../cells/version.ts";
import type { BuildArguments } from "./buildArguments.ts";
import { runNotebook } from "./run.ts";
import { serviceWorkerSource } from "./serviceWorker.ts";
import { buildStaticPage } from "./viewer.ts";

/**
 * Content Security Policy of published pages. Scripts come only from the site itself;
 * 'unsafe-eval' is there because regl compiles its draw commands with `new Function`
 * (the projection view cannot draw without it), and 'unsafe-inline' styles because
 * Observable Plot puts a <style> element in each chart. No page script evaluates
 * session data: the replay page bundles no notebook runtime.
 */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

/** Files of an earlier build that a new build replaces. */
const outputs = ["index.html", "assets", "sw.js", "summary.json"];

/**
 * Builds a static site that replays a recorded session: runs the notebook headless first
 * unless a session file is given. Returns the process exit status.
 */
export async function buildSite(args: BuildArguments, log: (line: string) => void = console.log): Promise<number> {
  const out = resolve(args.out);
  let bytes: Uint8Array;
  let summary: string | undefined;
  if (args.session !== undefined) {
    const path = resolve(args.session);
    bytes = await readFile(path).catch((error: unknown) => {
      throw new Error(`session not found: ${path} (check the path)`, { cause: error });
    });
  } else {
    const recorded = await recordSession(args, log);
    if (!recorded) return 1;
    ({ bytes, summary } = recorded);
  }
  // Validated here as well as in the page, so a bad session fails the build, not the reader.
  const session = openSession(bytes, basename(args.session ?? sessionFileName(args.notebook)));
  summary ??= JSON.stringify({ formatVersion: reportFormatVersion, carryoverVersion: session.contents.meta.carryoverVersion, ...summarizeReport(session.report) }, null, 2) + "\n";

  await mkdir(out, { recursive: true });
  for (const name of outputs) await rm(join(out, name), { recursive: true, force: true });
  const written = (await buildStaticPage(out, "replay.html")).filter((file) => file !== "replay.html");

  const sessionHash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  const sessionPath = `assets/session-${sessionHash}.carryover`;
  await writeFile(join(out, sessionPath), bytes);
  await writeFile(join(out, "summary.json"), summary);
  written.push(sessionPath, "summary.json");

  const page = await readFile(join(out, "replay.html"), "utf8");
  await rm(join(out, "replay.html"));
  const head = [
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">`,
    `<meta name="carryover-session" content="${sessionPath}">`,
    `<meta name="carryover-offline" content="sw.js">`,
  ].join("\n  ");
  await writeFile(join(out, "index.html"), page.replace("<meta charset=\"utf-8\">", `<meta charset="utf-8">\n  ${head}`).replace("<title>Carryover replay</title>", `<title>${escapeHtml(session.contents.notebook.fileName)} · Carryover</title>`));
  written.unshift("index.html");

  const siteVersion = createHash("sha256").update(written.join("\n")).update(sessionHash).digest("hex").slice(0, 12);
  await writeFile(join(out, "sw.js"), serviceWorkerSource(written, siteVersion));
  written.push("sw.js");

  let total = 0;
  for (const file of written) {
    const size = (await stat(join(out, file))).size;
    total += size;
    log(`${(size / 1024).toFixed(1).padStart(9)} KiB  ${file}`);
  }
  log(`${(total / 1024).toFixed(1).padStart(9)} KiB  total, ${written.length} files in ${out}`);
  return 0;
}

/**
 * Runs the notebook headless and takes its session from the page, as "Save session" would.
 * NOTE: the run starts from an empty browser profile, so it recomputes every cell instead of
 * reusing a browser's result cache. To publish without a run, save the session and pass --session.
 */
async function recordSession(args: Exclude<BuildArguments, { session: string }>, log: (line: string) => void) {
  const work = await mkdtemp(join(tmpdir(), "carryover-build-"));
  try {
    let base64: string | null = null;
    // The run's own files go to a folder deleted below, so its "wrote" lines would name files that no longer exist.
    const runLog = (line: string) => {
      if (!line.startsWith("wrote ")) log(line);
    };
    const status = await runNotebook({ ...args, out: work }, runLog, async (page) => {
      base64 = await page.evaluate(() => window.carryover!.sessionBase64());
    });
    if (status !== 0 || base64 === null) {
      log(base64 === null ? "not built: the notebook recorded no report to publish" : "not built: publish a run only after every cell succeeds");
      return undefined;
    }
    return { bytes: new Uint8Array(Buffer.from(base64, "base64")), summary: await readFile(join(work, "summary.json"), "utf8") };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
