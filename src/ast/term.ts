/**
 * The in-memory form of Elixir terms, and so of Elixir's quoted AST.
 *
 * The parser builds these and every analysis walks them, so the representation favours cheap
 * construction and cheap type tests over generality:
 * - integers are JS numbers while they are safe integers, `bigint` beyond ±2^53;
 * - floats are wrapped in {@link Float}, because `1.0` and `1` are different terms;
 * - the atoms `true`, `false` and `nil` are JS `true`, `false` and `null`, every other atom an
 *   interned {@link Atom} (so atoms compare with `===`);
 * - binaries that are valid UTF-8 are JS strings, others {@link Bin};
 * - lists are JS arrays (the quoted AST never holds an improper list);
 * - 3-tuples are always AST nodes in parser output ({@link Node}, with `meta` as an ordered
 *   object rather than a keyword list); every other tuple is a {@link Tuple}.
 * @packageDocumentation
 */

/** An interned atom other than `true`, `false` and `nil`; compare atoms with `===`. */
export class Atom {
  static readonly #table = new Map<string, Atom>();

  private constructor(
    /** The atom's text as Elixir prints it inside `:"..."` (modules keep their `Elixir.` prefix). */
    readonly name: string,
  ) {}

  /** The one Atom for `name`. Use {@link atom} when `name` may be `true`, `false` or `nil`. */
  static of(name: string): Atom {
    let a = Atom.#table.get(name);
    if (a === undefined) {
      if (name === "true" || name === "false" || name === "nil") {
        throw new TypeError(
          `Atom.of(${JSON.stringify(name)}): that atom is the JS value ${name === "nil" ? "null" : name}`,
        );
      }
      a = new Atom(name);
      Atom.#table.set(name, a);
    }
    return a;
  }

  toString(): string {
    return `:${this.name}`;
  }
}

/** The term for the atom `name`: `true`, `false`, `null` (for nil) or an interned {@link Atom}. */
export function atom(name: string): Atom | boolean | null {
  if (name === "true") return true;
  if (name === "false") return false;
  if (name === "nil") return null;
  return Atom.of(name);
}

/** An Elixir float. Wrapped so that `1.0` stays distinct from the integer `1`. */
export class Float {
  declare readonly value: number;

  constructor(value: number) {
    this.value = value;
  }
}

/** A binary that is not valid UTF-8 (valid ones are plain JS strings). */
export class Bin {
  constructor(readonly bytes: Uint8Array) {}
}

/** A tuple that is not an AST node: in parser output, the 2-tuples of keyword lists and maps. */
export class Tuple {
  declare readonly items: Term[];

  constructor(items: Term[]) {
    this.items = items;
  }
}

/**
 * Metadata of an AST node: Elixir's keyword list, in order, as `[key, value]` pairs.
 * A list rather than an object because Elixir's metadata can hold a key twice (a call on a call,
 * `unquote(name)(arg)`, carries two `closing` entries). Nested keyword lists
 * (`closing: [line: 1, column: 5]`) are nested Meta lists. Read it with {@link metaGet}.
 */
export type Meta = [key: string, value: MetaValue][];

/** The first value under `key`, as `Keyword.get/2` finds it; `undefined` when absent. */
export function metaGet(meta: Meta, key: string): MetaValue | undefined {
  for (let i = 0; i < meta.length; i++) {
    const entry = meta[i];
    if (entry[0] === key) return entry[1];
  }
  return undefined;
}

/** The integer under `key` (e.g. `line`, `column`), or `undefined` when absent or not an integer. */
export function metaInt(meta: Meta, key: string): number | undefined {
  const v = metaGet(meta, key);
  return typeof v === "number" ? v : undefined;
}

/** A value in {@link Meta}. */
export type MetaValue = number | string | boolean | null | Atom | Meta;

/**
 * A quoted expression `{form, meta, args}`: a call when `args` is a list, a variable when `args`
 * is an atom (its context) or `null` (nil).
 * Line and column: `metaInt(node.meta, "line")`.
 */
export class Node {
  // Declared, not class fields: with ES2022 class fields every construction would first define
  // each field as undefined (a separate initializer, and fields that never stay small integers);
  // the parser allocates millions of these.
  /** An atom for local calls, variables and special forms; a Node for remote and anonymous calls. */
  declare form: Term;
  declare meta: Meta;
  declare args: Term[] | Atom | null;

  constructor(form: Term, meta: Meta, args: Term[] | Atom | null) {
    this.form = form;
    this.meta = meta;
    this.args = args;
  }
}

/** Any Elixir term the parser can produce. */
export type Term =
  | number
  | bigint
  | boolean
  | null
  | string
  | Atom
  | Float
  | Bin
  | Tuple
  | Node
  | Term[];

/** A source comment, as `Code.string_to_quoted_with_comments/2` reports it. */
export interface Comment {
  line: number;
  column: number;
  previous_eol_count: number;
  next_eol_count: number;
  text: string;
}

/** The number of AST nodes (3-tuples) in `term`, counted without recursion. */
export function countNodes(term: Term): number {
  let n = 0;
  const stack: Term[] = [term];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (Array.isArray(t)) for (const x of t) stack.push(x);
    else if (t instanceof Node) {
      n++;
      stack.push(t.form);
      if (Array.isArray(t.args)) for (const x of t.args) stack.push(x);
    } else if (t instanceof Tuple) for (const x of t.items) stack.push(x);
  }
  return n;
}
