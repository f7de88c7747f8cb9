/**
 * L2 AST layer: the Elixir parser, the repository of modules and functions, and analysis.
 * Exported as `elixirscope/ast`.
 * @packageDocumentation
 */
export {};
