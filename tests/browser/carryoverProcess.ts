import { spawn } from "node:child_process";

export interface Finished {
  code: number | null;
  output: string;
}

/** Runs the command-line tool as a user would, through its bin script; output is stdout and stderr together. */
export function carryover(args: string[]): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["bin/carryover.js", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code, output }));
  });
}
