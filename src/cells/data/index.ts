export * from "./types.ts";
export * from "./gzip.ts";
export * from "./idx.ts";
export * from "./mnist.ts";
export * from "./uciDigits.ts";
export * from "./splits.ts";
export * from "./load.ts";
