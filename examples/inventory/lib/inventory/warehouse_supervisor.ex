defmodule Inventory.WarehouseSupervisor do
  @moduledoc """
  Starts and stops `Inventory.Warehouse` processes on demand.

  Warehouses register themselves in `Inventory.WarehouseRegistry` under their
  id, so this module never has to keep pids around.
  """

  use DynamicSupervisor

  alias Inventory.Warehouse

  @registry Inventory.WarehouseRegistry

  def start_link(init_arg \\ []) do
    DynamicSupervisor.start_link(__MODULE__, init_arg, name: __MODULE__)
  end

  @impl true
  def init(_init_arg) do
    DynamicSupervisor.init(strategy: :one_for_one, max_children: 64)
  end

  @doc """
  Starts the process for warehouse `id`. Opening an already open warehouse is
  not an error: the existing pid is returned.
  """
  @spec open_warehouse(String.t(), keyword()) :: {:ok, pid()} | {:error, term()}
  def open_warehouse(id, opts \\ []) when is_binary(id) do
    spec = {Warehouse, Keyword.put(opts, :id, id)}

    case DynamicSupervisor.start_child(__MODULE__, spec) do
      {:ok, pid} -> {:ok, pid}
      {:error, {:already_started, pid}} -> {:ok, pid}
      {:error, reason} -> {:error, reason}
    end
  end

  @doc "Stops warehouse `id` if it is running."
  @spec close_warehouse(String.t()) :: :ok | {:error, :not_found}
  def close_warehouse(id) do
    case Registry.lookup(@registry, id) do
      [{pid, _value}] -> DynamicSupervisor.terminate_child(__MODULE__, pid)
      [] -> {:error, :not_found}
    end
  end

  @doc "Ids of all running warehouses, sorted."
  @spec list_warehouses() :: [String.t()]
  def list_warehouses do
    @registry
    |> Registry.select([{{:"$1", :_, :_}, [], [:"$1"]}])
    |> Enum.sort()
  end

  @doc "True when warehouse `id` has a running process."
  def open?(id), do: match?([_ | _], Registry.lookup(@registry, id))
end
