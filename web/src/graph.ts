/**
 * The module dependency graph, drawn by cytoscape with its built-in force-directed layout
 * (`cose`); modules on a cycle and the edges between them are red. Large projects are filtered
 * by a name prefix (and start with the modules on cycles) so the layout stays interactive.
 */
import cytoscape from "cytoscape";
import { getJson } from "./api.js";
import { h, moduleRoute } from "./dom.js";

interface Graph {
  nodes: { id: string; cycle: number | null }[];
  edges: { from: string; to: string; cyclic: boolean }[];
  cycles: string[][];
}

/** Nodes drawn at most; beyond, the user narrows by prefix. */
const MAX_NODES = 400;

let current: cytoscape.Core | null = null;

function draw(container: HTMLElement, g: Graph, prefix: string): string {
  current?.destroy();
  let nodes = g.nodes.filter((n) => n.id.startsWith(prefix));
  if (prefix === "" && nodes.length > MAX_NODES) nodes = nodes.filter((n) => n.cycle !== null);
  const shown = nodes.slice(0, MAX_NODES);
  const ids = new Set(shown.map((n) => n.id));
  const elements: cytoscape.ElementDefinition[] = [
    ...shown.map((n) => ({
      data: { id: n.id, label: n.id },
      classes: n.cycle === null ? "" : "cyclic",
    })),
    ...g.edges
      .filter((e) => ids.has(e.from) && ids.has(e.to))
      .map((e) => ({
        data: { id: `${e.from}->${e.to}`, source: e.from, target: e.to },
        classes: e.cyclic ? "cyclic" : "",
      })),
  ];
  current = cytoscape({
    container,
    elements,
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: () => 8000 },
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "font-size": 9,
          "background-color": "#7d68d8",
          width: 12,
          height: 12,
        },
      },
      {
        selector: "edge",
        style: {
          width: 1,
          "line-color": "#c3c7d0",
          "target-arrow-shape": "triangle",
          "target-arrow-color": "#c3c7d0",
          "curve-style": "bezier",
          "arrow-scale": 0.6,
        },
      },
      {
        selector: ".cyclic",
        style: {
          "background-color": "#c62828",
          "line-color": "#c62828",
          "target-arrow-color": "#c62828",
        },
      },
    ],
  });
  current.on("tap", "node", (e) => {
    location.hash = `#${moduleRoute(e.target.id())}`;
  });
  return `${shown.length} of ${g.nodes.length} modules · ${g.cycles.length} cycles (red)`;
}

/** The graph view with its prefix filter and a keyboard-usable module list. */
export async function graphView(): Promise<HTMLElement[]> {
  const g = await getJson<Graph>("/api/graph/modules");
  const container = h("div", { id: "graph", role: "img", "aria-label": "Module dependency graph" });
  const info = h("span", { class: "muted" });
  const input = h("input", {
    type: "search",
    placeholder: "Module prefix",
    "aria-label": "Filter modules by prefix",
  }) as HTMLInputElement;
  input.addEventListener("change", () => {
    info.textContent = draw(container, g, input.value.trim());
  });
  requestAnimationFrame(() => {
    info.textContent = draw(container, g, "");
  });
  const cyclic = g.cycles.map((c, i) =>
    h(
      "li",
      {},
      `cycle ${i + 1}: `,
      ...c.flatMap((m, j) => [j > 0 ? " → " : "", h("a", { href: `#${moduleRoute(m)}` }, m)]),
    ),
  );
  return [
    h("h1", {}, "Module dependencies"),
    h("div", { class: "toolbar" }, input, info),
    container,
    h("h2", {}, "Cycles"),
    cyclic.length > 0 ? h("ol", {}, cyclic) : h("p", { class: "muted" }, "none"),
  ];
}

/** Releases the graph when leaving the view. */
export function disposeGraph(): void {
  current?.destroy();
  current = null;
}
