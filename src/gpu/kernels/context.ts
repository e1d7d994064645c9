import type { Tiling } from "./tiledPairs.ts";

/**
 * Shared state of the WGSL compute kernels: the borrowed GPUDevice, compiled pipelines keyed
 * by shader text, and a count of the buffers the kernels created and have not destroyed yet.
 * Kernel functions create their buffers in a {@link KernelScope}, which destroys them when the
 * call settles, so `liveBuffers` returns to its earlier value whether the call returned or threw.
 */
export class KernelContext {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  /** Changed only by KernelScope and by owners of long-lived kernel state. */
  live = 0;
  private disposed = false;

  /** Layout of the all-pairs kernels (distances, correlation, CKA). */
  readonly tiling: Tiling;

  /**
   * `device` is borrowed: the context never destroys it. `tiling` defaults to "registers" on a
   * fallback (software) adapter such as SwiftShader and to "workgroup" otherwise.
   */
  constructor(
    readonly device: GPUDevice,
    options: { tiling?: Tiling } = {},
  ) {
    const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo & { isFallbackAdapter?: boolean } }).adapterInfo;
    const software = Boolean(info?.isFallbackAdapter) || info?.architecture === "swiftshader";
    this.tiling = options.tiling ?? (software ? "registers" : "workgroup");
  }

  /** Number of buffers created through this context and not destroyed yet. */
  get liveBuffers(): number {
    return this.live;
  }

  /** Returns the compute pipeline of `code`, compiling it on first use. */
  pipeline(code: string): GPUComputePipeline {
    this.checkOpen();
    let pipeline = this.pipelines.get(code);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code });
      pipeline = this.device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
      this.pipelines.set(code, pipeline);
    }
    return pipeline;
  }

  /**
   * Runs `body` with a fresh scope and destroys every buffer the scope created afterwards.
   * Commands still encoded but not submitted are submitted before the buffers go.
   */
  async scoped<T>(body: (scope: KernelScope) => Promise<T>): Promise<T> {
    this.checkOpen();
    const scope = new KernelScope(this);
    return this.checked(async () => {
      try {
        return await body(scope);
      } finally {
        scope.close();
      }
    });
  }

  /**
   * Runs `body` and rejects if the device reported an error meanwhile. WebGPU reports invalid
   * shaders, bindings and allocations asynchronously, not as exceptions, so without this check
   * a broken kernel would return zeros.
   */
  async checked<T>(body: () => Promise<T>): Promise<T> {
    this.checkOpen();
    this.device.pushErrorScope("out-of-memory");
    this.device.pushErrorScope("validation");
    let result: T;
    try {
      result = await body();
    } finally {
      const validation = await this.device.popErrorScope();
      const memory = await this.device.popErrorScope();
      const error = validation ?? memory;
      if (error) throw new Error(`webgpu kernel: the device reported an error: ${error.message}`);
    }
    return result;
  }

  /** Drops the compiled pipelines; the device stays with its owner. Safe to call twice. */
  dispose(): void {
    this.pipelines.clear();
    this.disposed = true;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error("webgpu kernel: KernelContext used after dispose; create a new one for the device");
  }
}

/**
 * Buffers and one command encoder for one kernel call. `dispatch` encodes passes; `read`
 * submits what was encoded and copies a buffer back. `close` destroys every buffer.
 */
export class KernelScope {
  private readonly buffers: GPUBuffer[] = [];
  private encoder: GPUCommandEncoder | undefined;

  constructor(readonly context: KernelContext) {}

  get device(): GPUDevice {
    return this.context.device;
  }

  /** Creates a storage buffer of at least `byteLength` bytes, filled from `data` when given. */
  buffer(byteLength: number, data?: ArrayBufferView): GPUBuffer {
    // Bindings need a non-zero size that is a multiple of 4.
    const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
    const limit = this.device.limits.maxStorageBufferBindingSize;
    if (size > limit) {
      throw new Error(
        `webgpu kernel: a buffer of ${size} bytes exceeds this device's maxStorageBufferBindingSize of ${limit}; split the input into smaller blocks`,
      );
    }
    const buffer = this.track(this.device.createBuffer({ size, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST }));
    if (data) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** Creates a uniform buffer holding `data`, padded to 16 bytes. */
  uniform(data: ArrayBufferView): GPUBuffer {
    const size = Math.max(16, Math.ceil(data.byteLength / 16) * 16);
    const buffer = this.track(this.device.createBuffer({ size, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST }));
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** Encodes one compute pass of `code` over `workgroups`, with `bindings` bound in order from 0. */
  dispatch(code: string, bindings: GPUBuffer[], workgroups: [number, number?, number?]): void {
    const pipeline = this.context.pipeline(code);
    const bindGroup = this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: bindings.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    this.encoder ??= this.device.createCommandEncoder();
    const pass = this.encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    pass.end();
  }

  /** Encodes a copy of `byteLength` bytes from `source` at `sourceOffset` to the start of `destination`. */
  copy(source: GPUBuffer, sourceOffset: number, destination: GPUBuffer, byteLength: number): void {
    this.encoder ??= this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(source, sourceOffset, destination, 0, byteLength);
  }

  /** Submits the passes encoded so far. */
  submit(): void {
    if (!this.encoder) return;
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
  }

  /** Submits the encoded passes and copies the first `byteLength` bytes of `buffer` back. */
  async read(buffer: GPUBuffer, byteLength: number): Promise<ArrayBuffer> {
    const size = Math.max(4, Math.ceil(byteLength / 4) * 4);
    const staging = this.track(this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
    this.encoder ??= this.device.createCommandEncoder();
    this.encoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
    this.submit();
    await staging.mapAsync(GPUMapMode.READ);
    const copy = staging.getMappedRange().slice(0, byteLength);
    staging.unmap();
    return copy;
  }

  async readFloat32(buffer: GPUBuffer, length: number): Promise<Float32Array> {
    return new Float32Array(await this.read(buffer, length * 4));
  }

  async readUint32(buffer: GPUBuffer, length: number): Promise<Uint32Array> {
    return new Uint32Array(await this.read(buffer, length * 4));
  }

  /** Submits anything still encoded and destroys every buffer of the scope. */
  close(): void {
    try {
      this.submit();
    } finally {
      for (const buffer of this.buffers) buffer.destroy();
      this.context.live -= this.buffers.length;
      this.buffers.length = 0;
    }
  }

  private track(buffer: GPUBuffer): GPUBuffer {
    this.buffers.push(buffer);
    this.context.live += 1;
    return buffer;
  }
}

/** Number of workgroups of `size` invocations that cover `count` items. */
export function workgroupsFor(count: number, size: number): number {
  return Math.max(1, Math.ceil(count / size));
}
