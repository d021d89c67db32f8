import {
  InterceptingCall,
  Metadata,
  status,
  type Interceptor,
  type InterceptingListener,
} from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * An attempt that never reaches the channel: it ends at once as CANCELLED (which gRPC's retry
 * interceptor does not retry), so the caller's promise rejects instead of a timer throwing.
 */
type Attempt = ConstructorParameters<typeof InterceptingCall>[0];

function cancelledAttempt(): Attempt {
  return {
    cancelWithStatus() {},
    getPeer: () => '',
    start(_metadata: Metadata, listener?: Partial<InterceptingListener>) {
      process.nextTick(() => {
        // As grpc-js's unary calls end without a reply: a null message, then the status (Temporal's
        // retry interceptor relies on having seen a message before it passes a status on).
        listener?.onReceiveMessage?.(null);
        listener?.onReceiveStatus?.({
          code: status.CANCELLED,
          details: 'the Temporal connection is closed',
          metadata: new Metadata(),
        });
      });
    },
    sendMessageWithContext(context: { callback?: () => void }) {
      context.callback?.();
    },
    sendMessage() {},
    startRead() {},
    halfClose() {},
    getAuthContext: () => null,
  };
}

/**
 * The interceptors of a Temporal client Connection that can be closed while calls are in retry.
 * Temporal's retry interceptor re-sends a failed call from a timer nothing can cancel; after
 * Connection.close() that re-send throws "Channel has been shut down" outside any promise, which
 * kills the process (or the test file) that closed it. The guard sits below the retry interceptor,
 * so every attempt after `isClosed()` turns true ends as CANCELLED without touching the channel.
 */
export function closableConnectionInterceptors(isClosed: () => boolean): Interceptor[] {
  const guard: Interceptor = (options, nextCall) =>
    isClosed() ? new InterceptingCall(cancelledAttempt()) : new InterceptingCall(nextCall(options));
  return [makeGrpcRetryInterceptor(defaultGrpcRetryOptions()), guard];
}
