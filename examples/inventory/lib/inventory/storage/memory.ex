defmodule Inventory.Storage.Memory do
  @moduledoc """
  In-memory storage backed by an `Agent`. The default backend, and what the
  tests use. Data is lost when the process restarts.
  """

  use Agent

  @behaviour Inventory.Storage

  @doc "Starts the agent. Accepts `:name` and `:initial` (a map of SKU to quantity)."
  @spec start_link(keyword()) :: Agent.on_start()
  def start_link(opts \\ []) do
    {initial, opts} = Keyword.pop(opts, :initial, %{})
    Agent.start_link(fn -> initial end, opts)
  end

  @impl true
  def fetch(agent, sku), do: Agent.get(agent, &Map.fetch(&1, sku))

  @impl true
  def put(agent, sku, quantity), do: Agent.update(agent, &Map.put(&1, sku, quantity))

  @impl true
  def delete(agent, sku), do: Agent.update(agent, &Map.delete(&1, sku))

  @impl true
  def all(agent), do: Agent.get(agent, &Map.to_list/1)

  @doc "Empties the store. Only meant for tests."
  @spec clear(Agent.agent()) :: :ok
  def clear(agent), do: Agent.update(agent, fn _state -> %{} end)
end
