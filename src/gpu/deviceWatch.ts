import * as tf from "@tensorflow/tfjs";

/**
 * Watches the WebGPU device that TensorFlow.js runs on for the two faults a long run meets on
 * real machines: the device being lost (driver reset, GPU process crash, `device.destroy()`)
 * and out-of-memory errors, which WebGPU reports as uncaptured errors instead of throwing.
 * On other backends nothing is watched and both fields stay undefined.
 */
export class DeviceWatch {
  /** Set once the device is lost: the browser's reason ("destroyed" or "unknown") and message. */
  lost: { reason: string; message: string } | undefined;
  /** The first out-of-memory error the device reported while watched. */
  outOfMemory: Error | undefined;
  /** Resolves when the device is lost; never resolves on other backends. */
  readonly whenLost: Promise<void>;
  private readonly device: GPUDevice | undefined;
  private readonly onError = (event: Event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    const isOutOfMemory = typeof GPUOutOfMemoryError !== "undefined" && error instanceof GPUOutOfMemoryError;
    if (isOutOfMemory && this.outOfMemory === undefined) this.outOfMemory = new Error(`GPUOutOfMemoryError: ${error.message}`);
  };

  constructor() {
    this.device = currentWebGpuDevice();
    const device = this.device;
    if (!device) {
      this.whenLost = new Promise(() => {});
      return;
    }
    this.whenLost = device.lost.then((info) => {
      this.lost = { reason: String(info.reason), message: info.message };
    });
    device.addEventListener("uncapturederror", this.onError);
  }

  stop(): void {
    this.device?.removeEventListener("uncapturederror", this.onError);
  }
}

/** The GPUDevice of TensorFlow.js's WebGPU backend, when that backend is the active one. */
export function currentWebGpuDevice(): GPUDevice | undefined {
  if (tf.getBackend() !== "webgpu") return undefined;
  return (tf.backend() as unknown as { device?: GPUDevice }).device;
}

/**
 * Replaces a lost WebGPU device with a new one: removes TensorFlow.js's "webgpu" backend,
 * registers its factory again and switches to it, so the factory requests a new adapter and
 * device. Tensors that lived on the lost device are gone; callers upload what they need again.
 */
export async function reacquireWebGpu(): Promise<void> {
  const factory = tf.findBackendFactory("webgpu");
  if (!factory) throw new Error("webgpu backend not registered: import @tensorflow/tfjs-backend-webgpu before training");
  const software = tf.env().getBool("WEBGPU_CONV_SEPARATE_IM2COL_SHADER");
  tf.removeBackend("webgpu");
  // Priority 3 is the one tfjs-backend-webgpu 4.22 registers with.
  tf.registerBackend("webgpu", factory, 3);
  if (!(await tf.setBackend("webgpu"))) {
    throw new Error("failed to re-acquire a WebGPU device after the device was lost (navigator.gpu.requestAdapter or requestDevice failed)");
  }
  await tf.ready();
  tf.env().set("WEBGPU_CONV_SEPARATE_IM2COL_SHADER", software);
}
