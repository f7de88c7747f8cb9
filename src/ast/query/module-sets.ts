/**
 * Sets of module definitions as bitsets over one numbering of a repository version's modules:
 * `modules implementing B having f lacking g` is then a few word-wise AND/AND NOT passes over
 * (modules / 32) words and a walk of the bits left, instead of set lookups per candidate.
 * @packageDocumentation
 */
import type { ModuleInfo } from "../model.js";

/** A set of module definitions: bit `i` is the module numbered `i`. */
export type ModuleBits = Uint32Array;

/** A numbering of module definitions (by identity) and the bitsets over it. */
export class ModuleSets {
  readonly #modules: readonly ModuleInfo[];
  readonly #id = new Map<ModuleInfo, number>();

  /** Numbers `modules` in the order given, which is the order {@link members} returns. */
  constructor(modules: readonly ModuleInfo[]) {
    this.#modules = modules;
    for (let i = 0; i < modules.length; i++) this.#id.set(modules[i], i);
  }

  /** The number of module `m`, or undefined when it is not numbered. */
  idOf(m: ModuleInfo): number | undefined {
    return this.#id.get(m);
  }

  /** An empty set. */
  none(): ModuleBits {
    return new Uint32Array((this.#modules.length + 31) >>> 5);
  }

  /** The set of every module. */
  all(): ModuleBits {
    const bits = this.none();
    bits.fill(0xffffffff);
    const tail = this.#modules.length & 31;
    if (tail !== 0) bits[bits.length - 1] = (1 << tail) - 1;
    return bits;
  }

  /** The set of `modules` (ones outside the numbering are ignored). */
  of(modules: Iterable<ModuleInfo>): ModuleBits {
    const bits = this.none();
    for (const m of modules) {
      const i = this.#id.get(m);
      if (i !== undefined) bits[i >>> 5] |= 1 << (i & 31);
    }
    return bits;
  }

  /** The modules of `bits`, in numbering order. */
  members(bits: ModuleBits): ModuleInfo[] {
    return this.list(bits).slice(0, Infinity);
  }

  /** The modules of `bits` as a list that counts and pages without listing every member. */
  list(bits: ModuleBits): ModuleList {
    return new ModuleList(this.#modules, bits);
  }
}

/** Set bits in a word (population count). */
function popcount(word: number): number {
  let w = word - ((word >>> 1) & 0x55555555);
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333);
  return (((w + (w >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * The modules of a bitset in numbering order: `length` is a population count and `slice` a
 * page, so `limit 20` of 9,000 modules builds 20 entries, not 9,000.
 */
export class ModuleList implements Iterable<ModuleInfo> {
  readonly length: number;

  constructor(
    private readonly modules: readonly ModuleInfo[],
    private readonly bits: ModuleBits,
  ) {
    let n = 0;
    for (let w = 0; w < bits.length; w++) n += popcount(bits[w]);
    this.length = n;
  }

  /** Members `from` to `to - 1` (in numbering order), as `Array.prototype.slice` takes them. */
  slice(from: number, to: number): ModuleInfo[] {
    const out: ModuleInfo[] = [];
    const bits = this.bits;
    let seen = 0;
    for (let w = 0; w < bits.length && seen < to; w++) {
      let word = bits[w];
      const count = popcount(word);
      if (seen + count <= from) {
        seen += count;
        continue;
      }
      while (word !== 0 && seen < to) {
        const low = word & -word;
        if (seen >= from) out.push(this.modules[(w << 5) + 31 - Math.clz32(low)]);
        seen++;
        word ^= low;
      }
    }
    return out;
  }

  [Symbol.iterator](): Iterator<ModuleInfo> {
    return this.slice(0, Infinity)[Symbol.iterator]();
  }
}

/** `a` AND `b`, in place in a fresh copy of `a`. */
export function intersect(a: ModuleBits, b: ModuleBits): ModuleBits {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] &= b[i];
  return out;
}

/** `a` AND NOT `b`, in a fresh copy of `a`. */
export function subtract(a: ModuleBits, b: ModuleBits): ModuleBits {
  const out = a.slice();
  for (let i = 0; i < out.length; i++) out[i] &= ~b[i];
  return out;
}
