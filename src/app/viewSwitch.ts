export type ViewName = "document" | "canvas";

/** The buttons that switch a notebook page between its document and canvas views. */
export function viewSwitch(choose: (view: ViewName) => void): { element: HTMLElement; show(view: ViewName): void } {
  const element = document.createElement("nav");
  element.className = "view-switch";
  element.setAttribute("aria-label", "Notebook view");
  const buttons = (["document", "canvas"] as const).map((view) => {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.viewName = view;
    button.textContent = view === "document" ? "Document" : "Canvas";
    button.addEventListener("click", () => choose(view));
    return button;
  });
  element.append(...buttons);
  const show = (view: ViewName) => {
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.dataset.viewName === view));
  };
  show("document");
  return { element, show };
}
