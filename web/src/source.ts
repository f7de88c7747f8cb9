/** Source text with Elixir highlighting (highlight.js) and line numbers, one element per line. */
import hljs from "highlight.js/lib/core";
import elixir from "highlight.js/lib/languages/elixir";
import { h } from "./dom.js";

hljs.registerLanguage("elixir", elixir);

/**
 * Highlights `text`; lines `from`..`to` are marked. highlight.js escapes the source in its HTML,
 * which is the one place HTML is parsed (in a template, never executed).
 */
export function sourceView(text: string, from = 0, to = 0): HTMLElement {
  const html = hljs.highlight(text, { language: "elixir", ignoreIllegals: true }).value;
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const code = h("code", {});
  let line = h("span", { class: "ln" });
  let n = 1;
  const push = () => {
    if (n >= from && n <= to) line.classList.add("hl");
    line.id = `L${n}`;
    code.append(line);
    line = h("span", { class: "ln" });
    n++;
  };
  // Split the highlighted nodes at newlines, keeping each span's class on both halves.
  const walk = (nodes: NodeListOf<ChildNode> | ChildNode[], wrap: (n: Node) => Node) => {
    for (const node of Array.from(nodes)) {
      if (node.nodeType === Node.TEXT_NODE) {
        const parts = (node.textContent ?? "").split("\n");
        parts.forEach((p, i) => {
          if (i > 0) push();
          if (p !== "") line.append(wrap(document.createTextNode(p)));
        });
      } else if (node instanceof HTMLElement) {
        const cls = node.className;
        walk(node.childNodes, (inner) => wrap(h("span", { class: cls }, inner)));
      }
    }
  };
  walk(tpl.content.childNodes, (x) => x);
  push();
  return h("pre", { class: "source", tabindex: "0" }, code);
}
