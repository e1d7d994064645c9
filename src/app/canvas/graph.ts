/** The notebook's data flow as the canvas draws it: one node per cell, one connector per pair of cells that share names. */

export interface GraphCell {
  readonly id: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** Names that flow from the cell `from` to the cell `to`, in the order `to` first uses them. */
export interface Connector {
  readonly from: string;
  readonly to: string;
  readonly names: readonly string[];
}

/**
 * Builds one connector for each cell that reads a name another cell declares. A name that two
 * cells declare (an error the runtime reports) gets a connector from each, so the conflict shows.
 * Connectors are ordered by the reading cell, then by the declaring cell, both in notebook order.
 */
export function dataFlow(cells: readonly GraphCell[]): Connector[] {
  const definers = new Map<string, string[]>();
  for (const cell of cells) {
    for (const name of cell.outputs) definers.set(name, [...(definers.get(name) ?? []), cell.id]);
  }
  const order = new Map(cells.map((cell, i) => [cell.id, i]));
  const connectors: Connector[] = [];
  for (const cell of cells) {
    const byDefiner = new Map<string, string[]>();
    for (const name of cell.inputs) {
      for (const definer of definers.get(name) ?? []) {
        if (definer === cell.id) continue;
        byDefiner.set(definer, [...(byDefiner.get(definer) ?? []), name]);
      }
    }
    const froms = [...byDefiner.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
    for (const from of froms) connectors.push({ from, to: cell.id, names: byDefiner.get(from)! });
  }
  return connectors;
}

/** Cells whose outputs the cell reads (its inputs) and cells that read its outputs (its dependents). */
export function neighbours(connectors: readonly Connector[], cellId: string): { inputs: Set<string>; dependents: Set<string> } {
  const inputs = new Set<string>();
  const dependents = new Set<string>();
  for (const connector of connectors) {
    if (connector.to === cellId) inputs.add(connector.from);
    if (connector.from === cellId) dependents.add(connector.to);
  }
  return { inputs, dependents };
}

/**
 * Returns each cell's level: 0 for a cell that reads no other cell, otherwise one more than
 * its highest input. A cycle (which the runtime reports as an error) is cut where it closes.
 */
export function levels(cells: readonly GraphCell[], connectors: readonly Connector[]): Map<string, number> {
  const inputsOf = new Map<string, string[]>(cells.map((cell) => [cell.id, []]));
  for (const connector of connectors) inputsOf.get(connector.to)?.push(connector.from);
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = level.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    let result = 0;
    for (const input of inputsOf.get(id) ?? []) result = Math.max(result, visit(input) + 1);
    visiting.delete(id);
    level.set(id, result);
    return result;
  };
  for (const cell of cells) visit(cell.id);
  return level;
}
