/**
 * Interned names: the one string object the parser uses for each identifier, alias and atom
 * name. The lexer finds a name seen before by hashing it during its scan and comparing
 * characters in place, so the common case allocates nothing, and every map keyed by names
 * downstream (keywords, atoms) receives the same object, whose hash V8 caches and whose equality
 * is a pointer test.
 *
 * Stored names share no storage with the source they were read from (see {@link detach}). The
 * table is process-wide and stops growing at three quarters full (49,152 names); past that, names
 * are returned as plain slices, which is correct, only slower.
 * @packageDocumentation
 */

/** FNV-1a's 32-bit offset basis and prime: the hash the lexer computes while it scans a name. */
export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

const BITS = 16;
const MASK = (1 << BITS) - 1;
const LIMIT = (3 << BITS) >> 2;
const TABLE: (string | undefined)[] = new Array<string | undefined>(1 << BITS);
let count = 0;

/**
 * Where {@link internSlice} last found or stored its name: an index into the intern table, the
 * same for every occurrence of a name, or -1 when the table was full. Callers keep per-name data
 * (keyword kinds, atoms) in arrays indexed by it, which is cheaper than a Map lookup per name.
 */
export let lastSlot = -1;

/** Size of the slot space: per-name arrays indexed by {@link lastSlot} have this length. */
export const SLOTS = 1 << BITS;

/**
 * The interned name for `s.slice(start, end)`, given its FNV-1a hash over UTF-16 code units
 * (`hash`). Allocates only for a name not seen before.
 */
export function internSlice(s: string, start: number, end: number, hash: number): string {
  const length = end - start;
  let slot = hash & MASK;
  for (;;) {
    const cand = TABLE[slot];
    if (cand === undefined) break;
    if (cand.length === length && sameText(s, start, cand)) {
      lastSlot = slot;
      return cand;
    }
    slot = (slot + 1) & MASK;
  }
  const name = s.slice(start, end);
  const own = length < 13 ? name : detach(name);
  if (count >= LIMIT) {
    lastSlot = -1;
    return own;
  }
  TABLE[slot] = own;
  count++;
  lastSlot = slot;
  return own;
}

/**
 * The interned copy of `name` (inserting it if there is room), or a detached copy; sets
 * {@link lastSlot}.
 */
export function intern(name: string): string {
  let hash = FNV_OFFSET;
  for (let k = 0; k < name.length; k++) hash = Math.imul(hash ^ name.charCodeAt(k), FNV_PRIME);
  return internSlice(name, 0, name.length, hash);
}

function sameText(s: string, start: number, cand: string): boolean {
  for (let k = 0; k < cand.length; k++) {
    if (s.charCodeAt(start + k) !== cand.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * A copy of `s` that shares no storage with the string it was sliced from: V8 keeps a slice's
 * whole parent alive (slices of 13 or more characters), which would pin every source file that
 * introduced a long name.
 */
function detach(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}
