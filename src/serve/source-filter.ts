/**
 * Whether one changed path belongs to the index: the single-path form of discovery's rules
 * (`.ex`/`.exs`, never under `_build`, `deps`, `node_modules`, `.git`, `.elixirscope`, honouring
 * the `.gitignore` files on the way down and the include/exclude patterns), so that the watcher's
 * events are filtered exactly as a full discovery would filter the tree.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ALWAYS_SKIPPED_DIRS } from "../ast/population/discover.js";
import { compileGlobs, type GlobRule, matchPath, matchRules } from "../ast/population/glob.js";

/** The discovery settings a filter applies. */
export interface SourceFilterOptions {
  include?: readonly string[];
  exclude?: readonly string[];
  gitignore?: boolean;
}

/** Decides, path by path, what discovery would have decided. */
export class SourceFilter {
  readonly #root: string;
  readonly #include: GlobRule[];
  readonly #exclude: GlobRule[];
  readonly #gitignore: boolean;
  /** Directory (relative, "" for the root) -> its .gitignore rules, or null when it has none. */
  readonly #rules = new Map<string, GlobRule[] | null>();

  constructor(root: string, options: SourceFilterOptions = {}) {
    this.#root = root;
    this.#include = compileGlobs(options.include ?? []);
    this.#exclude = compileGlobs(options.exclude ?? []);
    this.#gitignore = options.gitignore ?? true;
  }

  /** Forgets the .gitignore files read so far (call when one changes). */
  reset(): void {
    this.#rules.clear();
  }

  /**
   * True when `rel` is, or is inside, a directory discovery never enters (`.git`, `_build`,
   * `.elixirscope`...): nothing there can matter, however it changes. Cheap, and the cache's own
   * writes land there.
   */
  skipped(rel: string): boolean {
    return rel.split("/").some((p) => ALWAYS_SKIPPED_DIRS.includes(p));
  }

  /** True when `rel` (relative, `/`-separated) is a source path discovery would list. */
  accepts(rel: string): boolean {
    if (!(rel.endsWith(".ex") || rel.endsWith(".exs"))) return false;
    const parts = rel.split("/");
    if (parts.some((p) => p === "" || p === "." || p === "..")) return false;
    for (let i = 0; i < parts.length - 1; i++) {
      if (ALWAYS_SKIPPED_DIRS.includes(parts[i]!)) return false;
    }
    if (this.#gitignore && this.#ignored(parts)) return false;
    for (let i = 1; i < parts.length; i++) {
      if (this.#exclude.length > 0 && matchRules(this.#exclude, parts.slice(0, i).join("/"), true))
        return false;
    }
    if (this.#exclude.length > 0 && matchPath(this.#exclude, rel, false)) return false;
    return this.#include.length === 0 || matchPath(this.#include, rel, false);
  }

  /** Git's rule: an ignored directory hides everything below it; the deepest .gitignore wins. */
  #ignored(parts: readonly string[]): boolean {
    const scopes: { base: string; rules: GlobRule[] }[] = [];
    for (let depth = 0; depth < parts.length; depth++) {
      const dir = parts.slice(0, depth).join("/");
      const rules = this.#rulesOf(dir);
      if (rules !== null) scopes.push({ base: dir === "" ? "" : `${dir}/`, rules });
      const isDir = depth < parts.length - 1;
      const rel = parts.slice(0, depth + 1).join("/");
      for (let s = scopes.length - 1; s >= 0; s--) {
        const verdict = matchRules(scopes[s]!.rules, rel.slice(scopes[s]!.base.length), isDir);
        if (verdict === true) return true;
        if (verdict === false) break;
      }
    }
    return false;
  }

  #rulesOf(dir: string): GlobRule[] | null {
    let rules = this.#rules.get(dir);
    if (rules === undefined) {
      try {
        const text = readFileSync(join(this.#root, dir, ".gitignore"), "utf8");
        const compiled = compileGlobs(text.split("\n"));
        rules = compiled.length > 0 ? compiled : null;
      } catch {
        rules = null;
      }
      this.#rules.set(dir, rules);
    }
    return rules;
  }
}
