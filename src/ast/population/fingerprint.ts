/**
 * The extractor version that keys the persistent cache: a SHA-256 over the code that turns a
 * file into its extraction (the parser, the term model, extraction and per-file metrics, the
 * worker's processing), read from the installed sources next to this module. Any change to that
 * code, including an upgrade of the package, gives a new version and so invalidates old rows,
 * without anyone having to remember to bump a number.
 * @packageDocumentation
 */
import { createHash } from "node:crypto";
import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VERSION } from "../../version.js";

/**
 * Folders of src/ast whose code does not shape a file's extraction (structural search, queries
 * and `check`'s rules only read extractions): hashing them cost start-up time, and changing them
 * would throw away every cached row for nothing.
 */
const NOT_EXTRACTION = new Set(["repository", "population", "search", "query", "rules"]);
/** The files of population/ that do. */
const POPULATION_FILES = /^(process|protocol)\.(ts|js)$/;

let memo: string | undefined;

function isCode(name: string): boolean {
  return (name.endsWith(".ts") && !name.endsWith(".d.ts")) || name.endsWith(".js");
}

function collect(dir: string, rel: string, out: string[]): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const r = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (rel === "" && NOT_EXTRACTION.has(e.name)) {
        if (e.name === "population") {
          for (const f of readdirSync(join(dir, e.name))) {
            if (POPULATION_FILES.test(f)) out.push(`${r}/${f}`);
          }
        }
        continue;
      }
      collect(join(dir, e.name), r, out);
    } else if (isCode(e.name)) {
      out.push(r);
    }
  }
}

/** The extractor version: `<package version>+<first 16 hex digits of the code hash>`. */
export function extractorVersion(): string {
  if (memo !== undefined) return memo;
  const astDir = fileURLToPath(new URL("..", import.meta.url));
  const files: string[] = [];
  collect(astDir, "", files);
  files.sort();
  const h = createHash("sha256");
  for (const f of files) {
    h.update(f);
    h.update("\0");
    h.update(readFileSync(join(astDir, f)));
    h.update("\0");
  }
  memo = `${VERSION}+${h.digest("hex").slice(0, 16)}`;
  return memo;
}
