// Builds the web UI of `elixirscope serve` into dist/ui/ with esbuild: one ES module bundle
// (cytoscape and highlight.js included, so users need no build step and the page loads nothing
// from elsewhere), the stylesheet and the page. Run by `npm run build`.
import { copyFileSync, mkdirSync } from "node:fs";
import { build } from "esbuild";

const out = new URL("../dist/ui/", import.meta.url);
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [new URL("../web/src/main.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  sourcemap: true,
  legalComments: "linked",
  outfile: new URL("app.js", out).pathname,
  logLevel: "warning",
});
for (const f of ["index.html", "app.css"]) {
  copyFileSync(new URL(`../web/${f}`, import.meta.url), new URL(f, out));
}
