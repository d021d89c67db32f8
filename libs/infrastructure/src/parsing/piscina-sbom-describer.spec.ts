import { describeSbom, ValidationError } from '@repoguard/domain';
import { PiscinaSbomDescriber } from './piscina-sbom-describer';

const BOM = JSON.stringify({
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  metadata: { component: { name: 'portal', version: '1.0.0' } },
  components: Array.from({ length: 2_000 }, (_, i) => ({ name: `p${i}`, purl: `pkg:npm/p${i}@1.0.0` })),
});

describe('PiscinaSbomDescriber', () => {
  const describer = new PiscinaSbomDescriber({ threads: 1 });
  afterAll(() => describer.close());

  it('describes on another thread: the event loop keeps turning while it reads', async () => {
    let turns = 0;
    let described = false;
    const spin = () => {
      turns++;
      if (!described) setImmediate(spin);
    };
    setImmediate(spin);
    const description = await describer.describe(BOM).finally(() => (described = true));
    expect(description).toStrictEqual(describeSbom(BOM));
    expect(turns).toBeGreaterThan(0);
    // A thread starting from source compiles the domain first: seconds on a loaded machine.
  }, 60_000);

  it('refuses as describeSbom does, with the same code and field', async () => {
    const refused = await describer.describe('{"hello": "world"}').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect(refused).toMatchObject({ code: 'SBOM_FORMAT_UNSUPPORTED', details: [{ field: 'bomFormat' }] });
  });
});
