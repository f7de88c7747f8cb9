/** Structural search (POST /api/search) and the file view its results link to. */
import { filePath, getText, postJson } from "./api.js";
import { functionRoute, h, link, moduleRoute, table } from "./dom.js";
import { sourceView } from "./source.js";

interface Match {
  file: string;
  line: number;
  endLine: number;
  module: string | null;
  function: string | null;
  captures: Record<string, string>;
}

/** Route of a file view, with the lines to mark. */
export const fileRoute = (file: string, from: number, to: number) => `/file/${from}-${to}/${file}`;

/** The search form, and the results of `pattern` when given. */
export async function searchView(pattern: string): Promise<HTMLElement[]> {
  const input = h("input", {
    type: "search",
    id: "pattern",
    value: pattern,
    placeholder: "e.g. IO.inspect(...)  or  Repo.get!(_, _id)",
    "aria-label": "Search pattern",
  }) as HTMLInputElement;
  const form = h(
    "form",
    { class: "toolbar", role: "search" },
    input,
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    location.hash = `#/search/${encodeURIComponent(input.value)}`;
  });
  const out: HTMLElement[] = [h("h1", {}, "Structural search"), form];
  if (pattern.trim() === "") return out;
  const r = await postJson<{ total: number; files: number; truncated: boolean; matches: Match[] }>(
    "/api/search",
    { pattern },
  );
  out.push(
    h(
      "p",
      { class: "muted", role: "status" },
      `${r.total} matches in ${r.files} files${r.truncated ? " (first shown)" : ""}`,
    ),
    table(
      [{ label: "where" }, { label: "in" }, { label: "captures", opt: true }],
      r.matches.map((m) => [
        link(fileRoute(m.file, m.line, m.endLine), `${m.file}:${m.line}`),
        m.module && m.function
          ? link(functionRoute(`${m.module}.${m.function}`), `${m.module}.${m.function}`)
          : m.module
            ? link(moduleRoute(m.module), m.module)
            : "",
        Object.entries(m.captures)
          .map(([k, v]) => `${k} = ${v}`)
          .join(", "),
      ]),
    ),
  );
  return out;
}

/** A source file with lines `from`..`to` marked and scrolled into view. */
export async function fileView(arg: string): Promise<HTMLElement[]> {
  const m = /^(\d+)-(\d+)\/(.+)$/.exec(arg);
  const [from, to, file] = m ? [Number(m[1]), Number(m[2]), m[3]!] : [0, 0, arg];
  const text = await getText(filePath(file));
  const src = sourceView(text, from, to);
  requestAnimationFrame(() => src.querySelector(`#L${from}`)?.scrollIntoView({ block: "center" }));
  return [h("h1", {}, file), src];
}
