/**
 * Replayable randomness for the long randomized tests (chaos, soak): a small seeded generator
 * (mulberry32) whose seed comes from `ELIXIRSCOPE_TEST_SEED` when set, and is printed with any
 * failure so the run can be replayed.
 */

/** The environment variable that fixes the seed of the randomized tests. */
export const SEED_ENV = "ELIXIRSCOPE_TEST_SEED";

/** A generator of numbers in [0, 1) from a 32-bit seed (mulberry32). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed to use: `ELIXIRSCOPE_TEST_SEED` if set (a 32-bit unsigned integer), else a fresh one. */
export function testSeed(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[SEED_ENV];
  if (raw === undefined || raw === "") return (Date.now() ^ (process.pid << 16)) >>> 0;
  const seed = Number(raw);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`${SEED_ENV} must be an integer in [0, 2^32), got ${JSON.stringify(raw)}`);
  }
  return seed;
}

/**
 * Runs `body` with a seeded `random`; if it fails, the error names the seed and how to replay.
 */
export async function withSeed<T>(body: (random: () => number) => Promise<T>): Promise<T> {
  const seed = testSeed();
  try {
    return await body(mulberry32(seed));
  } catch (error) {
    const replay = `seed ${seed} (replay with ${SEED_ENV}=${seed})`;
    console.error(`randomized test failed with ${replay}`);
    if (error instanceof Error) error.message = `${error.message}\n[${replay}]`;
    throw error;
  }
}
