/** Talking to the server: JSON with the optional bearer token, and the event stream. */

const TOKEN_KEY = "elixirscope.token";

/** Takes `?token=` from the address once (then hides it) and keeps it for this tab. */
export function initToken(): void {
  const url = new URL(location.href);
  const t = url.searchParams.get("token");
  if (t !== null) {
    sessionStorage.setItem(TOKEN_KEY, t);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.toString());
  }
}

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** A problem document turned into an error. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function request(path: string, init: RequestInit = {}): Promise<Response> {
  const t = token();
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (t) headers.authorization = `Bearer ${t}`;
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    let code = "ERROR";
    let detail = res.statusText;
    try {
      const p = (await res.json()) as { code?: string; detail?: string };
      code = p.code ?? code;
      detail = p.detail ?? detail;
    } catch {
      // not a problem document
    }
    throw new ApiError(res.status, code, detail);
  }
  return res;
}

/** GET a JSON document. */
export async function getJson<T>(path: string): Promise<T> {
  return (await request(path)).json() as Promise<T>;
}

/** POST a JSON body, get a JSON document. */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  return (await request(path, init)).json() as Promise<T>;
}

/** GET a text document. */
export async function getText(path: string): Promise<string> {
  return (await request(path)).text();
}

/** Path of a function's API route. */
export function functionPath(key: string): string {
  return `/api/functions/${encodeURIComponent(key)}`;
}

/** Path of a source file's API route (each segment encoded). */
export function filePath(file: string): string {
  return `/api/files/${file.split("/").map(encodeURIComponent).join("/")}`;
}

/** Follows index changes; `onChange` gets each change's JSON. */
export function followChanges(onChange: (change: IndexChange) => void): EventSource {
  const t = token();
  const es = new EventSource(`/api/events${t ? `?access_token=${encodeURIComponent(t)}` : ""}`);
  es.addEventListener("index.changed", (e) => onChange(JSON.parse((e as MessageEvent).data)));
  return es;
}

/** An index change as the server streams it. */
export interface IndexChange {
  version: number;
  changed: string[];
  removed: string[];
  modules: string[];
}
