import {
  renderFailedPullRequestCheck,
  renderSupersededPullRequestCheck,
} from './render-failed-pull-request-check';

const options = { checkId: 'check-1', headSha: 'b'.repeat(40), detailsUrl: null, actions: true };

describe('renderFailedPullRequestCheck', () => {
  it('fails the check, naming the error code in its title: a head that breaks a step gets no pass', () => {
    const report = renderFailedPullRequestCheck('MANIFEST_TOO_LARGE', options);

    expect(report).toMatchObject({
      status: 'completed',
      conclusion: 'failure',
      title: 'Check failed: MANIFEST_TOO_LARGE',
      errorCode: 'MANIFEST_TOO_LARGE',
      offerAcceptRisk: false,
      annotations: [],
    });
    expect(report.summary).toContain('MANIFEST_TOO_LARGE');
  });

  it('keeps a superseded check neutral, with no error code', () => {
    const report = renderSupersededPullRequestCheck(options);
    expect(report).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(report.errorCode).toBeUndefined();
  });
});
