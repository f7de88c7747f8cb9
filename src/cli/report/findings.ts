/**
 * `check` output formats: text (with excerpts), JSON, SARIF 2.1.0 and GitHub workflow commands.
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CheckFinding, Rule, Severity } from "../../ast/rules/index.js";
import { VERSION } from "../../version.js";
import { excerpt, palette } from "./excerpt.js";

/** What a report shows: the findings left after the baseline, and the counts around them. */
export interface CheckReport {
  root: string;
  findings: CheckFinding[];
  rules: Rule[];
  files: number;
  baselined: number;
  suppressed: number;
  errors: { file: string; line: number | null; column: number | null; message: string }[];
}

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** Text: `file:line:column: severity rule: message`, the excerpt with a caret, a summary. */
export function renderText(report: CheckReport, color: boolean): string {
  const colors = palette(color);
  const sources = new Map<string, string>();
  let out = "";
  for (const f of report.findings) {
    let source = sources.get(f.file);
    if (source === undefined) {
      source = readFileSync(join(report.root, f.file), "utf8");
      sources.set(f.file, source);
    }
    const sev = colors[f.severity](f.severity);
    out += `${colors.location(`${f.file}:${f.line}:${f.column}`)}: ${sev} ${f.rule}: ${f.message}\n`;
    out += excerpt(source, f, colors);
  }
  const counts = (["error", "warning", "info"] as const)
    .map((s) => `${report.findings.filter((f) => f.severity === s).length} ${s}`)
    .join(", ");
  out += `${report.findings.length} finding${report.findings.length === 1 ? "" : "s"} (${counts}) in ${report.files} files`;
  out += `; ${report.baselined} in the baseline, ${report.suppressed} suppressed\n`;
  return out;
}

/** JSON: one document. */
export function renderJson(report: CheckReport): string {
  const { rules, ...rest } = report;
  return `${JSON.stringify({ ...rest, rules: rules.map((r) => ({ id: r.id, severity: r.severity, docs: r.docs, source: r.source })) })}\n`;
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** GitHub Actions workflow commands, one annotation per finding. */
export function renderGithub(report: CheckReport): string {
  let out = "";
  for (const f of report.findings) {
    const level = f.severity === "info" ? "notice" : f.severity;
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${f.line}`,
      `col=${f.column}`,
      `endLine=${f.endLine}`,
      `endColumn=${f.endColumn}`,
      `title=${escapeProperty(f.rule)}`,
    ].join(",");
    out += `::${level} ${props}::${escapeData(f.message)}\n`;
  }
  return out;
}

/** SARIF 2.1.0: one run, the rules as the driver's reportingDescriptors. */
export function renderSarif(report: CheckReport): string {
  const ids = [
    ...new Set([...report.rules.map((r) => r.id), ...report.findings.map((f) => f.rule)]),
  ];
  const byId = new Map(report.rules.map((r) => [r.id, r]));
  const rules = ids.map((id) => {
    const r = byId.get(id);
    const descriptor: Record<string, unknown> = {
      id,
      shortDescription: { text: r?.message.replace(/\{\{\s*_?(\w+)\s*\}\}/g, "…") ?? id },
      defaultConfiguration: { level: LEVEL[r?.severity ?? "warning"] },
    };
    if (r?.docs) descriptor.fullDescription = { text: r.docs };
    return descriptor;
  });
  const results = report.findings.map((f) => ({
    ruleId: f.rule,
    ruleIndex: ids.indexOf(f.rule),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(f.file), uriBaseId: "SRCROOT" },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
          },
        },
      },
    ],
    partialFingerprints: { "elixirscope/v1": f.fingerprint },
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ElixirScope",
            version: VERSION,
            informationUri: "https://www.npmjs.com/package/elixirscope",
            rules,
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: `file://${encodeURI(report.root)}/` } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
