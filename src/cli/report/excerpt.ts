/**
 * Source excerpts for matches and findings: `file:line:column`, the source line, and a caret
 * under the span; ANSI-colored when wanted (see {@link wantColor}).
 * @packageDocumentation
 */

/** True when output should be colored: stdout is a terminal and `NO_COLOR` is unset or empty. */
export function wantColor(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR;
  return isTTY === true && (noColor === undefined || noColor === "");
}

/** ANSI styles, or identity functions when color is off. */
export interface Palette {
  location: (s: string) => string;
  caret: (s: string) => string;
  dim: (s: string) => string;
  error: (s: string) => string;
  warning: (s: string) => string;
  info: (s: string) => string;
}

const sgr =
  (code: string) =>
  (s: string): string =>
    `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string): string => s;

/** The palette for `color`. */
export function palette(color: boolean): Palette {
  if (!color) {
    return { location: plain, caret: plain, dim: plain, error: plain, warning: plain, info: plain };
  }
  return {
    location: sgr("1;36"),
    caret: sgr("1;31"),
    dim: sgr("2"),
    error: sgr("1;31"),
    warning: sgr("1;33"),
    info: sgr("1;34"),
  };
}

/** A span in a file: 1-based line and column, end exclusive. */
export interface Span {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The excerpt lines for `span` in `source`: the first line of the span with its number, and a
 * caret line under the span (to the end of the line when the span goes on below). Tabs are
 * kept, so the caret lines up in a terminal.
 */
export function excerpt(source: string, span: Span, colors: Palette): string {
  const lines = source.split("\n");
  const text = (lines[span.line - 1] ?? "").replace(/\r$/, "");
  const chars = [...text];
  const start = Math.max(1, Math.min(span.column, chars.length + 1));
  const end = span.endLine === span.line ? Math.max(start + 1, span.endColumn) : chars.length + 1;
  const pad = chars
    .slice(0, start - 1)
    .map((c) => (c === "\t" ? "\t" : " "))
    .join("");
  const gutter = String(span.line);
  const blank = " ".repeat(gutter.length);
  const carets = "^".repeat(Math.max(1, Math.min(end, chars.length + 1) - start));
  return (
    `${colors.dim(`${gutter} |`)} ${text}\n` +
    `${colors.dim(`${blank} |`)} ${pad}${colors.caret(carets)}\n`
  );
}
