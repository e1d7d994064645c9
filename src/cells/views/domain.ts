import type { ClassMapping } from "../data/classMap.ts";
import { imageShapeOf, type Domain } from "../data/types.ts";

/** States a domain's size, image shape, how its images were prepared, and its images per class. */
export function domainView(domain: Domain): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "domain");
  const counts = domain.classNames.map(() => 0);
  for (let i = 0; i < domain.count; i++) counts[domain.labels[i]!]! += 1;
  const summary = document.createElement("p");
  summary.textContent =
    `${domain.name}: ${domain.count} images of ${imageShapeOf(domain).join(" × ")}, ${domain.classNames.length} classes (` +
    domain.classNames.map((name, index) => `${name}: ${counts[index]}`).join(", ") +
    ").";
  root.append(summary);
  if (domain.preparation?.length) {
    const steps = document.createElement("p");
    steps.setAttribute("data-preparation", "");
    steps.textContent = `Prepared for the model: ${domain.preparation.join("; ")}.`;
    root.append(steps);
  }
  return root;
}

/** Lists the classes two domains share and the classes only one of them has. */
export function classMappingView(mapping: ClassMapping): HTMLElement {
  const root = document.createElement("div");
  root.setAttribute("data-view", "class-mapping");
  const shared = document.createElement("p");
  shared.textContent = `Matched by name: ${mapping.shared.join(", ")} (${mapping.shared.length} classes).`;
  root.append(shared);
  for (const [side, domain] of [["source", mapping.source], ["target", mapping.target]] as const) {
    const missing = mapping.unmatched[side];
    if (missing.length === 0) continue;
    const line = document.createElement("p");
    line.className = "notice";
    line.setAttribute("data-unmatched", side);
    line.textContent = `Only in ${domain.name} (${side}), so its images are left out: ${missing.join(", ")}.`;
    root.append(line);
  }
  return root;
}
