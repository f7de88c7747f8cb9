/**
 * The findings rules, one small module each: an id, a severity, the documentation line of
 * docs/ANALYSIS.md, and a check. Function rules see each written function once; project rules
 * see the whole project. {@link computeFindings} runs the table; adding a rule is adding an entry.
 * @packageDocumentation
 */
import type {
  Finding,
  FindingRule,
  FunctionInfo,
  ModuleGraph,
  ModuleInfo,
  PatternMatch,
} from "../model.js";

/** Thresholds of the findings (see `AnalysisOptions`). */
export interface RuleOptions {
  maxFunctionLines: number;
  maxNesting: number;
  maxArity: number;
}

/** What the rules know of the project, computed once by the project analysis. */
export interface ProjectFacts {
  options: RuleOptions;
  /** The project's modules by name (a name may be defined more than once). */
  modules: ReadonlyMap<string, readonly ModuleInfo[]>;
  /** `Module.name/arity` of every function some function of the project calls (itself included). */
  called: ReadonlySet<string>;
  /** The same without recursion, plus calls from module bodies. */
  calledFromElsewhere: ReadonlySet<string>;
  moduleGraph: ModuleGraph;
  patterns: readonly PatternMatch[];
  /** `name/arity` of the functions of `m` that something outside the project calls by contract. */
  contract(m: ModuleInfo): ReadonlySet<string>;
}

/** What a check reports; the runner adds the rule's id and severity. */
export type Report = (finding: Omit<Finding, "rule" | "severity">) => void;

/** One rule: its metadata and its check. */
export interface RuleModule {
  id: FindingRule;
  severity: Finding["severity"];
  /** The definition, as in docs/ANALYSIS.md. */
  docs: string;
  /** Checks one written function (not generated, not a default-argument arity). */
  checkFunction?(fn: FunctionInfo, m: ModuleInfo, facts: ProjectFacts, report: Report): void;
  /** Checks the whole project. */
  checkProject?(facts: ProjectFacts, report: Report): void;
}

function where(fn: FunctionInfo, m: ModuleInfo) {
  return { file: m.file, line: fn.line, module: m.name, function: `${fn.name}/${fn.arity}` };
}

/** True when a function of the project other than `fn` uses it (through a default arity too). */
function usedElsewhere(fn: FunctionInfo, m: ModuleInfo, facts: ProjectFacts): boolean {
  if (facts.calledFromElsewhere.has(`${m.name}.${fn.name}/${fn.arity}`)) return true;
  for (const g of m.functions) {
    if (g.defaultOf === fn.arity && g.name === fn.name) {
      if (facts.calledFromElsewhere.has(`${m.name}.${g.name}/${g.arity}`)) return true;
    }
  }
  return false;
}

const longFunction: RuleModule = {
  id: "long-function",
  severity: "warning",
  docs: "a written function whose clauses span more than `maxFunctionLines` lines in total (default 50)",
  checkFunction(fn, m, { options }, report) {
    const max = options.maxFunctionLines;
    if (fn.metrics.loc <= max) return;
    const message = `${m.name}.${fn.name}/${fn.arity} spans ${fn.metrics.loc} lines (max ${max})`;
    report({ message, ...where(fn, m), value: fn.metrics.loc, threshold: max });
  },
};

const deepNesting: RuleModule = {
  id: "deep-nesting",
  severity: "warning",
  docs: "a function whose Credo nesting exceeds `maxNesting` (default 2, Credo's)",
  checkFunction(fn, m, { options }, report) {
    const max = options.maxNesting;
    if (fn.metrics.nesting <= max) return;
    const message = `${m.name}.${fn.name}/${fn.arity} is nested ${fn.metrics.nesting} deep (max ${max})`;
    report({ message, ...where(fn, m), value: fn.metrics.nesting, threshold: max });
  },
};

const manyParameters: RuleModule = {
  id: "many-parameters",
  severity: "warning",
  docs: "arity above `maxArity` (default 8, Credo's)",
  checkFunction(fn, m, { options }, report) {
    const max = options.maxArity;
    if (fn.arity <= max) return;
    const message = `${m.name}.${fn.name}/${fn.arity} takes ${fn.arity} parameters (max ${max})`;
    report({ message, ...where(fn, m), value: fn.arity, threshold: max });
  },
};

const unusedPrivateFunction: RuleModule = {
  id: "unused-private-function",
  severity: "warning",
  docs: "a `defp`/`defmacrop`/`defguardp` that no other function of the project calls or captures",
  checkFunction(fn, m, facts, report) {
    if (fn.visibility !== "private" || usedElsewhere(fn, m, facts)) return;
    const message = `private ${m.name}.${fn.name}/${fn.arity} is never called`;
    report({ message, ...where(fn, m), value: null, threshold: null });
  },
};

/** Functions a supervisor or a runtime calls by convention, whatever the module. */
const STARTED_BY_CONVENTION = new Set(["start_link", "child_spec", "start"]);

const unusedPublicFunction: RuleModule = {
  id: "unused-public-function",
  severity: "info",
  docs: "a public `def`/`defdelegate` of a plain module that nothing in the project calls, except callbacks and what frameworks call",
  checkFunction(fn, m, facts, report) {
    if (fn.visibility !== "public" || m.kind !== "module") return;
    if (fn.kind !== "def" && fn.kind !== "defdelegate") return;
    if (fn.impl !== null || STARTED_BY_CONVENTION.has(fn.name)) return;
    if (usedElsewhere(fn, m, facts) || facts.called.has(`${m.name}.${fn.name}/${fn.arity}`)) return;
    if (facts.contract(m).has(`${fn.name}/${fn.arity}`)) return;
    const message = `public ${m.name}.${fn.name}/${fn.arity} is not called anywhere in the project`;
    report({ message, ...where(fn, m), value: null, threshold: null });
  },
};

const stringToAtom: RuleModule = {
  id: "string-to-atom",
  severity: "warning",
  docs: "a call to `String.to_atom/1` whose argument is not a literal",
  checkFunction(fn, m, _facts, report) {
    for (const c of fn.clauses) {
      for (const call of c.calls) {
        if (call.kind !== "remote" || call.module !== "String" || call.name !== "to_atom") continue;
        if (call.arity !== 1 || call.literalArgs === true) continue;
        report({
          message: `String.to_atom/1 on non-literal input in ${m.name}.${fn.name}/${fn.arity} (atoms are never garbage-collected)`,
          ...where(fn, m),
          line: call.line,
          file: c.file,
          value: null,
          threshold: null,
        });
      }
    }
  },
};

const dependencyCycle: RuleModule = {
  id: "dependency-cycle",
  severity: "warning",
  docs: "each strongly connected component of the module graph with more than one module (or a self-dependency)",
  checkProject(facts, report) {
    for (const cycle of facts.moduleGraph.cycles) {
      const first = facts.modules.get(cycle[0])?.[0];
      report({
        message: `modules depend on each other in a cycle: ${cycle.join(", ")}`,
        file: first?.file ?? "",
        line: first?.line ?? 0,
        module: cycle[0],
        function: null,
        value: cycle.length,
        threshold: null,
      });
    }
  },
};

/** Every rule, in the order docs/ANALYSIS.md lists them. */
export const RULES: readonly RuleModule[] = [
  longFunction,
  deepNesting,
  manyParameters,
  unusedPrivateFunction,
  unusedPublicFunction,
  stringToAtom,
  dependencyCycle,
];

function byPlace(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  return a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}

/** Runs every rule over the project's modules; findings sorted by file, line and rule. */
export function computeFindings(
  modules: readonly ModuleInfo[],
  facts: ProjectFacts,
  rules: readonly RuleModule[] = RULES,
): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const report: Report = (f) => out.push({ rule: rule.id, severity: rule.severity, ...f });
    rule.checkProject?.(facts, report);
    if (rule.checkFunction === undefined) continue;
    for (const m of modules) {
      for (const fn of m.functions) {
        if (!fn.generated && fn.defaultOf === null) rule.checkFunction(fn, m, facts, report);
      }
    }
  }
  return out.sort(byPlace);
}
