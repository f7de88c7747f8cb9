/**
 * Functions that well-known macros define, and the behaviours `use` implies, as Elixir 1.14's
 * own `__using__`/`defstruct`/`defexception`/`defprotocol`/`defimpl` define them.
 * @packageDocumentation
 */

/** A function a macro defines: `name/arity`, by what. */
export interface GeneratedFunction {
  name: string;
  arity: number;
  by: string;
}

/**
 * What `use Module` defines in Elixir 1.14, for the modules whose `__using__` we know. Every
 * function here is overridable: when the source defines it too, the source wins.
 */
export const USE_GENERATED: Readonly<Record<string, readonly [string, number][]>> = {
  GenServer: [
    ["child_spec", 1],
    ["code_change", 3],
    ["handle_call", 3],
    ["handle_cast", 2],
    ["handle_info", 2],
    ["init", 1],
    ["terminate", 2],
  ],
  Supervisor: [["child_spec", 1]],
  DynamicSupervisor: [["child_spec", 1]],
  Agent: [["child_spec", 1]],
  Task: [["child_spec", 1]],
  Application: [["stop", 1]],
};

/** Behaviours that `use Module` declares (`@behaviour`) in Elixir 1.14 and common libraries. */
export const USE_BEHAVIOURS: Readonly<Record<string, string>> = {
  GenServer: "GenServer",
  Supervisor: "Supervisor",
  DynamicSupervisor: "DynamicSupervisor",
  Application: "Application",
  GenStage: "GenStage",
  "Phoenix.LiveView": "Phoenix.LiveView",
  "Phoenix.LiveComponent": "Phoenix.LiveComponent",
  "Phoenix.Channel": "Phoenix.Channel",
};

/** `defstruct` defines `__struct__/0` and `__struct__/1`. */
export function structFunctions(): GeneratedFunction[] {
  return [
    { name: "__struct__", arity: 0, by: "defstruct" },
    { name: "__struct__", arity: 1, by: "defstruct" },
  ];
}

/**
 * `defexception` defines the struct, `exception/1`, and `message/1` when there is a `message`
 * field (Kernel.defexception in 1.14).
 */
export function exceptionFunctions(fields: string[]): GeneratedFunction[] {
  const out: GeneratedFunction[] = [
    { name: "__struct__", arity: 0, by: "defexception" },
    { name: "__struct__", arity: 1, by: "defexception" },
    { name: "exception", arity: 1, by: "defexception" },
  ];
  if (fields.includes("message")) out.push({ name: "message", arity: 1, by: "defexception" });
  return out;
}

/** `defprotocol` defines `__protocol__/1`, `impl_for/1` and `impl_for!/1`. */
export function protocolFunctions(): GeneratedFunction[] {
  return [
    { name: "__protocol__", arity: 1, by: "defprotocol" },
    { name: "impl_for", arity: 1, by: "defprotocol" },
    { name: "impl_for!", arity: 1, by: "defprotocol" },
  ];
}

/** `defimpl` defines `__impl__/1`. */
export function implFunctions(): GeneratedFunction[] {
  return [{ name: "__impl__", arity: 1, by: "defimpl" }];
}
