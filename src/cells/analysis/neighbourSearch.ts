import type { KernelContext } from "../../gpu/kernels/context.ts";
import { kNearestNeighbours, type Neighbours } from "../../gpu/kernels/knn.ts";
import { approximateNearestNeighbours } from "../../gpu/kernels/nnDescent.ts";
import { InputError } from "../errors.ts";
import type { Matrix } from "../../gpu/kernels/matrix.ts";

/** Nearest-neighbour search of the projections: exact, nearest-neighbour descent, or chosen by point count. */
export type NeighbourSearch = "exact" | "approximate" | "auto";

/**
 * Point count from which "auto" uses nearest-neighbour descent. Exact search costs O(n² · d),
 * and the descent O(n · k · candidates · d) per round. On SwiftShader (2-core VM) the exact
 * kernel took 3.4 s and the descent 7.2 s at 3,000 × 64, but 279 s against 121 s at 10,000 × 256.
 */
export const approximateFrom = 5000;

/** Finds each point's k nearest other points on the GPU with the chosen search, and reports which search ran. */
export async function findNeighbours(
  context: KernelContext,
  points: Matrix,
  k: number,
  search: NeighbourSearch = "auto",
  seed = 0,
): Promise<Neighbours & { search: "exact" | "approximate" }> {
  if (search !== "exact" && search !== "approximate" && search !== "auto") {
    throw new InputError(`invalid neighbour search: ${JSON.stringify(search)} (expected "exact", "approximate" or "auto")`, {
      field: "neighbourSearch",
      value: String(search),
    });
  }
  const approximate = search === "approximate" || (search === "auto" && points.rows >= approximateFrom);
  if (!approximate) return { ...(await kNearestNeighbours(context, points, k)), search: "exact" };
  return { ...(await approximateNearestNeighbours(context, points, k, { seed })), search: "approximate" };
}
