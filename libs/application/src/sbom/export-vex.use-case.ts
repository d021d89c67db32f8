import { ConflictError, type UnitOfWork, type VexFormat, type VexWriter } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { documentOf, type ExportedDocument } from './export-sbom.use-case';
import { scanInventory, type ExportTarget, type ExportTool } from './scan-inventory';

export interface ExportVexCommand extends ExportTarget {
  readonly caller: Caller;
  readonly format: VexFormat;
}

/**
 * The VEX of a repository's scan: the findings that scan had (open, decided, or fixed since, not
 * withdrawn) with their decisions, naming components as the SBOM export of the same scan does.
 */
export class ExportVex {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writers: Readonly<Record<VexFormat, VexWriter>>,
    private readonly tool: ExportTool,
  ) {}

  async execute({ caller, format, ...target }: ExportVexCommand): Promise<ExportedDocument> {
    const inventory = await this.uow.read(caller.scope, (stores) =>
      scanInventory(stores, target, this.tool, true),
    );
    // OpenVEX wants at least one statement; CycloneDX takes a VEX with no vulnerabilities.
    if (format === 'openvex' && inventory.vulnerabilities.length === 0)
      throw new ConflictError(
        'VEX_NOTHING_TO_STATE',
        'The scan has no findings, and an OpenVEX document needs at least one statement: ask for format=cyclonedx',
      );
    return documentOf(this.writers[format], inventory);
  }
}
