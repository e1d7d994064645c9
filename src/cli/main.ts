import { parseRunArguments, usage, UsageError } from "./arguments.ts";
import { buildSite } from "./build.ts";
import { buildUsage, parseBuildArguments } from "./buildArguments.ts";
import { runNotebook } from "./run.ts";

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(`${usage}\n\n${buildUsage}`);
    return command === undefined ? 2 : 0;
  }
  if (command !== "run" && command !== "build") {
    console.error(`invalid command: ${command} (expected "run" or "build")\n\n${usage}\n\n${buildUsage}`);
    return 2;
  }
  try {
    return command === "run" ? await runNotebook(parseRunArguments(rest)) : await buildSite(parseBuildArguments(rest));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`carryover: ${error.message}\n\n${command === "run" ? usage : buildUsage}`);
      return 2;
    }
    console.error(`carryover: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
