import { RepoRef } from './repo-ref.value-object';
import { ValidationError } from '../errors';

describe('RepoRef', () => {
  it.each([
    ['acme/api', 'acme', 'api'],
    ['  acme/api  ', 'acme', 'api'],
    ['https://github.com/acme/api', 'acme', 'api'],
    ['https://github.com/acme/api.git', 'acme', 'api'],
    ['https://github.com/acme/api/', 'acme', 'api'],
    ['http://www.github.com/acme/my.repo', 'acme', 'my.repo'],
    ['git@github.com:acme/api.git', 'acme', 'api'],
    ['Acme-Corp/Some_Repo-2', 'Acme-Corp', 'Some_Repo-2'],
  ])('parses %p', (input, owner, name) => {
    const ref = RepoRef.parse(input);
    expect([ref.owner, ref.name]).toEqual([owner, name]);
    expect(ref.fullName).toBe(`${owner}/${name}`);
  });

  it.each([
    '',
    'acme',
    'acme/api/extra',
    'https://gitlab.com/acme/api',
    'git@github.com:acme/api',
    '-acme/api',
    'ac--me/api',
    'acme/..',
    'acme/a b',
    'ftp://github.com/acme/api',
  ])('rejects %p with a code and the field name', (input) => {
    let error: unknown;
    try {
      RepoRef.parse(input, 'repository');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).code).toBe('REPO_REF_INVALID');
    expect((error as ValidationError).details[0]?.field).toBe('repository');
  });

  it('compares case-insensitively, as GitHub does', () => {
    expect(RepoRef.parse('Acme/API').equals(RepoRef.parse('acme/api'))).toBe(true);
    expect(RepoRef.parse('acme/api').equals(RepoRef.parse('acme/web'))).toBe(false);
  });
});
