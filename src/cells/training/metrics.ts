/**
 * Snapshot arithmetic on typed arrays: accuracy, per-class accuracy, confusion counts.
 * Predictions and labels are class indices in 0..classCount-1.
 */

export function accuracy(predictions: Uint8Array, labels: Uint8Array): number {
  checkSameLength(predictions, labels);
  if (labels.length === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Returns a row-major classCount × classCount matrix: entry [true, predicted] counts instances. */
export function confusionMatrix(predictions: Uint8Array, labels: Uint8Array, classCount: number): Uint32Array {
  checkSameLength(predictions, labels);
  const matrix = new Uint32Array(classCount * classCount);
  for (let i = 0; i < labels.length; i++) {
    const truth = labels[i]!;
    const predicted = predictions[i]!;
    if (truth >= classCount || predicted >= classCount) {
      throw new RangeError(`invalid class index: ${Math.max(truth, predicted)} at instance ${i} (expected 0..${classCount - 1})`);
    }
    matrix[truth * classCount + predicted]!++;
  }
  return matrix;
}

/** Returns the accuracy of each class from a confusion matrix; NaN for a class with no instances. */
export function perClassAccuracy(confusion: Uint32Array, classCount: number): Float32Array {
  const result = new Float32Array(classCount);
  for (let truth = 0; truth < classCount; truth++) {
    let total = 0;
    for (let predicted = 0; predicted < classCount; predicted++) total += confusion[truth * classCount + predicted]!;
    result[truth] = total === 0 ? Number.NaN : confusion[truth * classCount + truth]! / total;
  }
  return result;
}

export interface Confusion {
  predicted: number;
  count: number;
}

/** Lists the wrong predictions for one true class, most frequent first; ties go to the lower class index. */
export function topConfusions(confusion: Uint32Array, classCount: number, truth: number, limit = 3): Confusion[] {
  const found: Confusion[] = [];
  for (let predicted = 0; predicted < classCount; predicted++) {
    const count = confusion[truth * classCount + predicted]!;
    if (predicted !== truth && count > 0) found.push({ predicted, count });
  }
  found.sort((a, b) => b.count - a.count || a.predicted - b.predicted);
  return found.slice(0, limit);
}

/**
 * Transferability: the best validation accuracy the fine-tuned model reaches on the target
 * minus the best accuracy of the source model on the target. Positive means fine-tuning helped.
 */
export function transferabilityScore(targetModelOnTarget: readonly number[], sourceModelOnTarget: readonly number[]): number {
  if (targetModelOnTarget.length === 0 || sourceModelOnTarget.length === 0) return Number.NaN;
  return Math.max(...targetModelOnTarget) - Math.max(...sourceModelOnTarget);
}

function checkSameLength(predictions: Uint8Array, labels: Uint8Array): void {
  if (predictions.length !== labels.length) {
    throw new RangeError(`invalid predictions: length ${predictions.length} (expected ${labels.length}, one per label)`);
  }
}
