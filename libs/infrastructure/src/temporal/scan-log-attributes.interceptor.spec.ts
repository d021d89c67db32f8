import { defaultPayloadConverter } from '@temporalio/common';
import { CORRELATION_ID_HEADER } from '@repoguard/contract';
import { scanAttributes, scanLogAttributesInterceptor } from './scan-log-attributes.interceptor';

describe('scan log attributes', () => {
  it('takes the scan id and correlation id from a step input', () => {
    expect(scanAttributes({ scanId: 's-1', correlationId: 'abc-123', orgId: 'o' })).toEqual({
      scanId: 's-1',
      correlationId: 'abc-123',
    });
    expect(scanAttributes({ scanId: 's-1' })).toEqual({ scanId: 's-1' });
    expect(scanAttributes({ nonce: 'x' })).toEqual({});
    expect(scanAttributes(undefined)).toEqual({});
    expect(scanAttributes('abc')).toEqual({});
  });

  it('adds them to every log line of the execution it intercepted', async () => {
    const { inbound, outbound } = scanLogAttributesInterceptor();
    await inbound!.execute!(
      { args: [{ scanId: 's-2', correlationId: 'req-9' }], headers: {} },
      async () => 'done',
    );
    const attributes = outbound!.getLogAttributes!({ workflowId: 'w' }, (input) => input);
    expect(attributes).toEqual({ workflowId: 'w', scanId: 's-2', correlationId: 'req-9' });
  });

  it('takes the correlation id from the header the workflow set, for any activity', async () => {
    const { inbound, outbound } = scanLogAttributesInterceptor();
    await inbound!.execute!(
      {
        args: [{ source: '/tmp/x.zip' }],
        headers: { [CORRELATION_ID_HEADER]: defaultPayloadConverter.toPayload('abc-123') },
      },
      async () => 'done',
    );
    expect(outbound!.getLogAttributes!({}, (input) => input)).toEqual({ correlationId: 'abc-123' });
  });
});
