/** The selected points of one plot, as one byte per point (the layout of the GPU state buffer). */
export interface Selection {
  /** 1 for a selected point, 0 otherwise; uploaded as is. */
  readonly mask: Uint8Array;
  readonly count: number;
  /** Replaces the selection by `indices`, or adds them when `add` is true. Throws on an index out of range. */
  set(indices: ArrayLike<number>, add: boolean): void;
  /** Adds the point when it is not selected, removes it when it is. */
  toggle(index: number): void;
  clear(): void;
  /** The selected indices, ascending. */
  indices(): Uint32Array;
}

export function createSelection(pointCount: number): Selection {
  const mask = new Uint8Array(pointCount);
  let count = 0;
  const check = (index: number) => {
    if (!(Number.isInteger(index) && index >= 0 && index < pointCount)) {
      throw new Error(`gpu: invalid selected index: ${index} (expected a whole number from 0 to ${pointCount - 1})`);
    }
  };
  return {
    mask,
    get count() {
      return count;
    },
    set(indices, add) {
      for (let k = 0; k < indices.length; k++) check(indices[k]!);
      if (!add) {
        mask.fill(0);
        count = 0;
      }
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k]!;
        if (mask[i]) continue;
        mask[i] = 1;
        count++;
      }
    },
    toggle(index) {
      check(index);
      mask[index] = mask[index] ? 0 : 1;
      count += mask[index] ? 1 : -1;
    },
    clear() {
      mask.fill(0);
      count = 0;
    },
    indices() {
      const result = new Uint32Array(count);
      for (let i = 0, r = 0; r < count; i++) if (mask[i]) result[r++] = i;
      return result;
    },
  };
}
