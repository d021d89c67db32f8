import { DEFAULT_TEMPORAL_NAMESPACE } from '@repoguard/contract';
import { startLocalTemporal } from '../test/support/local-temporal';
import { startScanHarness, type ScanHarness, type ScanHarnessOptions } from '../test/support/scan-harness';
import { prepareBenchServices } from './bench-util';

/** For benchmarks of whole scans: the services, a scan harness on them, all torn down after `work`. */
export async function withScanHarness(
  options: ScanHarnessOptions,
  work: (harness: ScanHarness) => Promise<void>,
): Promise<void> {
  await prepareBenchServices();
  const env = await startLocalTemporal();
  process.env['TEMPORAL_ADDRESS'] = env.address;
  process.env['TEMPORAL_NAMESPACE'] = DEFAULT_TEMPORAL_NAMESPACE;
  try {
    const harness = await startScanHarness(options);
    try {
      await work(harness);
    } finally {
      await harness.close();
    }
  } finally {
    await env.teardown();
  }
}
