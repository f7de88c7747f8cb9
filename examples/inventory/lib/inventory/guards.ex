defmodule Inventory.Guards do
  @moduledoc """
  Guards shared by the router, the stock server and the warehouses.

  Import what you need: `import Inventory.Guards, only: [is_sku: 1]`.
  """

  @min_sku_length 6
  @max_sku_length 16

  @doc "A SKU is a binary of 6 to 16 bytes. The format is checked by `Inventory.Catalog`."
  defguard is_sku(value)
           when is_binary(value) and byte_size(value) >= @min_sku_length and
                  byte_size(value) <= @max_sku_length

  @doc "A strictly positive integer quantity."
  defguard is_quantity(value) when is_integer(value) and value > 0

  @doc "Customer tiers we know how to price."
  defguard is_tier(value) when value in [:retail, :member, :wholesale, :staff]
end
