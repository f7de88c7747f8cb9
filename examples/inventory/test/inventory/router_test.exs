defmodule Inventory.Web.RouterTest do
  use ExUnit.Case

  alias Inventory.Web.Router

  setup do
    Inventory.Storage.Memory.clear(Inventory.Storage.Memory)

    Inventory.Catalog.load([
      Inventory.Product.new!(sku: "KIT-0042", name: "Whisk", unit_price: 7_99, category: :kitchen)
    ])
  end

  test "health and unknown routes" do
    assert {200, "ok"} = Router.call("get", "/health")
    assert {404, %{error: "no route for GET /nope"}} = Router.call("GET", "/nope")
    assert {405, _body} = Router.call("PATCH", "/products")
    assert {204, ""} = Router.call("OPTIONS", "/anything")
  end

  test "receiving and reserving stock" do
    assert {202, _} = Router.call("POST", "/stock/KIT-0042/receive", %{"quantity" => 5})
    # Casts are asynchronous; the next call is processed after the cast.
    assert {200, %{available: 5}} = Router.call("GET", "/stock/KIT-0042")

    params = %{"quantity" => 4, "order_id" => "o-77"}
    assert {201, %{reserved: 4}} = Router.call("POST", "/stock/KIT-0042/reserve", params)
    assert {409, %{available: 1}} = Router.call("POST", "/stock/KIT-0042/reserve", params)
  end

  test "unknown products become 422 through the rescue in call/3" do
    assert {422, %{error: message}} = Router.call("GET", "/products/ZZZ-999999")
    assert message =~ ~s(unknown SKU "ZZZ-999999")
  end

  test "quoting an order" do
    params = %{
      "id" => "o-1",
      "tier" => "retail",
      "lines" => [%{"sku" => "KIT-0042", "quantity" => 2}]
    }

    assert {200, %{subtotal: subtotal, shipping: 4_90}} =
             Router.call("POST", "/orders/quote", params)

    assert subtotal in [2 * 7_99, 2 * round(7_99 * 0.95)]
  end
end
