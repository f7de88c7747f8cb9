/** The ElixirScope web UI: hash routes, keyboard navigation and live updates over SSE. */
import { ApiError, followChanges, initToken } from "./api.js";
import { functionRoute, h, moduleRoute } from "./dom.js";
import { disposeGraph, graphView } from "./graph.js";
import { fileView, searchView } from "./search.js";
import { findingsView, functionView, moduleView, overviewView } from "./views.js";

const view = document.getElementById("view")!;
const live = document.getElementById("live")!;
let rendering = 0;

function route(): Promise<HTMLElement[]> {
  const path = decodeURIComponent(location.hash.slice(1) || "/");
  const [, kind, ...rest] = path.split("/");
  const arg = rest.join("/");
  if (kind !== "graph") disposeGraph();
  switch (kind) {
    case "module":
      return moduleView(arg);
    case "function":
      return functionView(arg);
    case "graph":
      return graphView();
    case "search":
      return searchView(arg);
    case "file":
      return fileView(arg);
    case "findings":
      return findingsView(arg || undefined);
    default:
      return overviewView();
  }
}

/** Renders the current route; `keepFocus` for live refreshes, so the reader is not moved. */
async function render(keepFocus = false): Promise<void> {
  const n = ++rendering;
  const scroll = window.scrollY;
  try {
    const nodes = await route();
    if (n !== rendering) return;
    view.replaceChildren(...nodes);
  } catch (error) {
    if (n !== rendering) return;
    const msg =
      error instanceof ApiError ? `${error.status} ${error.code}: ${error.message}` : String(error);
    view.replaceChildren(
      h("h1", {}, "Not available"),
      h("p", { class: "error", role: "alert" }, msg),
    );
  }
  if (keepFocus) window.scrollTo(0, scroll);
  else {
    window.scrollTo(0, 0);
    view.focus({ preventScroll: true });
  }
}

function jump(text: string): void {
  const t = text.trim();
  if (t === "") return;
  location.hash = `#${/\/\d+$/.test(t) ? functionRoute(t) : moduleRoute(t)}`;
}

/** Moves focus to the next (or previous) link inside the view. */
function stepLink(delta: 1 | -1): void {
  const links = Array.from(view.querySelectorAll<HTMLAnchorElement>("a[href]"));
  if (links.length === 0) return;
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const next =
    at === -1 ? (delta === 1 ? 0 : links.length - 1) : (at + delta + links.length) % links.length;
  links[next]!.focus();
}

function onKey(e: KeyboardEvent): void {
  const target = e.target as HTMLElement;
  if (target.tagName === "INPUT" || e.ctrlKey || e.metaKey || e.altKey) {
    if (e.key === "Escape") target.blur();
    return;
  }
  const actions: Record<string, () => void> = {
    "/": () => document.getElementById("jump-input")!.focus(),
    j: () => stepLink(1),
    k: () => stepLink(-1),
    o: () => (location.hash = "#/"),
    g: () => (location.hash = "#/graph"),
    f: () => (location.hash = "#/findings"),
    s: () => (location.hash = "#/search"),
  };
  const act = actions[e.key];
  if (act) {
    e.preventDefault();
    act();
  }
}

initToken();
document.getElementById("jump")!.addEventListener("submit", (e) => {
  e.preventDefault();
  jump((document.getElementById("jump-input") as HTMLInputElement).value);
});
document.addEventListener("keydown", onKey);
window.addEventListener("hashchange", () => void render());
followChanges((c) => {
  live.textContent = `updated: ${c.changed.length + c.removed.length} file(s), v${c.version}`;
  void render(true);
});
void render();
