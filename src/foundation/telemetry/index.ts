export { HANDLER_FAILED_EVENT, TelemetryServer } from "./server.js";
export type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  HistogramSnapshot,
  Labels,
  MetricOptions,
  MetricSnapshotEntry,
  TelemetryEmitter,
  TelemetryEventName,
  TelemetryHandler,
  TelemetryMeasurements,
  TelemetryMetadata,
  TelemetryService,
} from "./types.js";
