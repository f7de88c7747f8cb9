defmodule Inventory.Web.Router do
  @moduledoc """
  Tiny HTTP router for the inventory JSON API.

  The HTTP server (outside this app) calls `call/3` with the method, the raw
  path and the decoded params, and encodes the returned `{status, body}`.
  """

  require Logger

  import Inventory.Guards, only: [is_sku: 1, is_quantity: 1]

  alias Inventory.{Catalog, Describable, Order, Pricing, StockServer}
  alias Inventory.WarehouseSupervisor, as: Warehouses

  @type response :: {100..599, map() | String.t()}

  @sortable_fields ~w(sku name unit_price category)
  @customer_tiers ~w(retail member wholesale staff)
  @read_only_methods ~w(HEAD OPTIONS)

  @doc "Entry point: splits the path, dispatches, and turns exceptions into 4xx/5xx."
  @spec call(String.t(), String.t(), map()) :: response()
  def call(method, path, params \\ %{}) do
    started = System.monotonic_time(:microsecond)
    segments = String.split(path, "/", trim: true)

    try do
      dispatch(String.upcase(method), segments, params)
    rescue
      error in [Inventory.UnknownSkuError, Inventory.OutOfStockError] ->
        {422, %{error: Exception.message(error)}}

      error ->
        Logger.error(Exception.format(:error, error, __STACKTRACE__))
        {500, %{error: "internal error"}}
    after
      elapsed = System.monotonic_time(:microsecond) - started
      Logger.debug("#{method} #{path} took #{elapsed}µs")
    end
  end

  @doc false
  @spec dispatch(String.t(), [String.t()], map()) :: response()
  def dispatch("GET", [], _params), do: {200, %{service: "inventory", version: version()}}

  def dispatch("GET", ["health"], _params), do: {200, "ok"}

  def dispatch("GET", ["products"], %{"sort" => field}) when is_binary(field) do
    # TODO: check `field` against @sortable_fields before it reaches the atom table.
    key = String.to_atom(field)

    products =
      Catalog.all() |> Enum.sort_by(&Map.get(&1, key)) |> Enum.map(&Describable.summary/1)

    {200, %{products: products, sorted_by: field}}
  end

  def dispatch("GET", ["products"], _params) do
    {200, %{products: Enum.map(Catalog.all(), &Describable.summary/1)}}
  end

  def dispatch("GET", ["products", sku], _params) when is_sku(sku) do
    product = Catalog.fetch!(sku)
    {200, %{product: Describable.summary(product), text: Describable.describe(product)}}
  end

  def dispatch("GET", ["categories"], _params), do: {200, Catalog.category_counts()}

  def dispatch("GET", ["stock", sku], _params) when is_sku(sku) do
    {200, %{sku: sku, available: StockServer.available(sku)}}
  end

  def dispatch("POST", ["stock", sku, "receive"], %{"quantity" => quantity})
      when is_sku(sku) and is_quantity(quantity) do
    :ok = StockServer.receive_stock(sku, quantity)
    {202, %{sku: sku, received: quantity}}
  end

  def dispatch("POST", ["stock", sku, "reserve"], %{"quantity" => qty, "order_id" => order_id})
      when is_sku(sku) and is_quantity(qty) and is_binary(order_id) do
    case StockServer.reserve(sku, qty, order_id) do
      :ok ->
        {201, %{sku: sku, reserved: qty, order_id: order_id}}

      {:error, {:insufficient, available}} ->
        {409, %{error: "insufficient stock", available: available}}
    end
  end

  def dispatch("DELETE", ["stock", sku, "reservations", order_id], _params) when is_sku(sku) do
    StockServer.release(sku, order_id)
    {204, ""}
  end

  def dispatch("GET", ["warehouses"], _params),
    do: {200, %{warehouses: Warehouses.list_warehouses()}}

  def dispatch("PUT", ["warehouses", id], _params) when byte_size(id) in 1..32 do
    with {:ok, _pid} <- Warehouses.open_warehouse(id) do
      {200, %{warehouse: id, open: true}}
    else
      {:error, :max_children} -> {503, %{error: "too many open warehouses"}}
      {:error, reason} -> {500, %{error: inspect(reason)}}
    end
  end

  def dispatch("POST", ["orders", "quote"], %{"id" => id, "tier" => tier, "lines" => lines})
      when is_list(lines) and tier in @customer_tiers do
    order =
      Enum.reduce(lines, %Order{id: id, customer_tier: String.to_existing_atom(tier)}, fn
        %{"sku" => sku, "quantity" => qty}, acc when is_quantity(qty) ->
          Order.add_line(acc, sku, qty)

        _malformed, acc ->
          acc
      end)

    case Pricing.quote_order(order) do
      {:ok, quote} -> {200, Map.put(quote, :formatted_total, Pricing.format_cents(quote.total))}
      {:error, {:unknown_sku, sku}} -> {422, %{error: "unknown SKU #{sku}"}}
    end
  end

  def dispatch(method, _segments, _params) when method in @read_only_methods, do: {204, ""}

  def dispatch(method, segments, _params) when method in ~w(GET POST PUT DELETE) do
    {404, %{error: "no route for #{method} /#{Enum.join(segments, "/")}"}}
  end

  def dispatch(method, _segments, _params), do: {405, %{error: "method #{method} not allowed"}}

  @doc "Fields accepted by `GET /products?sort=...`."
  def sortable_fields, do: @sortable_fields

  defp version, do: :inventory |> Application.spec(:vsn) |> to_string()
end
