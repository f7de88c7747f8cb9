/**
 * Terminal-safe text: file names and messages come from the analyzed tree, and a name holding a
 * newline, an escape sequence or a bidirectional override would otherwise forge report lines or
 * drive the terminal.
 * @packageDocumentation
 */

/** C0 controls, DEL, C1 controls, and the bidirectional embedding/override/isolate marks. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * `text` with every control character written as an escape (`\n`, `\t`, `\x1b`, `\u202e`), so
 * that one logical line prints as one line and nothing in it reaches the terminal as a command.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
