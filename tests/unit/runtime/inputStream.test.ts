import { afterEach, describe, expect, it } from "vitest";
import { inputValues } from "../../../src/cells/views/inputValues.ts";
import { startNotebook, disposeNotebooks } from "./harness.ts";

afterEach(() => {
  disposeNotebooks();
});

/** A stand-in for a view element: an EventTarget with a value that changes on `input`. */
class Knob extends EventTarget {
  value = 1;
  listeners = 0;
  override addEventListener(...args: Parameters<EventTarget["addEventListener"]>): void {
    this.listeners++;
    super.addEventListener(...args);
  }
  override removeEventListener(...args: Parameters<EventTarget["removeEventListener"]>): void {
    this.listeners--;
    super.removeEventListener(...args);
  }
  turn(value: number): void {
    this.value = value;
    this.dispatchEvent(new Event("input"));
  }
}

describe("inputValues", () => {
  it("settles while waiting for input and re-runs dependents on each event", async () => {
    const knob = new Knob();
    const seen: unknown[] = [];
    const { runtime } = startNotebook(
      { view: "const level = inputValues(knob)", user: "record(level * 10)" },
      { builtins: { record: (value: unknown) => seen.push(value), inputValues, knob } },
    );
    await runtime.settled();
    expect(seen).toEqual([10]);

    knob.turn(2);
    await runtime.settled();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await runtime.settled();
    expect(seen).toEqual([10, 20]);
    expect(runtime.runCount("view")).toBe(1);
  });

  it("removes its listener when the cell is removed", async () => {
    const knob = new Knob();
    const { runtime } = startNotebook({ view: "const level = inputValues(knob)" }, { builtins: { inputValues, knob } });
    await runtime.settled();
    expect(knob.listeners).toBe(1);
    runtime.removeCell("view");
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(knob.listeners).toBe(0);
  });
});
