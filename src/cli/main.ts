import { parseRunArguments, usage, UsageError } from "./arguments.ts";
import { runNotebook } from "./run.ts";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(usage);
    return command === undefined ? 2 : 0;
  }
  if (command !== "run") {
    console.error(`invalid command: ${command} (expected "run")\n\n${usage}`);
    return 2;
  }
  try {
    return await runNotebook(parseRunArguments(rest));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`carryover: ${error.message}\n\n${usage}`);
      return 2;
    }
    console.error(`carryover: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
