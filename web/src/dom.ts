/** A tiny element builder: text always goes through textContent, never innerHTML. */

type Child = Node | string | number | null | undefined | false;

/** Creates `tag` with attributes and children. */
export function h(
  tag: string,
  attrs: Record<string, string | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElement {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, v);
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === "object" ? c : String(c));
  }
  return el;
}

/** A link to a view of the UI. */
export function link(route: string, text: string, attrs: Record<string, string> = {}): HTMLElement {
  return h("a", { href: `#${route}`, ...attrs }, text);
}

/** Route of a module view. */
export const moduleRoute = (name: string) => `/module/${encodeURIComponent(name)}`;
/** Route of a function view. */
export const functionRoute = (key: string) => `/function/${encodeURIComponent(key)}`;

/** A table with a header row. `num` columns are right-aligned, `opt` ones hidden when narrow. */
export function table(
  columns: { label: string; num?: boolean; opt?: boolean }[],
  rows: Child[][],
): HTMLElement {
  const cls = (c: { num?: boolean; opt?: boolean }) =>
    [c.num ? "num" : "", c.opt ? "opt" : ""].join(" ").trim() || undefined;
  return h(
    "table",
    {},
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        columns.map((c) => h("th", { class: cls(c), scope: "col" }, c.label)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((r) =>
        h(
          "tr",
          {},
          r.map((cell, i) => h("td", { class: cls(columns[i]!) }, cell)),
        ),
      ),
    ),
  );
}
