/**
 * The one error type the parser throws.
 * @packageDocumentation
 */

/** A source Elixir rejects (or that exceeds our documented limits), with its position. */
export class ParseError extends Error {
  /** 1-based line of the error. */
  readonly line: number;
  /** 1-based column (in code points), or `null` when unknown. */
  readonly column: number | null;
  /** The file name given in the options, if any. */
  readonly file: string | undefined;
  /** The message without the `file:line:column: ` prefix. */
  readonly description: string;

  constructor(description: string, line: number, column: number | null, file?: string) {
    const where =
      file === undefined
        ? `${line}:${column ?? 0}: `
        : column === null
          ? `${file}:${line}: `
          : `${file}:${line}:${column}: `;
    super(where + description);
    this.name = "ParseError";
    this.line = line;
    this.column = column;
    this.file = file;
    this.description = description;
  }
}

/**
 * Internal error raised while scanning or parsing; converted into a {@link ParseError} (with the
 * file name) at the API boundary.
 */
export class SyntaxFailure {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly column: number | null,
  ) {}
}

/** Throws a {@link SyntaxFailure}. */
export function fail(message: string, line: number, column: number | null): never {
  throw new SyntaxFailure(message, line, column);
}
