import { MikroORM } from '@mikro-orm/postgresql';
import {
  AesGcmSecretBox,
  createMikroOrmConfig,
  isEncryptionKey,
  MikroOrmSecretStore,
  SecretDecryptionError,
  splitKeyList,
} from '@repoguard/infrastructure';
import { type CommandIo, parseCommandArgs, UsageError } from '../command-io';

export const SECRETS_ROTATE_USAGE = `Usage: repoguard secrets:rotate

Options:
  -h, --help  this help (the keys come from the environment, see below)

Re-encrypts every stored secret (GitHub tokens, webhook secrets) that an old key encrypted with
REPOGUARD_ENCRYPTION_KEY, in the database named by DATABASE_URL (default
postgresql://postgres@127.0.0.1:5432/repoguard). REPOGUARD_ENCRYPTION_KEYS_OLD lists the old
keys, comma-separated. Safe to run again; once it succeeds the old keys can be removed.

Exit codes: 0 every secret re-encrypted, 1 a secret none of the keys opens, 2 usage errors (a
missing or malformed key).`;

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/repoguard';
const KEY_FORMAT = 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)';

/** For operators, after changing the key. Exit 1 when a secret cannot be read with the keys given. */
export async function runSecretsRotate(
  argv: readonly string[],
  io: CommandIo,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  parse(argv);
  const box = secretBox(env);
  const orm = await MikroORM.init(
    createMikroOrmConfig({ databaseUrl: env['DATABASE_URL'] || DEFAULT_DATABASE_URL, poolMax: 1 }),
  );
  try {
    const { rotated, total } = await new MikroOrmSecretStore(orm.em, box).rotateAll();
    io.out(`re-encrypted ${rotated} of ${total} secrets with key ${box.currentKeyId}`);
    return 0;
  } catch (error) {
    if (error instanceof SecretDecryptionError) {
      // Batches before the unreadable row are committed; a second run resumes after them.
      io.err(`repoguard: ${error.code}: ${error.message}`);
      if (error.reason === 'unknown_key') {
        io.err('Add the key that encrypted it to REPOGUARD_ENCRYPTION_KEYS_OLD and run the command again.');
      }
      return 1;
    }
    throw error;
  } finally {
    await orm.close(true);
  }
}

// Checked here with the variables' names, so the operator knows which one to fix.
function secretBox(env: NodeJS.ProcessEnv): AesGcmSecretBox {
  const current = env['REPOGUARD_ENCRYPTION_KEY']?.trim();
  if (!current) throw new UsageError(`REPOGUARD_ENCRYPTION_KEY is not set: it ${KEY_FORMAT}`);
  if (!isEncryptionKey(current)) throw new UsageError(`REPOGUARD_ENCRYPTION_KEY ${KEY_FORMAT}`);
  const old = splitKeyList(env['REPOGUARD_ENCRYPTION_KEYS_OLD']);
  const invalid = old.findIndex((key) => !isEncryptionKey(key));
  if (invalid >= 0) {
    throw new UsageError(`REPOGUARD_ENCRYPTION_KEYS_OLD: key ${invalid + 1} ${KEY_FORMAT}`);
  }
  try {
    return AesGcmSecretBox.fromConfig(current, old.join(','));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function parse(argv: readonly string[]) {
  return parseCommandArgs(argv, { options: {}, allowPositionals: false });
}
