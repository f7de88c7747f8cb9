/** The overview, module, function and findings views. */
import { filePath, functionPath, getJson, getText } from "./api.js";
import { functionRoute, h, link, moduleRoute, table } from "./dom.js";
import { sourceView } from "./source.js";

interface Overview {
  version: number;
  counts: Record<string, number>;
  mostComplex: { key: string; file: string; line: number; cyclomatic: number; cognitive: number }[];
  findingsByRule: Record<string, number>;
}

interface Finding {
  rule: string;
  severity: string;
  message: string;
  file: string;
  line: number;
  module: string;
  function: string | null;
}

const moduleOfKey = (key: string) => key.slice(0, key.lastIndexOf(".", key.lastIndexOf("/")));

/** Counts, the most complex functions, findings by rule. */
export async function overviewView(): Promise<HTMLElement[]> {
  const o = await getJson<Overview>("/api/overview");
  const cards = Object.entries(o.counts).map(([k, v]) =>
    h("div", { class: "card" }, h("b", {}, v), k),
  );
  const complex = table(
    [
      { label: "function" },
      { label: "cyclomatic", num: true },
      { label: "cognitive", num: true, opt: true },
    ],
    o.mostComplex.map((f) => [link(functionRoute(f.key), f.key), f.cyclomatic, f.cognitive]),
  );
  const rules = table(
    [{ label: "rule" }, { label: "findings", num: true }],
    Object.entries(o.findingsByRule)
      .sort((a, b) => b[1] - a[1])
      .map(([rule, n]) => [link(`/findings/${encodeURIComponent(rule)}`, rule), n]),
  );
  return [
    h("h1", {}, "Overview"),
    h("div", { class: "cards" }, cards),
    h(
      "div",
      { class: "grid2" },
      h("section", {}, h("h2", {}, "Most complex functions"), complex),
      h("section", {}, h("h2", {}, "Findings by rule"), rules),
    ),
  ];
}

interface ModuleDetail {
  name: string;
  kind: string;
  file: string;
  line: number;
  endLine: number;
  behaviours: string[];
  metrics: Record<string, number>;
  dependencies: { target: string; kind: string }[];
  functions: {
    key: string;
    name: string;
    arity: number;
    kind: string;
    visibility: string;
    line: number;
    clauses: number;
    metrics: { cyclomatic: number; loc: number };
  }[];
  findings: Finding[];
}

/** One module: behaviours, metrics, functions, findings and its source. */
export async function moduleView(name: string): Promise<HTMLElement[]> {
  const m = await getJson<ModuleDetail>(`/api/modules/${encodeURIComponent(name)}`);
  const source = await getText(filePath(m.file));
  const fns = table(
    [
      { label: "function" },
      { label: "kind", opt: true },
      { label: "line", num: true, opt: true },
      { label: "cyclomatic", num: true },
      { label: "lines", num: true, opt: true },
    ],
    m.functions.map((f) => [
      link(functionRoute(f.key), `${f.name}/${f.arity}`),
      `${f.visibility} ${f.kind}`,
      f.line,
      f.metrics.cyclomatic,
      f.metrics.loc,
    ]),
  );
  const deps = [...new Set(m.dependencies.map((d) => d.target))];
  const parts: (HTMLElement | null)[] = [
    h("h1", {}, m.name, " ", h("span", { class: "tag" }, m.kind)),
    h(
      "p",
      { class: "muted" },
      `${m.file}:${m.line}`,
      " ",
      m.behaviours.map((b) => h("span", { class: "tag" }, b)),
    ),
    h(
      "div",
      { class: "cards" },
      ["functionCount", "clauseCount", "cyclomaticMax", "cyclomaticSum"].map((k) =>
        h("div", { class: "card" }, h("b", {}, m.metrics[k] ?? 0), k),
      ),
    ),
    h("h2", {}, "Functions"),
    fns,
    m.findings.length > 0 ? h("h2", {}, "Findings") : null,
    m.findings.length > 0 ? findingsTable(m.findings) : null,
    deps.length > 0 ? h("h2", {}, "Depends on") : null,
    h(
      "p",
      {},
      deps.flatMap((d, i) => [i > 0 ? ", " : "", link(moduleRoute(d), d)]),
    ),
    h("h2", {}, "Source"),
    sourceView(source, m.line, m.endLine),
  ];
  return parts.filter((p): p is HTMLElement => p !== null);
}

interface FunctionDetail {
  key: string;
  module: string;
  file: string;
  kind: string;
  visibility: string;
  range: { startLine: number; endLine: number };
  metrics: Record<string, number>;
  clauses: { line: number; endLine: number; guards: string[]; metrics: Record<string, number> }[];
  callers: { key: string; count: number; file: string | null }[];
  callees: { key: string; count: number; file: string | null }[];
}

function callTable(calls: FunctionDetail["callers"]): HTMLElement {
  if (calls.length === 0) return h("p", { class: "muted" }, "none");
  return table(
    [{ label: "function" }, { label: "sites", num: true }],
    calls.map((c) => [
      c.file === null ? h("span", { class: "muted" }, c.key) : link(functionRoute(c.key), c.key),
      c.count,
    ]),
  );
}

/** One function: metrics, clauses, callers and callees (linked), its source lines. */
export async function functionView(key: string): Promise<HTMLElement[]> {
  const f = await getJson<FunctionDetail>(functionPath(key));
  const source = await getText(filePath(f.file));
  const metrics = ["cyclomatic", "cognitive", "nesting", "abc", "loc"];
  return [
    h("h1", {}, f.key),
    h(
      "p",
      { class: "muted" },
      `${f.visibility} ${f.kind} · `,
      link(moduleRoute(f.module), f.module),
      ` · ${f.file}:${f.range.startLine}-${f.range.endLine}`,
    ),
    h(
      "div",
      { class: "cards" },
      metrics.map((k) => h("div", { class: "card" }, h("b", {}, f.metrics[k] ?? 0), k)),
    ),
    h(
      "div",
      { class: "grid2" },
      h(
        "section",
        { "aria-label": "Callers" },
        h("h2", {}, `Callers (${f.callers.length})`),
        callTable(f.callers),
      ),
      h(
        "section",
        { "aria-label": "Callees" },
        h("h2", {}, `Callees (${f.callees.length})`),
        callTable(f.callees),
      ),
    ),
    h("h2", {}, `Clauses (${f.clauses.length})`),
    table(
      [
        { label: "lines" },
        { label: "guards", opt: true },
        { label: "cyclomatic", num: true },
        { label: "nesting", num: true },
      ],
      f.clauses.map((c) => [
        `${c.line}-${c.endLine}`,
        c.guards.join(" when "),
        c.metrics.cyclomatic,
        c.metrics.nesting,
      ]),
    ),
    h("h2", {}, "Source"),
    sourceView(source, f.range.startLine, f.range.endLine),
  ];
}

function findingsTable(items: Finding[]): HTMLElement {
  return table(
    [{ label: "rule" }, { label: "where" }, { label: "message", opt: true }],
    items.map((x) => [
      h("span", { class: x.severity === "warning" ? "warn" : "muted" }, x.rule),
      x.function
        ? link(functionRoute(`${x.module}.${x.function}`), `${x.module}.${x.function}`)
        : link(moduleRoute(x.module), x.module),
      x.message,
    ]),
  );
}

/** Findings, optionally of one rule. */
export async function findingsView(rule: string | undefined): Promise<HTMLElement[]> {
  const q = rule ? `?rule=${encodeURIComponent(rule)}&limit=1000` : "?limit=1000";
  const f = await getJson<{ total: number; items: Finding[] }>(`/api/findings${q}`);
  return [
    h("h1", {}, rule ? `Findings: ${rule}` : "Findings", ` (${f.total})`),
    findingsTable(f.items),
  ];
}

export { moduleOfKey };
