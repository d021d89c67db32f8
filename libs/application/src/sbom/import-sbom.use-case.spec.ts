import {
  describeSbom,
  RateLimitedError,
  ValidationError,
  type SbomDescriber,
  type NewRepository,
  type NewSbomUpload,
  type RepoRepository,
  type Repository,
  type SbomUpload,
  type SbomUploadRepository,
} from '@repoguard/domain';
import type { OrgCaller } from '../shared/caller';
import { FakeUnitOfWork } from '../testing/fake-unit-of-work';
import type { RequestScanCommand } from '../scans/request-scan.use-case';
import { ImportSbom } from './import-sbom.use-case';

const CALLER: OrgCaller = {
  scope: { orgIds: ['org-1'] },
  actor: { actorType: 'user', actorId: 'u-1', correlationId: 'req-1', ip: '10.0.0.1' },
  orgId: 'org-1',
  role: 'admin',
};

const cdx = (root: Record<string, unknown> | undefined, components: unknown[] = []) =>
  new TextEncoder().encode(
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      serialNumber: 'urn:uuid:11111111-2222-3333-4444-555555555555',
      ...(root ? { metadata: { component: root } } : {}),
      components,
    }),
  );

class Projects implements Pick<RepoRepository, 'findSbomProject' | 'add'> {
  readonly rows: Repository[] = [];
  findSbomProject(orgId: string, name: string) {
    return Promise.resolve(
      this.rows.find((r) => r.orgId === orgId && r.provider === 'sbom' && r.name === name) ?? null,
    );
  }
  add(repo: NewRepository): Repository {
    const row: Repository = {
      provider: 'github',
      externalId: null,
      gitUrl: null,
      installationId: null,
      status: 'PENDING',
      statusReevaluateAt: null,
      lastScanAt: null,
      disabledAt: null,
      disabledReason: null,
      createdAt: new Date(),
      ...repo,
      id: `repo-${this.rows.length + 1}`,
    };
    this.rows.push(row);
    return row;
  }
}

class Uploads implements SbomUploadRepository {
  readonly rows: SbomUpload[] = [];
  add(upload: NewSbomUpload): SbomUpload {
    const row = { ...upload, id: `upload-${this.rows.length + 1}`, uploadedAt: new Date() };
    this.rows.push(row);
    return row;
  }
  newest(repoId: string) {
    return Promise.resolve(this.rows.filter((r) => r.repoId === repoId).at(-1) ?? null);
  }
  findBySha(repoId: string, sha: string) {
    return Promise.resolve(this.rows.find((r) => r.repoId === repoId && r.sha256 === sha) ?? null);
  }
}

function setUp(options: { describer?: SbomDescriber; concurrentUploadsPerOrg?: number } = {}) {
  const projects = new Projects();
  const uploads = new Uploads();
  const uow = new FakeUnitOfWork({
    repositories: projects as unknown as RepoRepository,
    sbomUploads: uploads,
  });
  const stored: Uint8Array[] = [];
  const requested: RequestScanCommand[] = [];
  const useCase = new ImportSbom(
    uow,
    {
      store: (content) => {
        stored.push(content);
        return Promise.resolve(`${String(stored.length).padStart(64, '0')}`);
      },
    },
    {
      execute: (command) => {
        requested.push(command);
        return Promise.resolve({
          requestId: 'request-1',
          relayed: true,
          scanId: 'scan-1',
          workflowId: `repo-scan:${command.repoId}`,
          runId: 'run-1',
          deduplicated: false,
        });
      },
    },
    options,
  );
  return { useCase, projects, uploads, uow, stored, requested };
}

function refusal(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('accepted');
    },
    (error: unknown) => {
      if (!(error instanceof ValidationError)) throw error;
      return { code: error.code, fields: error.details.map((d) => d.field) };
    },
  );
}

describe('ImportSbom', () => {
  it('creates the project named after what the SBOM describes (its name, not its version), stores the document and scans its snapshot', async () => {
    const { useCase, projects, uploads, uow, stored, requested } = setUp();
    const document = cdx({ name: 'acme-portal', version: '2.1.0' }, [{ purl: 'pkg:npm/lodash@4.17.15' }]);
    const imported = await useCase.execute({ caller: CALLER, document });

    expect(projects.rows).toMatchObject([{ orgId: 'org-1', provider: 'sbom', name: 'acme-portal' }]);
    expect(stored).toStrictEqual([document]);
    expect(uploads.rows).toMatchObject([
      {
        repoId: 'repo-1',
        sha256: '0'.repeat(63) + '1',
        format: 'cyclonedx-json',
        specVersion: '1.6',
        serialNumber: 'urn:uuid:11111111-2222-3333-4444-555555555555',
        documentName: 'acme-portal@2.1.0',
        components: 1,
        sizeBytes: document.byteLength,
        uploadedBy: 'user:u-1',
      },
    ]);
    expect(requested).toMatchObject([
      { repoId: 'repo-1', trigger: 'api', commitSha: '0'.repeat(63) + '1', identifyScan: true },
    ]);
    expect(imported).toMatchObject({
      created: true,
      repo: { id: 'repo-1' },
      upload: { id: 'upload-1' },
      scan: { scanId: 'scan-1' },
    });
    expect(uow.audited.map((a) => [a.action, a.targetId])).toStrictEqual([
      ['repo.connected', 'repo-1'],
      ['sbom.uploaded', 'repo-1'],
    ]);
  });

  it('adds a new upload to the project of the same name: a new snapshot, not a new project', async () => {
    const { useCase, projects, uploads } = setUp();
    await useCase.execute({ caller: CALLER, document: cdx({ name: 'base-image' }) });
    const second = await useCase.execute({
      caller: CALLER,
      document: cdx({ name: 'base-image' }, [{ purl: 'pkg:gem/rails@7.0.4' }]),
    });
    expect(projects.rows).toHaveLength(1);
    expect(uploads.rows.map((u) => u.repoId)).toStrictEqual(['repo-1', 'repo-1']);
    expect(second.created).toBe(false);
  });

  it('takes the next release of a product as a new snapshot of its project, the version kept on the upload', async () => {
    const { useCase, projects, uploads } = setUp();
    await useCase.execute({ caller: CALLER, document: cdx({ name: 'acme-portal', version: '2.1.0' }) });
    const next = await useCase.execute({
      caller: CALLER,
      document: cdx({ name: 'acme-portal', version: '2.2.0' }, [{ purl: 'pkg:npm/lodash@4.17.21' }]),
    });
    expect(next.created).toBe(false);
    expect(projects.rows.map((p) => p.name)).toStrictEqual(['acme-portal']);
    expect(uploads.rows.map((u) => u.documentName)).toStrictEqual(['acme-portal@2.1.0', 'acme-portal@2.2.0']);
  });

  it('takes the name given over the document’s, and an SPDX document’s name when it describes nothing', async () => {
    const { useCase, projects } = setUp();
    await useCase.execute({
      caller: CALLER,
      document: cdx({ name: 'acme-portal', version: '2.1.0' }),
      name: 'portal (prod)',
    });
    const spdx = new TextEncoder().encode(
      JSON.stringify({ spdxVersion: 'SPDX-2.3', name: 'vendor-appliance', packages: [] }),
    );
    await useCase.execute({ caller: CALLER, document: spdx });
    expect(projects.rows.map((r) => r.name)).toStrictEqual(['portal (prod)', 'vendor-appliance']);
  });

  it.each([
    ['no name anywhere', undefined, undefined],
    ['an empty name', '  ', undefined],
    ['a name too long', 'x'.repeat(101), undefined],
    ['a control character', 'a\u0007b', undefined],
    ['a bidi override', 'invoice\u202Etxt.exe', undefined],
    ['a zero-width character', 'base\u200Bimage', undefined],
    ['a bidi mark in the document’s own name', undefined, { name: 'portal\u200F' }],
  ])('refuses %s, naming name, before storing anything', async (_, name, root) => {
    const { useCase, stored, projects } = setUp();
    const outcome = await refusal(
      useCase.execute({ caller: CALLER, document: cdx(root), ...(name === undefined ? {} : { name }) }),
    );
    expect(outcome).toStrictEqual({ code: 'REQUEST_INVALID', fields: ['name'] });
    expect(stored).toStrictEqual([]);
    expect(projects.rows).toStrictEqual([]);
  });

  it('names the project in NFC: the same name in another normal form is the same project', async () => {
    const { useCase, projects } = setUp();
    await useCase.execute({ caller: CALLER, document: cdx({ name: 'caf\u00e9' }) });
    const second = await useCase.execute({
      caller: CALLER,
      document: cdx({ name: 'x' }),
      name: 'cafe\u0301',
    });
    expect(projects.rows.map((r) => r.name)).toStrictEqual(['caf\u00e9']);
    expect(second.created).toBe(false);
  });

  it('refuses an upload to a disabled project (409 REPO_DISABLED) before storing or recording it', async () => {
    const { useCase, projects, uploads, stored, requested } = setUp();
    projects.add({
      orgId: 'org-1',
      provider: 'sbom',
      owner: 'sbom',
      name: 'base-image',
      defaultBranch: 'latest',
    });
    Object.assign(projects.rows[0]!, { disabledAt: new Date(), disabledReason: 'disabled by an admin' });
    await expect(
      useCase.execute({ caller: CALLER, document: cdx({ name: 'base-image' }) }),
    ).rejects.toMatchObject({
      code: 'REPO_DISABLED',
    });
    expect(stored).toStrictEqual([]);
    expect(uploads.rows).toStrictEqual([]);
    expect(requested).toStrictEqual([]);
  });

  it('refuses what is not a readable SBOM, naming the field, before storing anything', async () => {
    const { useCase, stored } = setUp();
    expect(
      await refusal(
        useCase.execute({ caller: CALLER, document: new TextEncoder().encode('{"lockfileVersion": 3}') }),
      ),
    ).toStrictEqual({
      code: 'SBOM_FORMAT_UNSUPPORTED',
      fields: ['bomFormat'],
    });
    expect(
      await refusal(useCase.execute({ caller: CALLER, document: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) })),
    ).toStrictEqual({
      code: 'SBOM_INVALID',
      fields: ['body'],
    });
    expect(stored).toStrictEqual([]);
  });

  // The description runs where the describer runs it (a worker thread in the API), and an org
  // uploading faster than it is described is told to come back rather than queued without end.
  it('describes through its describer, and refuses an org more concurrent uploads than its cap with 429', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const described: string[] = [];
    const describer: SbomDescriber = {
      describe: async (text) => {
        described.push(text);
        await gate;
        return describeSbom(text);
      },
    };
    const { useCase } = setUp({ describer, concurrentUploadsPerOrg: 2 });
    const other: OrgCaller = { ...CALLER, scope: { orgIds: ['org-2'] }, orgId: 'org-2' };
    const upload = (caller: OrgCaller, name: string) => useCase.execute({ caller, document: cdx({ name }) });

    const running = [upload(CALLER, 'a'), upload(CALLER, 'b'), upload(other, 'c')];
    const busy = await upload(CALLER, 'd').catch((error: unknown) => error);
    expect(busy).toBeInstanceOf(RateLimitedError);
    expect(busy).toMatchObject({ code: 'SBOM_UPLOADS_BUSY', retryAfterSeconds: expect.any(Number) });
    open();
    expect((await Promise.all(running)).map((i) => i.repo.name)).toStrictEqual(['a', 'b', 'c']);
    expect(described).toHaveLength(3);
    // A slot is given back however the upload ended, a refusal included.
    await refusal(upload(CALLER, 'x'.repeat(101)));
    await upload(CALLER, 'e');
    await upload(CALLER, 'f');
  });
});
