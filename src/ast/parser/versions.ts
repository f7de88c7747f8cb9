/**
 * The Elixir versions the parser targets, and everything that differs between them, in one
 * table. The parser is one grammar; each difference is a named flag that the lexer or parser
 * reads from {@link Features}, so supporting a later version means adding a row here and the
 * few branches its flags guard.
 * @packageDocumentation
 */

/** An Elixir version whose `Code.string_to_quoted_with_comments/2` output the parser reproduces. */
export type ElixirVersion = "1.14" | "1.18";

/** Every supported {@link ElixirVersion}, oldest first. */
export const ELIXIR_VERSIONS: readonly ElixirVersion[] = Object.freeze(["1.14", "1.18"] as const);

/** The version parsed when none is given: the newest one we can check against. */
export const DEFAULT_ELIXIR_VERSION: ElixirVersion = "1.18";

/** What one Elixir version's tokenizer and parser do differently (see docs/PARSER.md). */
export interface Features {
  /** `~EXLA"..."`: uppercase sigils of several letters and digits (1.15+). */
  readonly multiLetterSigils: boolean;
  /**
   * Token metadata added since 1.15: `end_of_expression` on the last expression of a block,
   * `parens` on parenthesised expressions and stab heads, `from_brackets`, `from_interpolation`,
   * `assoc`, `delimiter` on quoted atoms and keywords, `format: :atom` on `:true`/`:false`/`:nil`.
   */
  readonly richMetadata: boolean;
  /** `...` as an operator (1.16+) and `..` as an expression anywhere a matched one may stand. */
  readonly ellipsisOp: boolean;
  /** Parser messages reworded since 1.14 (ambiguity examples, keyword lists in tuples). */
  readonly newMessages: boolean;
  /** `\#{` in a string advances the column by its three characters (1.14 counted one). */
  readonly escapedInterpolationColumns: boolean;
  /**
   * A map entry without `=>` is any `map_base_expr` (1.18's grammar: a `sub_matched_expr` such
   * as `1`, `a[1]`, `..`, after any unary or `@` operators), not 1.14's variable, `a.b`, call
   * without parentheses taking one argument, or call with parentheses.
   */
  readonly mapBaseExpr: boolean;
}

const FEATURES: Readonly<Record<ElixirVersion, Features>> = Object.freeze({
  "1.14": Object.freeze({
    multiLetterSigils: false,
    richMetadata: false,
    ellipsisOp: false,
    newMessages: false,
    escapedInterpolationColumns: false,
    mapBaseExpr: false,
  }),
  "1.18": Object.freeze({
    multiLetterSigils: true,
    richMetadata: true,
    ellipsisOp: true,
    newMessages: true,
    escapedInterpolationColumns: true,
    mapBaseExpr: true,
  }),
});

/** The feature row of `version`. */
export function featuresOf(version: ElixirVersion): Features {
  return FEATURES[version];
}

/** True when `v` names a supported version. */
export function isElixirVersion(v: unknown): v is ElixirVersion {
  return typeof v === "string" && Object.hasOwn(FEATURES, v);
}
