import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig } from './load-config';
import { gitSettings, SharedConfig } from './shared-config';

const KEY = path.join(mkdtempSync(path.join(tmpdir(), 'repoguard-ssh-config-')), 'id_ed25519');
writeFileSync(KEY, 'not read at boot\n');
const BASE = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/x' };

function load(env: Record<string, string>) {
  return loadConfig(SharedConfig, { ...BASE, ...env });
}

describe('GIT_SSH_KEY_ORGS', () => {
  it('lends the instance key to nobody by default', () => {
    expect(gitSettings(load({ GIT_SSH_KEY_PATH: KEY })).sshKeyOrgs).toEqual([]);
  });

  it('names orgs by slug or id, or every org with *', () => {
    const id = '11111111-1111-4111-8111-111111111111';
    expect(
      gitSettings(load({ GIT_SSH_KEY_PATH: KEY, GIT_SSH_KEY_ORGS: ` acme, ${id},,` })).sshKeyOrgs,
    ).toEqual(['acme', id]);
    expect(gitSettings(load({ GIT_SSH_KEY_PATH: KEY, GIT_SSH_KEY_ORGS: '*' })).sshKeyOrgs).toEqual(['*']);
  });

  it('stops the boot on an entry that names no org, or without the key it lends', () => {
    expect(() => load({ GIT_SSH_KEY_PATH: KEY, GIT_SSH_KEY_ORGS: 'Acme Corp' })).toThrow(ConfigError);
    expect(() => load({ GIT_SSH_KEY_PATH: KEY, GIT_SSH_KEY_ORGS: ',' })).toThrow(ConfigError);
    expect(() => load({ GIT_SSH_KEY_ORGS: 'acme' })).toThrow(/GIT_SSH_KEY_ORGS .*set GIT_SSH_KEY_PATH/);
  });
});
