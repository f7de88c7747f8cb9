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

/**
 * What frameworks call in modules that `use` them or declare them as behaviours, besides the
 * behaviours above (Elixir 1.14, Mix, Plug 1.x, Phoenix 1.7, Ecto 3).
 */
const FRAMEWORK_CALLBACKS: Record<string, string[]> = {
  "Mix.Task": ["run/1"],
  "Mix.Project": ["project/0", "application/0"],
  Plug: ["init/1", "call/2"],
  "Plug.Builder": ["init/1", "call/2"],
  "Plug.Router": ["init/1", "call/2"],
  "Phoenix.LiveComponent": ["mount/1", "update/2", "update_many/1", "render/1", "handle_event/3"],
  "Ecto.Type": ["type/0", "cast/1", "load/1", "dump/1", "embed_as/1", "equal?/2"],
  Access: ["fetch/2", "get_and_update/3", "pop/2"],
  Exception: ["exception/1", "message/1", "blame/2"],
};

/**
 * `name/arity` of the callbacks that the behaviours, `use`d frameworks and conventions of `m`
 * make something outside the project call: GenServer's `handle_call/3`, a LiveView's `mount/3`,
 * a Mix task's `run/1` (`Mix.Tasks.*` modules are tasks by name)...
 */
export function knownCallbacks(m: ModuleInfo): Set<string> {
  const out = new Set<string>();
  const add = (list: readonly string[] | undefined) => {
    for (const x of list ?? []) out.add(x);
  };
  for (const name of [...m.behaviours, ...m.uses.map((u) => u.module)]) {
    add(BEHAVIOURS[name]?.callbacks);
    add(FRAMEWORK_CALLBACKS[name]);
  }
  for (const p of PHOENIX) {
    if (m.uses.some((u) => u.module === p.module || u.arg === p.arg)) add(p.callbacks);
  }
  if (m.name.startsWith("Mix.Tasks.")) out.add("run/1");
  return out;
}

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

/** Evidence that `m` names a process through `module` (`{:via, Registry, ...}`), else null. */
function namesVia(m: ModuleInfo, module: string): string | null {
  return m.dependencies.some((d) => d.kind === "via" && d.target === module)
    ? `{:via, ${module}, ...} name`
    : null;
}

/** The colocated templates Phoenix looks for next to a LiveView's file. */
export function colocatedTemplates(file: string): string[] {
  const base = file.replace(/\.exs?$/, "");
  return [`${base}.html.heex`, `${base}.html.leex`];
}

/** True when `m`'s template is colocated (one of `templates`) or embedded (`embed_templates`). */
function hasTemplate(m: ModuleInfo, templates: ReadonlySet<string>): boolean {
  if (colocatedTemplates(m.file).some((t) => templates.has(t))) return true;
  return (m.bodyCalls ?? []).some((c) => c.name === "embed_templates");
}

/** The behaviours `m` declares: known ones (GenServer...) and the project's own. */
function behaviourMatches(
  m: ModuleInfo,
  byName: ReadonlyMap<string, ModuleInfo>,
  out: PatternMatch[],
): void {
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
}

/**
 * Finds every pattern in the project's modules. `byName` gives the project's modules by name,
 * for behaviours and protocols defined in the project itself; `templates` the project's template
 * files (`.html.heex`, `.html.leex`), relative to its root.
 */
export function findPatterns(
  modules: readonly ModuleInfo[],
  byName: ReadonlyMap<string, ModuleInfo>,
  templates: ReadonlySet<string> = new Set(),
): PatternMatch[] {
  const out: PatternMatch[] = [];
  for (const m of modules) {
    behaviourMatches(m, byName, out);
    if (usesOf(m, "Agent")) out.push(match(m, "Agent", "use Agent", [], []));
    else if (callsModule(m, "Agent") !== null)
      out.push(match(m, "Agent", callsModule(m, "Agent") as string, [], []));
    if (usesOf(m, "Task")) out.push(match(m, "Task", "use Task", [], []));
    const registry = callsModule(m, "Registry") ?? namesVia(m, "Registry");
    if (registry !== null) out.push(match(m, "Registry", registry, [], []));
    for (const p of PHOENIX) {
      const u = m.uses.find((x) => x.module === p.module || x.arg === p.arg);
      if (u === undefined) continue;
      const evidence = u.arg !== null ? `use ${u.module}, :${u.arg}` : `use ${u.module}`;
      const callbacks = p.pattern === "PhoenixController" ? actions(m.functions) : p.callbacks;
      // A LiveView whose template sits next to it, or is embedded, has `render/1` generated.
      const rendered = p.pattern === "PhoenixLiveView" && hasTemplate(m, templates);
      const required = rendered ? p.required.filter((r) => r !== "render/1") : p.required;
      out.push(match(m, p.pattern, evidence, callbacks, required));
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
