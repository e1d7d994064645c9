import { expect, test } from "vitest";
import { parseRunArguments } from "../../../src/cli/arguments.ts";

test("run arguments with overrides", () => {
  const parsed = parseRunArguments(["notebooks/digits.md", "--out", "out/digits", "--param", "epochs=2", "--param", 'frozenLayers=["conv1"]']);
  expect(parsed).toEqual({
    notebook: "notebooks/digits.md",
    out: "out/digits",
    params: { epochs: "2", frozenLayers: '["conv1"]' },
    timeoutMinutes: 30,
  });
});

test.each([
  [["--out", "x"], "missing notebook path"],
  [["a.md"], "missing --out <dir>"],
  [["a.md", "--out"], "missing value for --out"],
  [["a.md", "--out", "x", "--param", "epochs"], 'invalid --param: "epochs" (expected name=value'],
  [["a.md", "--out", "x", "--timeout", "soon"], "invalid --timeout: soon"],
  [["a.md", "b.md", "--out", "x"], "invalid argument: b.md"],
  [["a.md", "--out", "x", "--fast"], "invalid option: --fast"],
])("bad arguments %j", (argv, message) => {
  expect(() => parseRunArguments(argv)).toThrow(message);
});
