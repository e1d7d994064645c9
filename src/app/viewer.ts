import { checkReport } from "../cells/report.ts";
import { reportView } from "../cells/views/report.ts";
import { parseTyped } from "./typedJson.ts";

/** Shows the recorded results in report.json beside this page; runs no training and no notebook code. */
async function showReport(root: HTMLElement): Promise<void> {
  const file = "report.json";
  const response = await fetch(file);
  if (!response.ok) throw new Error(`report not found: ${file} (HTTP ${response.status}). Serve this folder as written by carryover run.`);
  const report = checkReport(parseTyped(await response.text(), file), file);
  const title = document.createElement("h1");
  title.textContent = "Carryover report";
  root.replaceChildren(title, reportView(report));
  root.dataset.ready = "true";
}

const root = document.getElementById("report")!;
showReport(root).catch((error: unknown) => {
  const box = document.createElement("pre");
  box.className = "cell-error";
  box.textContent = error instanceof Error ? error.message : String(error);
  root.replaceChildren(box);
  root.dataset.ready = "error";
});
