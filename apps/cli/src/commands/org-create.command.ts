import { MikroORM } from '@mikro-orm/postgresql';
import { CreateOrganization } from '@repoguard/application';
import { DomainError } from '@repoguard/domain';
import { createMikroOrmConfig, MikroOrmUnitOfWork, OpaqueTokenIssuer } from '@repoguard/infrastructure';
import { type CommandIo, parseCommandArgs, reportRefusal, UsageError } from '../command-io';

export const ORG_CREATE_USAGE = `Usage: repoguard org:create --name <name> --slug <slug> --owner-email <email> [--json]

Options:
  --name <name>          the org's display name (required)
  --slug <slug>          lowercase letters, digits and inner hyphens (required)
  --owner-email <email>  the first owner (required)
  --json                 print the result as JSON
  -h, --help             this help

Creates an organization and its first owner directly in the database named by DATABASE_URL
(default postgresql://postgres@127.0.0.1:5432/repoguard), as POST /api/v1/orgs does. A new owner
email gets a user and a first personal token, printed this once; an email that already has a user
is made owner without a token (they use their own tokens; "token": null in --json).

Exit codes: 0 created, 1 refused (the slug is taken, an invalid field: named on stderr), 2 usage errors.`;

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/repoguard';

/** For operators: bootstraps an org without the instance admin token. Exit 1 when it is refused. */
export async function runOrgCreate(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values } = parse(argv);
  const missing = (['name', 'slug', 'owner-email'] as const).filter((k) => !values[k]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  const orm = await MikroORM.init(
    createMikroOrmConfig({ databaseUrl: env['DATABASE_URL'] || DEFAULT_DATABASE_URL, poolMax: 1 }),
  );
  try {
    const createOrganization = new CreateOrganization(
      new MikroOrmUnitOfWork(orm.em),
      new OpaqueTokenIssuer(),
    );
    const created = await createOrganization.execute({
      actor: { actorType: 'system', actorId: 'cli', correlationId: null, ip: null },
      name: values.name!,
      slug: values.slug!,
      ownerEmail: values['owner-email']!,
    });
    const result = {
      org: { id: created.org.id, name: created.org.name, slug: created.org.slug },
      owner: { id: created.owner.id, email: created.owner.email, role: 'owner' },
      token: created.token,
    };
    if (values.json) {
      io.out(JSON.stringify(result, null, 2));
    } else {
      io.out(`Created organization ${result.org.slug} (${result.org.id})`);
      io.out(`Owner: ${result.owner.email} (${result.owner.id})`);
      io.out(
        result.token
          ? `Owner's personal token (shown once): ${result.token}`
          : 'The owner already had an account: no token issued, they use their own personal tokens',
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return reportRefusal(io, error);
    throw error;
  } finally {
    await orm.close(true);
  }
}

function parse(argv: readonly string[]) {
  return parseCommandArgs(argv, {
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'owner-email': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
}
