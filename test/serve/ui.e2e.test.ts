/**
 * The web UI in a real Chromium (Debian's `chromium`, driven by playwright-core): overview,
 * module, following a caller, the dependency graph, keyboard navigation, a narrow window, and a
 * live update after a file changes on disk. With SCREENSHOTS=dir, each view is saved there
 * (docs/SERVE.md shows them).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServe } from "../../src/serve/start.js";
import { copyExample, serveReady } from "./support.js";

/** The UI as `npm run build` ships it. */
const UI_DIR = fileURLToPath(new URL("../../dist/ui", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM) && existsSync(join(UI_DIR, "app.js"));
if (!available && process.env.CI === "true") {
  throw new Error(`the UI e2e suite needs ${CHROMIUM} and a built UI (npm run build) in CI`);
}
const shots = process.env.SCREENSHOTS;

let project: ReturnType<typeof copyExample>;
let server: RunningServe;
let browser: Browser;
let page: Page;
const errors: string[] = [];

async function shot(name: string): Promise<void> {
  if (shots === undefined) return;
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
}

beforeAll(async () => {
  if (!available) return;
  project = copyExample();
  server = await serveReady(project.root, { uiDir: UI_DIR });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  project?.cleanup();
});

describe.skipIf(!available)("web UI in Chromium", () => {
  it("shows the overview with counts, complex functions and findings by rule", async () => {
    const res = await page.goto(`${server.url}/`);
    expect(res?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.getByText("Inventory.Pricing.discount_rate/4").first().waitFor();
    expect(await page.getByRole("heading", { name: "Findings by rule" }).count()).toBe(1);
    await shot("overview");
  });

  it("opens a module with its functions and highlighted source", async () => {
    await page.goto(`${server.url}/#/module/Inventory.Pricing`);
    await page.getByRole("heading", { name: /^Inventory\.Pricing/ }).waitFor();
    await page.getByRole("link", { name: "discount_rate/4", exact: true }).waitFor();
    expect(await page.locator("pre.source .hljs-keyword").count()).toBeGreaterThan(5);
    await shot("module");
  });

  it("opens a function and follows a caller by keyboard", async () => {
    await page.getByRole("link", { name: "format_cents/1", exact: true }).click();
    await page.getByRole("heading", { name: "Inventory.Pricing.format_cents/1" }).waitFor();
    const callers = page.getByRole("region", { name: "Callers" }).getByRole("link");
    const first = (await callers.first().textContent())!;
    await shot("function");
    await callers.first().focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: first, exact: true }).waitFor();
  });

  it("draws the dependency graph with the cycle highlighted", async () => {
    await page.keyboard.press("g");
    await page.getByRole("heading", { name: "Module dependencies" }).waitFor();
    await page.locator("#graph canvas").first().waitFor();
    await page.getByText(/modules · \d+ cycles/).waitFor();
    expect(await page.getByRole("heading", { name: "Cycles" }).count()).toBe(1);
    await shot("graph");
  });

  it("runs a structural search and opens a match in its source", async () => {
    await page.keyboard.press("s");
    await page.getByRole("heading", { name: "Structural search" }).waitFor();
    await page.getByLabel("Search pattern").fill("Pricing.format_cents(_)");
    await page.getByLabel("Search pattern").press("Enter");
    const hit = page.getByRole("link", { name: /^lib\/inventory\/web\/router\.ex:\d+$/ });
    await hit.first().waitFor();
    await shot("search");
    await hit.first().click();
    await page.getByRole("heading", { name: "lib/inventory/web/router.ex" }).waitFor();
    expect(await page.locator("pre.source .ln.hl").count()).toBeGreaterThan(0);
  });

  it("jumps with / and the find box, and stays readable in a narrow window", async () => {
    await page.keyboard.press("o");
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.keyboard.press("/");
    await page.keyboard.type("Inventory.Product");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /^Inventory\.Product/ }).waitFor();
    await page.setViewportSize({ width: 390, height: 800 });
    // A string, so this Node-side file needs no DOM types.
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("narrow");
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("updates the open page when a file changes on disk", async () => {
    await page.goto(`${server.url}/#/module/Inventory.Pricing`);
    await page.getByRole("link", { name: "discount_rate/4", exact: true }).waitFor();
    const file = join(project.root, "lib", "inventory", "pricing.ex");
    const { readFileSync } = await import("node:fs");
    const src = readFileSync(file, "utf8");
    writeFileSync(file, src.replace(/\nend\s*$/, "\n  def added_live(x), do: x\nend\n"));
    await page
      .getByRole("link", { name: "added_live/1", exact: true })
      .waitFor({ timeout: 15_000 });
    await page.getByText(/updated: 1 file/).waitFor();
    expect(errors).toEqual([]);
  });
});
