import { beforeAll, describe, expect, test } from "vitest";
import { KernelContext, KernelScope } from "../../../src/gpu/kernels/context.ts";
import { kernelContext, gpuTestTimeout } from "./device.ts";

let context: KernelContext;
beforeAll(async () => {
  context = await kernelContext();
});

describe("KernelContext", { timeout: gpuTestTimeout }, () => {
  test("scope destroys its buffers after return", async () => {
    const inside = await context.scoped(async (scope) => {
      scope.buffer(64);
      scope.uniform(new Uint32Array([1]));
      return context.liveBuffers;
    });
    expect(inside).toBe(2);
    expect(context.liveBuffers).toBe(0);
  });

  test("scope destroys its buffers after a throw", async () => {
    await expect(
      context.scoped(async (scope) => {
        scope.buffer(64);
        throw new Error("body failed");
      }),
    ).rejects.toThrow("body failed");
    expect(context.liveBuffers).toBe(0);
  });

  test("invalid shader rejects instead of returning zeros", async () => {
    const call = context.scoped(async (scope) => {
      const output = scope.buffer(4);
      scope.dispatch("@compute @workgroup_size(1) fn main() { let layout = 1; }", [output], [1]);
      return scope.readFloat32(output, 1);
    });
    await expect(call).rejects.toThrow(/webgpu kernel: the device reported an error: .*reserved/s);
    expect(context.liveBuffers).toBe(0);
  });

  test("a leaked scope shows in liveBuffers", async () => {
    const scope = new KernelScope(context);
    scope.buffer(16);
    expect(context.liveBuffers).toBe(1);
    scope.close();
    expect(context.liveBuffers).toBe(0);
  });

  test("use after dispose fails", async () => {
    const own = new KernelContext(context.device);
    own.dispose();
    own.dispose();
    await expect(own.scoped(async () => 1)).rejects.toThrow("KernelContext used after dispose");
  });
});
