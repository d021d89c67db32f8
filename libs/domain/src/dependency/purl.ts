import { PackageURL } from 'packageurl-js';
import { type Ecosystem, PURL_TYPE } from '../ecosystem/ecosystem.value-object';

/**
 * The package URL (purl spec) of a dependency, e.g. `pkg:npm/%40babel/core@7.0.0`,
 * `pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1`. Versionless when unpinned.
 */
export function toPurl(ecosystem: Ecosystem, name: string, version: string | null): string {
  const { namespace, base } = splitName(ecosystem, name);
  return new PackageURL(
    PURL_TYPE[ecosystem],
    namespace,
    base,
    version ?? undefined,
    undefined,
    undefined,
  ).toString();
}

function splitName(ecosystem: Ecosystem, name: string): { namespace: string | undefined; base: string } {
  if (ecosystem === 'Maven') {
    const [group, artifact] = name.split(':');
    return { namespace: group, base: artifact ?? name };
  }
  if (ecosystem === 'npm' || ecosystem === 'Go' || ecosystem === 'Packagist') {
    const slash = name.lastIndexOf('/');
    if (slash > 0) return { namespace: name.slice(0, slash), base: name.slice(slash + 1) };
  }
  return { namespace: undefined, base: name };
}
