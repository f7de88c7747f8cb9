/**
 * The built-in rules: the analysis findings that fit a pattern, written as rules in the same
 * YAML as users' rules (thresholds are docs/ANALYSIS.md's defaults). Project-level findings
 * (unused functions, dependency cycles) need the whole project and stay in the analysis.
 * @packageDocumentation
 */

/** Built-in rule files, by name. */
export const BUILTIN_RULES: Readonly<Record<string, string>> = {
  "io-inspect.yml": `
id: io-inspect
severity: warning
message: "IO.inspect left in the code: {{value}}"
docs: A debugging print; remove it or log through Logger.
any:
  - IO.inspect(_value, ...)
  - _value |> IO.inspect(...)
`,
  "string-to-atom.yml": `
id: string-to-atom
severity: warning
message: "String.to_atom({{value}}) creates atoms from data; atoms are never collected"
docs: Use String.to_existing_atom/1, or map known strings to atoms explicitly.
any:
  - String.to_atom(_value)
  - _value |> String.to_atom()
`,
  "long-function.yml": `
id: long-function
severity: warning
message: "{{name}} is longer than 50 lines"
docs: Split long functions; the analysis measures lines from a clause's first line to its last.
any:
  - def _name(...) do ... end
  - defp _name(...) do ... end
where:
  loc: "> 50"
`,
  "deep-nesting.yml": `
id: deep-nesting
severity: warning
message: "{{name}} nests control flow more than 2 levels deep"
docs: Credo's Refactor.Nesting with max_nesting 2.
any:
  - def _name(...) do ... end
  - defp _name(...) do ... end
where:
  nesting: "> 2"
`,
  "many-parameters.yml": `
id: many-parameters
severity: warning
message: "{{name}} takes more than 8 parameters"
docs: Credo's Refactor.FunctionArity with max_arity 8.
any:
  - def _name(...) do ... end
  - defp _name(...) do ... end
where:
  arity: "> 8"
`,
};

/** Analysis findings that the built-in rules re-express, so they are not reported twice. */
export const REEXPRESSED: ReadonlySet<string> = new Set([
  "long-function",
  "deep-nesting",
  "many-parameters",
  "string-to-atom",
]);
