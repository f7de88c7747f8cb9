defmodule Inventory.MixProject do
  use Mix.Project

  @version "0.3.1"
  @source_url "https://example.com/acme/inventory"

  def project do
    [
      app: :inventory,
      version: @version,
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      docs: [main: "Inventory", source_url: @source_url]
    ]
  end

  # Run "mix help compile.app" to learn about applications.
  def application do
    [
      mod: {Inventory.Application, []},
      extra_applications: [:logger]
    ]
  end

  # The service deliberately has no third-party dependencies.
  defp deps, do: []
end
