/**
 * Strongly connected components (Tarjan's algorithm, iterative so that deep graphs do not
 * overflow the stack) and the small graph helpers the project analysis builds on.
 * @packageDocumentation
 */

/**
 * The strongly connected components of a directed graph, each as a sorted list of node names,
 * components sorted by their first name. `edges` maps a node to its successors; successors that
 * are not in `nodes` are ignored.
 */
export function stronglyConnectedComponents(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const known = new Set(nodes);
  const out: string[][] = [];
  let next = 0;

  for (const root of nodes) {
    if (index.has(root)) continue;
    // Each frame: the node and the position in its successor list.
    const frames: [string, number][] = [[root, 0]];
    index.set(root, next);
    low.set(root, next);
    next++;
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const [v, i] = frame;
      const succ = edges.get(v) ?? [];
      if (i < succ.length) {
        frame[1] = i + 1;
        const w = succ[i];
        if (!known.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next);
          next++;
          stack.push(w);
          onStack.add(w);
          frames.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
        }
        continue;
      }
      frames.pop();
      if (frames.length > 0) {
        const parent = frames[frames.length - 1][0];
        low.set(parent, Math.min(low.get(parent) as number, low.get(v) as number));
      }
      if (low.get(v) === index.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        comp.sort();
        out.push(comp);
      }
    }
  }
  out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return out;
}

/**
 * The components that are cycles: more than one node, or one node with an edge to itself.
 */
export function cyclesOf(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): string[][] {
  return stronglyConnectedComponents(nodes, edges).filter(
    (c) => c.length > 1 || (edges.get(c[0]) ?? []).includes(c[0]),
  );
}
