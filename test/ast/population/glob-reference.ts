/**
 * The straightforward translation of a gitignore pattern to a JavaScript regular expression: the
 * reference the linear-time matcher is checked against, on inputs short enough that the
 * regular expression's backtracking does not matter.
 */
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
export function referenceRegex(
  line: string,
): { negate: boolean; dirOnly: boolean; regex: RegExp } | null {
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
  return { negate, dirOnly, regex: new RegExp(re) };
}
