/**
 * V8 tuning for one-shot commands that parse a whole tree cold (`analyze`, `search`, `check`,
 * `query`).
 * @packageDocumentation
 */
import { setFlagsFromString } from "node:v8";

/**
 * Tells V8 to inline less when it optimizes. A cold run is mostly V8 warming the parser up:
 * about 190 TurboFan compilations, several of the parser's large functions compiled 2 to 5
 * times, on another core while this thread runs slower code. Inlining less makes each of them
 * cheaper, while the optimized parser is barely slower (a second pass over the corpus took as
 * long). Measured on corpus/elixir (docs/SEARCH.md): `search` CPU time -22 to -33%, `check`
 * -13 to -23%; `analyze` of its `lib/` -15 to -30%. Commands call it as they start; a long-lived process (`serve`) pays the warm-up
 * once and keeps V8's defaults. The flag is process-wide: worker threads share it.
 */
export function tuneForColdRun(): void {
  setFlagsFromString("--max-inlined-bytecode-size-cumulative=100");
}
