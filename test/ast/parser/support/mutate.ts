/**
 * Seeded mutants of corpus files for the parser fuzzer.
 *
 * A mutant is a window of whole lines cut from one corpus file (so each mutant is small and both
 * parsers stay fast), then changed once: a character or a token deleted, inserted, duplicated or
 * swapped. Tokens come from {@link lexTokens}, a deliberately simple splitter of our own: the
 * parser under test must not decide where the mutations go. Everything derives from
 * `(seed, index)`, so any mutant can be rebuilt alone from the numbers in a report.
 */

/** A small fast PRNG (sfc32); deterministic for a given seed. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number) {
    this.#a = 0x9e3779b9;
    this.#b = 0x243f6a88;
    this.#c = 0xb7e15162;
    this.#d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor((this.next() / 2 ** 32) * n);
  }

  /** A uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  /** A uniform element of `items` (which must not be empty). */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
}

/** The seed of mutant `index` under run seed `seed` (splitmix32-style mixing). */
export function mutantSeed(seed: number, index: number): number {
  let z = (seed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** A lexical token: `[start, end)` in code-point indices of the text it came from. */
export interface Token {
  kind: "space" | "newline" | "comment" | "word" | "number" | "string" | "op" | "other";
  start: number;
  end: number;
}

/** Multi-character Elixir operators, longest first, so the splitter matches greedily. */
const OPERATORS = [
  "===",
  "!==",
  "<<<",
  ">>>",
  "|||",
  "&&&",
  "^^^",
  "~~~",
  "<~>",
  "<|>",
  "~>>",
  "<<~",
  "...",
  "+++",
  "---",
  "\\\\",
  "==",
  "!=",
  "<=",
  ">=",
  "&&",
  "||",
  "<>",
  "++",
  "--",
  "|>",
  "=~",
  "->",
  "<-",
  "::",
  "..",
  "//",
  "**",
  "=>",
  "<<",
  ">>",
  "~>",
  "<~",
];

const isWordStart = (c: string) => /[\p{L}_]/u.test(c);
const isWordPart = (c: string) => /[\p{L}\p{N}_]/u.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

/**
 * Splits code points into tokens. Total (every input splits, every code point lands in exactly
 * one token) and approximate: strings are single-line `"…"`/`'…'` with backslash escapes,
 * identifiers may end in `?`/`!`, numbers are digits with `_`, `.` and letters.
 */
export function lexTokens(cps: readonly string[]): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = cps.length;
  while (i < n) {
    const c = cps[i];
    const start = i;
    let kind: Token["kind"];
    if (c === "\n") {
      kind = "newline";
      i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      kind = "space";
      while (i < n && (cps[i] === " " || cps[i] === "\t" || cps[i] === "\r")) i++;
    } else if (c === "#") {
      kind = "comment";
      while (i < n && cps[i] !== "\n") i++;
    } else if (isWordStart(c)) {
      kind = "word";
      while (i < n && isWordPart(cps[i])) i++;
      if (i < n && (cps[i] === "?" || cps[i] === "!")) i++;
    } else if (isDigit(c)) {
      kind = "number";
      while (i < n && (isWordPart(cps[i]) || (cps[i] === "." && isDigit(cps[i + 1] ?? "")))) i++;
    } else if (c === '"' || c === "'") {
      kind = "string";
      i++;
      while (i < n && cps[i] !== c && cps[i] !== "\n") i += cps[i] === "\\" ? 2 : 1;
      if (i < n && cps[i] === c) i++;
      i = Math.min(i, n);
    } else {
      const op = OPERATORS.find((o) => {
        for (let k = 0; k < o.length; k++) if (cps[i + k] !== o[k]) return false;
        return true;
      });
      kind = op ? "op" : /[\p{P}\p{S}]/u.test(c) ? "op" : "other";
      i += op ? op.length : 1;
    }
    out.push({ kind, start, end: i });
  }
  return out;
}

/** Characters inserted by `char-insert`: delimiters, sigil and string starters, odd code points. */
const INSERT_CHARS = [
  ..."()[]{}<>\"'#\\%~:;,.|&=+-*/^@!?_ \t\n\n",
  "a",
  "Z",
  "0",
  "9",
  "é",
  "😀",
  "\r",
  "\u0000",
];

/** Fragments inserted by `token-insert` besides the slice's own tokens. */
const INSERT_FRAGMENTS = [
  "do",
  "end",
  "fn",
  "->",
  "when",
  "else",
  "rescue",
  "after",
  '"""',
  "'''",
  "~s(",
  "~r/",
  "~S[",
  "<<",
  ">>",
  "%{",
  "#{",
  "\\\\",
  "::",
  "|>",
  "..",
  "...",
  "&1",
  "@",
  ':"',
  "?a",
  "0x",
  "1_000",
  "1.0e",
  "Foo.",
  "x:",
  "__MODULE__",
  "unquote(",
  "//",
  "<-",
  "=>",
  ";",
  "not in",
  "^",
  "&&&",
  "%",
  "\n",
];

/** The mutation operators, in the order a report lists them. */
export const MUTATION_OPS = [
  "char-delete",
  "char-insert",
  "char-duplicate",
  "char-swap",
  "token-delete",
  "token-insert",
  "token-duplicate",
  "token-swap",
] as const;

/** One mutation operator. */
export type MutationOp = (typeof MUTATION_OPS)[number];

/** A corpus file's text, as the fuzzer samples it. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One mutant, reproducible from `(runSeed, index)`. */
export interface Mutant {
  index: number;
  /** The mutant's own seed, derived from the run seed and the index. */
  seed: number;
  file: string;
  /** 1-based first and last line of the file that the slice holds. */
  firstLine: number;
  lastLine: number;
  op: MutationOp;
  /** What changed, with its line in the file, e.g. `token-swap "do"@L12 <-> "end"@L13`. */
  description: string;
  /** The unmutated slice (what both parsers would see without the mutation). */
  slice: string;
  /** The mutated slice: what both parsers see. */
  source: string;
}

/** Lines that cannot start a form: closers and clause keywords continue the previous one. */
const CONTINUATION = /^\s*(end\b|else\b|rescue\b|catch\b|after\b|do\b|\)|\]|\}|\|>|->)/;

/**
 * Indices of lines where a window preferably starts or ends: a non-blank line at indentation 0
 * or 2 after a blank line, outside heredocs (documentation paragraphs are indented by 2 too),
 * that does not continue the previous form.
 */
function boundaries(lines: readonly string[], count: number): number[] {
  const out: number[] = [];
  let inHeredoc = false;
  for (let i = 0; i < count; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    if (
      !inHeredoc &&
      line.trim() !== "" &&
      indent <= 2 &&
      (i === 0 || lines[i - 1].trim() === "") &&
      !CONTINUATION.test(line)
    ) {
      out.push(i);
    }
    // An odd number of triple quotes on a line opens or closes a heredoc (approximately).
    const quotes = (line.match(/"""|'''/g) ?? []).length;
    if (quotes % 2 === 1) inHeredoc = !inHeredoc;
  }
  return out;
}

/**
 * Cuts a window of whole lines (about 20 to 60) out of `text`, before any mutation. Most
 * windows start and end at {@link boundaries} (so most slices are valid Elixir and mutations
 * probe the grammar rather than an already-broken cut); some start anywhere.
 */
export function sliceLines(
  text: string,
  rng: Rng,
): { firstLine: number; lastLine: number; slice: string } {
  const lines = text.split("\n");
  // A trailing newline leaves a final empty element; it is not a line of its own.
  const count = lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
  const size = rng.range(20, 60);
  if (count <= size) return { firstLine: 1, lastLine: count, slice: text };
  const marks = boundaries(lines, count);
  const aligned = marks.length >= 2 && rng.chance(0.8);
  let start: number;
  let end: number;
  if (aligned) {
    start = rng.pick(marks);
    // End at the boundary (or the file's end) nearest to start + size if one is within 20
    // lines of it; otherwise cut there anyway, so that windows stay small.
    const target = start + size;
    end = Math.min(count, target);
    let best = Math.abs(count - target) <= 20 ? Math.abs(count - target) : 21;
    if (best <= 20) end = count;
    for (const b of marks) {
      if (b > start && Math.abs(b - target) < best) {
        best = Math.abs(b - target);
        end = b;
      }
    }
  } else {
    start = rng.int(count - size + 1);
    end = start + size;
  }
  const slice = `${lines.slice(start, end).join("\n")}\n`;
  return { firstLine: start + 1, lastLine: end, slice };
}

/** The 1-based line of code point `at` within `cps`. */
function lineOf(cps: readonly string[], at: number): number {
  let line = 1;
  for (let i = 0; i < at && i < cps.length; i++) if (cps[i] === "\n") line++;
  return line;
}

const show = (s: string) => JSON.stringify(s.length > 24 ? `${s.slice(0, 24)}…` : s);

/** Applies one mutation to `text`; returns the new text and a description (lines are slice-relative). */
export function mutateText(
  text: string,
  op: MutationOp,
  rng: Rng,
): { text: string; op: MutationOp; description: string } {
  const cps = Array.from(text);
  const tokens = lexTokens(cps).filter((t) => t.kind !== "space");
  // Operators with nothing to act on fall back to inserting a character.
  if (cps.length < 2 || (op.startsWith("token") && tokens.length < 2 && op !== "token-insert")) {
    op = "char-insert";
  }
  return { op, ...applyOp(cps, tokens, op, rng) };
}

function applyOp(
  cps: readonly string[],
  tokens: readonly Token[],
  op: MutationOp,
  rng: Rng,
): { text: string; description: string } {
  const at = (i: number) => `@L${lineOf(cps, i)}`;
  const tokText = (t: Token) => cps.slice(t.start, t.end).join("");
  const splice = (start: number, del: number, insert: string[]) => {
    const out = cps.slice();
    out.splice(start, del, ...insert);
    return out.join("");
  };
  switch (op) {
    case "char-delete": {
      const i = rng.int(cps.length);
      return { text: splice(i, 1, []), description: `${op} ${show(cps[i])}${at(i)}` };
    }
    case "char-insert": {
      const i = rng.int(cps.length + 1);
      const c = rng.pick(INSERT_CHARS);
      return { text: splice(i, 0, [c]), description: `${op} ${show(c)}${at(i)}` };
    }
    case "char-duplicate": {
      const i = rng.int(cps.length);
      return { text: splice(i, 0, [cps[i]]), description: `${op} ${show(cps[i])}${at(i)}` };
    }
    case "char-swap": {
      const i = rng.int(cps.length - 1);
      const description = `${op} ${show(cps[i])}${at(i)} <-> ${show(cps[i + 1])}`;
      return { text: splice(i, 2, [cps[i + 1], cps[i]]), description };
    }
    case "token-delete": {
      const t = rng.pick(tokens);
      return {
        text: splice(t.start, t.end - t.start, []),
        description: `${op} ${show(tokText(t))}${at(t.start)}`,
      };
    }
    case "token-insert": {
      const frag =
        tokens.length > 0 && rng.chance(0.5)
          ? tokText(rng.pick(tokens))
          : rng.pick(INSERT_FRAGMENTS);
      const i = tokens.length > 0 ? rng.pick(tokens).start : 0;
      // Half the time as a separate token, half glued to its neighbour.
      const ins = rng.chance(0.5) ? `${frag} ` : frag;
      return { text: splice(i, 0, Array.from(ins)), description: `${op} ${show(ins)}${at(i)}` };
    }
    case "token-duplicate": {
      const t = rng.pick(tokens);
      const s = tokText(t);
      return {
        text: splice(t.end, 0, Array.from(s)),
        description: `${op} ${show(s)}${at(t.start)}`,
      };
    }
    case "token-swap": {
      // Mostly neighbours (local reorderings parse further), sometimes any pair in the slice.
      const i = rng.int(tokens.length - 1);
      const j = rng.chance(0.7) ? i + 1 : i + 1 + rng.int(tokens.length - i - 1);
      const [a, b] = [tokens[i], tokens[j]];
      const out = [
        ...cps.slice(0, a.start),
        ...cps.slice(b.start, b.end),
        ...cps.slice(a.end, b.start),
        ...cps.slice(a.start, a.end),
        ...cps.slice(b.end),
      ].join("");
      const description = `${op} ${show(tokText(a))}${at(a.start)} <-> ${show(tokText(b))}${at(b.start)}`;
      return { text: out, description };
    }
  }
}

/** Builds mutant `index` of the run with seed `runSeed` over `files`. */
export function makeMutant(files: readonly SourceFile[], runSeed: number, index: number): Mutant {
  const seed = mutantSeed(runSeed, index);
  const rng = new Rng(seed);
  const file = rng.pick(files);
  const { firstLine, lastLine, slice } = sliceLines(file.text, rng);
  const m = mutateText(slice, rng.pick(MUTATION_OPS), rng);
  // Report the mutation's line in the file, not in the slice.
  const description = m.description.replace(
    /@L(\d+)/g,
    (_, l: string) => `@L${Number(l) + firstLine - 1}`,
  );
  return {
    index,
    seed,
    file: file.path,
    firstLine,
    lastLine,
    op: m.op,
    description,
    slice,
    source: m.text,
  };
}
