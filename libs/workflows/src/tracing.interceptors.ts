// Not a workflow: Temporal's OpenTelemetry workflow interceptors, bundled by the worker as a
// workflow interceptor module when tracing is on (and always into the prebuilt bundle). A run's
// span joins the trace its starter sent in a header; each activity it schedules gets a child
// span whose context travels to the activity. Spans leave the sandbox through the `exporter` sink.
import {
  OpenTelemetryInboundInterceptor,
  OpenTelemetryInternalsInterceptor,
  OpenTelemetryOutboundInterceptor,
} from '@temporalio/interceptors-opentelemetry/lib/workflow';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OpenTelemetryInboundInterceptor()],
  outbound: [new OpenTelemetryOutboundInterceptor()],
  internals: [new OpenTelemetryInternalsInterceptor()],
});
