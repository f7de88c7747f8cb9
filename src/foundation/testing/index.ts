export {
  type IsolatedFoundation,
  type IsolatedFoundationOptions,
  startIsolatedFoundation,
  stopIsolatedFoundation,
} from "./isolation.js";
