import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { HeadlessResults } from "../../src/app/headless.ts";
import { openPage, type OpenedPage } from "./harness.ts";
import { runNotebookText } from "./notebook.ts";

/** A notebook whose failures are independent of each other, next to cells that must keep working. */
const notebook = `# Bad input

\`\`\`js id=fine
const fine = 6 * 7;
\`\`\`

\`\`\`js id=backend
import { selectBackend } from "carryover";
const backend = await selectBackend();
\`\`\`

\`\`\`js id=broken
const broken = (1 + ;
\`\`\`

\`\`\`js id=usesUndefined
const doubled = notDefinedAnywhere * 2;
\`\`\`

\`\`\`js id=missingModel
import { loadSourceModel } from "carryover";
const missing = await loadSourceModel("models/does-not-exist/model.json", { classCount: 10, backend });
\`\`\`

\`\`\`js id=dependsOnMissing
const layerCount = missing.layers.length;
\`\`\`

\`\`\`js id=malformedModel
import { loadSourceModel } from "carryover";
const malformed = await loadSourceModel("/tests/browser/fixtures/malformed-model/model.json", { classCount: 10, backend });
\`\`\`

\`\`\`js id=goodModel
import { loadSourceModel } from "carryover";
const model = await loadSourceModel("models/mnist-cnn/model.json", { classCount: 10, backend });
\`\`\`

\`\`\`js id=badLabels
import { FineTuning } from "carryover";
const images = new Uint8Array(2 * 784);
const labeled = { name: "my target", images, labels: new Uint8Array([3, 12]), count: 2, classNames: ["0","1","2","3","4","5","6","7","8","9"] };
const probeSet = { ...labeled, domainIndex: new Uint8Array([0, 1]), domainNames: ["a", "b"] };
const training = new FineTuning({
  sourceModel: model,
  data: { sourceTrain: labeled, sourceVal: labeled, targetTrain: labeled, targetVal: labeled, probe: probeSet },
  params: { epochs: 1, learningRate: 0.001, batchSize: 2, frozenLayers: [], seed: 1, probeLayer: "dense1" },
  backend: "webgpu",
});
\`\`\`

\`\`\`js id=twiceA
const twice = 1;
\`\`\`

\`\`\`js id=twiceB
const twice = 2;
\`\`\`

\`\`\`js id=cycleA
const ping = pong + 1;
\`\`\`

\`\`\`js id=cycleB
const pong = ping + 1;
\`\`\`

\`\`\`js id=alsoFine
const answer = fine + 0;
\`\`\`
`;

describe("bad input in a notebook", () => {
  let opened: OpenedPage;
  let results: HeadlessResults;
  const outcome = (id: string) => results.cells.find((cell) => cell.id === id)!;

  beforeAll(async () => {
    opened = await openPage("/?headless");
    results = await runNotebookText(opened.page, notebook, "bad-input.md", {}, 120_000);
  });

  afterAll(async () => {
    await opened?.close();
  });

  test("unrelated cells keep working", () => {
    expect(outcome("fine").status).toBe("ok");
    expect(outcome("alsoFine").status).toBe("ok");
    expect(outcome("goodModel").status).toBe("ok");
  });

  test("syntax error shows at its cell", () => {
    expect(outcome("broken")).toMatchObject({ status: "error" });
    expect(outcome("broken").message).toMatch(/syntax error at line \d+, column \d+/);
  });

  test("undefined name is named", () => {
    expect(outcome("usesUndefined").message).toContain("notDefinedAnywhere is not defined");
  });

  test("missing model.json names the file", () => {
    expect(outcome("missingModel").message).toContain("model not found: models/does-not-exist/model.json");
  });

  test("dependent says which input failed", () => {
    expect(outcome("dependsOnMissing").message).toMatch(/input "missing" failed: .*model not found.*\(cell missingModel\)/s);
  });

  test("malformed model.json is reported", () => {
    expect(outcome("malformedModel").message).toContain("invalid model.json: /tests/browser/fixtures/malformed-model/model.json is not valid JSON");
  });

  test("labels outside the model's classes", () => {
    expect(outcome("badLabels").message).toContain("invalid label in my target: 12 at image 1 (expected 0..9");
  });

  test("name defined twice", () => {
    expect(outcome("twiceA").message).toContain("twice is defined more than once");
    expect(outcome("twiceB").message).toContain("twice is defined more than once");
  });

  test("cycle shows at both cells", () => {
    expect(outcome("cycleA").message).toContain("circular definition");
    expect(outcome("cycleB").message).toContain("circular definition");
  });

  test("errors render in place", async () => {
    const shown = await opened.page.textContent('section.cell[data-cell-id="missingModel"] .cell-error');
    expect(shown).toContain("model not found");
  });

  test("fixing a cell recovers its dependents", async () => {
    const page = opened.page;
    await page.evaluate(() => window.carryover!.page()!.runtime.updateCell("missingModel", 'import { loadSourceModel } from "carryover";\nconst missing = await loadSourceModel("models/mnist-cnn/model.json", { classCount: 10, backend });'));
    await page.waitForFunction(() => window.carryover!.page()!.runtime.cellState("dependsOnMissing").status === "fulfilled", null, { timeout: 60_000 });
    const layers = await page.evaluate(() => window.carryover!.page()!.runtime.cellState("dependsOnMissing").values.get("layerCount"));
    expect(layers).toBe(7);
  });
});
