import { describe, expect, test } from "vitest";
import { InputError } from "../../../src/cells/errors.ts";
import { isOutOfMemory, outOfMemoryAdvice } from "../../../src/cells/training/faults.ts";

describe("isOutOfMemory", () => {
  const outOfMemory = [
    new RangeError("Array buffer allocation failed"),
    new RangeError("Invalid typed array length: 4294967296"),
    new RangeError("Invalid array buffer length"),
    new Error("Requested texture size [70000x1] greater than WebGL maximum on this browser / GPU [16384x16384]."),
    new Error("Unable to create WebGLTexture."),
    new Error("GPUOutOfMemoryError: Failed to allocate memory for buffer"),
    new RangeError("Failed to execute 'createBuffer' on 'GPUDevice': createBuffer failed, size (17179869184) is too large for the implementation when mappedAtCreation == true"),
    new Error("CUDA error: out of memory"),
  ];
  test.each(outOfMemory.map((error) => [error.message, error]))("recognises %s", (_, error) => {
    expect(isOutOfMemory(error)).toBe(true);
  });

  const otherErrors = [new Error("loss became NaN"), new TypeError("x is undefined"), "out of memory as a string", undefined];
  test.each(otherErrors.map((error) => [String(error), error]))("rejects %s", (_, error) => {
    expect(isOutOfMemory(error)).toBe(false);
  });
});

describe("outOfMemoryAdvice", () => {
  const advice = outOfMemoryAdvice(new RangeError("Array buffer allocation failed"), { where: "epoch 3, batch 2", batchSize: 64, probeCount: 900, backend: "webgpu" });

  test("names the settings to lower", () => {
    expect(advice).toBeInstanceOf(InputError);
    expect(advice.message).toContain("out of memory on webgpu at epoch 3, batch 2 (batchSize 64, probe set 900 images)");
    expect(advice.message).toContain("Lower batchSize (try 32) or the probe size (try 450 images");
  });

  test("keeps the cause", () => {
    expect((advice.cause as Error).message).toBe("Array buffer allocation failed");
    expect(advice.field).toBe("batchSize");
    expect(advice.value).toBe("64");
  });
});
