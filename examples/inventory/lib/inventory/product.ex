defmodule Inventory.Product do
  @moduledoc """
  A product in the catalog. Prices are integers in cents to avoid float
  rounding in totals.
  """

  use Inventory.Schema, kind: :product

  @sku_format ~r/^[A-Z]{2,5}-\d{4,10}$/
  @categories ~w(hardware garden kitchen clearance bulk)a

  @enforce_keys [:sku, :name, :unit_price]
  defstruct [:sku, :name, :unit_price, category: :hardware, weight_grams: 0, tags: []]

  @typedoc "Product category; `:clearance` items are never re-ordered."
  @type category :: :hardware | :garden | :kitchen | :clearance | :bulk

  @type t :: %__MODULE__{
          sku: String.t(),
          name: String.t(),
          unit_price: non_neg_integer(),
          category: category(),
          weight_grams: non_neg_integer(),
          tags: [String.t()]
        }

  @impl true
  def validate(%__MODULE__{} = product) do
    with :ok <- check(is_binary(product.sku) and product.sku =~ @sku_format, :bad_sku),
         :ok <- check(String.trim(product.name) != "", :blank_name),
         :ok <- check(is_integer(product.unit_price) and product.unit_price >= 0, :bad_price) do
      check(product.category in @categories, :unknown_category)
    end
  end

  @doc "All categories, in display order."
  @spec categories() :: [category()]
  def categories, do: @categories

  @doc "Weight of `quantity` units in kilograms, for shipping estimates."
  @spec shipping_weight(t(), pos_integer()) :: float()
  def shipping_weight(%__MODULE__{weight_grams: grams}, quantity \\ 1) do
    grams * quantity / 1000
  end

  defimpl Inventory.Describable do
    def describe(%{sku: sku, name: name, unit_price: price}) do
      "#{name} (#{sku}) at #{Inventory.Pricing.format_cents(price)}"
    end

    def summary(product) do
      %{type: "product", sku: product.sku, name: product.name, category: product.category}
    end
  end
end
