# Implementations of Inventory.Describable that do not belong to a struct
# module of ours. The one for Inventory.Product lives in product.ex.

defimpl Inventory.Describable, for: Map do
  # Plain maps show up when the router passes request params straight through.
  def describe(map) when map_size(map) == 0, do: "empty map"

  def describe(map) do
    keys = map |> Map.keys() |> Enum.map_join(", ", &to_string/1)
    "map with keys #{keys}"
  end

  def summary(map), do: Map.new(map, fn {key, value} -> {to_string(key), value} end)
end

defimpl Inventory.Describable, for: Inventory.Order do
  alias Inventory.Order

  def describe(%Order{id: id, customer_tier: tier} = order) do
    units = Order.unit_count(order)
    ~s[order #{id} for a "#{tier}" customer: #{units} unit(s) in #{length(order.lines)} line(s)]
  end

  def summary(%Order{} = order) do
    %{
      type: "order",
      id: order.id,
      tier: order.customer_tier,
      lines: for({sku, quantity} <- order.lines, do: %{sku: sku, quantity: quantity})
    }
  end
end
