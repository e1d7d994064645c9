/** A search box over the canvas: type part of a cell's name or id, press Enter to jump to the first match. */
export class CanvasSearch {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private matches: { id: string; title: string }[] = [];

  constructor(
    private readonly cells: () => readonly { id: string; title: string }[],
    private readonly choose: (id: string) => void,
  ) {
    this.element = document.createElement("div");
    this.element.className = "canvas-search";
    this.element.hidden = true;
    this.input = document.createElement("input");
    this.input.type = "search";
    this.input.placeholder = "Find a cell by name or id";
    this.input.setAttribute("aria-label", "Find a cell by name or id");
    this.list = document.createElement("ol");
    this.element.append(this.input, this.list);
    this.input.addEventListener("input", () => this.update());
    this.input.addEventListener("keydown", (event) => {
      event.stopPropagation();
      if (event.key === "Escape") this.close();
      if (event.key === "Enter" && this.matches.length > 0) {
        this.choose(this.matches[0].id);
        this.close();
      }
    });
    this.list.addEventListener("click", (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>("li[data-cell-id]");
      if (!item) return;
      this.choose(item.dataset.cellId!);
      this.close();
    });
  }

  open(): void {
    this.element.hidden = false;
    this.input.value = "";
    this.update();
    this.input.focus();
  }

  close(): void {
    this.element.hidden = true;
    (this.element.parentElement as HTMLElement | null)?.focus();
  }

  private update(): void {
    const query = this.input.value.trim().toLowerCase();
    this.matches = this.cells()
      .filter((cell) => query === "" || cell.title.toLowerCase().includes(query) || cell.id.toLowerCase().includes(query))
      .slice(0, 10);
    this.list.replaceChildren(
      ...this.matches.map((cell) => {
        const item = document.createElement("li");
        item.dataset.cellId = cell.id;
        item.textContent = cell.title === cell.id ? cell.id : `${cell.title} · ${cell.id}`;
        return item;
      }),
    );
  }
}
