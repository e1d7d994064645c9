import type * as estree from "estree";
import { analyze, extract_names } from "periscopic";

/**
 * Names that every cell gets from its own run instead of from the notebook. `display` shows a
 * value at the cell, and `invalidation` resolves when the cell re-runs or is removed. The timer
 * functions register timers that are cleared at that moment.
 */
export const CELL_BUILTINS: readonly string[] = [
  "display",
  "invalidation",
  "setTimeout",
  "setInterval",
  "clearTimeout",
  "clearInterval",
];

export type ImportBinding =
  | { readonly kind: "named"; readonly imported: string; readonly local: string }
  | { readonly kind: "namespace"; readonly local: string };

export interface CellImport {
  readonly specifier: string;
  readonly bindings: readonly ImportBinding[];
}

export interface CellAnalysis {
  /** Free names in order of first use, without cell builtins and imported names. */
  readonly inputs: string[];
  /** Top-level declarations in source order. */
  readonly outputs: string[];
  /** Cell builtins the source uses. */
  readonly builtins: string[];
  readonly imports: CellImport[];
}

// `import.meta` and `new.target` reach periscopic as references to `import` and `new`.
// `arguments` and `eval` cannot be parameter names in strict code and refer to the language's own bindings.
const NOT_INPUTS = new Set(["import", "new", "arguments", "eval"]);

/** Finds a parsed cell's inputs, outputs, builtins and imports. Rewrites named class expressions in `program`. */
export function analyzeCell(program: estree.Program): CellAnalysis {
  const imports: CellImport[] = [];
  const importedNames = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const bindings = statement.specifiers.map(importBinding);
    for (const binding of bindings) importedNames.add(binding.local);
    imports.push({ specifier: String(statement.source.value), bindings });
  }

  const outputs = new Set<string>();
  for (const statement of program.body) {
    for (const name of declaredNames(statement)) outputs.add(name);
  }

  scopeNamedClassExpressions(program);
  const { globals } = analyze(program);
  const free = [...globals.entries()]
    .sort(([, a], [, b]) => nodeStart(a) - nodeStart(b))
    .map(([name]) => name)
    .filter((name) => !importedNames.has(name) && !NOT_INPUTS.has(name));

  return {
    inputs: free.filter((name) => !CELL_BUILTINS.includes(name)),
    outputs: [...outputs],
    builtins: CELL_BUILTINS.filter((name) => free.includes(name)),
    imports,
  };
}

export function declaredNames(statement: estree.Node): string[] {
  switch (statement.type) {
    case "VariableDeclaration":
      return statement.declarations.flatMap((declarator) => extract_names(declarator.id));
    case "FunctionDeclaration":
    case "ClassDeclaration":
      return statement.id ? [statement.id.name] : [];
    default:
      return [];
  }
}

export function nodeStart(node: estree.Node): number {
  return (node as unknown as { start: number }).start;
}

export function nodeEnd(node: estree.Node): number {
  return (node as unknown as { end: number }).end;
}

function importBinding(
  specifier: estree.ImportSpecifier | estree.ImportDefaultSpecifier | estree.ImportNamespaceSpecifier,
): ImportBinding {
  const local = specifier.local.name;
  switch (specifier.type) {
    case "ImportNamespaceSpecifier":
      return { kind: "namespace", local };
    case "ImportDefaultSpecifier":
      return { kind: "named", imported: "default", local };
    case "ImportSpecifier": {
      const imported = specifier.imported;
      return { kind: "named", imported: imported.type === "Identifier" ? imported.name : String(imported.value), local };
    }
  }
}

/**
 * Wraps each named class expression (`class Tree { … }` used as a value) in a named function
 * expression, because periscopic 4 does not declare the class name inside its own body and
 * would report it as a free name. The tree is used only for analysis afterwards.
 */
function scopeNamedClassExpressions(node: object): void {
  const fields = node as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isNode(item)) value[i] = rewriteNode(item);
      });
    } else if (isNode(value)) {
      fields[key] = rewriteNode(value);
    }
  }
}

function rewriteNode(node: estree.Node): estree.Node {
  scopeNamedClassExpressions(node);
  if (node.type !== "ClassExpression" || !node.id) return node;
  const wrapper = {
    type: "FunctionExpression",
    id: node.id,
    params: [],
    body: { type: "BlockStatement", body: [{ type: "ExpressionStatement", expression: { ...node, id: null } }] },
    start: nodeStart(node),
    end: nodeEnd(node),
  };
  return wrapper as unknown as estree.Node;
}

function isNode(value: unknown): value is estree.Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
