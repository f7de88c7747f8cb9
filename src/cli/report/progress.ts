/**
 * A one-line progress bar for terminals, redrawn at most every 100 ms. The analyze command uses it
 * on stderr, and only when stdout is a terminal and the output is not JSON.
 * @packageDocumentation
 */
import type { AnalysisProgress } from "../../integration/analysis-services.js";

const WIDTH = 30;
const REDRAW_MS = 100;

/** A progress bar writing through `write`; call `update` often and `done` once. */
export class ProgressBar {
  #last = 0;
  #drawn = false;
  #phase: AnalysisProgress["phase"] | undefined;

  constructor(private readonly write: (text: string) => void) {}

  /**
   * Redraws when enough time has passed, and always at the end of a phase and when a phase
   * starts. The project analysis (`analyze`) has no count to show, only its name.
   */
  update(p: AnalysisProgress): void {
    const now = performance.now();
    const newPhase = p.phase !== this.#phase;
    if (!newPhase && now - this.#last < REDRAW_MS && p.done < p.total) return;
    this.#last = now;
    this.#phase = p.phase;
    if (p.phase === "analyze") {
      this.write(`\ranalyzing project (calls, graphs, findings)\x1b[K`);
      this.#drawn = true;
      return;
    }
    const ratio = p.total === 0 ? 1 : p.done / p.total;
    const filled = Math.round(ratio * WIDTH);
    const label = p.phase === "read" ? "reading" : "parsing";
    this.write(
      `\r${label} [${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${Math.floor(ratio * 100)}% ${p.done}/${p.total} files\x1b[K`,
    );
    this.#drawn = true;
  }

  /** Clears the line. */
  done(): void {
    if (this.#drawn) this.write("\r\x1b[K");
    this.#drawn = false;
  }
}
