// opentelemetry-proto's own definitions (fixtures/peer/opentelemetry-proto), loaded with protobufjs:
// what tests decode tracectl's protobuf with, so that it is checked against the real schema.
import protobuf from 'protobufjs';

const ROOT = new URL('../../fixtures/peer/opentelemetry-proto/', import.meta.url).pathname;

let loaded: Promise<{ ExportTraceServiceRequest: protobuf.Type; ExportTraceServiceResponse: protobuf.Type; Status?: protobuf.Type }> | undefined;

export function otlpTypes(): NonNullable<typeof loaded> {
  loaded ??= (async () => {
    const root = new protobuf.Root();
    root.resolvePath = (_origin, target) => (target.startsWith(ROOT) ? target : ROOT + target);
    await root.load('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });
    return {
      ExportTraceServiceRequest: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest'),
      ExportTraceServiceResponse: root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse'),
    };
  })();
  return loaded;
}
