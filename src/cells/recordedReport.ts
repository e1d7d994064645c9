import { describeValue, InputError } from "./errors.ts";
import type { RunReport } from "./report.ts";
import { reportFormatVersion } from "./version.ts";

/** Side of the square probe images, in pixels. */
const imageSide = 28;
const seriesKeys = {
  sourceModel: ["sourceTrain", "sourceVal", "target"],
  targetModel: ["targetTrain", "targetVal", "source"],
} as const;

/**
 * Checks every field of a recorded report that a view reads: types, array kinds and the
 * sizes that must agree (n probe images, C classes, one layout per epoch). Reports from a
 * session written elsewhere go through this before any view draws them, so a missing or
 * mis-sized array is named here instead of failing inside a view. Throws InputError.
 */
export function checkRecordedReport(value: unknown, file: string): RunReport {
  const fail = (field: string, problem: string): never => {
    throw new InputError(`${problem} in ${file} at report.${field}. The session is incomplete or was written for another version; record it again.`, { file, field: `report.${field}` });
  };
  const object = (field: string, item: unknown): Record<string, unknown> => {
    if (item === undefined) return fail(field, `missing report.${field}`);
    if (typeof item !== "object" || item === null || Array.isArray(item)) return fail(field, `invalid report.${field}: ${describeValue(item)} (expected an object)`);
    return item as Record<string, unknown>;
  };
  const number = (field: string, item: unknown): number => {
    if (item === undefined) return fail(field, `missing report.${field}`);
    return typeof item === "number" ? item : fail(field, `invalid report.${field}: ${describeValue(item)} (expected a number)`);
  };
  const string = (field: string, item: unknown): string => {
    if (item === undefined) return fail(field, `missing report.${field}`);
    return typeof item === "string" ? item : fail(field, `invalid report.${field}: ${describeValue(item)} (expected a string)`);
  };
  const array = <T>(field: string, item: unknown, kind: { new (length: number): T; name: string }, length: number): T => {
    if (item === undefined) return fail(field, `missing array report.${field}`);
    if (!(item instanceof kind)) return fail(field, `invalid report.${field}: ${describeValue(item)} (expected a ${kind.name})`);
    const actual = (item as unknown as ArrayLike<number>).length;
    if (actual !== length) fail(field, `invalid report.${field}: ${actual} elements (expected ${length})`);
    return item;
  };
  const below = (field: string, values: ArrayLike<number>, limit: number) => {
    for (let i = 0; i < values.length; i++) if (values[i]! >= limit) fail(field, `invalid report.${field}[${i}]: ${values[i]} (expected below ${limit})`);
  };

  const report = object("", value);
  if (report.formatVersion !== reportFormatVersion) {
    fail("formatVersion", `invalid report.formatVersion: ${describeValue(report.formatVersion)} (expected ${reportFormatVersion})`);
  }
  string("carryoverVersion", report.carryoverVersion);
  string("backend", report.backend);
  string("status", report.status);
  const params = object("params", report.params);
  number("params.epochs", params.epochs);
  number("params.seed", params.seed);

  if (!Array.isArray(report.classNames) || report.classNames.length === 0 || report.classNames.some((name) => typeof name !== "string")) {
    fail("classNames", `invalid report.classNames: ${describeValue(report.classNames)} (expected a list of class names)`);
  }
  const classes = (report.classNames as string[]).length;
  if (!Array.isArray(report.domainNames) || report.domainNames.length !== 2 || report.domainNames.some((name) => typeof name !== "string")) {
    fail("domainNames", `invalid report.domainNames: ${describeValue(report.domainNames)} (expected two domain names)`);
  }

  const probe = object("probe", report.probe);
  const labels = probe.labels;
  if (!(labels instanceof Uint8Array)) fail("probe.labels", labels === undefined ? "missing array report.probe.labels" : `invalid report.probe.labels: ${describeValue(labels)} (expected a Uint8Array)`);
  const n = (labels as Uint8Array).length;
  below("probe.labels", labels as Uint8Array, classes);
  below("probe.domainIndex", array("probe.domainIndex", probe.domainIndex, Uint8Array, n), 2);
  array("probe.images", probe.images, Uint8Array, n * imageSide * imageSide);

  if (!Array.isArray(report.snapshots) || report.snapshots.length === 0) {
    fail("snapshots", `invalid report.snapshots: ${describeValue(report.snapshots)} (expected a list of one snapshot per epoch, starting at epoch 0)`);
  }
  (report.snapshots as unknown[]).forEach((item, k) => {
    const at = `snapshots[${k}]`;
    const snapshot = object(at, item);
    number(`${at}.epoch`, snapshot.epoch);
    number(`${at}.elapsedMs`, snapshot.elapsedMs);
    if (snapshot.trainLoss !== null) number(`${at}.trainLoss`, snapshot.trainLoss);
    for (const metric of ["accuracy", "loss"] as const) {
      const series = object(`${at}.${metric}`, snapshot[metric]);
      for (const [model, sets] of Object.entries(seriesKeys)) {
        const values = object(`${at}.${metric}.${model}`, series[model]);
        for (const set of sets) number(`${at}.${metric}.${model}.${set}`, values[set]);
      }
    }
    const perClass = object(`${at}.perClass`, snapshot.perClass);
    const confusion = object(`${at}.confusion`, snapshot.confusion);
    for (const domain of ["target", "source"] as const) {
      array(`${at}.perClass.${domain}`, perClass[domain], Float32Array, classes);
      array(`${at}.confusion.${domain}`, confusion[domain], Uint32Array, classes * classes);
    }
    const recorded = object(`${at}.probe`, snapshot.probe);
    below(`${at}.probe.predictions`, array(`${at}.probe.predictions`, recorded.predictions, Uint8Array, n), classes);
    const dimension = number(`${at}.probe.dimension`, recorded.dimension);
    if (!Number.isSafeInteger(dimension) || dimension < 0) fail(`${at}.probe.dimension`, `invalid report.${at}.probe.dimension: ${dimension} (expected a whole number)`);
    array(`${at}.probe.activations`, recorded.activations, Float32Array, n * dimension);
    if (!Array.isArray(snapshot.weights)) fail(`${at}.weights`, `invalid report.${at}.weights: ${describeValue(snapshot.weights)} (expected a list)`);
    (snapshot.weights as unknown[]).forEach((weight, w) => {
      const field = `${at}.weights[${w}]`;
      const entry = object(field, weight);
      string(`${field}.name`, entry.name);
      const shape = entry.shape;
      if (!Array.isArray(shape) || shape.some((size) => !Number.isSafeInteger(size) || size < 0)) fail(`${field}.shape`, `invalid report.${field}.shape: ${describeValue(shape)} (expected a list of sizes)`);
      array(`${field}.values`, entry.values, Float32Array, (shape as number[]).reduce((a, b) => a * b, 1));
    });
  });

  if (report.projection !== undefined) {
    const projection = object("projection", report.projection);
    string("projection.method", projection.method);
    const layouts = projection.layouts;
    if (!Array.isArray(layouts) || layouts.length > (report.snapshots as unknown[]).length) {
      fail("projection.layouts", `invalid report.projection.layouts: ${describeValue(layouts)} (expected at most one layout per snapshot)`);
    }
    (layouts as unknown[]).forEach((layout, k) => array(`projection.layouts[${k}]`, layout, Float32Array, 2 * n));
  }
  return report as unknown as RunReport;
}
