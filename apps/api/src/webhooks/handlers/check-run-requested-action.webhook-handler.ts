import { Injectable, Logger } from '@nestjs/common';
import { AcceptPullRequestRisk } from '@repoguard/application';
import { ACCEPT_RISK_ACTION, isObject, type Stores } from '@repoguard/domain';
import { accepted, malformedPayload, type WebhookDelivery, type WebhookHandler } from './webhook-handler';

// GitHub's: logins of 1-39 letters, digits and hyphens (bots end in `[bot]`); ids are positive integers.
const LOGIN = /^[a-z\d][a-z\d-]{0,38}(?:\[bot\])?$/i;
const SHA = /^[0-9a-f]{40}$/;
const ID = /^[1-9]\d{0,18}$/;

/**
 * `check_run` with action `requested_action`: a user clicked a button of one of the App's check
 * runs. Only the "Accept risk" action is acted on; the delivery becomes AcceptPullRequestRisk's
 * command. Only the App's URL receives it: an org's own webhook has no check runs of RepoGuard.
 */
@Injectable()
export class CheckRunRequestedActionWebhookHandler implements WebhookHandler {
  readonly event = 'check_run';
  readonly action = 'requested_action';
  readonly appOnly = true;
  private readonly logger = new Logger('GithubWebhooks');

  constructor(private readonly acceptRisk: AcceptPullRequestRisk) {}

  async handle(stores: Stores, { deliveryId, caller, payload }: WebhookDelivery) {
    const { checkRun, repositoryId, identifier, sender } = readPayload(payload);
    if (identifier !== ACCEPT_RISK_ACTION)
      return accepted({ handled: false, outcome: 'action not acted on', scans: [] });
    const outcome = await this.acceptRisk.executeIn(stores, {
      caller,
      deliveryId,
      githubRepoId: repositoryId,
      checkRunId: checkRun.id,
      externalId: checkRun.externalId,
      headSha: checkRun.headSha,
      sender,
    });
    this.logger.log(`delivery ${deliveryId}: accept risk on check run ${checkRun.id} -> ${outcome.outcome}`);
    return accepted(outcome, { githubRepoId: repositoryId, headCommit: checkRun.headSha });
  }
}

function readPayload(payload: object) {
  const body = payload as Record<string, unknown>;
  const run = isObject(body['check_run']) ? body['check_run'] : {};
  const repository = isObject(body['repository']) ? body['repository'] : {};
  const sender = isObject(body['sender']) ? body['sender'] : {};
  const requested = isObject(body['requested_action']) ? body['requested_action'] : {};
  const id = String(run['id'] ?? '');
  const repositoryId = String(repository['id'] ?? '');
  const headSha = run['head_sha'];
  const login = sender['login'];
  const externalId = run['external_id'];
  if (
    !ID.test(id) ||
    !ID.test(repositoryId) ||
    typeof headSha !== 'string' ||
    !SHA.test(headSha) ||
    typeof login !== 'string' ||
    !LOGIN.test(login) ||
    (externalId !== undefined && externalId !== null && typeof externalId !== 'string')
  ) {
    throw malformedPayload(
      'A check_run requested_action needs check_run.id, check_run.head_sha, repository.id and sender.login',
    );
  }
  return {
    checkRun: {
      id,
      headSha,
      externalId: typeof externalId === 'string' && externalId !== '' ? externalId.slice(0, 100) : null,
    },
    repositoryId,
    identifier: typeof requested['identifier'] === 'string' ? requested['identifier'] : null,
    sender: login,
  };
}
