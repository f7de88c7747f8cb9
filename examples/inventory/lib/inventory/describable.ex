defprotocol Inventory.Describable do
  @moduledoc """
  Human- and machine-readable descriptions of things the inventory deals with.

  Used by the audit log and by the HTTP layer to render payloads.
  """

  @fallback_to_any false

  @doc "A one-line human readable description."
  @spec describe(t()) :: String.t()
  def describe(value)

  @doc "A small JSON-friendly map."
  @spec summary(t()) :: map()
  def summary(value)
end
