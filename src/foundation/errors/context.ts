import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { parseOptions } from "../options.js";

/**
 * The error context that follows async calls: a correlation id and breadcrumbs recorded along the
 * way, so an error raised deep in a call chain carries where it came from. Backed by
 * AsyncLocalStorage, so it crosses `await`, timers and promise chains without being passed.
 */

export interface Breadcrumb {
  /** Epoch ms when it was recorded. */
  readonly at: number;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
}

export interface ErrorContextState {
  readonly correlationId: string;
  /** What this scope is doing ("config.update", "parse lib/foo.ex"). */
  readonly operation: string | undefined;
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Breadcrumbs recorded in this scope (oldest first), at most {@link MAX_BREADCRUMBS}. */
  readonly breadcrumbs: Breadcrumb[];
  readonly parent: ErrorContextState | undefined;
}

export interface ErrorContextOptions {
  correlationId?: string;
  operation?: string;
  metadata?: Record<string, unknown>;
}

/** Breadcrumbs kept per scope; older ones are dropped first. */
export const MAX_BREADCRUMBS = 50;

const storage = new AsyncLocalStorage<ErrorContextState>();

const ErrorContextOptionsSchema = z.strictObject({
  correlationId: z.string().min(1).optional(),
  operation: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});

/** A fresh random correlation id (a UUID), for a context that inherits none. */
export function newCorrelationId(): string {
  return randomUUID();
}

/**
 * Runs `fn` in a child error context. The child inherits the current correlation id unless one is
 * given, and its breadcrumbs are its own; {@link currentBreadcrumbs} joins the chain.
 */
export function withErrorContext<T>(options: ErrorContextOptions, fn: () => T): T {
  options = parseOptions(ErrorContextOptionsSchema, options, "withErrorContext");
  const parent = storage.getStore();
  const state: ErrorContextState = {
    correlationId: options.correlationId ?? parent?.correlationId ?? newCorrelationId(),
    operation: options.operation,
    metadata: options.metadata ?? {},
    breadcrumbs: [],
    parent,
  };
  return storage.run(state, fn);
}

/**
 * The correlation id of the current error context, or `undefined` outside any; new errors take it
 * by default, so one request's errors can be grouped.
 */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Records a breadcrumb in the current scope; a no-op outside any error context. */
export function addBreadcrumb(message: string, data?: Record<string, unknown>): void {
  const state = storage.getStore();
  if (!state) return;
  const crumbs = state.breadcrumbs;
  if (crumbs.length >= MAX_BREADCRUMBS) crumbs.shift();
  crumbs.push(data === undefined ? { at: Date.now(), message } : { at: Date.now(), message, data });
}

/** Every breadcrumb from the outermost scope to the current one, oldest first. */
export function currentBreadcrumbs(): Breadcrumb[] {
  const chain: ErrorContextState[] = [];
  for (let s = storage.getStore(); s; s = s.parent) chain.push(s);
  const out: Breadcrumb[] = [];
  for (let i = chain.length - 1; i >= 0; i--) out.push(...chain[i]!.breadcrumbs);
  return out;
}

/** The operations from the outermost scope to the current one ("request > parse > tokenize"). */
export function currentOperationPath(): string[] {
  const ops: string[] = [];
  for (let s = storage.getStore(); s; s = s.parent) if (s.operation) ops.unshift(s.operation);
  return ops;
}
