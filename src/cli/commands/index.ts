// Each command file registers itself with addCommand(); importing this file installs them all.
// Add one import per command, in the order `elixirscope --help` should list them.
import "./analyze.js";
import "./parse.js";
import "./serve.js";
