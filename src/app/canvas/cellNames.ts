import { parse } from "acorn";
import type * as estree from "estree";
import { analyzeCell } from "../../runtime/analyze-cell.ts";

export interface CellNames {
  /** Names the cell reads from other cells. */
  readonly inputs: readonly string[];
  /** Names the cell declares. */
  readonly outputs: readonly string[];
  /** Names the cell imports, as the library exports them. */
  readonly imported: readonly string[];
}

/**
 * Reads the names a cell declares, reads and imports by parsing its source only: unlike
 * compileCell, it builds no function from the code, so a page that must never run a
 * notebook's code (the replay) can use it. Undefined when the source does not parse.
 */
export function cellNames(source: string): CellNames | undefined {
  let program: estree.Program;
  try {
    program = parse(source, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true }) as unknown as estree.Program;
  } catch {
    return undefined;
  }
  const analysis = analyzeCell(program);
  const imported = analysis.imports.flatMap((declaration) => declaration.bindings.map((binding) => (binding.kind === "named" ? binding.imported : binding.local)));
  return { inputs: analysis.inputs, outputs: analysis.outputs, imported };
}
