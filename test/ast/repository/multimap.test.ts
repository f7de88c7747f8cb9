import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrderedMultiMap } from "../../../src/ast/repository/multimap.js";

describe("OrderedMultiMap", () => {
  it("answers as arrays pushed to and filtered would, after any adds and deletes", () => {
    const op = fc.record({ add: fc.boolean(), key: fc.nat(3), value: fc.nat(6) });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const m = new OrderedMultiMap<number, number>();
        const model = new Map<number, number[]>();
        for (const o of ops) {
          const list = model.get(o.key) ?? [];
          if (o.add) {
            m.add(o.key, o.value);
            if (!list.includes(o.value)) model.set(o.key, [...list, o.value]);
          } else {
            expect(m.delete(o.key, o.value)).toBe(list.includes(o.value));
            const kept = list.filter((v) => v !== o.value);
            if (kept.length === 0) model.delete(o.key);
            else model.set(o.key, kept);
          }
          for (let k = 0; k <= 3; k++) {
            expect(m.get(k)).toEqual(model.get(k) ?? []);
            expect(m.first(k)).toBe(model.get(k)?.[0]);
          }
          expect([...m.keys()].sort()).toEqual([...model.keys()].sort());
          expect(m.size).toBe([...model.values()].reduce((n, l) => n + l.length, 0));
        }
      }),
    );
  });

  it("keeps the array it returned until the key changes", () => {
    const m = new OrderedMultiMap<string, number>();
    m.add("a", 1);
    const first = m.get("a");
    expect(m.get("a")).toBe(first);
    m.add("a", 2);
    expect(m.get("a")).not.toBe(first);
    expect(first).toEqual([1]);
    m.clear();
    expect(m.get("a")).toEqual([]);
    expect(m.size).toBe(0);
  });
});
