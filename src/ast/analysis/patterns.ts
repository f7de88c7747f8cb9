/**
 * Behaviours and framework patterns: which modules are GenServers, supervisors, Phoenix
 * controllers, Ecto schemas, protocols..., with the callbacks they define and miss. Each rule
 * is in docs/ANALYSIS.md.
 * @packageDocumentation
 */
import type { FunctionInfo, ModuleInfo, PatternKind, PatternMatch } from "../model.js";

/** A behaviour's callbacks: all of them, and the ones a module must define itself. */
interface BehaviourSpec {
  pattern: PatternKind;
  callbacks: string[];
  required: string[];
}

/**
 * Callbacks of the behaviours we recognise (Elixir 1.14, GenStage 1.x, Phoenix 1.7). `required`
 * lists what a module must define even after `use`: `use GenServer` defines a default `init/1`
 * that only warns, so `init/1` stays required.
 */
const BEHAVIOURS: Record<string, BehaviourSpec> = {
  GenServer: {
    pattern: "GenServer",
    callbacks: [
      "init/1",
      "handle_call/3",
      "handle_cast/2",
      "handle_info/2",
      "handle_continue/2",
      "terminate/2",
      "code_change/3",
      "format_status/2",
    ],
    required: ["init/1"],
  },
  Supervisor: { pattern: "Supervisor", callbacks: ["init/1"], required: ["init/1"] },
  DynamicSupervisor: { pattern: "DynamicSupervisor", callbacks: ["init/1"], required: ["init/1"] },
  Application: {
    pattern: "Application",
    callbacks: ["start/2", "prep_stop/1", "stop/1", "config_change/3", "start_phase/3"],
    required: ["start/2"],
  },
  GenStage: {
    pattern: "GenStage",
    callbacks: [
      "init/1",
      "handle_demand/2",
      "handle_events/3",
      "handle_subscribe/4",
      "handle_cancel/3",
      "handle_call/3",
      "handle_cast/2",
      "handle_info/2",
      "terminate/2",
      "code_change/3",
      "format_status/2",
    ],
    required: ["init/1"],
  },
};

/** Functions of the standard library's protocols, to check implementations of them. */
const STDLIB_PROTOCOLS: Record<string, string[]> = {
  Enumerable: ["count/1", "member?/2", "reduce/3", "slice/1"],
  Collectable: ["into/1"],
  Inspect: ["inspect/2"],
  "String.Chars": ["to_string/1"],
  "List.Chars": ["to_charlist/1"],
};

const PHOENIX: {
  pattern: PatternKind;
  module: string;
  arg: string;
  callbacks: string[];
  required: string[];
}[] = [
  {
    pattern: "PhoenixController",
    module: "Phoenix.Controller",
    arg: "controller",
    callbacks: [],
    required: [],
  },
  {
    pattern: "PhoenixLiveView",
    module: "Phoenix.LiveView",
    arg: "live_view",
    callbacks: [
      "mount/3",
      "render/1",
      "handle_params/3",
      "handle_event/3",
      "handle_info/2",
      "handle_call/3",
      "handle_cast/2",
      "terminate/2",
    ],
    required: ["render/1"],
  },
  {
    pattern: "PhoenixChannel",
    module: "Phoenix.Channel",
    arg: "channel",
    callbacks: [
      "join/3",
      "handle_in/3",
      "handle_info/2",
      "handle_out/3",
      "handle_call/3",
      "handle_cast/2",
      "terminate/2",
      "code_change/3",
    ],
    required: ["join/3"],
  },
];

/** `name/arity` of the functions a module's source defines (not generated, not default arities). */
function written(m: ModuleInfo): Set<string> {
  const out = new Set<string>();
  for (const f of m.functions) if (!f.generated) out.add(`${f.name}/${f.arity}`);
  return out;
}

function match(
  m: ModuleInfo,
  pattern: PatternKind,
  evidence: string,
  callbacks: string[],
  required: string[],
): PatternMatch {
  const own = written(m);
  return {
    module: m.name,
    file: m.file,
    pattern,
    evidence,
    defined: callbacks.filter((c) => own.has(c)),
    missing: required.filter((c) => !own.has(c)),
  };
}

function usesOf(m: ModuleInfo, module: string): boolean {
  return m.uses.some((u) => u.module === module);
}

function callsModule(m: ModuleInfo, module: string): string | null {
  for (const f of m.functions) {
    for (const c of f.clauses) {
      for (const call of c.calls)
        if (call.kind === "remote" && call.module === module)
          return `${module}.${call.name}/${call.arity} call`;
    }
  }
  return null;
}

/**
 * Finds every pattern in the project's modules. `byName` gives the project's modules by name,
 * for behaviours and protocols defined in the project itself.
 */
export function findPatterns(
  modules: readonly ModuleInfo[],
  byName: ReadonlyMap<string, ModuleInfo>,
): PatternMatch[] {
  const out: PatternMatch[] = [];
  for (const m of modules) {
    for (const b of m.behaviours) {
      const spec = BEHAVIOURS[b];
      const via = usesOf(m, b) ? `use ${b}` : `@behaviour ${b}`;
      if (spec !== undefined) {
        out.push(match(m, spec.pattern, via, spec.callbacks, spec.required));
        continue;
      }
      const custom = byName.get(b);
      if (custom !== undefined && custom.callbacks.length > 0 && m.kind !== "impl") {
        const all = custom.callbacks.map((c) => `${c.name}/${c.arity}`);
        const required = custom.callbacks
          .filter((c) => !c.optional)
          .map((c) => `${c.name}/${c.arity}`);
        out.push(match(m, "Behaviour", via, all, required));
      }
    }
    if (usesOf(m, "Agent")) out.push(match(m, "Agent", "use Agent", [], []));
    else if (callsModule(m, "Agent") !== null)
      out.push(match(m, "Agent", callsModule(m, "Agent") as string, [], []));
    if (usesOf(m, "Task")) out.push(match(m, "Task", "use Task", [], []));
    const registry = callsModule(m, "Registry");
    if (registry !== null) out.push(match(m, "Registry", registry, [], []));
    for (const p of PHOENIX) {
      const u = m.uses.find((x) => x.module === p.module || x.arg === p.arg);
      if (u === undefined) continue;
      const evidence = u.arg !== null ? `use ${u.module}, :${u.arg}` : `use ${u.module}`;
      const callbacks = p.pattern === "PhoenixController" ? actions(m.functions) : p.callbacks;
      out.push(match(m, p.pattern, evidence, callbacks, p.required));
    }
    if (usesOf(m, "Ecto.Schema")) {
      out.push(match(m, "EctoSchema", "use Ecto.Schema", ["changeset/2"], []));
    }
    const changeset = m.imports.some((i) => i.module === "Ecto.Changeset")
      ? "import Ecto.Changeset"
      : callsModule(m, "Ecto.Changeset");
    if (changeset !== null) {
      const fns = m.functions
        .filter((f) => !f.generated && f.name.startsWith("changeset"))
        .map((f) => `${f.name}/${f.arity}`);
      out.push(match(m, "EctoChangeset", changeset, fns, []));
    }
    if (m.kind === "protocol") {
      const fns = m.functions.filter((f) => !f.generated).map((f) => `${f.name}/${f.arity}`);
      out.push(match(m, "Protocol", "defprotocol", fns, []));
    }
    if (m.kind === "impl" && m.impl !== null) {
      const proto = byName.get(m.impl.protocol);
      const required =
        proto !== undefined && proto.kind === "protocol"
          ? proto.functions
              .filter((f) => !f.generated && f.defaultOf === null)
              .map((f) => `${f.name}/${f.arity}`)
          : (STDLIB_PROTOCOLS[m.impl.protocol] ?? []);
      out.push(
        match(
          m,
          "ProtocolImpl",
          `defimpl ${m.impl.protocol}, for: ${m.impl.for}`,
          required,
          required,
        ),
      );
    }
    if (m.callbacks.length > 0 && m.kind !== "protocol") {
      out.push(match(m, "Behaviour", "@callback", [], []));
      const last = out[out.length - 1];
      last.defined = m.callbacks.map((c) => `${c.name}/${c.arity}`);
    }
  }
  return out;
}

/** Controller actions: public two-argument functions written in the source. */
function actions(functions: FunctionInfo[]): string[] {
  return functions
    .filter((f) => !f.generated && f.visibility === "public" && f.arity === 2 && f.kind === "def")
    .map((f) => `${f.name}/${f.arity}`);
}
