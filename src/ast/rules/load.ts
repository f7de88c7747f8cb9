/**
 * Loading rule files: YAML, one rule per document or a `rules:` list, from a directory
 * (`*.yml`, `*.yaml`, sorted) or from the built-in set.
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, parseAllDocuments } from "yaml";
import { BUILTIN_RULES } from "./builtin.js";
import { type Rule, RuleError, toRule } from "./rule.js";

/**
 * The rules in one YAML text.
 * @throws {RuleError} naming `source` with the line and column of a YAML error, or the field.
 */
export function parseRules(text: string, source: string): Rule[] {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, prettyErrors: false });
  const rules: Rule[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const pos = counter.linePos(err.pos[0]);
      throw new RuleError(`${source}:${pos.line}:${pos.col}: ${err.message.split("\n")[0]}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const list =
      typeof value === "object" && !Array.isArray(value) && "rules" in value
        ? (value as { rules: unknown }).rules
        : [value];
    if (!Array.isArray(list)) throw new RuleError(`${source}: rules must be a list`);
    for (const r of list) rules.push(toRule(r, source));
  }
  return rules;
}

/** The rules of every `.yml`/`.yaml` file in `dir`, in file-name order. */
export function loadRuleDir(dir: string): Rule[] {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (e) {
    throw new RuleError(`cannot read rules directory ${dir}: ${(e as Error).message}`);
  }
  return names.flatMap((n) => parseRules(readFileSync(join(dir, n), "utf8"), join(dir, n)));
}

/** The built-in rules. */
export function builtinRules(): Rule[] {
  return Object.entries(BUILTIN_RULES).flatMap(([name, text]) =>
    parseRules(text, `builtin:${name}`),
  );
}

/** Rules by id; a later rule with the same id replaces an earlier one (users override built-ins). */
export function mergeRules(...sets: Rule[][]): Rule[] {
  const byId = new Map<string, Rule>();
  for (const set of sets) for (const r of set) byId.set(r.id, r);
  return [...byId.values()];
}
