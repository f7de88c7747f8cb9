/** A small project written to a temp directory, shaped for the documented example queries. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const branches = (n: number) =>
  Array.from({ length: n }, (_, i) => `      x == ${i} -> ${i}`).join("\n");

export const PROJECT: Record<string, string> = {
  "lib/my_app/billing/invoice.ex": `defmodule MyApp.Billing.Invoice do
  def total(x) do
    cond do
${branches(11)}
      true -> -1
    end
  end

  def simple(x), do: x
end
`,
  "lib/my_app/other.ex": `defmodule MyApp.Other do
  def complex(x) do
    cond do
${branches(12)}
      true -> -1
    end
  end
end
`,
  "lib/my_app/repo.ex": `defmodule MyApp.Repo do
  def delete!(struct), do: {:ok, struct}
end
`,
  "lib/my_app/accounts.ex": `defmodule MyApp.Accounts do
  alias MyApp.Repo

  def remove(user), do: Repo.delete!(user)
  def purge(users), do: Enum.each(users, &remove/1)
end
`,
  "lib/my_app/web/user_controller.ex": `defmodule MyApp.Web.UserController do
  def delete(conn, user) do
    MyApp.Accounts.remove(user)
    conn
  end
end
`,
  "lib/my_app/worker.ex": `defmodule MyApp.Worker do
  use GenServer

  def init(state), do: {:ok, state}
  def handle_call(:get, _from, state), do: {:reply, state, state}
end
`,
  "lib/my_app/listener.ex": `defmodule MyApp.Listener do
  use GenServer

  def init(state), do: {:ok, state}
  def handle_info(_msg, state), do: {:noreply, state}
end
`,
};

/** Writes {@link PROJECT} under a new temp directory and returns its root. */
export function writeProject(): string {
  const root = mkdtempSync(join(tmpdir(), "es-query-"));
  for (const [path, text] of Object.entries(PROJECT)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}
