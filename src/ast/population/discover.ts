/**
 * File discovery: the Elixir sources (`.ex`, `.exs`) of a project tree.
 *
 * Skipped always: directories named `_build`, `deps`, `node_modules`, `.git` and `.elixirscope`
 * at any depth. Skipped by default: paths ignored by the `.gitignore` files found inside the root
 * (each applies to its own directory and below, deeper files taking precedence, as in git).
 * `include` and `exclude` take patterns in the same syntax, relative to the root.
 * Symbolic links to files are followed; symbolic links to directories are not (no cycles).
 * @packageDocumentation
 */
import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { compileGlobs, type GlobRule, MAX_PATTERN_LENGTH, matchPath, matchRules } from "./glob.js";
import { checkBoolean, checkStringArray, rejectUnknownKeys } from "./options.js";

/** Directory names never descended into. */
export const ALWAYS_SKIPPED_DIRS: readonly string[] = [
  "_build",
  "deps",
  "node_modules",
  ".git",
  ".elixirscope",
];

/** Options of {@link discoverFiles}. */
export interface DiscoverOptions {
  /** When non-empty, only files matching one of these patterns (or under a matching directory). */
  include?: readonly string[];
  /** Files and directories matching one of these patterns are skipped. */
  exclude?: readonly string[];
  /** Honour `.gitignore` files inside the root (default true). */
  gitignore?: boolean;
}

/** The keys of {@link DiscoverOptions}. */
export const DISCOVER_OPTION_KEYS: readonly (keyof DiscoverOptions)[] = [
  "include",
  "exclude",
  "gitignore",
];

/**
 * Checks discovery options: unknown keys and values of the wrong type are errors.
 * @throws TypeError naming the offending option; RangeError for a pattern longer than
 *   {@link MAX_PATTERN_LENGTH}
 */
export function validateDiscoverOptions(options: DiscoverOptions, api = "discoverFiles"): void {
  rejectUnknownKeys(api, options, DISCOVER_OPTION_KEYS);
  checkStringArray(api, "include", options.include);
  checkStringArray(api, "exclude", options.exclude);
  checkBoolean(api, "gitignore", options.gitignore);
  for (const key of ["include", "exclude"] as const) {
    for (const pattern of options[key] ?? []) {
      if (pattern.length > MAX_PATTERN_LENGTH) {
        throw new RangeError(
          `${api}: option "${key}": a pattern of ${pattern.length} characters; at most ${MAX_PATTERN_LENGTH} are allowed`,
        );
      }
    }
  }
}

/** What discovery found. */
export interface Discovery {
  /** Absolute, resolved root. */
  root: string;
  /** Source files relative to the root, `/`-separated, sorted. */
  files: string[];
  /** Directories that could not be read (permissions, vanished), relative to the root. */
  unreadable: { path: string; message: string }[];
}

/** Raised when the root itself cannot be used. */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
  constructor(
    message: string,
    /** The path that was given. */
    readonly path: string,
  ) {
    super(message);
  }
}

interface IgnoreScope {
  /** Directory of the .gitignore, relative to the root ("" for the root), with a trailing `/`. */
  base: string;
  rules: GlobRule[];
}

function isSource(name: string): boolean {
  return name.endsWith(".ex") || name.endsWith(".exs");
}

/** Deepest scope first; the first scope with a matching rule decides. */
function gitIgnored(scopes: readonly IgnoreScope[], rel: string, isDir: boolean): boolean {
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!;
    const v = matchRules(s.rules, rel.slice(s.base.length), isDir);
    if (v !== undefined) return v;
  }
  return false;
}

function readGitignore(dirAbs: string): GlobRule[] | null {
  let text: string;
  try {
    text = readFileSync(join(dirAbs, ".gitignore"), "utf8");
  } catch {
    return null;
  }
  const rules = compileGlobs(text.split("\n"));
  return rules.length > 0 ? rules : null;
}

/**
 * Lists the Elixir source files under `root`.
 * @throws DiscoveryError when `root` does not exist or is not a directory; TypeError for an
 *   unknown or ill-typed option.
 */
export function discoverFiles(root: string, options: DiscoverOptions = {}): Discovery {
  validateDiscoverOptions(options);
  const absRoot = resolve(root);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(absRoot);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DiscoveryError(
      code === "ENOENT"
        ? `${root}: no such directory`
        : `${root}: cannot read (${(error as Error).message})`,
      root,
    );
  }
  if (!st.isDirectory()) throw new DiscoveryError(`${root}: not a directory`, root);

  const include = compileGlobs(options.include ?? []);
  const exclude = compileGlobs(options.exclude ?? []);
  const useGitignore = options.gitignore ?? true;
  const files: string[] = [];
  const unreadable: Discovery["unreadable"] = [];

  const walk = (dirAbs: string, dirRel: string, scopes: IgnoreScope[]): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ path: dirRel || ".", message: (error as Error).message });
      return;
    }
    if (useGitignore) {
      const rules = readGitignore(dirAbs);
      if (rules) scopes = [...scopes, { base: dirRel === "" ? "" : `${dirRel}/`, rules }];
    }
    for (const entry of entries) {
      const name = entry.name;
      const rel = dirRel === "" ? name : `${dirRel}/${name}`;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        // Follow links to files only; a linked directory could loop back on the tree.
        try {
          isFile = statSync(join(dirAbs, name)).isFile();
        } catch {
          isFile = false;
        }
        isDir = false;
      }
      if (isDir) {
        if (ALWAYS_SKIPPED_DIRS.includes(name)) continue;
        if (useGitignore && gitIgnored(scopes, rel, true)) continue;
        if (exclude.length > 0 && matchRules(exclude, rel, true) === true) continue;
        walk(join(dirAbs, name), rel, scopes);
      } else if (isFile && isSource(name)) {
        if (useGitignore && gitIgnored(scopes, rel, false)) continue;
        if (exclude.length > 0 && matchPath(exclude, rel, false)) continue;
        if (include.length > 0 && !matchPath(include, rel, false)) continue;
        files.push(rel);
      }
    }
  };
  walk(absRoot, "", []);
  files.sort();
  return { root: absRoot, files, unreadable };
}
