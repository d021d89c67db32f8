import type { Inventory, SbomFormat, SbomWriter, UnitOfWork, VexWriter } from '@repoguard/domain';
import type { Caller } from '../shared/caller';
import { scanInventory, type ExportTarget, type ExportTool } from './scan-inventory';

export interface ExportSbomCommand extends ExportTarget {
  readonly caller: Caller;
  readonly format: SbomFormat;
}

export interface ExportedDocument {
  readonly mediaType: string;
  readonly body: string;
  /** The scan the document is of. */
  readonly scanId: string;
}

/** A repository's SBOM at one scan (the latest completed one unless named), in CycloneDX or SPDX. */
export class ExportSbom {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly writers: Readonly<Record<SbomFormat, SbomWriter>>,
    private readonly tool: ExportTool,
  ) {}

  async execute({ caller, format, ...target }: ExportSbomCommand): Promise<ExportedDocument> {
    const inventory = await this.uow.read(caller.scope, (stores) =>
      scanInventory(stores, target, this.tool, false),
    );
    return documentOf(this.writers[format], inventory);
  }
}

/** The document a writer makes of an inventory, with the scan it is of. */
export function documentOf(writer: SbomWriter | VexWriter, inventory: Inventory): ExportedDocument {
  return {
    mediaType: writer.mediaType,
    body: writer.write(inventory),
    scanId: inventory.serialNumber.replace(/^urn:uuid:/, ''),
  };
}
