/**
 * `.gitignore` pattern matching, also used for the `include`/`exclude` options of discovery, so
 * that one syntax covers both. Implements the rules of gitignore(5): `#` comments, `!` negation,
 * a trailing `/` for directories only, anchoring by a slash at the start or in the middle, `*`,
 * `?`, bracket classes, and `**` as a leading, trailing or middle segment. Backslash escapes the
 * next character.
 * @packageDocumentation
 */

/** Matches a whole path; linear in the path's length times the pattern's. */
export interface PathMatcher {
  test(path: string): boolean;
}

/** One compiled pattern. */
export interface GlobRule {
  /** The pattern as written (trimmed). */
  source: string;
  /** True for `!pattern`: a match re-includes. */
  negate: boolean;
  /** True when the pattern ended in `/`: it matches directories only. */
  dirOnly: boolean;
  /** Matches a path relative to the base directory (`/`-separated, no leading slash). */
  matcher: PathMatcher;
}

/**
 * The longest `--include`/`--exclude` pattern accepted (characters). Matching is linear whatever
 * the length; the cap turns a pasted blob into a usage error instead of a slow run.
 */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * The steps of a compiled pattern. Each consumes characters of the path; `star`, `dirs`, `rest`
 * and `prefix` may also consume none.
 */
type Op =
  | { kind: "char"; code: number }
  /** `?`: one character but `/`. */
  | { kind: "any" }
  /** `[...]`: one character of the class. */
  | { kind: "class"; test: (code: number) => boolean }
  /** `*`: any run of characters but `/`. */
  | { kind: "star" }
  /** A leading or middle `**` segment: zero or more whole directories, each ending in a slash. */
  | { kind: "dirs" }
  /** A leading lone `**`: anything (`.*`). */
  | { kind: "rest" }
  /** A trailing `/**`'s `**`: at least one character (`.+`). */
  | { kind: "restPlus" }
  /** An unanchored pattern's start: nothing, or anything that ends in a slash. */
  | { kind: "prefix" };

const SLASH = 0x2f;

/**
 * A pattern compiled to a Thompson automaton and run as a state set: no backtracking, so the
 * time is O(path length × pattern length) for any pattern (a regular expression built from
 * thirty `**` segments then `x`, or `*a*a*a...`, backtracks for minutes or overflows the stack).
 *
 * State `2i` is "before op i", `2i + 1` its inner state (inside a directory of `dirs`, after the
 * first character of `prefix` or `restPlus`); state `2n` accepts.
 */
class GlobAutomaton implements PathMatcher {
  readonly #ops: readonly Op[];
  readonly #accept: number;
  #current: number[] = [];
  #next: number[] = [];
  readonly #seen: Uint32Array;
  #generation = 0;

  constructor(ops: readonly Op[]) {
    this.#ops = ops;
    this.#accept = 2 * ops.length;
    this.#seen = new Uint32Array(this.#accept + 1);
  }

  /** Adds `state` and every state it reaches without consuming (its epsilon closure). */
  #add(into: number[], state: number): void {
    for (;;) {
      if (this.#seen[state] === this.#generation) return;
      this.#seen[state] = this.#generation;
      into.push(state);
      if (state === this.#accept) return;
      const op = this.#ops[state >> 1]!;
      const inner = (state & 1) === 1;
      const skippable =
        (!inner &&
          (op.kind === "star" ||
            op.kind === "dirs" ||
            op.kind === "rest" ||
            op.kind === "prefix")) ||
        (inner && op.kind === "restPlus");
      if (!skippable) return;
      state = 2 * ((state >> 1) + 1);
    }
  }

  /** The states reached from `state` by consuming `code`. */
  #step(into: number[], state: number, code: number): void {
    const i = state >> 1;
    const op = this.#ops[i]!;
    const next = 2 * (i + 1);
    switch (op.kind) {
      case "char":
        if (code === op.code) this.#add(into, next);
        return;
      case "any":
        if (code !== SLASH) this.#add(into, next);
        return;
      case "class":
        if (op.test(code)) this.#add(into, next);
        return;
      case "star":
        if (code !== SLASH) this.#add(into, state);
        return;
      case "dirs":
        if (code !== SLASH) this.#add(into, 2 * i + 1);
        else if ((state & 1) === 1) this.#add(into, 2 * i);
        return;
      case "rest":
        this.#add(into, state);
        return;
      case "restPlus":
        this.#add(into, 2 * i + 1);
        return;
      case "prefix":
        this.#add(into, 2 * i + 1);
        if (code === SLASH) this.#add(into, next);
        return;
    }
  }

  test(path: string): boolean {
    this.#generation++;
    let current = this.#current;
    let next = this.#next;
    current.length = 0;
    this.#add(current, 0);
    for (let p = 0; p < path.length && current.length > 0; p++) {
      const code = path.charCodeAt(p);
      this.#generation++;
      next.length = 0;
      for (const state of current) if (state !== this.#accept) this.#step(next, state, code);
      [current, next] = [next, current];
    }
    this.#current = current;
    this.#next = next;
    return current.includes(this.#accept);
  }
}

/** A bracket class (`body` without the brackets and the leading `!`/`^`) as a test on one code. */
function classTest(body: string, negated: boolean): (code: number) => boolean {
  // One character against one class: a regular expression cannot backtrack here.
  const re = new RegExp(`^[${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]$`);
  return negated
    ? (code) => code !== SLASH && !re.test(String.fromCharCode(code))
    : (code) => re.test(String.fromCharCode(code));
}

/** Appends the ops of one path segment (no `/`). */
function segmentOps(seg: string, ops: Op[]): void {
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "\\" && i + 1 < seg.length) {
      ops.push({ kind: "char", code: seg.charCodeAt(++i) });
    } else if (c === "*") {
      // Consecutive stars inside a segment ("a**b") behave like one star.
      while (seg[i + 1] === "*") i++;
      ops.push({ kind: "star" });
    } else if (c === "?") {
      ops.push({ kind: "any" });
    } else if (c === "[" && seg.indexOf("]", i + 2) !== -1) {
      const close = seg.indexOf("]", i + 2);
      let body = seg.slice(i + 1, close);
      const negated = body.startsWith("!") || body.startsWith("^");
      if (negated) body = body.slice(1);
      ops.push({ kind: "class", test: classTest(body, negated) });
      i = close;
    } else {
      ops.push({ kind: "char", code: seg.charCodeAt(i) });
    }
  }
}

/**
 * Compiles one gitignore line; null for blank lines and comments.
 * @param line  the line as read from the file (trailing CR allowed).
 * @throws SyntaxError for a bracket class that is not valid (`[z-a]`)
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
  const ops: Op[] = anchored ? [] : [{ kind: "prefix" }];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (seg === "**") {
      // "a/**" matches everything inside a, not a itself; a leading or middle "**/" matches
      // zero or more directories (consecutive ones are one).
      if (last) ops.push({ kind: i === 0 ? "rest" : "restPlus" });
      else if (ops.at(-1)?.kind !== "dirs") ops.push({ kind: "dirs" });
      continue;
    }
    segmentOps(seg, ops);
    if (!last) ops.push({ kind: "char", code: SLASH });
  }
  return { source: line.trim(), negate, dirOnly, matcher: new GlobAutomaton(ops) };
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
    if (r.matcher.test(rel)) return !r.negate;
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
