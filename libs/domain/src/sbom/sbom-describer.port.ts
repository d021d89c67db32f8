import type { SbomDescription } from '../manifest/parsers/sbom/sbom-format';

/**
 * describeSbom where it cannot hold up requests: a 10 MB document takes seconds to read. Refuses
 * as describeSbom does (a ValidationError naming the field).
 */
export interface SbomDescriber {
  describe(text: string): Promise<SbomDescription>;
}
