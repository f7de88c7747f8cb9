defmodule Inventory.Application do
  @moduledoc """
  OTP application callback: builds the supervision tree.

  The order of the children matters. The registry and the storage must be up
  before the processes that use them, and the replenisher starts last because
  it calls into everything else.
  """

  use Application

  require Logger

  alias Inventory.Storage.Memory, as: MemoryStore

  @replenish_interval :timer.minutes(5)

  @impl true
  def start(_type, _args) do
    storage = Application.get_env(:inventory, :storage, {MemoryStore, MemoryStore})

    children = [
      {Registry, keys: :unique, name: Inventory.WarehouseRegistry},
      {MemoryStore, name: MemoryStore},
      Inventory.AuditLog,
      {Inventory.StockServer, storage: storage},
      {Task.Supervisor, name: Inventory.TaskSupervisor},
      Inventory.WarehouseSupervisor,
      {Inventory.Replenisher, interval: replenish_interval()}
    ]

    opts = [strategy: :one_for_one, name: Inventory.Supervisor, max_restarts: 5]
    Logger.info("starting inventory with #{length(children)} children")
    Supervisor.start_link(children, opts)
  end

  @impl true
  def stop(_state) do
    Logger.info("inventory stopped")
    :ok
  end

  defp replenish_interval do
    Application.get_env(:inventory, :replenish_interval, @replenish_interval)
  end
end
