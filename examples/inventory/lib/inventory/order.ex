defmodule Inventory.Order do
  @moduledoc """
  A customer order as seen by the inventory: who orders, which SKUs, how many,
  and the coupon if any. Payment and shipping live in other services.
  """

  use Inventory.Schema, kind: :order

  import Inventory.Guards, only: [is_tier: 1]

  @enforce_keys [:id, :customer_tier]
  defstruct [:id, :customer_tier, :coupon, lines: [], placed_at: nil, express?: false]

  @typedoc "One order line: SKU and quantity."
  @type line :: {sku :: String.t(), quantity :: pos_integer()}

  @type coupon :: %{code: String.t(), percent: non_neg_integer(), expires_on: Date.t()}

  @type t :: %__MODULE__{
          id: String.t(),
          customer_tier: :retail | :member | :wholesale | :staff,
          coupon: coupon() | nil,
          lines: [line()],
          placed_at: DateTime.t() | nil,
          express?: boolean()
        }

  @impl true
  def validate(%__MODULE__{customer_tier: tier, lines: lines}) when is_tier(tier) do
    check(Enum.all?(lines, &valid_line?/1), :bad_line)
  end

  def validate(%__MODULE__{customer_tier: tier}), do: {:error, {:unknown_tier, inspect(tier)}}

  @doc "Adds `quantity` of `sku`, merging with an existing line."
  @spec add_line(t(), String.t(), pos_integer()) :: t()
  def add_line(%__MODULE__{lines: lines} = order, sku, quantity \\ 1) do
    lines =
      case List.keyfind(lines, sku, 0) do
        {^sku, existing} -> List.keyreplace(lines, sku, 0, {sku, existing + quantity})
        nil -> lines ++ [{sku, quantity}]
      end

    %{order | lines: lines}
  end

  @doc "Total number of units across all lines."
  @spec unit_count(t()) :: non_neg_integer()
  def unit_count(%__MODULE__{lines: lines}) do
    lines |> Enum.map(&elem(&1, 1)) |> Enum.sum()
  end

  defp valid_line?({sku, quantity}) when is_binary(sku) and is_integer(quantity), do: quantity > 0
  defp valid_line?(_line), do: false
end
