import { classColours, domainShapes } from "./projectionStyle.ts";

/** Returns the legend for class colours, domain shapes and the ring of a wrong prediction. */
export function legend(classNames: readonly string[], domainNames: readonly string[]): HTMLElement {
  const items: HTMLElement[] = classNames.map((name, c) => legendItem(symbol(0, classColours[c]!, false), name));
  items.push(...domainNames.map((name, d) => legendItem(symbol(domainShapes[d]!, "#888", false), name)));
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

export function row(children: Node[]): HTMLElement {
  const element = document.createElement("div");
  Object.assign(element.style, { display: "flex", flexWrap: "wrap", alignItems: "center", gap: "0.4rem 0.8rem" });
  element.append(...children);
  return element;
}

