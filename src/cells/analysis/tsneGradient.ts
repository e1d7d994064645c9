/**
 * Writes the t-SNE gradient ∂C/∂yᵢ = 4·Σⱼ (α·pᵢⱼ − qᵢⱼ)·(1 + ‖yᵢ − yⱼ‖²)⁻¹·(yᵢ − yⱼ), where
 * α is the exaggeration factor and qᵢⱼ is the normalised Student-t kernel. Only the upper
 * triangle of `kernel` is used.
 */
export function computeGradient(
  y: Float64Array,
  p: Float64Array,
  n: number,
  alpha: number,
  kernel: Float64Array,
  gradient: Float64Array,
): void {
  let normaliser = 0;
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    for (let j = i + 1; j < n; j++) {
      const dx = xi - y[2 * j]!;
      const dy = yi - y[2 * j + 1]!;
      const value = 1 / (1 + dx * dx + dy * dy);
      kernel[i * n + j] = value;
      normaliser += 2 * value;
    }
  }

  gradient.fill(0);
  const inverseNormaliser = 1 / normaliser;
  for (let i = 0; i < n; i++) {
    const xi = y[2 * i]!;
    const yi = y[2 * i + 1]!;
    let gx = 0;
    let gy = 0;
    for (let j = i + 1; j < n; j++) {
      const value = kernel[i * n + j]!;
      const force = 4 * (alpha * p[i * n + j]! - value * inverseNormaliser) * value;
      const fx = force * (xi - y[2 * j]!);
      const fy = force * (yi - y[2 * j + 1]!);
      gx += fx;
      gy += fy;
      gradient[2 * j]! -= fx;
      gradient[2 * j + 1]! -= fy;
    }
    gradient[2 * i]! += gx;
    gradient[2 * i + 1]! += gy;
  }
}

/**
 * Returns the t-SNE cost KL(P‖Q) = Σᵢⱼ pᵢⱼ·ln(pᵢⱼ / qᵢⱼ) of the n × 2 layout `y` for the
 * joint probabilities `p` (full n × n). Cost is O(n²). Tests use it to check the gradient.
 */
export function klDivergence(y: Float64Array, p: Float64Array, n: number): number {
  let normaliser = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      normaliser += 2 / (1 + dx * dx + dy * dy);
    }
  }
  let cost = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const pij = p[i * n + j]!;
      if (pij <= 0) continue;
      const dx = y[2 * i]! - y[2 * j]!;
      const dy = y[2 * i + 1]! - y[2 * j + 1]!;
      const q = 1 / (1 + dx * dx + dy * dy) / normaliser;
      cost += 2 * pij * Math.log(pij / q);
    }
  }
  return cost;
}
