import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { CORRELATION_ID_HEADER } from '@repoguard/contract';
import { CorrelationIdClientInterceptor } from './correlation-id.client-interceptor';

const idIn = (headers: Record<string, Payload>) =>
  headers[CORRELATION_ID_HEADER]
    ? defaultPayloadConverter.fromPayload(headers[CORRELATION_ID_HEADER])
    : undefined;

describe('the correlation-id client interceptor', () => {
  const interceptor = new CorrelationIdClientInterceptor();

  it("puts a scan request's correlation id in the header of the signal-with-start that carries it", async () => {
    let sent: Record<string, Payload> = {};
    await interceptor.signalWithStart(
      {
        signalName: 'scanRequested',
        signalArgs: [{ trigger: 'api', correlationId: 'abc-123' }],
        headers: {},
        workflowType: 'w',
        options: { taskQueue: 'q', workflowId: 'id' },
      } as never,
      async (input) => {
        sent = input.headers;
        return 'run';
      },
    );
    expect(idIn(sent)).toBe('abc-123');
  });

  it('sets it on plain signals and starts too, and leaves requests without one alone', async () => {
    let sent: Record<string, Payload> = {};
    await interceptor.signal(
      {
        signalName: 's',
        args: [{ correlationId: 'req-9' }],
        headers: {},
        workflowExecution: { workflowId: 'w' },
      } as never,
      async (input) => {
        sent = input.headers;
      },
    );
    expect(idIn(sent)).toBe('req-9');
    await interceptor.start(
      {
        workflowType: 'w',
        headers: {},
        options: { taskQueue: 'q', workflowId: 'w', args: [{ sources: [] }] },
      } as never,
      async (input) => {
        sent = input.headers;
        return 'run';
      },
    );
    expect(sent).toEqual({});
  });
});
