import { afterEach, describe, expect, it, vi } from "vitest";
import { inCI, MissingPrerequisiteError, skipUnlessAvailable } from "./prerequisites.js";

describe("skipUnlessAvailable", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it("runs the tests when the prerequisite is there, in CI or not", () => {
    vi.stubEnv("CI", "true");
    expect(skipUnlessAvailable("`elixir`", true)).toBe(false);
    vi.stubEnv("CI", "");
    expect(skipUnlessAvailable("`elixir`", true)).toBe(false);
  });

  it("skips, with a warning, when it is missing outside CI", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const ci of ["", "0", "false"]) {
      vi.stubEnv("CI", ci);
      expect(inCI()).toBe(false);
      expect(skipUnlessAvailable("`elixir`", false)).toBe(true);
    }
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("`elixir`"));
  });

  it("fails loudly, naming it, when it is missing in CI", () => {
    for (const ci of ["true", "1"]) {
      vi.stubEnv("CI", ci);
      expect(() => skipUnlessAvailable("`mix`", false)).toThrow(MissingPrerequisiteError);
      expect(() => skipUnlessAvailable("`mix`", false)).toThrow(/`mix`.*required in CI/);
    }
  });
});
