/**
 * What the differential tests need from outside the repository: `elixir` (the oracle), `mix`
 * (compiling the examples) and the corpus (Elixir 1.14's source tree, fetched by
 * scripts/fetch-corpus.sh). Locally a test whose prerequisite is missing skips, visibly; in CI
 * (`CI` set, as `.ci/run` runs) it fails, so that a broken install cannot turn CI green without
 * the differential tests.
 *
 * Use as `describe.skipIf(skipUnlessAvailable(ELIXIR, hasElixir()))(...)`, or through
 * {@link describeUnless} when the suite's body itself needs the prerequisite.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "vitest";

/** The repository root (this file is test/support/prerequisites.ts). */
export const ROOT = resolve(fileURLToPath(new URL("../../", import.meta.url)));
/** Where scripts/fetch-corpus.sh unpacks the Elixir source tree. */
export const CORPUS_DIR = join(ROOT, "corpus/elixir");

/** True when running in CI: `CI` is set to anything but an empty string, `0` or `false`. */
export function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

const runs = new Map<string, boolean>();

/** True when `command --version` runs and exits 0 (checked once per command). */
function runs0(command: string): boolean {
  let ok = runs.get(command);
  if (ok === undefined) {
    const r = spawnSync(command, ["--version"], { stdio: "ignore", timeout: 60_000 });
    ok = r.status === 0;
    runs.set(command, ok);
  }
  return ok;
}

/** True when an `elixir` executable runs. */
export function hasElixir(): boolean {
  return runs0("elixir");
}

/** True when a `mix` executable runs (it needs `elixir` too). */
export function hasMix(): boolean {
  return hasElixir() && runs0("mix");
}

/** True when the corpus has been fetched (`corpus/elixir` holds Elixir's `lib` tree). */
export function hasCorpus(): boolean {
  const lib = join(CORPUS_DIR, "lib/elixir/lib");
  return existsSync(lib) && readdirSync(lib).length > 0;
}

/** Raised, in CI, for a missing prerequisite. */
export class MissingPrerequisiteError extends Error {
  override name = "MissingPrerequisiteError";
}

/**
 * Whether tests needing `name` should skip: false when it is `available`; when it is not, true
 * locally (with a warning), and in CI a thrown {@link MissingPrerequisiteError}, which fails the
 * test file instead of letting it skip.
 * @param name  what is missing and how to get it, for the message
 */
export function skipUnlessAvailable(name: string, available: boolean): boolean {
  if (available) return false;
  if (inCI()) {
    throw new MissingPrerequisiteError(
      `${name} is required in CI (CI=${process.env.CI}) but missing: differential tests cannot be skipped there`,
    );
  }
  console.warn(`skipping tests that need ${name}: it is missing`);
  return true;
}

/**
 * `describe(title, body)`, or when `skip` (from {@link skipUnlessAvailable}) a skipped suite with
 * one placeholder test, without running `body`: for suites whose body calls the missing tool
 * while collecting its tests (`describe.skipIf` still runs the body).
 */
export function describeUnless(skip: boolean, title: string, body: () => void): void {
  if (skip) {
    describe.skip(title, () => {
      it("needs a missing prerequisite (see the warning above)", () => {});
    });
  } else {
    describe(title, body);
  }
}

/** The prerequisites' names, as given to {@link skipUnlessAvailable}. */
export const ELIXIR = "`elixir` (install Elixir; CI installs it)";
export const MIX = "`mix` (install Elixir with Mix; CI installs it)";
export const CORPUS = "the corpus in corpus/elixir (run scripts/fetch-corpus.sh; CI does)";

/** Where scripts/build-oracles.sh builds Elixir 1.18.4 and Credo 1.7.19 (outside the repository). */
export const ORACLES_DIR =
  process.env.ELIXIRSCOPE_ORACLES ??
  join(process.env.HOME ?? "/root", ".cache/elixirscope/oracles");
/** The Elixir 1.18.4 executable built by scripts/build-oracles.sh. */
export const ELIXIR_1_18_BIN = join(ORACLES_DIR, "elixir-1.18.4/bin/elixir");
/** The compiled Credo 1.7.19 project (run `mix credo` in it with MIX_ENV=prod). */
export const CREDO_DIR = join(ORACLES_DIR, "credo-1.7.19/credo");

/** True when scripts/build-oracles.sh has built Elixir 1.18.4. */
export function hasElixir118(): boolean {
  return existsSync(join(ORACLES_DIR, "elixir-1.18.4/.built")) && existsSync(ELIXIR_1_18_BIN);
}

/** True when scripts/build-oracles.sh has built Credo 1.7.19 (it also needs `mix`). */
export function hasCredo(): boolean {
  return existsSync(join(ORACLES_DIR, "credo-1.7.19/.built")) && hasMix();
}

export const ELIXIR_1_18 =
  "Elixir 1.18.4 built by scripts/build-oracles.sh (needs erlang-dev; CI builds it)";
export const CREDO = "Credo 1.7.19 built by scripts/build-oracles.sh (CI builds it)";
