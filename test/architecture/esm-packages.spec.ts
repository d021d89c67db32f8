import { Octokit } from '@octokit/rest';

// @octokit/* ships ESM only; Jest's CommonJS runtime needs them transformed (jest.base.config.js).
describe('ESM-only packages under Jest', () => {
  it('loads @octokit/rest and builds a client with a custom base URL', () => {
    const octokit = new Octokit({ baseUrl: 'http://127.0.0.1:1/api/v3', request: { retries: 0 } });
    expect(typeof octokit.rest.repos.get).toBe('function');
    expect(octokit.request.endpoint.DEFAULTS.baseUrl).toBe('http://127.0.0.1:1/api/v3');
  });
});
