/**
 * The AsyncAPI: events from the AST layer (index changes) to any number of subscribers, each with
 * a bounded buffer of its own. Publishing never waits: it appends to each buffer and returns, so
 * a slow subscriber can only hurt itself. When a subscriber's buffer is full it either lags (the
 * oldest buffered events are dropped and it is told how many it missed) or is dropped (its
 * subscription ends), as it chose when subscribing.
 * @packageDocumentation
 */
import { z } from "zod";
import { parseOptions } from "../foundation/index.js";

/** What a subscriber receives: an event, or a note that it missed `dropped` events. */
export type Delivery<T> = { kind: "event"; event: T } | { kind: "lagged"; dropped: number };

/** Options of {@link EventHub.subscribe}. */
export interface SubscribeOptions {
  /** Events buffered for this subscriber at most (default 256). */
  bufferSize?: number;
  /** When the buffer is full: `lag` drops the oldest events (default), `drop` ends the subscription. */
  onOverflow?: "lag" | "drop";
}

const SubscribeSchema = z.strictObject({
  bufferSize: z.number().int().positive().max(1_000_000).optional(),
  onOverflow: z.enum(["lag", "drop"]).optional(),
});

/** One subscriber's end: pull deliveries with `for await`, or `close()`. */
export class Subscription<T> implements AsyncIterable<Delivery<T>> {
  readonly #buffer: T[] = [];
  readonly #size: number;
  readonly #policy: "lag" | "drop";
  readonly #onClose: (s: Subscription<T>) => void;
  #missed = 0;
  #closed = false;
  #wake: (() => void) | undefined;
  /** Events this subscriber missed in total. */
  droppedTotal = 0;

  /** @internal Made by {@link EventHub.subscribe}. */
  constructor(size: number, policy: "lag" | "drop", onClose: (s: Subscription<T>) => void) {
    this.#size = size;
    this.#policy = policy;
    this.#onClose = onClose;
  }

  /** Whether the subscription has ended (closed, or dropped for overflowing). */
  get closed(): boolean {
    return this.#closed;
  }

  /** Events waiting to be read. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** @internal Appends without waiting; applies the overflow policy. */
  offer(event: T): void {
    if (this.#closed) return;
    if (this.#buffer.length >= this.#size) {
      if (this.#policy === "drop") {
        this.droppedTotal++;
        this.close();
        return;
      }
      this.#buffer.shift();
      this.#missed++;
      this.droppedTotal++;
    }
    this.#buffer.push(event);
    this.#wake?.();
  }

  /** The next delivery, waiting for one; undefined once closed and drained. */
  async next(): Promise<Delivery<T> | undefined> {
    for (;;) {
      if (this.#missed > 0) {
        const dropped = this.#missed;
        this.#missed = 0;
        return { kind: "lagged", dropped };
      }
      const event = this.#buffer.shift();
      if (event !== undefined) return { kind: "event", event };
      if (this.#closed) return undefined;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Delivery<T>> {
    for (;;) {
      const d = await this.next();
      if (d === undefined) return;
      yield d;
    }
  }

  /** Ends the subscription; buffered events can still be read. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
    this.#wake?.();
  }
}

/** A publish/subscribe hub with bounded per-subscriber buffers. */
export class EventHub<T> {
  readonly #subs = new Set<Subscription<T>>();
  /** Events published since creation. */
  published = 0;

  /** Subscribes; see {@link SubscribeOptions}. Unknown options are errors. */
  subscribe(options: SubscribeOptions = {}): Subscription<T> {
    const o = parseOptions(SubscribeSchema, options, "EventHub.subscribe");
    const sub = new Subscription<T>(o.bufferSize ?? 256, o.onOverflow ?? "lag", (s) =>
      this.#subs.delete(s),
    );
    this.#subs.add(sub);
    return sub;
  }

  /** Delivers `event` to every subscriber's buffer; never waits. */
  publish(event: T): void {
    this.published++;
    for (const s of this.#subs) s.offer(event);
  }

  /** Current subscribers. */
  get subscribers(): number {
    return this.#subs.size;
  }

  /** Ends every subscription. */
  closeAll(): void {
    for (const s of [...this.#subs]) s.close();
  }
}
