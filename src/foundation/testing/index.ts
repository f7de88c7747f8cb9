export {
  type IsolatedFoundation,
  type IsolatedFoundationOptions,
  startIsolatedFoundation,
} from "./isolation.js";
