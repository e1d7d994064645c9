import { createScatterplot, type Bounds, type Rgb, type Scatterplot } from "../../gpu/scatter/scatterplot.ts";
import { InputError } from "../errors.ts";

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
}

export type ProjectionViewElement = HTMLElement & { dispose(): void };

/**
 * Tableau 10 (the 2016 version), designed with colour-vision deficiencies in mind. Some class
 * pairs may still be hard to tell apart, so the tooltip also names the class.
 */
const classColours = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
/** Shape code per domain: source circles, target triangles (codes of ScatterData.shape). */
const domainShapes = [0, 2] as const;
const imageSide = 28;
/** Share of the layouts' extent left free on each side of the plot. */
const margin = 0.05;

/**
 * Draws the probe set's 2-D layout at one epoch: shape is the domain, colour the true class,
 * a dark ring marks a wrong prediction. A slider chooses the epoch, hovering shows the image,
 * drag pans and the wheel zooms. Call `dispose()` on the returned element to free its
 * WebGL context. Throws InputError when the arrays disagree in size.
 */
export function projectionView(input: ProjectionViewInput): ProjectionViewElement {
  const n = input.labels.length;
  checkInput(input, n);
  const epochs = input.layouts.length;
  const epochLabels = input.epochLabels ?? input.layouts.map((_, k) => `epoch ${k}`);

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
  caption.textContent = "Drag to pan, scroll to zoom, hover a point to see its image.";
  root.append(controls, stage, legend(input), caption);

  const plot: Scatterplot = createScatterplot(canvas, { palette: classColours.map(hexToRgb), pointSize: 7 });
  const bounds = paddedBounds(input.layouts);
  const shapes = Uint8Array.from(input.domain, (d) => domainShapes[d]!);
  let epoch = epochs - 1;
  let hoverPosition: { clientX: number; clientY: number } | undefined;
  let fitted = false;

  const showEpoch = (k: number) => {
    epoch = k;
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
    plot.setData({ x, y, colour: input.labels, shape: shapes, outlined });
    epochText.textContent = epochLabels[k] ?? `epoch ${k}`;
    accuracyText.textContent = accuracySummary(input, predictions);
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
    tooltip.show({
      pixels: input.images.subarray(index * imageSide * imageSide, (index + 1) * imageSide * imageSide),
      lines: [
        `true: ${input.classNames[input.labels[index]!]}`,
        `predicted: ${input.classNames[predicted] ?? predicted}${predicted === input.labels[index] ? "" : " (wrong)"}`,
        `domain: ${input.domainNames[input.domain[index]!]}`,
      ],
      left: position.clientX - rect.left,
      top: position.clientY - rect.top,
      stageWidth: rect.width,
    });
  };

  const onSlider = () => showEpoch(Number(slider.value));
  const onReset = () => {
    plot.fitView(bounds);
    plot.draw();
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
  canvas.addEventListener("pointermove", onPointerMove);
  canvas.addEventListener("pointerleave", onPointerLeave);
  resizeObserver.observe(canvas);
  plot.fitView(bounds);
  showEpoch(epoch);

  const dispose = () => {
    if (plot.destroyed) return;
    resizeObserver.disconnect();
    slider.removeEventListener("input", onSlider);
    resetButton.removeEventListener("click", onReset);
    canvas.removeEventListener("pointermove", onPointerMove);
    canvas.removeEventListener("pointerleave", onPointerLeave);
    plot.destroy();
  };
  return Object.assign(root, { dispose });
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

function legend(input: ProjectionViewInput): HTMLElement {
  const items: HTMLElement[] = input.classNames.map((name, c) => legendItem(symbol(0, classColours[c]!, false), name));
  items.push(...input.domainNames.map((name, d) => legendItem(symbol(domainShapes[d]!, "#888", false), name)));
  items.push(legendItem(symbol(0, "#ddd", true), "wrong prediction"));
  const element = row(items);
  element.style.fontSize = "0.8rem";
  element.style.marginTop = "0.4rem";
  return element;
}

function legendItem(icon: SVGElement, text: string): HTMLElement {
  const item = document.createElement("span");
  Object.assign(item.style, { display: "inline-flex", alignItems: "center", gap: "0.25rem" });
  item.append(icon, document.createTextNode(text));
  return item;
}

/** Draws a 12 × 12 legend symbol in the plot's encoding: shape code, fill, optional ring. */
function symbol(shape: number, fill: string, ringed: boolean): SVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", "12");
  svg.setAttribute("height", "12");
  svg.setAttribute("viewBox", "-6 -6 12 12");
  const tag = (["circle", "rect", "polygon"] as const)[shape] ?? "circle";
  const mark = document.createElementNS("http://www.w3.org/2000/svg", tag);
  if (shape === 0) mark.setAttribute("r", "4.5");
  if (shape === 1) for (const [key, value] of [["x", "-4"], ["y", "-4"], ["width", "8"], ["height", "8"]]) mark.setAttribute(key!, value!);
  if (shape === 2) mark.setAttribute("points", "0,-5 4.8,3.5 -4.8,3.5");
  mark.setAttribute("fill", fill);
  if (ringed) {
    mark.setAttribute("stroke", "#222");
    mark.setAttribute("stroke-width", "1.6");
  }
  svg.append(mark);
  return svg;
}

function row(children: Node[]): HTMLElement {
  const element = document.createElement("div");
  Object.assign(element.style, { display: "flex", flexWrap: "wrap", alignItems: "center", gap: "0.4rem 0.8rem" });
  element.append(...children);
  return element;
}

interface TooltipContent {
  pixels: Uint8Array;
  lines: string[];
  /** Pointer position in CSS pixels from the canvas's top-left corner. */
  left: number;
  top: number;
  stageWidth: number;
}

function createTooltip(): { element: HTMLElement; show(content: TooltipContent): void; hide(): void } {
  const element = document.createElement("div");
  element.dataset.role = "tooltip";
  element.hidden = true;
  Object.assign(element.style, {
    position: "absolute",
    pointerEvents: "none",
    background: "white",
    border: "1px solid #ccc",
    borderRadius: "4px",
    padding: "0.3rem",
    fontSize: "0.8rem",
    display: "none",
    gap: "0.4rem",
    alignItems: "center",
    boxShadow: "0 1px 4px rgba(0, 0, 0, 0.15)",
  });
  const image = Object.assign(document.createElement("canvas"), { width: imageSide, height: imageSide });
  Object.assign(image.style, { width: "84px", height: "84px", imageRendering: "pixelated" });
  const text = document.createElement("div");
  element.append(image, text);
  const context = image.getContext("2d");
  const offset = 14;

  return {
    element,
    show(content) {
      if (context) {
        const data = context.createImageData(imageSide, imageSide);
        for (let p = 0; p < content.pixels.length; p++) {
          // Ink is drawn dark on white, as on paper.
          const value = 255 - content.pixels[p]!;
          data.data.set([value, value, value, 255], p * 4);
        }
        context.putImageData(data, 0, 0);
      }
      text.replaceChildren(...content.lines.map((line) => Object.assign(document.createElement("div"), { textContent: line })));
      // The inline display would override the hidden attribute, so both are set.
      element.hidden = false;
      element.style.display = "flex";
      const flip = content.left + offset + element.offsetWidth > content.stageWidth;
      element.style.left = `${flip ? content.left - offset - element.offsetWidth : content.left + offset}px`;
      element.style.top = `${content.top + offset}px`;
    },
    hide() {
      element.hidden = true;
      element.style.display = "none";
    },
  };
}

function hexToRgb(hex: string): Rgb {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}
