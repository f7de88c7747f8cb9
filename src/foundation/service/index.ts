export {
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  describeReason,
  Service,
  type ServiceOptions,
} from "./service.js";
export {
  type ExitListener,
  type ExitReason,
  isAbnormal,
  NORMAL,
  type ServiceStatus,
  SHUTDOWN,
  type Supervisable,
} from "./types.js";
