import { InputError } from "../errors.ts";
import { shuffle, type Seed } from "../random.ts";
import { checkMatrix } from "./checks.ts";
import { fitLogisticRegression, predictProbabilities, type LogisticRegressionOptions } from "./logisticRegression.ts";

export interface ProxyADistance {
  /** d_A = 2(1 − 2e). Near 0: the domains look alike at this layer; 2: a linear classifier separates them. */
  distance: number;
  /** Held-out error e of the linear domain classifier, 0 to 1. */
  error: number;
  trainRows: number;
  testRows: number;
}

export interface ProxyADistanceOptions extends LogisticRegressionOptions {
  /** Seed of the train/test split. Default 0. */
  seed?: Seed;
  /** Share of each domain's rows held out for the error. Default 0.5. */
  testFraction?: number;
}

/**
 * Computes the proxy A-distance between the source rows (domain 0) and the target rows
 * (domain 1) of `activations` (n × d), as in Ben-David et al. 2007, "Analysis of
 * Representations for Domain Adaptation": d_A = 2(1 − 2e), with e the error of a linear domain
 * classifier (logistic regression) on held-out rows. The split is stratified by domain and
 * seeded.
 * NOTE: d_A is not clipped. A value below 0 means the classifier did worse than chance on the
 * held-out rows, which sampling noise produces when the domains are alike.
 */
export function proxyADistance(activations: Float32Array, n: number, d: number, domainIndex: ArrayLike<number>, options: ProxyADistanceOptions = {}): ProxyADistance {
  checkMatrix("activations", activations, n, d);
  const testFraction = options.testFraction ?? 0.5;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new InputError(`invalid testFraction: ${testFraction} (expected a number between 0 and 1, such as 0.5)`, { field: "testFraction", value: String(testFraction) });
  }
  const byDomain = domainRows(domainIndex, n);
  const train: number[] = [];
  const test: number[] = [];
  byDomain.forEach((rows, domain) => {
    const order = shuffle(rows, `${options.seed ?? 0}/${domain}`);
    const testCount = Math.max(1, Math.round(order.length * testFraction));
    if (testCount >= order.length) {
      throw new InputError(`invalid probe set: domain ${domain} has ${order.length} rows (expected at least 2, to train and to test the domain classifier)`, {
        field: "domainIndex",
      });
    }
    test.push(...order.slice(0, testCount));
    train.push(...order.slice(testCount));
  });

  const model = fitLogisticRegression(gatherRows(activations, d, train), train.length, d, train.map((row) => domainIndex[row]!), options);
  const probabilities = predictProbabilities(model, gatherRows(activations, d, test), test.length);
  let wrong = 0;
  test.forEach((row, i) => {
    if ((probabilities[i]! >= 0.5 ? 1 : 0) !== domainIndex[row]) wrong++;
  });
  const error = wrong / test.length;
  return { distance: 2 * (1 - 2 * error), error, trainRows: train.length, testRows: test.length };
}

export interface NeuronRanking {
  /** Neuron (column) indices, most domain-separating first. */
  order: Uint32Array;
  /** Classifier weight of each neuron on standardised activations; positive leans to the target domain. */
  weights: Float64Array;
}

/**
 * Ranks the neurons (columns of `activations`, n × d) by how strongly a linear domain
 * classifier fitted on all rows relies on them: by |weight| on standardised activations, ties
 * by lower index. With `rows`, only those rows are used, such as the probe images of one class.
 */
export function rankNeuronsByDomain(
  activations: Float32Array,
  n: number,
  d: number,
  domainIndex: ArrayLike<number>,
  options: LogisticRegressionOptions & { rows?: readonly number[] } = {},
): NeuronRanking {
  checkMatrix("activations", activations, n, d);
  const rows = options.rows ?? Array.from({ length: n }, (_, i) => i);
  const byDomain = domainRows(Array.from(rows, (row) => domainIndex[row]!), rows.length);
  if (byDomain.some((domainRows) => domainRows.length === 0)) {
    throw new InputError("invalid rows: the selected rows come from one domain only (expected rows of both domains to rank neurons)", { field: "rows" });
  }
  const model = fitLogisticRegression(gatherRows(activations, d, rows), rows.length, d, rows.map((row) => domainIndex[row]!), options);
  const order = Uint32Array.from({ length: d }, (_, i) => i).sort((a, b) => Math.abs(model.weights[b]!) - Math.abs(model.weights[a]!) || a - b);
  return { order, weights: model.weights };
}

/** Splits row indices by domain (0 source, 1 target), rejecting other values. */
function domainRows(domainIndex: ArrayLike<number>, n: number): [number[], number[]] {
  if (domainIndex.length !== n) {
    throw new InputError(`invalid domainIndex length: ${domainIndex.length} (expected one entry per row, ${n})`, { field: "domainIndex", value: String(domainIndex.length) });
  }
  const rows: [number[], number[]] = [[], []];
  for (let i = 0; i < n; i++) {
    const domain = domainIndex[i];
    if (domain !== 0 && domain !== 1) {
      throw new InputError(`invalid domainIndex value: ${domain} at row ${i} (expected 0 for source or 1 for target)`, { field: "domainIndex", value: String(domain) });
    }
    rows[domain].push(i);
  }
  return rows;
}

function gatherRows(data: Float32Array, d: number, rows: readonly number[]): Float32Array {
  const gathered = new Float32Array(rows.length * d);
  rows.forEach((row, i) => gathered.set(data.subarray(row * d, (row + 1) * d), i * d));
  return gathered;
}
