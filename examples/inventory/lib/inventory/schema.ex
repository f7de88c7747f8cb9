defmodule Inventory.Schema do
  @moduledoc """
  Shared code for the record structs (`Inventory.Product`, `Inventory.Order`).

      defmodule Inventory.Thing do
        use Inventory.Schema, kind: :thing
        defstruct [:id]
      end

  The using module gets `kind/0`, `new/1` and `new!/1`, and may override
  `validate/1` to add its own checks, usually written with `check/2`.
  """

  @doc "Extra validation run by `new/1` after the struct is built."
  @callback validate(record :: struct()) :: :ok | {:error, term()}

  @doc false
  defmacro __using__(opts) do
    kind = Keyword.fetch!(opts, :kind)

    quote do
      @behaviour Inventory.Schema

      require Inventory.Schema
      import Inventory.Schema, only: [check: 2]

      @record_kind unquote(kind)

      @doc "The record kind, used in audit entries and API payloads."
      @spec kind() :: atom()
      def kind, do: @record_kind

      @doc "Builds the struct from `attrs`, returning `{:ok, record}` or `{:error, reason}`."
      def new(attrs) do
        record = struct!(__MODULE__, attrs)

        case validate(record) do
          :ok -> {:ok, record}
          {:error, reason} -> {:error, reason}
        end
      rescue
        error in [ArgumentError, KeyError] ->
          {:error, {:bad_attributes, Exception.message(error)}}
      end

      @doc "Like `new/1` but raises `Inventory.InvalidRecordError`."
      def new!(attrs) do
        case new(attrs) do
          {:ok, record} ->
            record

          {:error, reason} ->
            raise Inventory.InvalidRecordError, kind: @record_kind, reason: reason
        end
      end

      @impl Inventory.Schema
      def validate(_record), do: :ok

      defoverridable validate: 1
    end
  end

  @doc """
  Returns `:ok` when `condition` is truthy and `{:error, {reason, source}}`
  otherwise, where `source` is the text of the failed expression. It is a
  macro so that the source can be captured at compile time.
  """
  defmacro check(condition, reason) do
    source = Macro.to_string(condition)

    quote do
      if unquote(condition) do
        :ok
      else
        {:error, {unquote(reason), unquote(source)}}
      end
    end
  end
end
