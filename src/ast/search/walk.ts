/**
 * Runs a compiled pattern over every node of one parsed file, keeping track of the enclosing
 * module and function, and turns each match into plain data with positions and captures.
 * @packageDocumentation
 */
import { print } from "../extract/print.js";
import type { ElixirVersion } from "../parser/index.js";
import { Atom, metaInt, Node, type Term, Tuple } from "../term.js";
import { isVarNode, Matcher, nodeKey, rootKey } from "./match.js";
import { type Prefilter, passes, prefilterOf } from "./prefilter.js";
import { nodeRange, type SourceLines, sourceSlice } from "./range.js";

/** One match of a pattern in a file. Lines and columns are 1-based, as in Elixir's metadata. */
export interface SearchMatch {
  /** File path as the caller named it (relative to the current directory in the CLI). */
  file: string;
  /** The matched node's own `line` metadata. */
  line: number;
  /** The matched node's own `column` metadata. */
  column: number;
  /** Where the matched code ends (after its last token; see docs/SEARCH.md for the limits). */
  endLine: number;
  endColumn: number;
  /** The innermost enclosing `defmodule` (nested names joined), or null. */
  module: string | null;
  /** The innermost enclosing definition as `name/arity`, or null. */
  function: string | null;
  /** Each named capture (without its `_`) as source text. */
  captures: Record<string, string>;
}

const DEF_FORMS = new Set(["def", "defp", "defmacro", "defmacrop", "defguard", "defguardp"]);

/** A compiled pattern ready to run over files. */
export interface CompiledPattern {
  source: string;
  /** The Elixir version whose syntax the pattern and the searched files are parsed as. */
  elixir: ElixirVersion;
  ast: Term;
  key: Atom | null;
  /** What a file's text must contain for the pattern to match in it (see prefilter.ts). */
  prefilter: Prefilter;
}

/** Prepares a parsed pattern for {@link matchFile}. */
export function compilePattern(source: string, ast: Term, elixir: ElixirVersion): CompiledPattern {
  return { source, elixir, ast, key: rootKey(ast), prefilter: prefilterOf(ast) };
}

/** False when `source` lacks something every match needs, so the file need not be parsed. */
export function mayMatch(pattern: CompiledPattern, source: string | Uint8Array): boolean {
  return passes(pattern.prefilter, source);
}

function aliasText(t: Term): string {
  if (t instanceof Node && t.form instanceof Atom && t.form.name === "__aliases__") {
    if (Array.isArray(t.args)) {
      return t.args.map((a) => (a instanceof Atom ? a.name : print(a))).join(".");
    }
  }
  if (t instanceof Atom) return t.name.startsWith("Elixir.") ? t.name.slice(7) : `:${t.name}`;
  return print(t);
}

/** `name/arity` of a definition node's head, or null when the head is not a call or name. */
function defName(def: Node): string | null {
  if (!Array.isArray(def.args) || def.args.length === 0) return null;
  let head = def.args[0];
  if (head instanceof Node && head.form instanceof Atom && head.form.name === "when") {
    head = Array.isArray(head.args) ? head.args[0] : head;
  }
  if (!(head instanceof Node) || !(head.form instanceof Atom)) return null;
  const arity = Array.isArray(head.args) ? head.args.length : 0;
  return `${head.form.name}/${arity}`;
}

interface WalkState {
  matcher: Matcher;
  key: Atom | null;
  file: string;
  lines: SourceLines;
  modules: string[];
  functions: string[];
  out: SearchMatch[];
}

/** Every match of `pattern` in `ast` (source order of the walk: parents before children). */
export function matchFile(
  pattern: CompiledPattern,
  file: string,
  source: string,
  ast: Term,
): SearchMatch[] {
  const state: WalkState = {
    matcher: new Matcher(pattern.ast),
    key: pattern.key,
    file,
    lines: { source, starts: null },
    modules: [],
    functions: [],
    out: [],
  };
  walk(ast, state);
  return state.out;
}

/** Stack entries that close a `defmodule` or a definition once its children are walked. */
const LEAVE_MODULE = Symbol("leave module");
const LEAVE_FUNCTION = Symbol("leave function");

/**
 * Walks `ast` in source order, parents before children, with an explicit stack: the deepest
 * trees the parser accepts must not exhaust the call stack.
 */
function walk(ast: Term, s: WalkState): void {
  const stack: (Term | symbol)[] = [ast];
  while (stack.length > 0) {
    const t = stack.pop() as Term | symbol;
    if (t === LEAVE_MODULE) s.modules.pop();
    else if (t === LEAVE_FUNCTION) s.functions.pop();
    else if (t instanceof Node) enter(t, s, stack);
    else if (Array.isArray(t)) for (let i = t.length - 1; i >= 0; i--) stack.push(t[i]);
    else if (t instanceof Tuple)
      for (let i = t.items.length - 1; i >= 0; i--) stack.push(t.items[i]);
  }
}

/** Visits one node: its context, its match; then queues its form and arguments. */
function enter(n: Node, s: WalkState, stack: (Term | symbol)[]): void {
  const form = n.form;
  if (form instanceof Atom && Array.isArray(n.args)) {
    if (form.name === "defmodule" && n.args.length > 0) {
      const name = aliasText(n.args[0]);
      const outer = s.modules[s.modules.length - 1];
      s.modules.push(outer === undefined ? name : `${outer}.${name}`);
      stack.push(LEAVE_MODULE);
    } else if (DEF_FORMS.has(form.name)) {
      const name = defName(n);
      if (name !== null) {
        s.functions.push(name);
        stack.push(LEAVE_FUNCTION);
      }
    }
  }
  if (s.key === null || nodeKey(n) === s.key) tryNode(n, s);
  if (isVarNode(n)) return;
  if (Array.isArray(n.args)) for (let i = n.args.length - 1; i >= 0; i--) stack.push(n.args[i]);
  stack.push(form);
}

function tryNode(n: Node, s: WalkState): void {
  const line = metaInt(n.meta, "line");
  if (line === undefined) return; // generated nodes (a file's or a body's block) have no place
  if (!s.matcher.test(n)) return;
  const column = metaInt(n.meta, "column") ?? 1;
  const range = nodeRange(n, s.lines);
  const captures: Record<string, string> = {};
  for (const [name, value] of s.matcher.captures) captures[name] = captureText(value, s.lines);
  s.out.push({
    file: s.file,
    line,
    column,
    endLine: range.endLine,
    endColumn: range.endColumn,
    module: s.modules[s.modules.length - 1] ?? null,
    function: s.functions[s.functions.length - 1] ?? null,
    captures,
  });
}

function captureText(value: Term, lines: SourceLines): string {
  return sourceSlice(value, lines) ?? print(value);
}

/** False when the pattern is a literal, list or 2-tuple: such terms carry no metadata to report. */
export function rootHasPosition(pattern: CompiledPattern): boolean {
  return pattern.ast instanceof Node;
}
