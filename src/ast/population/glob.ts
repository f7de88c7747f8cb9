/**
 * `.gitignore` pattern matching, also used for the `include`/`exclude` options of discovery, so
 * that one syntax covers both. Implements the rules of gitignore(5): `#` comments, `!` negation,
 * a trailing `/` for directories only, anchoring by a slash at the start or in the middle, `*`,
 * `?`, bracket classes, and `**` as a leading, trailing or middle segment. Backslash escapes the
 * next character.
 * @packageDocumentation
 */

/** One compiled pattern. */
export interface GlobRule {
  /** The pattern as written (trimmed). */
  source: string;
  /** True for `!pattern`: a match re-includes. */
  negate: boolean;
  /** True when the pattern ended in `/`: it matches directories only. */
  dirOnly: boolean;
  /** Matches a path relative to the base directory (`/`-separated, no leading slash). */
  regex: RegExp;
}

function escapeRegex(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Translates one path segment (no `/`) into a regex fragment. */
function segmentToRegex(seg: string): string {
  let out = "";
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "\\" && i + 1 < seg.length) {
      out += escapeRegex(seg[++i]!);
    } else if (c === "*") {
      // Consecutive stars inside a segment ("a**b") behave like one star.
      while (seg[i + 1] === "*") i++;
      out += "[^/]*";
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const close = seg.indexOf("]", i + 2);
      if (close === -1) {
        out += "\\[";
        continue;
      }
      let body = seg.slice(i + 1, close);
      let negated = false;
      if (body.startsWith("!") || body.startsWith("^")) {
        negated = true;
        body = body.slice(1);
      }
      // Inside a class only `\`, `]` and `^` need care; `-` keeps its range meaning.
      const cls = body.replace(/[\\\]^]/g, (m) => `\\${m}`);
      out += negated ? `(?!/)[^${cls}]` : `[${cls}]`;
      i = close;
    } else {
      out += escapeRegex(c);
    }
  }
  return out;
}

/**
 * Compiles one gitignore line; null for blank lines and comments.
 * @param line  the line as read from the file (trailing CR allowed).
 */
export function compileGlob(line: string): GlobRule | null {
  let p = line.replace(/\r$/, "");
  // Trailing spaces are ignored unless escaped with a backslash.
  p = p.replace(/(?<!\\)\s+$/, "");
  if (p === "" || p.startsWith("#")) return null;
  let negate = false;
  if (p.startsWith("!")) {
    negate = true;
    p = p.slice(1);
  } else if (p.startsWith("\\!") || p.startsWith("\\#")) {
    p = p.slice(1);
  }
  let dirOnly = false;
  if (p.endsWith("/") && !p.endsWith("\\/")) {
    dirOnly = true;
    p = p.replace(/\/+$/, "");
  }
  if (p === "") return null;
  // A slash at the start or in the middle anchors the pattern to the base directory.
  const anchored = p.includes("/");
  if (p.startsWith("/")) p = p.slice(1);
  const segs = p.split("/");
  let re = anchored ? "^" : "^(?:.*/)?";
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg === "**") {
      if (last) {
        // "a/**" matches everything inside a, not a itself.
        re += i === 0 ? ".*" : ".+";
      } else {
        // Leading or middle "**/" matches zero or more directories.
        re += "(?:[^/]+/)*";
      }
      continue;
    }
    re += segmentToRegex(seg);
    if (!last) re += "/";
  }
  re += "$";
  return { source: line.trim(), negate, dirOnly, regex: new RegExp(re) };
}

/** Compiles the lines of a `.gitignore` file (or a list of patterns). */
export function compileGlobs(lines: readonly string[]): GlobRule[] {
  const rules: GlobRule[] = [];
  for (const line of lines) {
    const rule = compileGlob(line);
    if (rule) rules.push(rule);
  }
  return rules;
}

/**
 * The verdict of a rule list on one path: `true` ignored, `false` explicitly re-included by a
 * negation, `undefined` when no rule matches (the last matching rule wins, as in git).
 * @param rel  path relative to the rules' base directory, `/`-separated.
 */
export function matchRules(
  rules: readonly GlobRule[],
  rel: string,
  isDir: boolean,
): boolean | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const r = rules[i]!;
    if (r.dirOnly && !isDir) continue;
    if (r.regex.test(rel)) return !r.negate;
  }
  return undefined;
}

/**
 * The verdict on a path taking its directories into account: the path's own verdict when a rule
 * matches it, else the verdict of its nearest matching ancestor directory (so `lib/` or `build`
 * covers everything below).
 */
export function matchPath(rules: readonly GlobRule[], rel: string, isDir: boolean): boolean {
  const own = matchRules(rules, rel, isDir);
  if (own !== undefined) return own;
  let end = rel.lastIndexOf("/");
  while (end > 0) {
    const v = matchRules(rules, rel.slice(0, end), true);
    if (v !== undefined) return v;
    end = rel.lastIndexOf("/", end - 1);
  }
  return false;
}
