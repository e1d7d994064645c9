import { describe, expect, it } from "vitest";
import { Warnings } from "../../../src/runtime/cache/index.ts";

describe("Warnings", () => {
  it("passes each message to the sink once", () => {
    const sunk: string[] = [];
    const warnings = new Warnings((message) => sunk.push(message));
    warnings.warn("first");
    warnings.warn("second");
    warnings.warn("first");
    expect(sunk).toEqual(["first", "second"]);
  });

  it("counts every report", () => {
    const warnings = new Warnings(() => {});
    const { warn } = warnings;
    warn("first");
    warn("first");
    warn("second");
    expect(warnings.count("first")).toBe(2);
    expect(warnings.count("second")).toBe(1);
    expect(warnings.count("never")).toBe(0);
    expect(warnings.total).toBe(3);
    expect(warnings.messages).toEqual(["first", "second"]);
  });
});
