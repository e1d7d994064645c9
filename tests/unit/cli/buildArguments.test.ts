import { expect, test } from "vitest";
import { parseBuildArguments } from "../../../src/cli/buildArguments.ts";

test("build arguments for a notebook", () => {
  expect(parseBuildArguments(["notebooks/digits.md", "--out", "site", "--param", "epochs=2"])).toEqual({
    notebook: "notebooks/digits.md",
    out: "site",
    params: { epochs: "2" },
    timeoutMinutes: 30,
  });
});

test("build arguments for a session", () => {
  expect(parseBuildArguments(["--session", "digits.carryover", "--out", "site"])).toEqual({ session: "digits.carryover", out: "site" });
});

test.each([
  [["--session"], "missing value for --session"],
  [["--session", "a.carryover"], "missing --out <dir>"],
  [["--session", "a.carryover", "--out", "x", "a.md"], "invalid argument with --session: a.md"],
  [["--session", "a.carryover", "--out", "x", "--param", "epochs=2"], "invalid argument with --session: --param"],
  [["--out", "x"], "missing notebook path"],
])("bad build arguments %j", (argv, message) => {
  expect(() => parseBuildArguments(argv)).toThrow(message);
});
