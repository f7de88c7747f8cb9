export {
  type ChildInfo,
  type ChildSpec,
  DEFAULT_SHUTDOWN_MS,
  type RestartType,
  type Strategy,
  Supervisor,
  type SupervisorOptions,
} from "./supervisor.js";
