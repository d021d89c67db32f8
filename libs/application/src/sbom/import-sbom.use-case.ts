import {
  ConflictError,
  describeSbom,
  RateLimitedError,
  UniqueViolationError,
  ValidationError,
  type Repository,
  type SbomDescriber,
  type SbomDescription,
  type SbomDocumentStore,
  type SbomUpload,
  type UnitOfWork,
} from '@repoguard/domain';
import type { RequestScan, ScanRequested } from '../scans/request-scan.use-case';
import { callerName, type OrgCaller } from '../shared/caller';
import { documentText } from '../shared/document-text';

/** Every SBOM project is "owned" by this name: `full_name` reads `sbom/<project>`. */
export const SBOM_PROJECT_OWNER = 'sbom';
/** The "default branch" of an SBOM project: its newest upload. */
export const SBOM_PROJECT_BRANCH = 'latest';
const MAX_NAME_LENGTH = 100;
/** Uploads of one org read at once; more are told to come back (each may hold 10 MB and a thread). */
export const SBOM_UPLOADS_PER_ORG = 2;
const RETRY_AFTER_SECONDS = 5;

export interface ImportSbomOptions {
  /** Where documents are described; in-process when absent (tests, tools without a request thread). */
  readonly describer?: SbomDescriber;
  readonly concurrentUploadsPerOrg?: number;
}

const inProcess: SbomDescriber = { describe: (text) => Promise.resolve(describeSbom(text)) };

export interface ImportSbomCommand {
  readonly caller: OrgCaller;
  /** The document's bytes, as uploaded: stored and addressed as they are. */
  readonly document: Uint8Array;
  /** The project's name; default: the name of what the document describes (without its version). */
  readonly name?: string;
}

export interface SbomImported {
  readonly repo: Repository;
  readonly upload: SbomUpload;
  /** True when this upload created the project. */
  readonly created: boolean;
  readonly scan: ScanRequested;
}

/**
 * Takes an SBOM as a snapshot of a project of provider `sbom`: the document is checked
 * (describeSbom), stored by the SHA-256 of its bytes, recorded as an upload of the org's project
 * of that name (created on first upload), and the project's scan is requested for that upload, as
 * `POST /repos/{id}/scan` requests one. The same bytes uploaded again are the same snapshot.
 */
export class ImportSbom {
  /** Uploads under way per org, in this process. */
  private readonly running = new Map<string, number>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly documents: SbomDocumentStore,
    private readonly scans: Pick<RequestScan, 'execute'>,
    private readonly options: ImportSbomOptions = {},
  ) {}

  async execute(command: ImportSbomCommand): Promise<SbomImported> {
    const { orgId } = command.caller;
    const running = this.running.get(orgId) ?? 0;
    if (running >= (this.options.concurrentUploadsPerOrg ?? SBOM_UPLOADS_PER_ORG)) {
      throw new RateLimitedError(
        'This organisation has as many SBOM uploads under way as it may: send this one when one of them is answered',
        RETRY_AFTER_SECONDS,
        'SBOM_UPLOADS_BUSY',
      );
    }
    this.running.set(orgId, running + 1);
    try {
      return await this.importOne(command);
    } finally {
      const left = (this.running.get(orgId) ?? 1) - 1;
      if (left === 0) this.running.delete(orgId);
      else this.running.set(orgId, left);
    }
  }

  private async importOne(command: ImportSbomCommand): Promise<SbomImported> {
    const described = await (this.options.describer ?? inProcess).describe(
      documentText(command.document, 'The SBOM', 'SBOM_INVALID'),
    );
    const name = projectName(command.name, described);
    // A disabled project takes no upload: refused before the document is stored, so nothing of
    // it is left behind to become the project's newest snapshot (checked again when recorded).
    await this.uow.read(command.caller.scope, async ({ repositories }) =>
      refuseDisabled(await repositories.findSbomProject(command.caller.orgId, name)),
    );
    const sha256 = await this.documents.store(command.document);
    const { repo, upload, created } = await this.record(command, described, name, sha256).catch(
      (error: unknown) => {
        // Two first uploads raced to create the project: the loser adds to the winner's.
        if (error instanceof UniqueViolationError) return this.record(command, described, name, sha256);
        throw error;
      },
    );
    const scan = await this.scans.execute({
      caller: command.caller,
      repoId: repo.id,
      trigger: 'api',
      commitSha: sha256,
      identifyScan: true,
    });
    return { repo, upload, created, scan };
  }

  private record(command: ImportSbomCommand, described: SbomDescription, name: string, sha256: string) {
    const { caller } = command;
    return this.uow.transaction(caller.scope, async ({ repositories, sbomUploads, audit }) => {
      const existing = refuseDisabled(await repositories.findSbomProject(caller.orgId, name));
      const repo =
        existing ??
        repositories.add({
          orgId: caller.orgId,
          provider: 'sbom',
          owner: SBOM_PROJECT_OWNER,
          name,
          defaultBranch: SBOM_PROJECT_BRANCH,
        });
      if (!existing)
        audit.record(caller.actor, {
          orgId: caller.orgId,
          action: 'repo.connected',
          targetType: 'repository',
          targetId: repo.id,
          metadata: { provider: 'sbom', full_name: `${SBOM_PROJECT_OWNER}/${name}` },
        });
      const upload = sbomUploads.add({
        orgId: caller.orgId,
        repoId: repo.id,
        sha256,
        format: described.format,
        specVersion: described.specVersion,
        serialNumber: described.serialNumber,
        documentName: documentName(described),
        components: described.components,
        sizeBytes: command.document.byteLength,
        uploadedBy: callerName(caller),
      });
      audit.record(caller.actor, {
        orgId: caller.orgId,
        action: 'sbom.uploaded',
        targetType: 'repository',
        targetId: repo.id,
        metadata: {
          upload_id: upload.id,
          sha256,
          format: described.format,
          spec_version: described.specVersion,
          serial_number: described.serialNumber,
          components: described.components,
        },
      });
      return { repo, upload, created: !existing };
    });
  }
}

/** The project as RequestScan would refuse it (409 REPO_DISABLED), before anything is written. */
function refuseDisabled(project: Repository | null): Repository | null {
  if (project?.disabledAt) {
    throw new ConflictError(
      'REPO_DISABLED',
      `${SBOM_PROJECT_OWNER}/${project.name} is ${project.disabledReason ?? 'disabled'}: it takes no upload`,
    );
  }
  return project;
}

const documentName = (d: SbomDescription) =>
  d.rootName === null ? null : d.rootVersion === null ? d.rootName : `${d.rootName}@${d.rootVersion}`;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// Format characters (bidi overrides and marks, zero-width ones) make a name read as another.
const FORMAT = /\p{Cf}/u;

/**
 * The name given, else the name of what the document describes, without its version: a product's
 * next release is the next snapshot of the same project (the upload keeps `name@version`); NFC, so one name in two normal forms is one
 * project; at most 100 printable characters, none of them a format character.
 */
function projectName(given: string | undefined, described: SbomDescription): string {
  const name = (given ?? described.rootName ?? '').normalize('NFC').trim();
  const problem =
    name === ''
      ? given === undefined
        ? 'the SBOM names nothing it describes (metadata.component, or SPDX name): give ?name='
        : 'must not be empty'
      : name.length > MAX_NAME_LENGTH
        ? `must be at most ${MAX_NAME_LENGTH} characters${given === undefined ? ' (the SBOM’s own is longer: give ?name=)' : ''}`
        : CONTROL.test(name)
          ? 'must not contain control characters'
          : FORMAT.test(name)
            ? `must not contain format characters (bidi or zero-width)${given === undefined ? ' (the SBOM’s own does: give ?name=)' : ''}`
            : undefined;
  if (problem) throw new ValidationError(`name ${problem}`, [{ field: 'name', problem }], 'REQUEST_INVALID');
  return name;
}
