/**
 * The state one clause walk shares with its visitors: the counters of every metric, the calls
 * and module references found, and what the walk knows at the current node (aliases, quote
 * depth, the pipe and capture being visited). One object per clause; visitors mutate it.
 * @packageDocumentation
 */
import type { CallInfo, DependencyKind } from "../../model.js";
import type { AliasTable } from "../../syntax/scope.js";
import type { Node, Term } from "../../term.js";

/** Walk modes as bit flags: which visitors a subtree is measured by. */
export const ABC = 1;
export const CALLS = 2;
export const COG = 4;

/** What a clause walk needs to know about its surroundings. */
export interface ClauseContext {
  /** The module the clause belongs to. */
  module: string;
  /** Aliases in effect where the clause is defined. */
  aliases: AliasTable;
  /** `name/arity` of every function and macro of the module, default arities included. */
  locals: ReadonlySet<string>;
  /** `name/arity` to module, from `import ..., only: [...]` lists in effect. */
  importedOnly: Readonly<Record<string, string>>;
  /** The function's own name and arity, to see recursion. */
  name: string;
  arity: number;
  /** Credo's ABC ignores `where`/`from`/`select`/`join` when the file imports `Ecto.Query`. */
  ectoQuery: boolean;
  /** Prefix for call IDs (the clause ID). */
  idPrefix: string;
  /** True for module-body code: nested definitions are not entered (they are walked on their own). */
  skipDefinitions?: boolean;
}

/** A reference to another module found in a clause. */
export interface ClauseDependency {
  target: string;
  kind: DependencyKind;
  line: number;
}

/** The mutable state of one clause walk. */
export class WalkState {
  /** Cyclomatic and perceived complexity; the clause's own definition is the base 1. */
  cc = 1;
  perceived = 1;
  /** ABC's assignments, branches and conditions. */
  a = 0;
  b = 0;
  c = 0;
  cognitive = 0;
  /** `if`/`unless`/`case`/`cond`/`fn`/`for`/`with` calls met: Credo's nesting is 0 without one. */
  nestOps = 0;
  readonly calls: CallInfo[] = [];
  readonly deps: ClauseDependency[] = [];
  /** Variables ABC treats as known (not branches). */
  readonly varNames: Set<string>;
  aliases: AliasTable;
  /** Depth of `quote` blocks (reset inside `unquote`): calls there are not the clause's own. */
  inQuote = 0;
  /** The call on the right of the `|>` being visited, the call inside `&(...)`. */
  piped: Node | null = null;
  capture: Node | null = null;
  /** A node already recorded as a call (the `f` of `&f/1`). */
  suppressed: Node | null = null;
  /** Credo's ABC replaces `unquote(x)` by `x` and walks on below it: `x` itself is not counted. */
  abcTransparent: Term = null;
  /** A subtree ABC does not walk (the pattern of `=`), checked when the walk reaches it. */
  abcHidden: Term = null;

  constructor(
    readonly ctx: ClauseContext,
    abcParams: readonly string[],
  ) {
    this.varNames = new Set(abcParams);
    this.aliases = ctx.aliases;
  }
}
