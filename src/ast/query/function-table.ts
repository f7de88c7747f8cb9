/**
 * Every function of a repository version in one table, modules in name order, with numeric
 * fields as columns: the functions of a module prefix range are a contiguous run of rows, and a
 * metric condition over them reads one typed array instead of chasing three objects per
 * function across a heap of 100K functions (memory latency, not compute, was its cost).
 * @packageDocumentation
 */
import type { ModuleInfo } from "../model.js";
import { type FunctionOf, functionField } from "./rows.js";

/** Functions numbered 0..n-1, grouped by module in the order of the modules given. */
export class FunctionTable {
  readonly #functions: FunctionOf[] = [];
  /** `offsets[i]`: the first function of module `i`; `offsets[n]` the total. */
  readonly #offsets: Uint32Array;
  readonly #columns = new Map<string, Float64Array>();
  /** 0, 1, 2...: a module range's function numbers are a view of it, allocated once. */
  #numbers: Uint32Array | undefined;

  constructor(modules: readonly ModuleInfo[]) {
    this.#offsets = new Uint32Array(modules.length + 1);
    for (let i = 0; i < modules.length; i++) {
      this.#offsets[i] = this.#functions.length;
      for (const fn of modules[i].functions)
        this.#functions.push({ module: modules[i], function: fn });
    }
    this.#offsets[modules.length] = this.#functions.length;
  }

  /** The function numbered `i`. */
  ref(i: number): FunctionOf {
    return this.#functions[i];
  }

  /** The numbers of the functions of modules `from` to `to - 1`, in order (a view: no copy). */
  ofModules(from: number, to: number): Uint32Array {
    if (this.#numbers === undefined) {
      this.#numbers = new Uint32Array(this.#functions.length);
      for (let i = 0; i < this.#numbers.length; i++) this.#numbers[i] = i;
    }
    return this.#numbers.subarray(this.#offsets[from], this.#offsets[to]);
  }

  /**
   * The reader of a function row's `field` by function number: a column for a numeric field (a
   * number in the first function; built on first use), else the row field read in place.
   * Agrees with `functionRow`.
   */
  reader(field: string): (i: number) => unknown {
    const read = functionField(field);
    if (read === undefined) return () => undefined;
    const numeric = this.#functions.length > 0 && typeof read(this.#functions[0]) === "number";
    if (!numeric) return (i) => read(this.#functions[i]);
    let column = this.#columns.get(field);
    if (column === undefined) {
      column = new Float64Array(this.#functions.length);
      for (let i = 0; i < column.length; i++) {
        const v = read(this.#functions[i]);
        column[i] = typeof v === "number" ? v : Number.NaN;
      }
      this.#columns.set(field, column);
    }
    const col = column;
    // NaN marks a value that is not a number (or NaN itself): read it from the function.
    return (i) => {
      const v = col[i];
      return Number.isNaN(v) ? read(this.#functions[i]) : v;
    };
  }
}
