defmodule Inventory.OutOfStockError do
  @moduledoc "Raised when a reservation asks for more units than are available."

  defexception [:sku, :requested, :available]

  @type t :: %__MODULE__{
          sku: String.t(),
          requested: pos_integer(),
          available: non_neg_integer()
        }

  @impl true
  def message(%__MODULE__{sku: sku, requested: requested, available: available}) do
    "cannot reserve #{requested} of #{sku}: only #{available} available"
  end
end

defmodule Inventory.UnknownSkuError do
  @moduledoc "Raised when a SKU is not in the catalog."

  defexception [:sku]

  @impl true
  def message(%__MODULE__{sku: sku}), do: "unknown SKU #{inspect(sku)}"
end

defmodule Inventory.InvalidRecordError do
  @moduledoc """
  Raised by `new!/1` of the record modules (see `Inventory.Schema`) when the
  attributes do not pass validation.
  """

  defexception [:kind, :reason]

  @impl true
  def message(%__MODULE__{kind: kind, reason: {reason, expression}}) do
    "invalid #{kind}: #{reason} (failed check: #{expression})"
  end

  def message(%__MODULE__{kind: kind, reason: reason}) do
    "invalid #{kind}: #{inspect(reason)}"
  end
end
