/**
 * Hostile inputs for test/ast/parser/hostile.test.ts, built deterministically by name so that the
 * child process that parses them and the test that asks Elixir about them build the same bytes.
 */
import { Rng } from "./mutate.js";

/** How deep the nesting cases nest. */
export const DEPTH = 100_000;

/** A realistic module (docs, attributes, pipes, patterns, sigils, strings, macros); `N` is replaced. */
export const MODULE = `defmodule Inventory.Pricing.N do
  @moduledoc """
  Prices line items, applying discounts and taxes.

  Amounts are integers in cents; see \`total/2\`.
  """

  alias Inventory.{Item, Order}
  import Enum, only: [map: 2, reduce: 3]

  @default_tax 0.2
  @type line :: %{sku: String.t(), qty: pos_integer(), price: non_neg_integer()}

  defstruct items: [], currency: :eur, discounts: %{}

  # Sums the order, then applies the discount table.
  @spec total(Order.t(), keyword()) :: {:ok, integer()} | {:error, term()}
  def total(%Order{items: items} = order, opts \\\\ []) when is_list(items) do
    tax = Keyword.get(opts, :tax, @default_tax)

    items
    |> map(fn %{qty: q, price: p} -> q * p end)
    |> reduce(0, &(&1 + &2))
    |> apply_discounts(order.discounts)
    |> then(&{:ok, round(&1 * (1 + tax))})
  rescue
    e in ArithmeticError -> {:error, e}
  end

  defp apply_discounts(sum, discounts) do
    case discounts do
      %{percent: pct} when pct in 1..100 -> sum - div(sum * pct, 100)
      %{flat: flat} -> max(sum - flat, 0)
      _ -> sum
    end
  end

  def label(%Item{sku: sku, name: name}), do: "#{sku}: #{String.upcase(name)} \\u00e9 – ok"
  def codes, do: ~w(a b c)a ++ [?x, 0x1F, 1_000, 2.5e-3, 'chars', :"quoted atom"]
  def pattern, do: ~r/^[a-z]+\\d*$/i
  def bits(<<head::binary-size(2), rest::bits>>), do: {head, rest}

  defmacro __using__(_opts) do
    quote do
      import unquote(__MODULE__)
      @before_compile unquote(__MODULE__)
    end
  end
end
`;

/** `copies` renamed copies of {@link MODULE}, one after another. */
export function modules(copies: number, lineEnd = "\n"): string {
  const parts: string[] = [];
  for (let i = 1; i <= copies; i++) parts.push(MODULE.replace("Pricing.N do", `Pricing.N${i} do`));
  const text = parts.join("\n");
  return lineEnd === "\n" ? text : text.replaceAll("\n", lineEnd);
}

/** About `bytes` bytes of whole modules; returns the text and the number of copies. */
export function modulesOfSize(bytes: number): { text: string; copies: number } {
  const copies = Math.max(1, Math.round(bytes / (MODULE.length + 1)));
  return { text: modules(copies), copies };
}

const enc = (s: string) => new TextEncoder().encode(s);
const bytes = (...parts: (string | number[])[]) => {
  const chunks = parts.map((p) => (typeof p === "string" ? enc(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

function garbage(seed: number, size: number): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.int(256);
  return out;
}

/** Every nesting form the parser might recurse on, each {@link DEPTH} deep. */
export const DEEP_CASES: Record<string, () => string> = {
  "deep parens": () => `${"(".repeat(DEPTH)}1${")".repeat(DEPTH)}\n`,
  "deep lists": () => `${"[".repeat(DEPTH)}1${"]".repeat(DEPTH)}\n`,
  "deep tuples": () => `${"{".repeat(DEPTH)}1${"}".repeat(DEPTH)}\n`,
  "deep maps": () => `${"%{a: ".repeat(DEPTH)}1${"}".repeat(DEPTH)}\n`,
  "deep fn": () => `${"fn -> ".repeat(DEPTH)}1${" end".repeat(DEPTH)}\n`,
  "deep do-end": () => `${"if x do\n".repeat(DEPTH)}1\n${"end\n".repeat(DEPTH)}`,
  "deep right-assoc operators": () => `${"a ++ ".repeat(DEPTH)}b\n`,
  "deep left-assoc operators": () => `${"a + ".repeat(DEPTH)}b\n`,
  "deep unary operators": () => `${"!".repeat(DEPTH)}x\n`,
  "deep interpolation": () => `${'"#{'.repeat(DEPTH)}x${'}"'.repeat(DEPTH)}\n`,
};

/** Small hostile inputs: garbage, encodings, line ends, and every unterminated literal. */
export const SMALL_CASES: Record<string, () => string | Uint8Array> = {
  "binary garbage seed 1": () => garbage(1, 4096),
  "binary garbage seed 2": () => garbage(2, 4096),
  "binary garbage seed 3": () => garbage(3, 65536),
  "binary garbage in a string": () => bytes('x = "', Array.from(garbage(4, 512)), '"\n'),
  "ASCII garbage seed 5": () =>
    Array.from(garbage(5, 8192), (b) => String.fromCharCode(32 + (b % 95))).join(""),
  "invalid UTF-8 in a string": () => bytes('x = "', [0xff], '"\n'),
  "invalid UTF-8 in code": () => bytes("x = ", [0xc3], "\n"),
  "invalid UTF-8 in a comment": () => bytes("# ", [0xff, 0xfe], "\nx\n"),
  "overlong UTF-8": () => bytes('x = "', [0xc0, 0xaf], '"\n'),
  "UTF-16 surrogate in UTF-8": () => bytes('x = "', [0xed, 0xa0, 0x80], '"\n'),
  "truncated UTF-8 at the end": () => bytes('x = "é', [0xe2, 0x82]),
  "BOM bytes": () => bytes([0xef, 0xbb, 0xbf], "x = 1\n"),
  "BOM string": () => "\ufeffx = 1\n",
  "NUL bytes": () => bytes("x = 1", [0], "\ny = 2\n"),
  "two modules": () => modules(2),
  "CRLF module": () => modules(2, "\r\n"),
  "CRLF heredoc and sigil": () =>
    'x = """\r\n  a\r\n  b\r\n  """\r\ny = ~S"""\r\nraw\r\n"""\r\nz = 1 # c\r\n',
  "lone CR": () => "x = 1\ry = 2\r",
  empty: () => "",
  "only a comment": () => "# nothing else",
  "unterminated string": () => 'x = "abc\ny = 1\n',
  "unterminated heredoc": () => 'x = """\nabc\n',
  "unterminated charlist": () => "x = 'abc\n",
  "unterminated charlist heredoc": () => "x = '''\nabc\n",
  "unterminated sigil": () => "x = ~s(abc\n",
  "unterminated sigil heredoc": () => 'x = ~S"""\nabc\n',
  "unterminated regex": () => "x = ~r/abc\n",
  "unterminated interpolation": () => 'x = "a #{1 + \n',
  "unterminated nested interpolation": () => 'x = "a #{"b #{c"}\n',
  "unterminated quoted atom": () => 'x = :"abc\n',
  "unterminated quoted call": () => 'x = Foo."abc\n',
  "unterminated do block": () => "defmodule A do\n  def f do\n",
  "unterminated fn": () => "fn x ->\n",
  "unterminated bitstring": () => "<<1, 2\n",
  "heredocs, sigils, charlists, interpolation": () =>
    [
      'a = """',
      "  doc #{x} \\t \\u00e9 \\\\",
      '  """',
      "b = '''",
      "  chars #{1}",
      "  '''",
      "c = ~s(paren #{1}) <> ~S[raw #{1}] <> ~s{a} <> ~s<a> <> ~s|a| <> ~s/a/ <> ~s'a' <> ~s\"a\"",
      "d = ~w(a b c)a ++ ~c(x) ++ 'x#{y}z'",
      'e = "a#{"b#{"c#{d}"}"}"',
      "f = ~r/a#{b}c/iu",
      'g = ~D[2024-01-01] <> ~U"2024-01-01T00:00:00Z"',
      "h = ?\\n + ?\\s + ?é + ?#",
      "",
    ].join("\n"),
  "deeply indented heredoc": () => `x = """\n${"      line\n".repeat(100)}      """\n`,
  "huge integer and float": () => `x = ${"9".repeat(5000)}\ny = 1.${"5".repeat(500)}e300\n`,
  "long identifier": () => `${"a".repeat(100_000)} = 1\n`,
  "long string": () => `x = "${"abc ".repeat(250_000)}"\n`,
  "many lines": () => "x\n".repeat(200_000),
};
