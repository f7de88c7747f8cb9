export {
  CONFIG_UPDATED_EVENT,
  type ConfigChange,
  type ConfigEventSink,
  type ConfigListener,
  ConfigServer,
  type ConfigServerOptions,
  DEFAULT_ENV_PREFIX,
} from "./config-server.js";
export { MAX_PATH_SEGMENTS, MAX_VALUE_BYTES, MAX_VALUE_DEPTH } from "./paths.js";
export {
  FOUNDATION_DEFAULTS,
  FOUNDATION_UPDATABLE_PATHS,
  type FoundationConfig,
  FoundationConfigSchema,
} from "./schema.js";
