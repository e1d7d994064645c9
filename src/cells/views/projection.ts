import { createScatterplot, type Bounds, type DragMode, type Scatterplot } from "../../gpu/scatter/scatterplot.ts";
import { InputError } from "../errors.ts";
import { legend, row } from "./projectionLegend.ts";
import { classColours, domainShapes, hexToRgb } from "./projectionStyle.ts";
import { readSelection, writeSelection } from "./selectionStore.ts";
import { createTooltip } from "./tooltip.ts";

export interface ProjectionViewInput {
  /** One n × 2 layout per epoch, row-major, ideally aligned (see projectEpochs). */
  layouts: Float32Array[];
  /** Predicted class of each probe image, one array of n per epoch. */
  predictions: Uint8Array[];
  /** True class of each probe image. */
  labels: Uint8Array;
  /** 0 for a source image, 1 for a target image. */
  domain: Uint8Array;
  /** n × 28 × 28 pixels, row-major, 0 = background, 255 = ink. */
  images: Uint8Array;
  classNames: string[];
  domainNames: [string, string];
  /** Text shown for each epoch, default "epoch k". */
  epochLabels?: string[];
  /**
   * Name under which the selection is kept across views, so that a view created again for the
   * same instances (after a re-run or a cache restore) starts with the same selection.
   * Without it, each view starts with nothing selected.
   */
  selectionKey?: string;
  /** Duration of the animation between epochs in milliseconds. Default 500; 0 jumps. */
  transitionMs?: number;
}

/** The view's value: which instances are selected, and the epoch on show. */
export interface ProjectionSelection {
  /** Indices of the selected instances (rows of the layouts), ascending. */
  indices: Uint32Array;
  epoch: number;
}

export type ProjectionViewElement = HTMLElement & {
  /** The selection now; an `input` event announces each change. */
  readonly value: ProjectionSelection;
  /** Selects instances by index (replacing the selection), as a lasso would. */
  select(indices: ArrayLike<number>): void;
  /** The scatterplot, for tests and benchmarks. */
  readonly plot: Scatterplot;
  dispose(): void;
};

const imageSide = 28;
/** Share of the layouts' extent left free on each side of the plot. */
const margin = 0.05;
/** Most instances whose paths over the epochs are drawn; more would hide the points. */
const maxTraced = 200;

/**
 * Draws the probe set's 2-D layout at one epoch: shape is the domain, colour the true class,
 * a dark ring marks a wrong prediction. A slider chooses the epoch, and the points move there.
 * Hovering shows the image. A drag pans, or draws a lasso or rectangle that selects, and Shift
 * adds to the selection. A click selects one point. Lines trace selected instances across
 * epochs. The element's `value` is the selection, announced with `input` events (see
 * inputValues). Call `dispose()` on the returned element to free its WebGL context. Throws
 * InputError when the arrays disagree in size.
 */
export function projectionView(input: ProjectionViewInput): ProjectionViewElement {
  const n = input.labels.length;
  checkInput(input, n);
  const epochs = input.layouts.length;
  const epochLabels = input.epochLabels ?? input.layouts.map((_, k) => `epoch ${k}`);
  const transitionMs = input.transitionMs ?? 500;

  const root = document.createElement("figure");
  root.dataset.view = "projection";
  root.style.margin = "0.5rem 0";

  const slider = Object.assign(document.createElement("input"), { type: "range", min: "0", max: String(epochs - 1), step: "1" });
  slider.value = String(epochs - 1);
  slider.disabled = epochs < 2;
  slider.setAttribute("aria-label", "epoch");
  const epochText = document.createElement("output");
  epochText.style.minWidth = "6em";
  const accuracyText = document.createElement("span");
  accuracyText.style.color = "#555";
  const resetButton = Object.assign(document.createElement("button"), { type: "button", textContent: "Reset view" });
  const controls = row([slider, epochText, accuracyText, resetButton]);

  const modeButtons = (["pan", "lasso", "rectangle"] as const).map((mode) => {
    const button = Object.assign(document.createElement("button"), { type: "button", textContent: { pan: "Pan", lasso: "Lasso", rectangle: "Rectangle" }[mode] });
    button.dataset.mode = mode;
    return button;
  });
  const clearButton = Object.assign(document.createElement("button"), { type: "button", textContent: "Clear selection" });
  const traceBox = Object.assign(document.createElement("input"), { type: "checkbox", checked: true });
  const traceLabel = document.createElement("label");
  traceLabel.append(traceBox, document.createTextNode(" trace selected across epochs"));
  const selectionText = document.createElement("span");
  selectionText.dataset.role = "selection-count";
  const tools = row([...modeButtons, clearButton, traceLabel, selectionText]);
  tools.style.marginTop = "0.3rem";

  const stage = document.createElement("div");
  stage.style.position = "relative";
  const canvas = document.createElement("canvas");
  canvas.dataset.role = "scatter";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", "2-D projection of the probe images' activations");
  Object.assign(canvas.style, { display: "block", width: "100%", height: "440px", border: "1px solid #e3e3e0", cursor: "grab" });
  const tooltip = createTooltip();
  stage.append(canvas, tooltip.element);

  const caption = document.createElement("figcaption");
  caption.style.fontSize = "0.8rem";
  caption.style.color = "#555";
  caption.textContent = "Drag to pan (or to select, in lasso and rectangle mode; hold Shift to add), scroll to zoom, click a point to select it, hover to see its image.";
  root.append(controls, tools, stage, legend(input.classNames, input.domainNames), caption);

  const bounds = paddedBounds(input.layouts);
  const shapes = Uint8Array.from(input.domain, (d) => domainShapes[d]!);
  let epoch = epochs - 1;
  let hoverPosition: { clientX: number; clientY: number } | undefined;
  let fitted = false;
  let value: ProjectionSelection = { indices: new Uint32Array(0), epoch };

  const announce = () => {
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };

  const updateTrails = () => {
    const selected = plot.selection;
    if (!traceBox.checked || selected.length === 0 || selected.length > maxTraced || epochs < 2) {
      plot.setTrails([]);
      return;
    }
    plot.setTrails(
      Array.from(selected, (i) => {
        const path = new Float32Array(2 * epochs);
        input.layouts.forEach((layout, k) => path.set(layout.subarray(2 * i, 2 * i + 2), 2 * k));
        return path;
      }),
    );
  };

  const onSelect = (indices: Uint32Array) => {
    value = { indices, epoch };
    selectionText.textContent = indices.length === 0 ? "" : `${indices.length} selected`;
    if (input.selectionKey !== undefined) writeSelection(input.selectionKey, indices);
    updateTrails();
    announce();
  };

  const plot: Scatterplot = createScatterplot(canvas, { palette: classColours.map(hexToRgb), pointSize: 7, onSelect });

  const epochData = (k: number) => {
    const layout = input.layouts[k]!;
    const predictions = input.predictions[k]!;
    const x = new Float32Array(n);
    const y = new Float32Array(n);
    const outlined = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = layout[2 * i]!;
      y[i] = layout[2 * i + 1]!;
      outlined[i] = predictions[i] === input.labels[i] ? 0 : 1;
    }
    return { x, y, colour: input.labels, shape: shapes, outlined };
  };

  /** Shows epoch k; the first call sets the data, later ones move the same points and keep the selection. */
  const showEpoch = (k: number, first: boolean) => {
    epoch = k;
    if (first) plot.setData(epochData(k));
    else void plot.transitionTo(epochData(k), transitionMs);
    epochText.textContent = epochLabels[k] ?? `epoch ${k}`;
    accuracyText.textContent = accuracySummary(input, input.predictions[k]!);
    value = { indices: value.indices, epoch };
    plot.draw();
    if (hoverPosition) updateTooltip(hoverPosition);
  };

  const updateTooltip = (position: { clientX: number; clientY: number }) => {
    const index = plot.pick(position.clientX, position.clientY);
    if (index < 0) {
      tooltip.hide();
      return;
    }
    const predicted = input.predictions[epoch]![index]!;
    const rect = canvas.getBoundingClientRect();
    const history = input.predictions.map((predictions) => input.classNames[predictions[index]!] ?? String(predictions[index]));
    tooltip.show({
      pixels: input.images.subarray(index * imageSide * imageSide, (index + 1) * imageSide * imageSide),
      lines: [
        `instance ${index}`,
        `true: ${input.classNames[input.labels[index]!]}`,
        `predicted: ${input.classNames[predicted] ?? predicted}${predicted === input.labels[index] ? "" : " (wrong)"}`,
        `domain: ${input.domainNames[input.domain[index]!]}`,
        ...(epochs > 1 ? [`over epochs: ${history.join(" → ")}`] : []),
      ],
      left: position.clientX - rect.left,
      top: position.clientY - rect.top,
      stageWidth: rect.width,
    });
  };

  const setMode = (mode: DragMode) => {
    plot.dragMode = mode;
    canvas.style.cursor = mode === "pan" ? "grab" : "crosshair";
    for (const button of modeButtons) button.setAttribute("aria-pressed", String(button.dataset.mode === mode));
  };

  const onSlider = (event: Event) => {
    // Listeners of the view's value get the view's own event, sent by announce(), instead.
    event.stopPropagation();
    showEpoch(Number(slider.value), false);
    announce();
  };
  const onReset = () => {
    plot.fitView(bounds);
    plot.draw();
  };
  const onMode = (event: Event) => setMode((event.currentTarget as HTMLElement).dataset.mode as DragMode);
  const onClear = () => plot.select([]);
  const onTrace = (event: Event) => {
    event.stopPropagation();
    updateTrails();
  };
  const onPointerMove = (event: PointerEvent) => {
    if (event.buttons !== 0) {
      hoverPosition = undefined;
      tooltip.hide();
      return;
    }
    hoverPosition = { clientX: event.clientX, clientY: event.clientY };
    updateTooltip(hoverPosition);
  };
  const onPointerLeave = () => {
    hoverPosition = undefined;
    tooltip.hide();
  };
  // The element is usually created before it is attached, so the first real size arrives here.
  const resizeObserver = new ResizeObserver(() => {
    if (plot.destroyed || canvas.clientWidth === 0) return;
    if (!fitted) {
      plot.fitView(bounds);
      fitted = true;
    }
    plot.draw();
  });

  slider.addEventListener("input", onSlider);
  resetButton.addEventListener("click", onReset);
  for (const button of modeButtons) button.addEventListener("click", onMode);
  clearButton.addEventListener("click", onClear);
  traceBox.addEventListener("input", onTrace);
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerleave", onPointerLeave);
  resizeObserver.observe(canvas);
  plot.fitView(bounds);
  setMode("pan");
  showEpoch(epoch, true);

  if (input.selectionKey !== undefined) {
    const kept = readSelection(input.selectionKey).filter((i) => i < n);
    if (kept.length > 0) plot.select(kept);
  }

  const dispose = () => {
    if (plot.destroyed) return;
    resizeObserver.disconnect();
    slider.removeEventListener("input", onSlider);
    resetButton.removeEventListener("click", onReset);
    for (const button of modeButtons) button.removeEventListener("click", onMode);
    clearButton.removeEventListener("click", onClear);
    traceBox.removeEventListener("input", onTrace);
    canvas.removeEventListener("pointermove", onPointerMove);
    canvas.removeEventListener("pointerleave", onPointerLeave);
    plot.destroy();
  };
  return Object.defineProperties(root, {
    value: { get: () => value, enumerable: true },
    plot: { value: plot },
    select: { value: (indices: ArrayLike<number>) => plot.select(indices) },
    dispose: { value: dispose },
  }) as ProjectionViewElement;
}

function checkInput(input: ProjectionViewInput, n: number): void {
  const fail = (thing: string, value: string | number, expected: string): never => {
    throw new InputError(`invalid ${thing}: ${value} (expected ${expected})`, { field: thing, value: String(value) });
  };
  if (input.layouts.length === 0) fail("layouts count", 0, "at least one epoch");
  if (input.predictions.length !== input.layouts.length) fail("predictions count", input.predictions.length, `${input.layouts.length}, one per layout`);
  input.layouts.forEach((layout, k) => {
    if (layout.length !== 2 * n) fail(`layouts[${k}] length`, layout.length, `2 × ${n}, an x and y per probe image`);
  });
  input.predictions.forEach((predictions, k) => {
    if (predictions.length !== n) fail(`predictions[${k}] length`, predictions.length, `${n}, one per probe image`);
  });
  if (input.domain.length !== n) fail("domain length", input.domain.length, `${n}, one per probe image`);
  if (input.images.length !== n * imageSide * imageSide) fail("images length", input.images.length, `${n} × 784, one 28 × 28 image per probe image`);
  if (input.classNames.length > classColours.length) fail("class count", input.classNames.length, `at most ${classColours.length}, the palette size`);
  const badLabel = input.labels.findIndex((label) => label >= input.classNames.length);
  if (badLabel >= 0) fail(`label at probe image ${badLabel}`, input.labels[badLabel]!, `0 to ${input.classNames.length - 1}, an index into classNames`);
  const badDomain = input.domain.findIndex((d) => d > 1);
  if (badDomain >= 0) fail(`domain at probe image ${badDomain}`, input.domain[badDomain]!, "0 (source) or 1 (target)");
  if (input.epochLabels && input.epochLabels.length !== input.layouts.length) fail("epochLabels count", input.epochLabels.length, `${input.layouts.length}, one per layout`);
}

/** Returns the box around every epoch's layout, so that the camera stays put while the slider moves. */
function paddedBounds(layouts: Float32Array[]): Bounds {
  let xMin = Number.POSITIVE_INFINITY;
  let xMax = Number.NEGATIVE_INFINITY;
  let yMin = Number.POSITIVE_INFINITY;
  let yMax = Number.NEGATIVE_INFINITY;
  for (const layout of layouts) {
    for (let i = 0; i < layout.length; i += 2) {
      xMin = Math.min(xMin, layout[i]!);
      xMax = Math.max(xMax, layout[i]!);
      yMin = Math.min(yMin, layout[i + 1]!);
      yMax = Math.max(yMax, layout[i + 1]!);
    }
  }
  if (!Number.isFinite(xMin)) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const padX = (xMax - xMin) * margin || 1;
  const padY = (yMax - yMin) * margin || 1;
  return { xMin: xMin - padX, xMax: xMax + padX, yMin: yMin - padY, yMax: yMax + padY };
}

function accuracySummary(input: ProjectionViewInput, predictions: Uint8Array): string {
  const parts = input.domainNames.map((name, d) => {
    let total = 0;
    let correct = 0;
    for (let i = 0; i < input.labels.length; i++) {
      if (input.domain[i] !== d) continue;
      total++;
      if (predictions[i] === input.labels[i]) correct++;
    }
    return total === 0 ? `${name}: no images` : `${name}: ${((100 * correct) / total).toFixed(1)} % correct`;
  });
  return parts.join(" · ");
}

