// The command installers, for code that wants them by name; program.ts lists them in order.
export { installAnalyze } from "./analyze.js";
export { installCheck } from "./check.js";
export { installParse } from "./parse.js";
export { installQuery } from "./query.js";
export { installSearch } from "./search.js";
export { installServe } from "./serve.js";
