/**
 * Interned names: the one string object the parser uses for each identifier, alias and atom
 * name, and its slot. The lexer finds a name seen before by hashing a few of its characters and
 * comparing them all in place, so the common case allocates nothing; per-name data (keyword
 * kinds, atoms) lives in arrays indexed by slot instead of Maps keyed by name.
 *
 * Stored names share no storage with the source they were read from (see {@link detach}). The
 * table is process-wide and stops growing at three quarters full (49,152 names); past that,
 * {@link internSlot} answers -1 and callers fall back to slices and Maps, which is correct, only
 * slower.
 * @packageDocumentation
 */

const BITS = 16;
const MASK = (1 << BITS) - 1;
const LIMIT = (3 << BITS) >> 2;

/** Size of the slot space: per-name arrays indexed by slots have this length. */
export const SLOTS = 1 << BITS;

const TABLE: (string | undefined)[] = new Array<string | undefined>(SLOTS);
let count = 0;

/**
 * The slot of the name `s.slice(start, end)` (non-empty) in the intern table, inserting the name
 * if it is new; -1 when the table is full and the name is not in it. A slot is the same for every occurrence of a name, so callers keep per-name
 * data (keyword kinds, atoms) in arrays indexed by it, which is cheaper than a Map lookup.
 * Allocates only for a name not seen before.
 */
export function internSlot(s: string, start: number, end: number): number {
  const length = end - start;
  let slot = hashSlice(s, start, end) & MASK;
  for (;;) {
    const cand = TABLE[slot];
    if (cand === undefined) break;
    if (cand.length === length && s.startsWith(cand, start)) return slot;
    slot = (slot + 1) & MASK;
  }
  if (count >= LIMIT) return -1;
  const name = s.slice(start, end);
  TABLE[slot] = length < 13 ? name : detach(name);
  count++;
  return slot;
}

/** The name in `slot` (a slot {@link internSlot} returned). */
export function nameAt(slot: number): string {
  return TABLE[slot]!;
}

/**
 * The hash of `s.slice(start, end)` (non-empty) for the intern table: its length and four of its
 * characters (first, second, middle, last), mixed. Hashing every character would cost a
 * multiplication per character of every identifier in the source; names that share these five
 * facts only probe a little further, and every match is confirmed character by character.
 */
export function hashSlice(s: string, start: number, end: number): number {
  const length = end - start;
  let h = Math.imul(length ^ s.charCodeAt(start), 0x9e3779b1);
  h = Math.imul(h ^ s.charCodeAt(end - 1), 0x85ebca6b);
  h = Math.imul(h ^ s.charCodeAt(start + (length >> 1)), 0xc2b2ae35);
  if (length > 1) h = Math.imul(h ^ s.charCodeAt(start + 1), 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/** A copy of `name` that shares no storage with the string it was sliced from. */
export function ownCopy(name: string): string {
  return name.length < 13 ? name : detach(name);
}

/**
 * A copy of `s` that shares no storage with the string it was sliced from: V8 keeps a slice's
 * whole parent alive (slices of 13 or more characters), which would pin every source file that
 * introduced a long name.
 */
function detach(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
