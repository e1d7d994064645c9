import { parse, parseExpressionAt, tokenizer, type Options } from "acorn";
import type * as estree from "estree";
import { analyzeCell, CELL_BUILTINS, declaredNames, nodeEnd, nodeStart, type CellImport } from "./analyze-cell.ts";
import { CellError, type SourceLocation } from "./errors.ts";

export { CELL_BUILTINS, type CellImport, type ImportBinding } from "./analyze-cell.ts";

/** Values produced by one run of a cell. */
export interface CellResult {
  /** Values of the cell's top-level declarations, by name. */
  readonly outputs: ReadonlyMap<string, unknown>;
  /** The value of an expression cell, awaited when it was a promise. Undefined for other cells. */
  readonly value: unknown;
}

export interface CompiledCell {
  readonly id: string;
  /** Free names the cell reads from other cells, builtins or globals, in order of first use. */
  readonly inputs: readonly string[];
  /** Top-level declarations, which other cells can use. */
  readonly outputs: readonly string[];
  /** True for a cell that is one expression, whose value is displayed. False for a bare `display(…)` call. */
  readonly expression: boolean;
  readonly imports: readonly CellImport[];
  /** Cell builtins (see CELL_BUILTINS) that the source uses. */
  readonly builtins: readonly string[];
  /**
   * Runs the body once. `scope` maps every input, used builtin and imported local name to its
   * value, and a missing name reads as undefined.
   */
  readonly run: (scope: Readonly<Record<string, unknown>>) => Promise<CellResult>;
}

export interface CompileOptions {
  /** 1-based notebook line of the cell's first source line, so errors point into the file. Default 1. */
  readonly line?: number;
}

type AsyncFunctionConstructor = new (...parametersAndBody: string[]) => (...args: unknown[]) => Promise<unknown>;
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as AsyncFunctionConstructor;

const PARSE_OPTIONS: Options = {
  ecmaVersion: "latest",
  sourceType: "module",
  allowAwaitOutsideFunction: true,
  locations: true,
};

interface ParsedCell {
  readonly program: estree.Program;
  /** The cell's only statement when it is an expression statement. */
  readonly expression: estree.Expression | null;
}

/**
 * Compiles a cell's source to a function of its inputs. Returns a CellError of kind `syntax`
 * instead of throwing when the source does not parse or declares something cells cannot.
 */
export function compileCell(source: string, id: string, options: CompileOptions = {}): CompiledCell | CellError {
  const firstLine = options.line ?? 1;
  let parsed: ParsedCell;
  try {
    parsed = parseCellSource(source);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return syntaxError(error, id, firstLine);
  }

  const rejected = findRejectedStatement(parsed.program, id, firstLine);
  if (rejected) return rejected;

  const { program, expression } = parsed;
  const analysis = analyzeCell(program);
  const displaysItself = expression !== null && isDisplayCall(expression);
  const isExpression = expression !== null && !displaysItself;
  const importLocals = analysis.imports.flatMap((entry) => entry.bindings.map((binding) => binding.local));
  const parameters = [...analysis.inputs, ...analysis.builtins, ...importLocals];
  const body = functionBody(source, program, isExpression ? expression : null, analysis.outputs);

  let fn: (...args: unknown[]) => Promise<unknown>;
  try {
    fn = new AsyncFunction(...parameters, body);
  } catch (error) {
    // Reached for the few forms that acorn accepts in a module but a function body rejects, such as import.meta.
    if (!(error instanceof SyntaxError)) throw error;
    return new CellError(`syntax error: ${error.message}`, { kind: "syntax", cellId: id, cause: error });
  }

  const outputs = analysis.outputs;
  return {
    id,
    inputs: analysis.inputs,
    outputs,
    expression: isExpression,
    imports: analysis.imports,
    builtins: analysis.builtins,
    run: async (scope) => {
      const returned = await fn(...parameters.map((name) => (Object.hasOwn(scope, name) ? scope[name] : undefined)));
      if (isExpression) return { outputs: new Map(), value: returned };
      const values = returned as unknown[];
      return { outputs: new Map(outputs.map((name, i) => [name, values[i]])), value: undefined };
    },
  };
}

function parseCellSource(source: string): ParsedCell {
  // `{a: 1}` parses as a block with a label, so a cell starting with `{` is tried as an object expression first.
  if (firstTokenLabel(source) === "{") {
    const expression = parseWholeExpression(source);
    if (expression) {
      const statement: estree.ExpressionStatement = { type: "ExpressionStatement", expression };
      return { program: { type: "Program", sourceType: "module", body: [statement] }, expression };
    }
  }
  const program = parse(source, PARSE_OPTIONS) as unknown as estree.Program;
  const statements = program.body.filter((statement) => statement.type !== "ImportDeclaration");
  const only = statements.length === 1 ? statements[0] : undefined;
  return { program, expression: only?.type === "ExpressionStatement" ? only.expression : null };
}

function firstTokenLabel(source: string): string | undefined {
  try {
    return tokenizer(source, PARSE_OPTIONS).getToken().type.label;
  } catch {
    return undefined;
  }
}

/** Parses the source as one expression, optionally followed by `;`, or returns null. */
function parseWholeExpression(source: string): estree.Expression | null {
  try {
    const expression = parseExpressionAt(source, 0, PARSE_OPTIONS) as unknown as estree.Expression;
    const rest = [...tokenizer(source.slice(nodeEnd(expression)), PARSE_OPTIONS)];
    const onlySemicolon = rest.length === 0 || (rest.length === 1 && rest[0].type.label === ";");
    return onlySemicolon ? expression : null;
  } catch {
    return null;
  }
}

/** Returns an error for top-level statements that parse but have no meaning in a cell. */
function findRejectedStatement(program: estree.Program, id: string, firstLine: number): CellError | undefined {
  for (const statement of program.body) {
    if (statement.type.startsWith("Export")) {
      return new CellError(
        `invalid export at ${locationText(statement, firstLine)} (remove "export", because other cells can already use a cell's top-level declarations)`,
        { kind: "syntax", cellId: id, location: nodeLocation(statement, firstLine) },
      );
    }
    const reserved = declaredNames(statement).filter((name) => CELL_BUILTINS.includes(name));
    if (reserved.length > 0) {
      return new CellError(
        `invalid declaration: ${reserved[0]} at ${locationText(statement, firstLine)} (${reserved[0]} is a builtin of every cell, so choose another name)`,
        { kind: "syntax", cellId: id, names: reserved, location: nodeLocation(statement, firstLine) },
      );
    }
  }
  return undefined;
}

function isDisplayCall(expression: estree.Expression): boolean {
  return expression.type === "CallExpression" && expression.callee.type === "Identifier" && expression.callee.name === "display";
}

/**
 * Builds the async function body: imports are blanked out (their bindings arrive as parameters),
 * and the body returns the expression's value or an array of the outputs in `outputs` order.
 * Blanking keeps every other character at its offset.
 */
function functionBody(
  source: string,
  program: estree.Program,
  expression: estree.Expression | null,
  outputs: readonly string[],
): string {
  let text = source;
  for (const statement of program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const start = nodeStart(statement);
    const end = nodeEnd(statement);
    text = text.slice(0, start) + text.slice(start, end).replace(/[^\r\n]/g, " ") + text.slice(end);
  }
  if (expression) {
    const start = nodeStart(expression);
    const end = nodeEnd(expression);
    text = `${text.slice(0, start)}return (${text.slice(start, end)})${text.slice(end)}`;
  } else {
    text = `${text}\n;return [${outputs.join(", ")}];`;
  }
  // Cells parse as module code, which is strict.
  return `"use strict";${text}`;
}

interface AcornSyntaxError extends SyntaxError {
  pos?: number;
  loc?: { line: number; column: number };
}

function syntaxError(error: AcornSyntaxError, id: string, firstLine: number): CellError {
  const message = error.message.replace(/ \(\d+:\d+\)$/, "");
  if (!error.loc || error.pos === undefined) {
    return new CellError(`syntax error: ${message}`, { kind: "syntax", cellId: id, cause: error });
  }
  const location: SourceLocation = {
    line: firstLine + error.loc.line - 1,
    column: error.loc.column + 1,
    cellLine: error.loc.line,
    offset: error.pos,
  };
  return new CellError(`syntax error at line ${location.line}, column ${location.column}: ${message}`, {
    kind: "syntax",
    cellId: id,
    location,
    cause: error,
  });
}

function nodeLocation(node: estree.Node, firstLine: number): SourceLocation | undefined {
  const start = node.loc?.start;
  if (!start) return undefined;
  return { line: firstLine + start.line - 1, column: start.column + 1, cellLine: start.line, offset: nodeStart(node) };
}

function locationText(node: estree.Node, firstLine: number): string {
  const location = nodeLocation(node, firstLine);
  return location ? `line ${location.line}, column ${location.column}` : "the start of the cell";
}
