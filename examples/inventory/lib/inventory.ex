defmodule Inventory do
  @moduledoc """
  Public entry point of the inventory service.

  Most callers only need the functions here; they delegate to the process or
  module that owns the data:

    * stock levels and reservations live in `Inventory.StockServer`,
    * product data in `Inventory.Catalog`,
    * prices in `Inventory.Pricing`,
    * physical bins in one `Inventory.Warehouse` process per site.
  """

  alias Inventory.{Catalog, Order, Pricing, StockServer, WarehouseSupervisor}

  @typedoc "A stock keeping unit, e.g. `\"ACME-00042\"`."
  @type sku :: String.t()

  @doc "Units of `sku` that are on hand and not reserved."
  defdelegate available(sku), to: StockServer

  @doc "Reserves `quantity` units of `sku` for `order_id`."
  defdelegate reserve(sku, quantity, order_id), to: StockServer

  @doc "Looks up a product by SKU."
  defdelegate fetch_product(sku), to: Catalog, as: :fetch

  @doc "Prices a whole order, applying customer and seasonal discounts."
  defdelegate quote(order), to: Pricing, as: :quote_order

  @doc "Opens (starts) a warehouse process, e.g. `open_warehouse(\"berlin-1\")`."
  defdelegate open_warehouse(id, opts \\ []), to: WarehouseSupervisor

  @doc """
  Convenience for scripts: reserves every line of `order` or none of them.
  """
  @spec reserve_order(Order.t()) :: :ok | {:error, term()}
  def reserve_order(%Order{id: order_id, lines: lines}) do
    lines
    |> Enum.reduce_while([], fn {sku, quantity}, reserved ->
      case reserve(sku, quantity, order_id) do
        :ok -> {:cont, [sku | reserved]}
        {:error, reason} -> {:halt, {:error, reason, reserved}}
      end
    end)
    |> case do
      {:error, reason, reserved} ->
        # Roll back what we already took so the order is all-or-nothing.
        Enum.each(reserved, &StockServer.release(&1, order_id))
        {:error, reason}

      _reserved ->
        :ok
    end
  end
end
