/**
 * Listeners, the one way: a listener that throws never stops the others, and its error becomes
 * a process warning. Services (exit listeners), supervisors, the telemetry and config servers
 * and every infrastructure event go through {@link notifyListeners}.
 * @packageDocumentation
 */

/** Something that can be released; returned by every `on*` subscription. */
export interface Disposable {
  dispose(): void;
}

/** A subscription point for one kind of event. */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/** Reports a listener's exception without letting it interrupt the caller. */
export function reportListenerError(eventName: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`listener of "${eventName}" threw: ${message}`, {
    code: "ELIXIRSCOPE_LISTENER_ERROR",
  });
}

/**
 * Calls every listener with `event`; one that throws is reported as a warning naming
 * `eventName` and the rest still run.
 */
export function notifyListeners<T>(
  listeners: Iterable<(event: T) => void>,
  event: T,
  eventName: string,
): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch (error) {
      reportListenerError(eventName, error);
    }
  }
}

/** Owns the listeners of one event and fires it. (Not Node's `Emitter`: one typed event.) */
export class Emitter<T> {
  #listeners: Array<(event: T) => void> = [];
  readonly #name: string;

  /** @param name - used in the warning when a listener throws. */
  constructor(name: string) {
    this.#name = name;
  }

  /** Subscribes; call `dispose()` on the result to unsubscribe. */
  readonly event: Event<T> = (listener) => {
    // Copy on write so that a listener added or removed while firing does not disturb the loop.
    this.#listeners = [...this.#listeners, listener];
    return {
      dispose: () => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
      },
    };
  };

  /** Whether anything listens (lets hot paths skip building the event object). */
  get hasListeners(): boolean {
    return this.#listeners.length > 0;
  }

  /** Calls every listener with `event`. */
  emit(event: T): void {
    notifyListeners(this.#listeners, event, this.#name);
  }
}
