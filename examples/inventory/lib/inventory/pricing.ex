defmodule Inventory.Pricing do
  @moduledoc """
  Prices and discounts.

  All amounts are integer cents. Discounts are rates between `0.0` and
  `@max_discount`; the rules are owned by the sales team and documented in
  `discount_rate/4`.
  """

  alias Inventory.{Catalog, Order, Product, UnknownSkuError}

  @max_discount 0.40
  @member_rate 0.05
  @staff_rate 0.30
  @bulk_categories [:bulk, :hardware]
  @free_shipping_from 50_00
  @shipping_flat 4_90
  @express_surcharge 9_90

  # {category, months, extra rate}: spring garden sale, back-to-school kitchen sale.
  @seasonal_rates [{:garden, 3..5, 0.10}, {:kitchen, [8, 9], 0.05}, {:hardware, [11], 0.05}]

  @typedoc "A priced order line: SKU, quantity, line total in cents."
  @type priced_line :: {String.t(), pos_integer(), non_neg_integer()}

  @type quote_result :: %{
          lines: [priced_line()],
          subtotal: non_neg_integer(),
          shipping: non_neg_integer(),
          total: non_neg_integer()
        }

  @doc "Prices every line of `order`."
  @spec quote_order(Order.t()) :: {:ok, quote_result()} | {:error, term()}
  def quote_order(%Order{lines: lines} = order) do
    priced =
      Enum.map(lines, fn {sku, quantity} ->
        product = Catalog.fetch!(sku)
        {sku, quantity, unit_price(product, order, quantity) * quantity}
      end)

    subtotal = priced |> Enum.map(&elem(&1, 2)) |> Enum.sum()
    shipping = shipping_cost(order, subtotal)
    {:ok, %{lines: priced, subtotal: subtotal, shipping: shipping, total: subtotal + shipping}}
  rescue
    error in UnknownSkuError -> {:error, {:unknown_sku, error.sku}}
  end

  @doc "Unit price in cents after discounts, for `quantity` units."
  @spec unit_price(Product.t(), Order.t(), pos_integer()) :: non_neg_integer()
  def unit_price(%Product{unit_price: list_price} = product, order, quantity) do
    round(list_price * (1 - discount_rate(order, product, quantity)))
  end

  @doc """
  Discount rate for `quantity` units of `product` in `order`.

    * staff get a flat rate;
    * wholesale customers get volume tiers, better for bulk categories;
    * members get their coupon (capped for clearance items) or the member rate;
    * seasonal rates stack on top, except for express orders and clearance;
    * the result never exceeds `@max_discount`.
  """
  @spec discount_rate(Order.t(), Product.t(), pos_integer(), Date.t()) :: float()
  def discount_rate(%Order{} = order, %Product{} = product, quantity, today \\ Date.utc_today()) do
    tier_rate =
      case order.customer_tier do
        :staff ->
          @staff_rate

        :wholesale ->
          cond do
            quantity >= 500 and product.category in @bulk_categories -> 0.25
            quantity >= 100 -> 0.15
            true -> 0.10
          end

        :member ->
          if order.coupon != nil do
            with %{percent: percent, expires_on: expires_on} <- order.coupon,
                 :lt <- Date.compare(today, expires_on) do
              cond do
                product.category == :clearance and percent > 10 -> 0.10
                percent > 0 -> percent / 100
                true -> @member_rate
              end
            else
              _expired_or_malformed -> @member_rate
            end
          else
            @member_rate
          end

        _retail ->
          0.0
      end

    rate =
      if order.express? or product.category == :clearance do
        tier_rate
      else
        tier_rate + seasonal_rate(product.category, today)
      end

    min(rate, @max_discount)
  end

  @doc "Best seasonal rate for `category` on `date`."
  def seasonal_rate(category, %Date{month: month}) do
    for {^category, months, rate} <- @seasonal_rates, month in months, reduce: 0.0 do
      best -> max(best, rate)
    end
  end

  @doc "Formats cents for humans: `format_cents(123_45)` is `\"$123.45\"`."
  @spec format_cents(integer()) :: String.t()
  def format_cents(cents) when is_integer(cents) and cents < 0, do: "-" <> format_cents(-cents)

  def format_cents(cents) when is_integer(cents) do
    "$#{div(cents, 100)}.#{cents |> rem(100) |> Integer.to_string() |> String.pad_leading(2, "0")}"
  end

  @doc "Price list for `order`'s customer, formatted. Delegates the pricing to the catalog."
  def printable_price_list(order) do
    order
    |> Catalog.price_list()
    |> Enum.map(fn {sku, name, cents} -> "#{sku}  #{name}  #{format_cents(cents)}" end)
  end

  defp shipping_cost(%Order{express?: true}, _subtotal), do: @shipping_flat + @express_surcharge
  defp shipping_cost(_order, subtotal) when subtotal >= @free_shipping_from, do: 0
  defp shipping_cost(_order, _subtotal), do: @shipping_flat
end
