import { afterEach, describe, expect, it } from "vitest";
import { disposeNotebooks, startNotebook } from "./harness.ts";

/** An input as a library provides one: yields its current value, then waits for `change(value)`. */
function makeInput(initial: string) {
  let waiting = false;
  let resolveNext: ((value: string) => void) | undefined;
  async function* values() {
    yield initial;
    for (;;) {
      waiting = true;
      const value = await new Promise<string>((resolve) => (resolveNext = resolve));
      waiting = false;
      yield value;
    }
  }
  const generator = Object.assign(values(), { [Symbol.for("carryover.awaitingInput")]: () => waiting });
  return { generator, change: (value: string) => resolveNext!(value) };
}

afterEach(disposeNotebooks);

describe("generator awaiting input", () => {
  it("settles while waiting for the user", async () => {
    const input = makeInput("first");
    const { runtime, value } = startNotebook({ picker: "const choice = input", user: "const shout = choice.toUpperCase()" }, { builtins: { input: input.generator } });
    await runtime.settled();
    expect(value("user", "shout")).toBe("FIRST");
  });

  it("re-runs dependents on each change", async () => {
    const input = makeInput("first");
    const { runtime, value } = startNotebook({ picker: "const choice = input", user: "const shout = choice.toUpperCase()" }, { builtins: { input: input.generator } });
    await runtime.settled();
    input.change("second");
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.settled();
    expect(value("user", "shout")).toBe("SECOND");
    expect(runtime.runCount("user")).toBe(2);
  });
});
