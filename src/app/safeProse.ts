import { marked } from "marked";

/** Elements that Markdown produces and that carry no script, style or request. */
const allowedElements = new Set([
  "p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre", "blockquote",
  "ul", "ol", "li", "a", "br", "hr", "table", "thead", "tbody", "tr", "th", "td", "span", "sup", "sub",
]);

/**
 * Renders Markdown from a file that someone else wrote. The HTML is parsed into an inert
 * document (no script runs and nothing loads there) and copied element by element: only
 * the elements above survive, with no attributes except an http(s), mailto or in-page
 * `href` on links. So prose in a session can neither run code nor fetch anything.
 */
export function renderUntrustedMarkdown(text: string): DocumentFragment {
  const html = marked.parse(text, { async: false });
  const inert = new DOMParser().parseFromString(html, "text/html");
  const fragment = document.createDocumentFragment();
  for (const node of inert.body.childNodes) copySafe(node, fragment);
  return fragment;
}

function copySafe(node: Node, parent: Node): void {
  if (node.nodeType === Node.TEXT_NODE) {
    parent.appendChild(document.createTextNode(node.textContent ?? ""));
    return;
  }
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const element = node as Element;
  const tag = element.tagName.toLowerCase();
  if (!allowedElements.has(tag)) {
    // A disallowed element's text stays readable; its markup and attributes do not.
    if (tag !== "script" && tag !== "style") parent.appendChild(document.createTextNode(element.textContent ?? ""));
    return;
  }
  const copy = document.createElement(tag);
  const href = tag === "a" ? element.getAttribute("href") : null;
  if (href && /^(https?:|mailto:|#)/i.test(href.trim())) {
    copy.setAttribute("href", href.trim());
    copy.setAttribute("rel", "noopener noreferrer");
  }
  for (const child of element.childNodes) copySafe(child, copy);
  parent.appendChild(copy);
}
