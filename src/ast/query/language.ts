/**
 * The text query language (grammar in docs/QUERY.md), compiled to a {@link QuerySpec}.
 * Errors are {@link QuerySyntaxError}s with the 1-based column where the query went wrong.
 * @packageDocumentation
 */
import { checkSpec, QueryError } from "./engine.js";
import {
  type CompareOp,
  type Condition,
  ENTITIES,
  type Entity,
  emptySpec,
  type QuerySpec,
  type Value,
} from "./spec.js";

/** A query that does not parse or check; `column` is 1-based in the query text. */
export class QuerySyntaxError extends QueryError {
  override name = "QuerySyntaxError";
  constructor(
    readonly description: string,
    readonly column: number,
  ) {
    super(`query error at column ${column}: ${description}`);
  }
}

type TokenKind = "word" | "number" | "string" | "regex" | "op" | "punct" | "end";

interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based offset. */
  at: number;
  flags?: string;
}

const OPS = ["!~", "!=", ">=", "<=", "==", "=", ">", "<", "~"];
const WORD = /[A-Za-z_:][\w.!?:-]*(?:\/\d+)?/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

class Lexer {
  #pos = 0;
  #peeked: Token | null = null;

  constructor(readonly text: string) {}

  #fail(message: string, at: number): never {
    throw new QuerySyntaxError(message, at + 1);
  }

  peek(): Token {
    this.#peeked ??= this.#read();
    return this.#peeked;
  }

  next(): Token {
    const t = this.peek();
    this.#peeked = null;
    return t;
  }

  #read(): Token {
    const s = this.text;
    while (this.#pos < s.length && /\s/.test(s[this.#pos])) this.#pos++;
    const at = this.#pos;
    if (at >= s.length) return { kind: "end", text: "", at };
    const ch = s[at];
    if (ch === '"') return this.#string(at);
    if (ch === "/") return this.#regex(at);
    for (const op of OPS) {
      if (s.startsWith(op, at)) {
        this.#pos += op.length;
        return { kind: "op", text: op === "==" ? "=" : op, at };
      }
    }
    if (ch === "(" || ch === ")" || ch === ",") {
      this.#pos++;
      return { kind: "punct", text: ch, at };
    }
    for (const [re, kind] of [
      [NUMBER, "number"],
      [WORD, "word"],
    ] as const) {
      re.lastIndex = at;
      const m = re.exec(s);
      if (m !== null) {
        this.#pos = at + m[0].length;
        return { kind, text: m[0], at };
      }
    }
    return this.#fail(`unexpected character ${JSON.stringify(ch)}`, at);
  }

  #string(at: number): Token {
    let out = "";
    for (let i = at + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\\" && i + 1 < this.text.length) out += this.text[++i];
      else if (c === '"') {
        this.#pos = i + 1;
        return { kind: "string", text: out, at };
      } else out += c;
    }
    return this.#fail("unterminated string", at);
  }

  #regex(at: number): Token {
    let out = "";
    for (let i = at + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === "\\" && i + 1 < this.text.length) out += c + this.text[++i];
      else if (c === "/") {
        const flags = /^[imsu]*/.exec(this.text.slice(i + 1))?.[0] ?? "";
        this.#pos = i + 1 + flags.length;
        try {
          new RegExp(out, flags);
        } catch (e) {
          this.#fail(`invalid regular expression: ${(e as Error).message}`, at);
        }
        return { kind: "regex", text: out, at, flags };
      } else out += c;
    }
    return this.#fail("unterminated regular expression", at);
  }
}

const KEYWORDS = new Set([
  "where",
  "implementing",
  "having",
  "lacking",
  "order",
  "limit",
  "offset",
  "depth",
]);

class Parser {
  readonly lx: Lexer;

  constructor(text: string) {
    this.lx = new Lexer(text);
  }

  fail(message: string, t: Token = this.lx.peek()): never {
    throw new QuerySyntaxError(message, t.at + 1);
  }

  describe(t: Token): string {
    return t.kind === "end" ? "the end of the query" : JSON.stringify(t.text);
  }

  keyword(word: string): boolean {
    const t = this.lx.peek();
    if (t.kind === "word" && t.text === word) {
      this.lx.next();
      return true;
    }
    return false;
  }

  expectKeyword(word: string): void {
    if (!this.keyword(word))
      this.fail(`expected "${word}", found ${this.describe(this.lx.peek())}`);
  }

  name(what: string): string {
    const t = this.lx.next();
    if (t.kind === "word" || t.kind === "string") return t.text;
    return this.fail(`expected ${what}, found ${this.describe(t)}`, t);
  }

  fnRef(): string {
    const t = this.lx.peek();
    const text = this.name("a function as name/arity (e.g. handle_info/2)");
    if (!/\/\d+$/.test(text)) this.fail(`expected name/arity, found ${JSON.stringify(text)}`, t);
    return text;
  }

  integer(what: string): number {
    const t = this.lx.next();
    if (t.kind !== "number" || !/^\d+$/.test(t.text)) {
      return this.fail(`${what} must be a non-negative integer, found ${this.describe(t)}`, t);
    }
    return Number(t.text);
  }

  parse(): QuerySpec {
    const spec = this.head();
    this.modifiers(spec);
    const t = this.lx.peek();
    if (t.kind !== "end") this.fail(`unexpected ${this.describe(t)}`, t);
    return spec;
  }

  head(): QuerySpec {
    const t = this.lx.next();
    if (t.kind !== "word")
      this.fail(`expected an entity or query form, found ${this.describe(t)}`, t);
    if (t.text === "callers" || t.text === "callees") {
      this.expectKeyword("of");
      const spec = emptySpec("functions");
      const target = this.fnRef();
      const depth = this.keyword("depth") ? this.integer("depth") : 1;
      if (depth < 1) this.fail("depth must be at least 1");
      spec.origin = { kind: t.text, target, depth };
      return spec;
    }
    if (t.text === "path") {
      this.expectKeyword("from");
      const from = this.name("a module");
      this.expectKeyword("to");
      const spec = emptySpec("modules");
      spec.origin = { kind: "path", from, to: this.name("a module") };
      return spec;
    }
    if (!ENTITIES.includes(t.text as Entity)) {
      this.fail(
        `unknown entity ${JSON.stringify(t.text)}; one of ${ENTITIES.join(", ")}, callers, callees, path`,
        t,
      );
    }
    const spec = emptySpec(t.text as Entity);
    if (spec.entity === "modules" && this.keyword("reachable")) {
      this.expectKeyword("from");
      const from = this.name("a module");
      const depth = this.keyword("depth") ? this.integer("depth") : Number.MAX_SAFE_INTEGER;
      spec.origin = { kind: "reachable", from, depth };
    }
    return spec;
  }

  modifiers(spec: QuerySpec): void {
    for (;;) {
      const t = this.lx.peek();
      if (t.kind !== "word" || !KEYWORDS.has(t.text)) return;
      this.lx.next();
      if (t.text === "where") spec.where = this.or();
      else if (t.text === "implementing") spec.implementing.push(this.name("a behaviour"));
      else if (t.text === "having") spec.having.push(this.fnRef());
      else if (t.text === "lacking") spec.lacking.push(this.fnRef());
      else if (t.text === "limit") spec.limit = this.integer("limit");
      else if (t.text === "offset") spec.offset = this.integer("offset");
      else if (t.text === "order") this.order(spec);
      else this.fail(`"${t.text}" is not allowed here`, t);
    }
  }

  order(spec: QuerySpec): void {
    this.expectKeyword("by");
    do {
      const field = this.name("a field");
      let descending = false;
      if (this.keyword("desc")) descending = true;
      else this.keyword("asc");
      spec.order.push({ field, descending });
    } while (this.lx.peek().text === "," && this.lx.next());
  }

  or(): Condition {
    const items = [this.and()];
    while (this.keyword("or")) items.push(this.and());
    return items.length === 1 ? items[0] : { op: "or", items };
  }

  and(): Condition {
    const items = [this.unary()];
    while (this.keyword("and")) items.push(this.unary());
    return items.length === 1 ? items[0] : { op: "and", items };
  }

  unary(): Condition {
    if (this.keyword("not")) return { op: "not", item: this.unary() };
    const t = this.lx.peek();
    if (t.kind === "punct" && t.text === "(") {
      this.lx.next();
      const c = this.or();
      const close = this.lx.next();
      if (close.text !== ")") this.fail(`expected ")", found ${this.describe(close)}`, close);
      return c;
    }
    const fieldToken = this.lx.next();
    if (fieldToken.kind !== "word")
      this.fail(`expected a field, found ${this.describe(fieldToken)}`, fieldToken);
    const op = this.lx.next();
    if (op.kind !== "op")
      this.fail(`expected a comparison (=, !=, >, >=, <, <=, ~), found ${this.describe(op)}`, op);
    return {
      op: "compare",
      field: fieldToken.text,
      compare: op.text as CompareOp,
      value: this.value(),
    };
  }

  value(): Value {
    const t = this.lx.next();
    switch (t.kind) {
      case "number":
        return Number(t.text);
      case "string":
      case "word":
        return t.text;
      case "regex":
        return { regex: t.text, flags: t.flags };
      default:
        return this.fail(`expected a value, found ${this.describe(t)}`, t);
    }
  }
}

/** Positions of fields, so that a check error can point at the field. */
function fieldColumn(text: string, field: string): number {
  const m = new RegExp(`(?<![\\w.])${field.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w.])`).exec(
    text,
  );
  return m === null ? 1 : m.index + 1;
}

/**
 * Compiles a text query to a spec.
 * @throws {QuerySyntaxError} with the column of the problem.
 */
export function parseQuery(text: string): QuerySpec {
  const spec = new Parser(text).parse();
  try {
    checkSpec(spec);
  } catch (e) {
    if (e instanceof QuerySyntaxError || !(e instanceof QueryError)) throw e;
    const field = /unknown field "([^"]+)"/.exec(e.message)?.[1];
    throw new QuerySyntaxError(e.message, field === undefined ? 1 : fieldColumn(text, field));
  }
  return spec;
}
