/**
 * A small typed event emitter: `on` returns a disposable, and a listener that throws never
 * stops the others (its error is reported as a process warning instead).
 * @packageDocumentation
 */

/** Something that can be released; returned by every `on*` subscription. */
export interface Disposable {
  dispose(): void;
}

/** A subscription point for one kind of event. */
export type Event<T> = (listener: (event: T) => void) => Disposable;

/** Owns the listeners of one event and fires it. */
export class EventEmitter<T> {
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
    const listeners = this.#listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i](event);
      } catch (error) {
        reportListenerError(this.#name, error);
      }
    }
  }
}

/** Reports a listener's exception without letting it interrupt the emitter. */
export function reportListenerError(eventName: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`listener of "${eventName}" threw: ${message}`, {
    code: "ELIXIRSCOPE_LISTENER_ERROR",
  });
}
