import * as Plot from "@observablehq/plot";
import * as tf from "@tensorflow/tfjs";
import * as carryover from "../cells/index.ts";
import type { Library } from "../runtime/index.ts";

/** The modules a notebook cell can import by name. */
export const notebookLibrary: Library = {
  carryover,
  "@tensorflow/tfjs": tf,
  "@observablehq/plot": Plot,
};
