defmodule Inventory.Storage do
  @moduledoc """
  Behaviour for stock storage backends.

  A backend is addressed as `{module, ref}`, where `ref` is whatever the
  backend needs (a process name, an ETS table). `Inventory.StockServer` only
  talks to storage through the helpers in this module.
  """

  @typedoc "A backend module and its handle, e.g. `{Inventory.Storage.Memory, pid}`."
  @type t :: {module(), ref()}

  @typedoc "Backend specific handle."
  @type ref :: pid() | atom() | :ets.tid()

  @type sku :: String.t()

  @doc "Returns the on-hand quantity of `sku`, or `:error` if it was never stored."
  @callback fetch(ref(), sku()) :: {:ok, non_neg_integer()} | :error

  @doc "Sets the on-hand quantity of `sku`."
  @callback put(ref(), sku(), non_neg_integer()) :: :ok

  @doc "Forgets `sku` entirely."
  @callback delete(ref(), sku()) :: :ok

  @doc "All `{sku, quantity}` pairs, in no particular order."
  @callback all(ref()) :: [{sku(), non_neg_integer()}]

  @optional_callbacks delete: 2

  @spec fetch(t(), sku()) :: {:ok, non_neg_integer()} | :error
  def fetch({module, ref}, sku), do: module.fetch(ref, sku)

  @spec put(t(), sku(), non_neg_integer()) :: :ok
  def put({module, ref}, sku, quantity) when quantity >= 0, do: module.put(ref, sku, quantity)

  @spec all(t()) :: [{sku(), non_neg_integer()}]
  def all({module, ref}), do: module.all(ref)

  @doc "Deletes `sku` when the backend supports it, or sets it to zero."
  @spec delete(t(), sku()) :: :ok
  def delete({module, ref}, sku) do
    if function_exported?(module, :delete, 2) do
      module.delete(ref, sku)
    else
      module.put(ref, sku, 0)
    end
  end
end
