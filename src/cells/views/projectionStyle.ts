import type { Rgb } from "../../gpu/scatter/scatterplot.ts";

/**
 * Tableau 10 (the 2016 version), designed with colour-vision deficiencies in mind. Some class
 * pairs may still be hard to tell apart, so the tooltip also names the class.
 */
export const classColours = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
/** Shape code per domain: source circles, target triangles (codes of ScatterData.shape). */
export const domainShapes = [0, 2] as const;

export function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
