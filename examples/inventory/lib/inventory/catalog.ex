defmodule Inventory.Catalog do
  @moduledoc """
  Read-mostly product catalog.

  Products change a few times a day, so they are kept in `:persistent_term`
  (cheap reads, expensive writes). `load/1` replaces the whole catalog.
  """

  alias Inventory.{Pricing, Product, UnknownSkuError}

  @key {__MODULE__, :products}
  @sku_pattern ~r/^(?<prefix>[A-Z]{2,5})-(?<number>\d{4,10})$/

  # Rough weekly demand per category, until the forecasting service exists.
  @weekly_demand %{hardware: 40, garden: 25, kitchen: 30, bulk: 120, clearance: 0}

  @doc "Replaces the catalog with `products`."
  @spec load([Product.t()]) :: :ok
  def load(products) when is_list(products) do
    :persistent_term.put(@key, Map.new(products, &{&1.sku, &1}))
  end

  @spec all() :: [Product.t()]
  def all, do: @key |> :persistent_term.get(%{}) |> Map.values() |> Enum.sort_by(& &1.sku)

  @spec fetch(String.t()) :: {:ok, Product.t()} | {:error, :unknown_sku}
  def fetch(sku) do
    case :persistent_term.get(@key, %{}) do
      %{^sku => product} -> {:ok, product}
      _products -> {:error, :unknown_sku}
    end
  end

  @doc "Like `fetch/1`, raising `Inventory.UnknownSkuError`."
  @spec fetch!(String.t()) :: Product.t()
  def fetch!(sku) do
    case fetch(sku) do
      {:ok, product} -> product
      {:error, :unknown_sku} -> raise UnknownSkuError, sku: sku
    end
  end

  @doc "Splits a SKU into its supplier prefix and number."
  @spec parse_sku(String.t()) :: {:ok, String.t(), non_neg_integer()} | :error
  def parse_sku(sku) do
    case Regex.named_captures(@sku_pattern, sku) do
      %{"prefix" => prefix, "number" => number} -> {:ok, prefix, String.to_integer(number)}
      nil -> :error
    end
  end

  @doc "Products of `category`, optionally only those tagged with every tag in `tags`."
  def by_category(category, tags \\ []) do
    for %Product{category: ^category} = product <- all(),
        Enum.all?(tags, &(&1 in product.tags)),
        do: product
  end

  @doc "Number of products per category, e.g. `%{garden: 12, kitchen: 30}`."
  @spec category_counts() :: %{Product.category() => pos_integer()}
  def category_counts do
    Enum.reduce(all(), %{}, fn product, counts ->
      Map.update(counts, product.category, 1, &(&1 + 1))
    end)
  end

  @doc "Clearance items are sold out, never re-ordered."
  def clearance?(sku), do: match?({:ok, %Product{category: :clearance}}, fetch(sku))

  @doc "Expected units sold per week."
  def weekly_demand(sku) do
    case fetch(sku) do
      {:ok, %Product{category: category}} -> Map.get(@weekly_demand, category, 10)
      {:error, _} -> 0
    end
  end

  @doc """
  Price list for a customer: every product with the unit price `order`'s
  customer would pay, as `{sku, name, cents}`.
  """
  def price_list(order, category \\ nil) do
    products = if category, do: by_category(category), else: all()
    Enum.map(products, &{&1.sku, &1.name, Pricing.unit_price(&1, order, 1)})
  end

  # Before 2021 SKUs were "OLD/1234". Kept while the last import job is being
  # rewritten; nothing calls it any more.
  defp normalize_legacy_sku("OLD/" <> number) do
    "LEG-" <> String.pad_leading(number, 4, "0")
  end
end
