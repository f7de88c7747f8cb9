/**
 * Errors as RFC 9457 problem documents (`application/problem+json`), carrying our error code,
 * the request's correlation id and, for throttling, when to retry.
 * @packageDocumentation
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ElixirScopeError, type ErrorCode, isElixirScopeError } from "../foundation/index.js";

/** The problem document we send. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance: string;
  correlationId: string;
  retryAfterMs?: number;
}

/** JSON schema of {@link Problem}, for the OpenAPI document. */
export const ProblemSchema = {
  $id: "Problem",
  type: "object",
  required: ["type", "title", "status", "detail", "code", "instance", "correlationId"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    code: { type: "string" },
    instance: { type: "string" },
    correlationId: { type: "string" },
    retryAfterMs: { type: "number" },
  },
} as const;

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  INVALID_ARGUMENT: 400,
  UNKNOWN_OPTION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  CIRCUIT_OPEN: 503,
  INDEX_NOT_READY: 503,
  SERVICE_NOT_RUNNING: 503,
  TIMEOUT: 504,
  CALL_TIMEOUT: 504,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  413: "Content Too Large",
  414: "URI Too Long",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Our code for a framework error, chosen by its HTTP status. */
function codeForStatus(status: number): ErrorCode {
  if (status === 413 || status === 414 || status === 431) return "PAYLOAD_TOO_LARGE";
  if (status === 404) return "NOT_FOUND";
  if (status === 408) return "TIMEOUT";
  if (status >= 400 && status < 500) return "INVALID_ARGUMENT";
  return "INTERNAL_ERROR";
}

/** The HTTP status and problem for any error a request can end in. */
export function problemOf(error: unknown, request: FastifyRequest): Problem {
  let status: number;
  let code: ErrorCode;
  let detail: string;
  let retryAfterMs: number | undefined;
  if (isElixirScopeError(error)) {
    code = error.code;
    status = STATUS_BY_CODE[code] ?? 500;
    detail = status === 500 ? "internal error" : error.message;
    retryAfterMs = error.retryAfterMs;
  } else {
    const fe = error as Partial<FastifyError>;
    status = typeof fe.statusCode === "number" && fe.statusCode >= 400 ? fe.statusCode : 500;
    code = codeForStatus(status);
    // Never echo internal messages; the framework's 4xx messages describe the request only.
    detail = status >= 500 ? "internal error" : String(fe.message ?? TITLES[status] ?? "error");
  }
  return {
    type: `https://elixirscope.dev/problems/${code.toLowerCase().replaceAll("_", "-")}`,
    title: TITLES[status] ?? (status >= 500 ? "Server Error" : "Client Error"),
    status,
    detail,
    code,
    instance: request.url.length > 512 ? `${request.url.slice(0, 512)}...` : request.url,
    correlationId: String(request.id),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Sends `problem` as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  if (problem.retryAfterMs !== undefined) {
    reply.header("retry-after", String(Math.max(1, Math.ceil(problem.retryAfterMs / 1000))));
  }
  return reply
    .code(problem.status)
    .type("application/problem+json; charset=utf-8")
    .send(JSON.stringify(problem));
}

/** Shorthand for throwing a typed API error. */
export function apiError(
  code: ErrorCode,
  message: string,
  context: Record<string, unknown> = {},
): ElixirScopeError {
  return new ElixirScopeError(code, message, { context });
}
