/** Command-line arguments of `carryover run`. */
export interface RunArguments {
  notebook: string;
  out: string;
  /** Parameter overrides, `name=value`; values are parsed as JSON by the notebook when the default is not a string. */
  params: Record<string, string>;
  /** Minutes to wait for the notebook before giving up. */
  timeoutMinutes: number;
}

export const usage = `Usage: carryover run <notebook.md> --out <dir> [--param name=value]... [--timeout minutes]

Runs a notebook in headless Chromium and writes a static folder with its views,
report.json (the recorded results) and summary.json.

  --out <dir>           folder to write (created if missing)
  --param name=value    override a notebook parameter, e.g. --param epochs=2
  --timeout <minutes>   give up after this many minutes (default 30)

Environment: CARRYOVER_CHROMIUM names the Chromium or Chrome executable to use.`;

export class UsageError extends Error {}
UsageError.prototype.name = "UsageError";

export function parseRunArguments(argv: readonly string[]): RunArguments {
  const params: Record<string, string> = {};
  let notebook: string | undefined;
  let out: string | undefined;
  let timeoutMinutes = 30;
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i]!;
    const next = () => {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`missing value for ${argument}`);
      return value;
    };
    if (argument === "--out") out = next();
    else if (argument === "--param") {
      const pair = next();
      const equals = pair.indexOf("=");
      if (equals <= 0) throw new UsageError(`invalid --param: ${JSON.stringify(pair)} (expected name=value, such as epochs=2)`);
      params[pair.slice(0, equals)] = pair.slice(equals + 1);
    } else if (argument === "--timeout") {
      timeoutMinutes = Number(next());
      if (!(timeoutMinutes > 0)) throw new UsageError(`invalid --timeout: ${argv[i]} (expected minutes above 0)`);
    } else if (argument.startsWith("--")) throw new UsageError(`invalid option: ${argument}`);
    else if (notebook === undefined) notebook = argument;
    else throw new UsageError(`invalid argument: ${argument} (only one notebook can be run at a time)`);
  }
  if (!notebook) throw new UsageError("missing notebook path");
  if (!out) throw new UsageError("missing --out <dir>");
  return { notebook, out, params, timeoutMinutes };
}
