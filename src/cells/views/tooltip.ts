const imageSide = 28;

export interface TooltipContent {
  pixels: Uint8Array;
  lines: string[];
  /** Pointer position in CSS pixels from the canvas's top-left corner. */
  left: number;
  top: number;
  stageWidth: number;
}

/** Creates the hover tooltip: a 28 × 28 image and lines of text, hidden until shown. */
export function createTooltip(): { element: HTMLElement; show(content: TooltipContent): void; hide(): void } {
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

