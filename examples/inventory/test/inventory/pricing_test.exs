defmodule Inventory.PricingTest do
  use ExUnit.Case, async: true

  alias Inventory.{Order, Pricing, Product}

  @spring ~D[2024-04-15]
  @winter ~D[2024-01-10]

  setup do
    rake =
      Product.new!(sku: "GRD-1001", name: "Garden rake", unit_price: 24_90, category: :garden)

    bolts = Product.new!(sku: "HW-20001", name: "Bolts (box)", unit_price: 3_50, category: :bulk)
    Inventory.Catalog.load([rake, bolts])
    %{rake: rake, bolts: bolts}
  end

  describe "discount_rate/4" do
    test "retail customers only get seasonal rates", %{rake: rake} do
      order = %Order{id: "o-1", customer_tier: :retail}
      assert Pricing.discount_rate(order, rake, 1, @winter) == 0.0
      assert Pricing.discount_rate(order, rake, 1, @spring) == 0.10
    end

    test "wholesale volume tiers", %{bolts: bolts} do
      order = %Order{id: "o-2", customer_tier: :wholesale}

      for {quantity, expected} <- [{10, 0.10}, {100, 0.15}, {500, 0.25}] do
        assert Pricing.discount_rate(order, bolts, quantity, @winter) == expected
      end
    end

    test "expired coupons fall back to the member rate", %{rake: rake} do
      coupon = %{code: "SPRING", percent: 20, expires_on: ~D[2024-03-01]}
      order = %Order{id: "o-3", customer_tier: :member, coupon: coupon, express?: true}
      assert Pricing.discount_rate(order, rake, 1, @spring) == 0.05
    end
  end

  test "quote_order/1 reports unknown SKUs instead of raising" do
    order = %Order{id: "o-4", customer_tier: :retail} |> Order.add_line("NOPE-0000", 2)
    assert {:error, {:unknown_sku, "NOPE-0000"}} = Pricing.quote_order(order)
  end

  test "format_cents/1" do
    assert Enum.map([0, 5, 12_345, -250], &Pricing.format_cents/1) ==
             ["$0.00", "$0.05", "$123.45", "-$2.50"]
  end
end
