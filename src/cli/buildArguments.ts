import { parseRunArguments, UsageError, type RunArguments } from "./arguments.ts";

/** Command-line arguments of `carryover build`: either a notebook to run, or a recorded session. */
export type BuildArguments = (RunArguments & { session?: undefined }) | { session: string; out: string };

export const buildUsage = `Usage: carryover build <notebook.md> --out <dir> [--param name=value]... [--timeout minutes]
       carryover build --session <file.carryover> --out <dir>

Writes a static site that replays a notebook's recorded results: every view, the
epoch scrubber, no training and no notebook code. With a notebook, it runs the
notebook headless first (as carryover run does); with --session, it publishes a
session saved from the page or written by the session writer.

  --out <dir>           folder to write (created if missing)
  --session <file>      publish this session file instead of running a notebook
  --param name=value    override a notebook parameter, e.g. --param epochs=2
  --timeout <minutes>   give up the run after this many minutes (default 30)

Serve the folder with any static file server, at any path. After the first visit
the site works offline.`;

export function parseBuildArguments(argv: readonly string[]): BuildArguments {
  const rest: string[] = [];
  let session: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] !== "--session") {
      rest.push(argv[i]!);
      continue;
    }
    session = argv[++i];
    if (session === undefined) throw new UsageError("missing value for --session");
  }
  if (session === undefined) return parseRunArguments(rest);

  let out: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === "--out") {
      out = rest[++i];
      if (out === undefined) throw new UsageError("missing value for --out");
    } else {
      throw new UsageError(`invalid argument with --session: ${rest[i]} (a session is published as recorded; it takes no notebook, --param or --timeout)`);
    }
  }
  if (!out) throw new UsageError("missing --out <dir>");
  return { session, out };
}
