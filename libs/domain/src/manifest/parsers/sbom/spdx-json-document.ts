import { isObject } from '../../../shared/is-object';
import type { DependencyScope } from '../../manifest.types';
import { readJsonObject } from './sbom-json';
import {
  ComponentBudget,
  hashOf,
  licenseOf,
  refused,
  specVersionNote,
  SPDX_VERSIONS,
  textOf,
  type SbomComponent,
  type SbomRead,
} from './sbom-document';

/** `A <type> B` relationships that make B depend on A, and the scope they give A. */
const DEPENDENCY_OF: ReadonlyMap<string, DependencyScope> = new Map([
  ['DEPENDENCY_OF', 'runtime'],
  ['RUNTIME_DEPENDENCY_OF', 'runtime'],
  ['OPTIONAL_DEPENDENCY_OF', 'optional'],
  ['DEV_DEPENDENCY_OF', 'dev'],
  ['TEST_DEPENDENCY_OF', 'dev'],
  ['BUILD_DEPENDENCY_OF', 'dev'],
  ['DEV_TOOL_OF', 'dev'],
  ['TEST_TOOL_OF', 'dev'],
  ['BUILD_TOOL_OF', 'dev'],
]);

/** An SPDX 2.2 or 2.3 JSON document as an SbomDocument: its packages, purls from `externalRefs`. */
export function readSpdxJson(path: string, text: string): SbomRead {
  const read = readJsonObject(path, text);
  return 'refused' in read ? read : spdxJsonOf(path, read.object);
}

/** An already parsed SPDX JSON document as an SbomDocument. */
export function spdxJsonOf(path: string, document: Record<string, unknown>): SbomRead {
  const specVersion = typeof document['spdxVersion'] === 'string' ? document['spdxVersion'] : '';
  if (!specVersion.startsWith('SPDX-'))
    return refused(`${path} is not an SPDX document (its "spdxVersion" is not "SPDX-…")`);
  const budget = new ComponentBudget(path);
  const components: SbomComponent[] = [];
  const packages = Array.isArray(document['packages']) ? document['packages'] : [];
  for (const entry of packages) {
    if (!budget.take()) break;
    components.push(componentOf(isObject(entry) ? entry : {}));
  }
  const relationships = Array.isArray(document['relationships'])
    ? document['relationships'].filter(isObject)
    : [];
  const documentId = textOf(document['SPDXID']) ?? 'SPDXRef-DOCUMENT';
  const described = new Set(
    Array.isArray(document['documentDescribes'])
      ? document['documentDescribes'].filter((d): d is string => typeof d === 'string')
      : [],
  );
  const graph = new Map<string, string[]>();
  const graphScopes = new Map<string, DependencyScope>();
  const widest = { dev: 0, optional: 1, runtime: 2 } as const;
  let hasGraph = false;
  const edge = (from: string, to: string, scope: DependencyScope) => {
    hasGraph = true;
    const list = graph.get(from);
    if (list) list.push(to);
    else graph.set(from, [to]);
    const earlier = graphScopes.get(to);
    if (earlier === undefined || widest[scope] > widest[earlier]) graphScopes.set(to, scope);
  };
  for (const relationship of relationships) {
    const element = textOf(relationship['spdxElementId']);
    const related = textOf(relationship['relatedSpdxElement']);
    const type = textOf(relationship['relationshipType'])?.toUpperCase();
    if (!element || !related || !type) continue;
    if (type === 'DESCRIBES' && element === documentId) described.add(related);
    else if (type === 'DESCRIBED_BY' && related === documentId) described.add(element);
    else if (type === 'DEPENDS_ON') edge(element, related, 'runtime');
    else {
      const scope = DEPENDENCY_OF.get(type);
      if (scope) edge(related, element, scope);
    }
  }
  // SPDX lists relationships, not entries: once it gives any, a package without one depends on nothing.
  if (hasGraph)
    for (const component of components)
      if (component.ref && !graph.has(component.ref)) graph.set(component.ref, []);
  const rootPackage = packages.find((p) => isObject(p) && described.has(String(p['SPDXID'])));
  const rootComponent = isObject(rootPackage) ? componentOf(rootPackage) : undefined;
  const note = specVersionNote(path, specVersion, SPDX_VERSIONS);
  return {
    document: {
      format: 'spdx-json',
      specVersion,
      serialNumber: textOf(document['documentNamespace']),
      root: {
        name: rootComponent?.name ?? textOf(document['name']),
        version: rootComponent?.version,
      },
      components,
      rootRefs: [...described],
      graph: hasGraph ? graph : undefined,
      graphScopes,
      diagnostics: [...(note ? [note] : []), ...budget.diagnostics],
    },
  };
}

function componentOf(pkg: Record<string, unknown>): SbomComponent {
  const purl = Array.isArray(pkg['externalRefs'])
    ? pkg['externalRefs'].find(
        (ref) =>
          isObject(ref) &&
          /^PACKAGE[-_]MANAGER$/i.test(String(ref['referenceCategory'])) &&
          ref['referenceType'] === 'purl' &&
          typeof ref['referenceLocator'] === 'string',
      )
    : undefined;
  const hashes = Array.isArray(pkg['checksums'])
    ? pkg['checksums'].flatMap((c) => (isObject(c) ? (hashOf(c['algorithm'], c['checksumValue']) ?? []) : []))
    : [];
  const license = licenseOf(pkg['licenseDeclared']) ?? licenseOf(pkg['licenseConcluded']);
  return {
    ref: textOf(pkg['SPDXID']),
    name: textOf(pkg['name']),
    version: textOf(pkg['versionInfo']),
    purl: isObject(purl) ? textOf(purl['referenceLocator']) : undefined,
    scope: undefined,
    hashes,
    licenses: license ? [license] : [],
  };
}
