import { MikroORM } from '@mikro-orm/postgresql';
import { IssueUserToken } from '@repoguard/application';
import { DomainError } from '@repoguard/domain';
import { createMikroOrmConfig, MikroOrmUnitOfWork, OpaqueTokenIssuer } from '@repoguard/infrastructure';
import { type CommandIo, parseCommandArgs, reportRefusal, UsageError } from '../command-io';

export const USER_TOKEN_USAGE = `Usage: repoguard user:token --email <email> [--name <name>] [--expires-in-days <n>] [--json]

Options:
  --email <email>          the user's email (required)
  --name <name>            the token's name (default: issued by the operator)
  --expires-in-days <n>    expire after n days (1 to 99999; default: never)
  --json                   print the token as JSON
  -h, --help               this help

For operators: issues a new personal token for an existing user (one who lost every token), directly
in the database named by DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/repoguard).
Nothing over HTTP can do this: invitations and POST /api/v1/orgs never hand out an existing user's
token. The token is printed this once and audited (personal_token.created) in each of the user's
orgs.

Exit codes: 0 issued, 1 no user has the email, 2 usage errors.`;

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/repoguard';
const DAY_MS = 86_400_000;

export async function runUserToken(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    options: {
      email: { type: 'string' },
      name: { type: 'string', default: 'issued by the operator' },
      'expires-in-days': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (!values.email) throw new UsageError('missing --email');
  const days = values['expires-in-days'];
  if (days !== undefined && !/^[1-9]\d{0,4}$/.test(days)) {
    throw new UsageError('--expires-in-days must be a whole number of days from 1 to 99999');
  }
  const expiresAt = days === undefined ? null : new Date(Date.now() + Number(days) * DAY_MS);
  const orm = await MikroORM.init(
    createMikroOrmConfig({ databaseUrl: env['DATABASE_URL'] || DEFAULT_DATABASE_URL, poolMax: 1 }),
  );
  try {
    const issued = await new IssueUserToken(new MikroOrmUnitOfWork(orm.em), new OpaqueTokenIssuer()).execute({
      actor: { actorType: 'system', actorId: 'cli', correlationId: null, ip: null },
      email: values.email,
      name: values.name ?? 'issued by the operator',
      expiresAt,
    });
    const result = {
      user_id: issued.userId,
      token_id: issued.token.id,
      token: issued.secret,
      expires_at: issued.token.expiresAt?.toISOString() ?? null,
    };
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else io.out(`Personal token for ${values.email} (shown once): ${result.token}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return reportRefusal(io, error);
    throw error;
  } finally {
    await orm.close(true);
  }
}
