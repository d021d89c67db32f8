import {
  ComponentBudget,
  CYCLONEDX_VERSIONS,
  MAX_COMPONENT_NESTING,
  specVersionNote,
  type SbomComponent,
  type SbomRead,
} from './sbom-document';

/** A CycloneDX BOM as either encoding reads it: its parts, and how to read an element. */
export interface CycloneDxTree<E> {
  readonly format: 'cyclonedx-json' | 'cyclonedx-xml';
  readonly specVersion: string;
  readonly serialNumber: string | undefined;
  /** `metadata.component`: what the BOM describes. */
  readonly root: E | undefined;
  readonly components: readonly E[];
  readonly graph: ReadonlyMap<string, readonly string[]> | undefined;
  /** An element's nested `components`. */
  readonly childrenOf: (element: E) => readonly E[];
  readonly componentOf: (element: E) => SbomComponent;
}

/**
 * The SbomDocument of a CycloneDX BOM: its components and their nested ones, depth-first in
 * document order, those the root is made of (`metadata.component.components`) first, within the
 * component budget and MAX_COMPONENT_NESTING.
 */
export function cycloneDxDocument<E>(path: string, tree: CycloneDxTree<E>): SbomRead {
  const budget = new ComponentBudget(path);
  const components: SbomComponent[] = [];
  const collect = (list: readonly E[], depth: number): void => {
    if (depth > MAX_COMPONENT_NESTING) {
      if (list.length > 0) budget.tooDeep();
      return;
    }
    for (const element of list) {
      if (!budget.take()) return;
      components.push(tree.componentOf(element));
      collect(tree.childrenOf(element), depth + 1);
    }
  };
  const root = tree.root === undefined ? undefined : tree.componentOf(tree.root);
  if (tree.root !== undefined) collect(tree.childrenOf(tree.root), 1);
  collect(tree.components, 0);
  const note = specVersionNote(path, tree.specVersion || 'an unknown spec version', CYCLONEDX_VERSIONS);
  return {
    document: {
      format: tree.format,
      specVersion: tree.specVersion,
      serialNumber: tree.serialNumber,
      root: { name: root?.name, version: root?.version },
      components,
      rootRefs: root?.ref ? [root.ref] : [],
      graph: tree.graph,
      diagnostics: [...(note ? [note] : []), ...budget.diagnostics],
    },
  };
}
