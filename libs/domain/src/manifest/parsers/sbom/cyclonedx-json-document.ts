import { isObject } from '../../../shared/is-object';
import { readJsonObject } from './sbom-json';
import { cycloneDxDocument } from './cyclonedx-document';
import {
  cyclonedxScope,
  hashOf,
  licenseOf,
  refused,
  textOf,
  type SbomComponent,
  type SbomRead,
} from './sbom-document';

/** A CycloneDX JSON BOM (1.2 to 1.6) as an SbomDocument. */
export function readCycloneDxJson(path: string, text: string): SbomRead {
  const read = readJsonObject(path, text);
  return 'refused' in read ? read : cycloneDxJsonOf(path, read.object);
}

/** An already parsed CycloneDX JSON BOM as an SbomDocument. */
export function cycloneDxJsonOf(path: string, bom: Record<string, unknown>): SbomRead {
  if (bom['bomFormat'] !== 'CycloneDX')
    return refused(`${path} is not a CycloneDX BOM (its "bomFormat" is not "CycloneDX")`);
  const metadata = isObject(bom['metadata']) ? bom['metadata'] : {};
  return cycloneDxDocument(path, {
    format: 'cyclonedx-json',
    specVersion: typeof bom['specVersion'] === 'string' ? bom['specVersion'] : '',
    serialNumber: textOf(bom['serialNumber']),
    root: isObject(metadata['component']) ? metadata['component'] : undefined,
    components: objects(bom['components']),
    graph: graphOf(bom['dependencies']),
    childrenOf: (component) => objects(component['components']),
    componentOf,
  });
}

/** The entries of a JSON array; one that is not an object reads as an empty component. */
const objects = (list: unknown): Record<string, unknown>[] =>
  Array.isArray(list) ? list.map((entry) => (isObject(entry) ? entry : {})) : [];

function nameOf(component: Record<string, unknown>): string | undefined {
  const name = textOf(component['name']);
  const group = textOf(component['group']);
  return name && group ? `${group}/${name}` : name;
}

function componentOf(component: Record<string, unknown>): SbomComponent {
  const hashes = Array.isArray(component['hashes'])
    ? component['hashes'].flatMap((h) => (isObject(h) ? (hashOf(h['alg'], h['content']) ?? []) : []))
    : [];
  const licenses = Array.isArray(component['licenses'])
    ? component['licenses'].flatMap((choice) => {
        if (!isObject(choice)) return [];
        const expression = licenseOf(choice['expression']);
        if (expression) return [expression];
        const license = isObject(choice['license']) ? choice['license'] : {};
        return licenseOf(license['id']) ?? licenseOf(license['name']) ?? [];
      })
    : [];
  return {
    ref: textOf(component['bom-ref']),
    name: nameOf(component),
    version: textOf(component['version']),
    purl: textOf(component['purl']),
    scope:
      cyclonedxScope(component['scope']) ?? (isNpmDevelopment(component['properties']) ? 'dev' : undefined),
    hashes,
    licenses,
  };
}

/** cyclonedx-npm marks a development dependency with a property rather than a scope. */
export function isNpmDevelopment(properties: unknown): boolean {
  return (
    Array.isArray(properties) &&
    properties.some(
      (p) => isObject(p) && p['name'] === 'cdx:npm:package:development' && p['value'] === 'true',
    )
  );
}

function graphOf(dependencies: unknown): Map<string, string[]> | undefined {
  if (!Array.isArray(dependencies)) return undefined;
  const graph = new Map<string, string[]>();
  for (const entry of dependencies) {
    if (!isObject(entry)) continue;
    const ref = textOf(entry['ref']);
    if (!ref) continue;
    const on = Array.isArray(entry['dependsOn'])
      ? entry['dependsOn'].filter((r): r is string => typeof r === 'string')
      : [];
    const earlier = graph.get(ref);
    if (earlier) for (const r of on) earlier.push(r);
    else graph.set(ref, on);
  }
  return graph;
}
