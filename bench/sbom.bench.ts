// npm run bench:sbom — issue 20's benchmark on the real stack (API process, worker, Temporal dev
// server, PostgreSQL, the OSV stand-in):
//   (b) import + scan: a 5,000-component CycloneDX 1.6 SBOM (SHA-512 hashes, licences, a dependency
//       graph, 50 components an advisory names) from POST /orgs/{org_id}/sboms to its scan COMPLETED;
//       each run a new serial number, so new bytes and a new snapshot of the same project;
//   (a) export of that project (5,000 components with hashes, licences and edges, as the import
//       stored them): GET /repos/{repo_id}/sbom?format=cyclonedx and ?format=spdx, and its VEX.
//
//   BENCH_RUNS (default 5)   measured runs of each, after one warm-up run
//   BENCH_DATABASE_URL       default postgresql://postgres@127.0.0.1:5432/repoguard_bench
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TEMPORAL_NAMESPACE } from '@repoguard/contract';
import type { OsvRecord } from '@repoguard/domain';
import { startApiStack } from '../test/support/api-stack';
import { startLocalTemporal } from '../test/support/local-temporal';
import { median, prepareBenchServices } from './bench-util';

const COMPONENTS = 5_000;
const VULNERABLE = 50;
const RUNS = positive('BENCH_RUNS', 5);
const POLL_MS = 50;

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number above 0`);
  return value;
}

const packageName = (i: number) => (i % 5 === 0 ? `@rg-bench/sbom-${i}` : `rg-bench-sbom-${i}`);
const purl = (i: number) => `pkg:npm/${packageName(i).replace('@', '%40')}@1.0.0`;

function advisories(): OsvRecord[] {
  return Array.from({ length: VULNERABLE }, (_, i) => ({
    id: `BENCH-SBOM-${String(i).padStart(3, '0')}`,
    modified: '2026-01-01T00:00:00Z',
    summary: `benchmark advisory ${i}`,
    database_specific: { severity: 'HIGH' },
    affected: [
      {
        package: { ecosystem: 'npm', name: packageName(i * 100) },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }],
      },
    ],
  }));
}

/** A 5,000-component SBOM; each call a new serial number, so new bytes. */
function sbom(): string {
  const licences = ['MIT', 'Apache-2.0', 'ISC', 'BSD-3-Clause'];
  const components = Array.from({ length: COMPONENTS }, (_, i) => {
    const name = packageName(i);
    const [group, local] = name.startsWith('@') ? name.split('/') : [undefined, name];
    return {
      type: 'library',
      'bom-ref': purl(i),
      ...(group ? { group } : {}),
      name: local,
      version: '1.0.0',
      purl: purl(i),
      hashes: [{ alg: 'SHA-512', content: Buffer.alloc(64, i % 256).toString('hex') }],
      licenses: [{ license: { id: licences[i % licences.length] } }],
    };
  });
  const dependencies = [
    { ref: 'bench-app', dependsOn: Array.from({ length: 100 }, (_, i) => purl(i)) },
    // Each package needs the next two: a graph of about 10,000 edges.
    ...Array.from({ length: COMPONENTS }, (_, i) => ({
      ref: purl(i),
      dependsOn: [i + 1, i + 2].filter((j) => j < COMPONENTS).map(purl),
    })),
  ];
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      component: { type: 'application', 'bom-ref': 'bench-app', name: 'bench-app', version: '1.0.0' },
    },
    components,
    dependencies,
  });
}

async function main(): Promise<void> {
  await prepareBenchServices();
  const temporal = await startLocalTemporal();
  process.env['TEMPORAL_ADDRESS'] = temporal.address;
  process.env['TEMPORAL_NAMESPACE'] = DEFAULT_TEMPORAL_NAMESPACE;
  const stack = await startApiStack({ name: 'bench-sbom', advisories: advisories() });
  try {
    const org = await stack.createOrg('bench-sbom');
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`${stack.url}/api/v1${p}`, {
        ...init,
        headers: { authorization: `Bearer ${org.ownerToken}`, ...(init.headers ?? {}) },
      });
    console.log(
      `RepoGuard SBOM benchmark on ${process.version}: API and worker processes, Temporal dev server, PostgreSQL, OSV stand-in`,
    );

    const importTimes: number[] = [];
    let repoId = '';
    let uploadBytes = 0;
    for (let run = 0; run <= RUNS; run++) {
      const body = sbom();
      uploadBytes = Buffer.byteLength(body);
      const started = performance.now();
      const answer = await api('/orgs/' + org.orgId + '/sboms?name=bench-app', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/vnd.cyclonedx+json' },
      });
      const accepted = (await answer.json()) as { repo_id: string; scan_id: string };
      if (answer.status !== 202)
        throw new Error(`upload ${run}: ${answer.status} ${JSON.stringify(accepted)}`);
      let scan: { status: string; error?: unknown } = { status: 'QUEUED' };
      while (scan.status !== 'COMPLETED') {
        if (scan.status === 'FAILED') throw new Error(`scan ${run} failed: ${JSON.stringify(scan.error)}`);
        await new Promise((r) => setTimeout(r, POLL_MS));
        scan = (await (await api(`/scans/${accepted.scan_id}`)).json()) as typeof scan;
      }
      if (run > 0) importTimes.push(performance.now() - started); // the first run warms the worker
      repoId = accepted.repo_id;
    }
    const findings = (await (await api(`/repos/${repoId}/findings?per_page=1`)).json()) as { total?: number };
    console.log(
      `  (b) import + scan of a ${COMPONENTS.toLocaleString('en')}-component CycloneDX SBOM ` +
        `(${(uploadBytes / 1e6).toFixed(1)} MB, ${findings.total ?? '?'} findings), POST to COMPLETED (polled every ${POLL_MS} ms): ` +
        `median ${median(importTimes).toFixed(0)} ms, min ${Math.min(...importTimes).toFixed(0)} ms, ` +
        `max ${Math.max(...importTimes).toFixed(0)} ms over ${importTimes.length} runs`,
    );

    for (const p of [
      'sbom?format=cyclonedx',
      'sbom?format=spdx',
      'vex?format=cyclonedx',
      'vex?format=openvex',
    ]) {
      const times: number[] = [];
      let bytes = 0;
      for (let run = 0; run <= RUNS; run++) {
        const started = performance.now();
        const answer = await api(`/repos/${repoId}/${p}`);
        const text = await answer.text();
        const elapsed = performance.now() - started;
        if (answer.status !== 200) throw new Error(`export ${p}: ${answer.status} ${text.slice(0, 500)}`);
        bytes = Buffer.byteLength(text);
        if (run > 0) times.push(elapsed);
      }
      console.log(
        `  (a) export ${p.padEnd(21)} median ${median(times).toFixed(0).padStart(5)} ms, ` +
          `min ${Math.min(...times)
            .toFixed(0)
            .padStart(5)} ms, ${(bytes / 1e6).toFixed(2)} MB, over ${times.length} runs`,
      );
    }
  } finally {
    await stack.close();
    await temporal.teardown();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
