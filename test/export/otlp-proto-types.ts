// opentelemetry-proto's own definitions (fixtures/peer/opentelemetry-proto), loaded with protobufjs:
// what tests decode tracectl's protobuf with, so that it is checked against the real schema.
import protobuf from 'protobufjs';

const ROOT = new URL('../../fixtures/peer/opentelemetry-proto/', import.meta.url).pathname;

let loaded:
  | Promise<{ ExportTraceServiceRequest: protobuf.Type; ExportTraceServiceResponse: protobuf.Type; ExportLogsServiceRequest: protobuf.Type; ExportLogsServiceResponse: protobuf.Type }>
  | undefined;

export function otlpTypes(): NonNullable<typeof loaded> {
  loaded ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith(ROOT) ? target : ROOT + target);
    await root.load(['opentelemetry/proto/collector/trace/v1/trace_service.proto', 'opentelemetry/proto/collector/logs/v1/logs_service.proto'], { keepCase: false });
    return {
      ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      ExportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
      ExportLogsServiceRequest: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest'),
      ExportLogsServiceResponse: root.lookupType('opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse'),
    };
  })();
  return loaded;
}

/**
 * The truth for fixtures/demo/checkout.log:96, the record of trace 4bf92f35…'s gateway server span
 * (times in ms with µs digits: 1795629460840.714 → 1795629460880.823), as OTLP spells it.
 */
export const DEMO_ROOT_SPAN = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '839f3e126a2671f8',
  parentSpanId: '00f067aa0ba902b7',
  name: 'POST /checkout',
  kind: 2,
  startTimeUnixNano: '1795629460840714000',
  endTimeUnixNano: '1795629460880823000',
};
