import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The bundled example application. */
export const EXAMPLE = fileURLToPath(new URL("../../../examples/inventory", import.meta.url));

/** A fresh copy of the example application in a temporary directory; returns its root. */
export function copyExample(prefix = "es-pop-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const root = join(dir, "inventory");
  cpSync(EXAMPLE, root, {
    recursive: true,
    filter: (src) => !src.includes(".elixirscope") && !src.includes("_build"),
  });
  return root;
}
