import { type KernelScope, workgroupsFor } from "./context.ts";

/**
 * How `encodeScaledColumns` scales each centred column:
 * - "centre": x − mean;
 * - "standardise": (x − mean) / √(Σ(x − mean)²), so a column's dot product with itself is 1
 *   and the dot product of two columns is their Pearson correlation. A constant column
 *   (min = max exactly) becomes all zeros in both modes, because its float32 mean can
 *   differ from its value by a rounding error that would otherwise survive as noise.
 */
export type ColumnScaling = "centre" | "standardise";

function scaleColumnsShader(scaling: ColumnScaling): string {
  const factor = scaling === "centre" ? "select(1.0, 0.0, stat.z == stat.w)" : "select(inverseSqrt(stat.y), 0.0, stat.z == stat.w)";
  return /* wgsl */ `
struct Shape { rows: u32, columns: u32 }
@group(0) @binding(0) var<storage, read> matrix: array<f32>;
@group(0) @binding(1) var<storage, read> stats: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> scaled: array<f32>;
@group(0) @binding(3) var<uniform> shape: Shape;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let index = id.x + id.y * groups.x * 256u;
  if (index >= shape.rows * shape.columns) { return; }
  let stat = stats[index % shape.columns];
  scaled[index] = (matrix[index] - stat.x) * ${factor};
}
`;
}

const shaders = { centre: scaleColumnsShader("centre"), standardise: scaleColumnsShader("standardise") };

/** Encodes the scaled copy of a rows × columns matrix into a new buffer, given its column statistics. */
export function encodeScaledColumns(scope: KernelScope, scaling: ColumnScaling, matrix: GPUBuffer, stats: GPUBuffer, rows: number, columns: number): GPUBuffer {
  const scaled = scope.buffer(rows * columns * 4);
  const shape = scope.uniform(new Uint32Array([rows, columns]));
  scope.dispatch(shaders[scaling], [matrix, stats, scaled, shape], grid(rows * columns));
  return scaled;
}

/**
 * Spreads `count` invocations of workgroups of 256 over x and y, because one dimension
 * allows at most 65,535 workgroups (16.7 million invocations).
 */
export function grid(count: number): [number, number] {
  const groups = workgroupsFor(count, 256);
  if (groups <= 65_535) return [groups, 1];
  return [65_535, Math.ceil(groups / 65_535)];
}
