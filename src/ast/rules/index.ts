/**
 * Rules in Elixir-syntax patterns (YAML files), `check` over a project, and baselines
 * (see docs/SEARCH.md#rules).
 * @packageDocumentation
 */
export { applyRules, type MetricsLookup, type RuleFinding, suppress } from "./apply.js";
export {
  type Baseline,
  type BaselineEntry,
  newFindings,
  readBaseline,
  writeBaseline,
} from "./baseline.js";
export { BUILTIN_RULES, REEXPRESSED } from "./builtin.js";
export { type CheckFinding, type CheckOptions, type CheckResult, check } from "./check.js";
export { builtinRules, loadRuleDir, mergeRules, parseRules } from "./load.js";
export {
  type CaptureCondition,
  type Context,
  type MetricCondition,
  type Rule,
  RuleError,
  SEVERITIES,
  type Severity,
  toRule,
} from "./rule.js";
