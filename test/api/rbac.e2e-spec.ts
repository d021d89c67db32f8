// Who may do what, over HTTP. Every route × every kind of caller in its own org answers as the
// domain's permission matrix says (`can`, `canGrant`), and nothing of another org is reachable
// or revealed: a foreign id answers exactly like an id that does not exist.
import { randomBytes, randomUUID } from 'node:crypto';
import { can, canGrant, ROLES, type Permission, type Role } from '@repoguard/domain';
import { readOsvExport } from '@repoguard/infrastructure';
import { startApiStack, type ApiStack } from '../support/api-stack';
import type { JsonResponse } from '../support/http';
import { startNotificationReceivers, type NotificationReceivers } from '../support/notification-receivers';
import { sharedOsvExport } from '../support/shared-osv';

const V1 = '/api/v1';
// django 1.11.0 has GHSA advisories in the PyPI export: every org gets findings to triage.
const REQUIREMENTS = 'django==1.11.0\n';

interface Member {
  readonly userId: string;
  readonly token: string;
}

interface OrgFixture {
  readonly orgId: string;
  readonly slug: string;
  readonly ownerId: string;
  readonly personal: Readonly<Record<Role, string>>;
  readonly keys: Readonly<Record<Role, { readonly id: string; readonly token: string }>>;
  readonly memberIds: readonly string[];
  readonly repo: { readonly id: string; readonly fullName: string };
  /** A second repository: the matrix triggers its scans there, so they never race the reads. */
  readonly scanTargetId: string;
  readonly scanId: string;
  readonly snapshotId: string;
  readonly findingId: string;
  /** A pending viewer invitation. */
  readonly invitationId: string;
  /** A Slack channel (test-sends reach the local receiver), a rule on it and a Standard Webhooks one. */
  readonly channelId: string;
  readonly ruleId: string;
  readonly webhookChannelId: string;
  /** A row of the delivery log. */
  readonly deliveryId: string;
  /** A pull-request check of `repo` (pull request #3). */
  readonly prCheckId: string;
}

const CALLERS = ROLES.flatMap((role) => [
  { role, kind: 'personal token' as const },
  { role, kind: 'API key' as const },
]);
type Caller = (typeof CALLERS)[number];
const labelOf = (caller: Caller) => `${caller.role} ${caller.kind}`;
const tokenOf = (org: OrgFixture, caller: Caller) =>
  caller.kind === 'personal token' ? org.personal[caller.role] : org.keys[caller.role].token;

let stack: ApiStack;
let receivers: NotificationReceivers;
let serial = 0;
const unique = (what: string) => `${what}-${++serial}-${randomUUID().slice(0, 6)}`;

/** Set-up steps must succeed: a failure names the step and shows the answer. */
// The bodies are whatever the API answered; the steps pick the fields they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function expectOk(response: Promise<JsonResponse>, status: number, step: string): Promise<any> {
  const { status: actual, body } = await response;
  if (actual !== status)
    throw new Error(`${step}: expected ${status}, got ${actual} ${JSON.stringify(body)}`);
  return body;
}

/** A new email joins anonymously and gets its first token; an existing user accepts with `as`, their own. */
async function join(
  orgId: string,
  inviterToken: string,
  role: Role,
  email?: string,
  as: Member | null = null,
): Promise<Member> {
  const invitation = await expectOk(
    stack.call(inviterToken, 'POST', `${V1}/orgs/${orgId}/invite`, {
      email: email ?? `${unique(role)}@example.test`,
      role,
    }),
    201,
    `inviting a ${role}`,
  );
  const accepted = await expectOk(
    stack.call(as?.token ?? null, 'POST', invitation.accept_path),
    201,
    `accepting a ${role} invitation`,
  );
  return { userId: accepted.user.id, token: accepted.token ?? as?.token };
}

async function createKey(org: { orgId: string; ownerToken: string }, role: Role) {
  const key = await expectOk(
    stack.call(org.ownerToken, 'POST', `${V1}/auth/api-keys`, {
      org_id: org.orgId,
      name: unique(role),
      role,
    }),
    201,
    `creating a ${role} API key`,
  );
  return { id: key.id as string, token: key.key as string };
}

/** A repository on the GitHub stand-in, under the org's slug so the orgs never share names. */
async function githubRepo(slug: string, name = unique('repo')): Promise<string> {
  const repo = await stack.harness.github.createRepo(slug, name);
  await repo.commit({ 'requirements.txt': REQUIREMENTS });
  return `${slug}/${name}`;
}

async function connect(orgId: string, token: string, fullName: string): Promise<string> {
  const repo = await expectOk(
    stack.call(token, 'POST', `${V1}/orgs/${orgId}/repos`, { repo: fullName }),
    201,
    `connecting ${fullName}`,
  );
  return repo.id;
}

async function scanToCompletion(token: string, repoId: string) {
  const queued = await expectOk(stack.call(token, 'POST', `${V1}/repos/${repoId}/scan`, {}), 202, 'scanning');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const scan = await expectOk(stack.call(token, 'GET', `${V1}/scans/${queued.scan_id}`), 200, 'polling');
    if (scan.status === 'COMPLETED') return scan;
    if (scan.status === 'FAILED' || Date.now() > deadline) {
      throw new Error(`scan ${queued.scan_id} did not complete: ${JSON.stringify(scan)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function setUpOrg(label: string): Promise<OrgFixture> {
  const org = await stack.createOrg(label);
  const admin = await join(org.orgId, org.ownerToken, 'admin');
  const viewer = await join(org.orgId, org.ownerToken, 'viewer');
  const [ownerKey, adminKey, viewerKey] = await Promise.all(ROLES.map((role) => createKey(org, role)));

  const fullName = await githubRepo(org.slug, 'app');
  const repoId = await connect(org.orgId, org.ownerToken, fullName);
  const scanTargetId = await connect(org.orgId, org.ownerToken, await githubRepo(org.slug, 'scan-target'));
  const scan = await scanToCompletion(org.ownerToken, repoId);
  const findings = await expectOk(
    stack.call(org.ownerToken, 'GET', `${V1}/repos/${repoId}/findings`),
    200,
    'listing findings',
  );
  if (findings.items.length === 0) throw new Error(`${REQUIREMENTS.trim()} produced no findings`);
  const invitation = await pendingInvitation(org.orgId, org.ownerToken, 'viewer');
  const channelId = await createChannel(org.orgId, org.ownerToken, 'slack');
  const webhookChannelId = await createChannel(org.orgId, org.ownerToken, 'webhook');
  const ruleId = await createRule(org.orgId, org.ownerToken, channelId);
  await setRescanSchedule(org.orgId, org.ownerToken);
  // The dispatcher is off in this stack: a delivery row as it writes one.
  const deliveryId = randomUUID();
  await stack.harness.orm.em
    .getKnex()('notification_deliveries')
    .insert({
      id: deliveryId,
      org_id: org.orgId,
      channel_id: channelId,
      channel_kind: 'slack',
      channel_name: 'alerts',
      rule_ids: JSON.stringify([ruleId]),
      kind: 'immediate',
      group_key: `scan:${scan.id}`,
      event_ids: JSON.stringify([randomUUID()]),
      status: 'delivered',
      attempts: 1,
      last_status_code: 200,
      delivered_at: new Date(),
    });

  // Written as a pull_request delivery would queue it.
  const prCheckId = randomUUID();
  await stack.harness.orm.em
    .getKnex()('pull_request_checks')
    .insert({
      id: prCheckId,
      org_id: org.orgId,
      repo_id: repoId,
      pr_number: 3,
      head_sha: 'c'.repeat(40),
      base_ref: 'main',
      requested_by: 'webhook:rbac',
    });

  return {
    orgId: org.orgId,
    slug: org.slug,
    ownerId: org.ownerId,
    personal: { owner: org.ownerToken, admin: admin.token, viewer: viewer.token },
    keys: { owner: ownerKey!, admin: adminKey!, viewer: viewerKey! },
    memberIds: [admin.userId, viewer.userId],
    repo: { id: repoId, fullName },
    scanTargetId,
    scanId: scan.id,
    snapshotId: scan.snapshot_id,
    findingId: findings.items[0].id,
    invitationId: invitation,
    channelId,
    ruleId,
    webhookChannelId,
    deliveryId,
    prCheckId,
  };
}

async function createChannel(orgId: string, token: string, kind: 'slack' | 'webhook'): Promise<string> {
  const channel = await expectOk(
    stack.call(token, 'POST', `${V1}/orgs/${orgId}/notification-channels`, {
      name: unique(kind),
      kind,
      url: receivers.url(kind, unique('hook')),
    }),
    201,
    `creating a ${kind} channel`,
  );
  return channel.id;
}

async function createRule(orgId: string, token: string, channelId: string): Promise<string> {
  const rule = await expectOk(
    stack.call(token, 'POST', `${V1}/orgs/${orgId}/notification-rules`, {
      name: unique('rule'),
      channel_id: channelId,
      events: ['finding.new', 'repo.status_changed'],
    }),
    201,
    'creating a notification rule',
  );
  return rule.id;
}

async function setRescanSchedule(orgId: string, token: string): Promise<void> {
  await expectOk(
    stack.call(token, 'PUT', `${V1}/orgs/${orgId}/rescan-schedule`, RESCAN_SCHEDULE),
    200,
    'setting the rescan schedule',
  );
}

const RESCAN_SCHEDULE = { frequency: 'daily', hour: 2, timezone: 'UTC' };
const muteUntil = () => new Date(Date.now() + 24 * 60 * 60 * 1000).toISOString();

async function pendingInvitation(orgId: string, token: string, role: Role): Promise<string> {
  const invitation = await expectOk(
    stack.call(token, 'POST', `${V1}/orgs/${orgId}/invite`, {
      email: `${unique('pending')}@example.test`,
      role,
    }),
    201,
    `inviting a pending ${role}`,
  );
  return invitation.id;
}

const freshMember = async (org: OrgFixture, role: Role) =>
  (await join(org.orgId, org.personal.owner, role)).userId;

interface Call {
  readonly path: string;
  readonly body?: unknown;
}

interface Route {
  readonly name: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The route's @Requires permission; null for GET /orgs/me, open to any caller. */
  readonly permission: Permission | null;
  /** The role the request grants, or the role of the member it changes: only a granter of it may. */
  readonly grants?: Role;
  readonly success: number;
  /** The request in `org`, first creating what it consumes (a member to remove, a key to revoke). */
  readonly build: (org: OrgFixture) => Call | Promise<Call>;
}

const ROUTES: readonly Route[] = [
  {
    name: 'GET /orgs/me',
    method: 'GET',
    permission: null,
    success: 200,
    build: () => ({ path: `${V1}/orgs/me` }),
  },
  {
    name: 'PATCH /orgs/{org_id}',
    method: 'PATCH',
    permission: 'org.update',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}`, body: { name: unique('renamed') } }),
  },
  {
    name: 'GET /orgs/{org_id}/members',
    method: 'GET',
    permission: 'members.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/members` }),
  },
  {
    name: 'POST /orgs/{org_id}/invite an admin',
    method: 'POST',
    permission: 'members.invite',
    grants: 'admin',
    success: 201,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/invite`,
      body: { email: `${unique('invitee')}@example.test`, role: 'admin' },
    }),
  },
  {
    name: 'POST /orgs/{org_id}/invite an owner',
    method: 'POST',
    permission: 'members.invite',
    grants: 'owner',
    success: 201,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/invite`,
      body: { email: `${unique('invitee')}@example.test`, role: 'owner' },
    }),
  },
  {
    name: 'GET /auth/me',
    method: 'GET',
    permission: null,
    success: 200,
    build: () => ({ path: `${V1}/auth/me` }),
  },
  {
    name: 'GET /orgs/{org_id}/invitations',
    method: 'GET',
    permission: 'members.invite',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/invitations` }),
  },
  {
    name: 'DELETE /orgs/{org_id}/invitations/{invitation_id} a viewer invitation',
    method: 'DELETE',
    permission: 'members.invite',
    grants: 'viewer',
    success: 204,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/invitations/${await pendingInvitation(org.orgId, org.personal.owner, 'viewer')}`,
    }),
  },
  {
    name: 'DELETE /orgs/{org_id}/invitations/{invitation_id} an owner invitation',
    method: 'DELETE',
    permission: 'members.invite',
    grants: 'owner',
    success: 204,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/invitations/${await pendingInvitation(org.orgId, org.personal.owner, 'owner')}`,
    }),
  },
  {
    name: 'PATCH /orgs/{org_id}/members/{user_id} viewer to admin',
    method: 'PATCH',
    permission: 'members.invite',
    grants: 'admin',
    success: 200,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/members/${await freshMember(org, 'viewer')}`,
      body: { role: 'admin' },
    }),
  },
  {
    name: 'PATCH /orgs/{org_id}/members/{user_id} viewer to owner',
    method: 'PATCH',
    permission: 'members.invite',
    grants: 'owner',
    success: 200,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/members/${await freshMember(org, 'viewer')}`,
      body: { role: 'owner' },
    }),
  },
  {
    name: 'PATCH /orgs/{org_id}/members/{user_id} a co-owner to admin',
    method: 'PATCH',
    permission: 'members.invite',
    grants: 'owner',
    success: 200,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/members/${await freshMember(org, 'owner')}`,
      body: { role: 'admin' },
    }),
  },
  {
    name: 'DELETE /orgs/{org_id}/members/{user_id} a viewer',
    method: 'DELETE',
    permission: 'members.invite',
    grants: 'viewer',
    success: 204,
    build: async (org) => ({ path: `${V1}/orgs/${org.orgId}/members/${await freshMember(org, 'viewer')}` }),
  },
  {
    name: 'DELETE /orgs/{org_id}/members/{user_id} a co-owner',
    method: 'DELETE',
    permission: 'members.invite',
    grants: 'owner',
    success: 204,
    build: async (org) => ({ path: `${V1}/orgs/${org.orgId}/members/${await freshMember(org, 'owner')}` }),
  },
  {
    name: 'POST /auth/api-keys a viewer key',
    method: 'POST',
    permission: 'api_keys.manage',
    grants: 'viewer',
    success: 201,
    build: (org) => ({
      path: `${V1}/auth/api-keys`,
      body: { org_id: org.orgId, name: unique('key'), role: 'viewer' },
    }),
  },
  {
    name: 'POST /auth/api-keys an owner key',
    method: 'POST',
    permission: 'api_keys.manage',
    grants: 'owner',
    success: 201,
    build: (org) => ({
      path: `${V1}/auth/api-keys`,
      body: { org_id: org.orgId, name: unique('key'), role: 'owner' },
    }),
  },
  {
    name: 'GET /auth/api-keys',
    method: 'GET',
    permission: 'api_keys.manage',
    success: 200,
    build: (org) => ({ path: `${V1}/auth/api-keys?org_id=${org.orgId}` }),
  },
  {
    name: 'DELETE /auth/api-keys/{key_id}',
    method: 'DELETE',
    permission: 'api_keys.manage',
    success: 204,
    build: async (org) => {
      const key = await createKey({ orgId: org.orgId, ownerToken: org.personal.owner }, 'viewer');
      return { path: `${V1}/auth/api-keys/${key.id}` };
    },
  },
  {
    name: 'POST /orgs/{org_id}/repos',
    method: 'POST',
    permission: 'repos.connect',
    success: 201,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/repos`,
      body: { repo: await githubRepo(org.slug) },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/repos',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/repos` }),
  },
  {
    name: 'GET /orgs/{org_id}/repos/{repo_id}',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/repos/${org.repo.id}` }),
  },
  {
    name: 'GET /repos/{repo_id}',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}` }),
  },
  {
    name: 'DELETE /orgs/{org_id}/repos/{repo_id}',
    method: 'DELETE',
    permission: 'repos.disconnect',
    success: 204,
    build: async (org) => {
      const repoId = await connect(org.orgId, org.personal.owner, await githubRepo(org.slug));
      return { path: `${V1}/orgs/${org.orgId}/repos/${repoId}` };
    },
  },
  {
    name: 'POST /orgs/{org_id}/sboms',
    method: 'POST',
    permission: 'repos.connect',
    success: 202,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/sboms?name=${unique('image')}`,
      body: {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        components: [
          { type: 'library', name: 'requests', version: '2.19.0', purl: 'pkg:pypi/requests@2.19.0' },
        ],
      },
    }),
  },
  {
    name: 'POST /repos/{repo_id}/scan',
    method: 'POST',
    permission: 'scans.trigger',
    success: 202,
    build: (org) => ({ path: `${V1}/repos/${org.scanTargetId}/scan`, body: {} }),
  },
  {
    name: 'GET /repos/{repo_id}/scans',
    method: 'GET',
    permission: 'scans.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/scans` }),
  },
  {
    name: 'GET /scans/{scan_id}',
    method: 'GET',
    permission: 'scans.read',
    success: 200,
    build: (org) => ({ path: `${V1}/scans/${org.scanId}` }),
  },
  {
    name: 'GET /repos/{repo_id}/findings',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/findings` }),
  },
  {
    name: 'GET /repos/{repo_id}/pull-requests/{number}/checks',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/pull-requests/3/checks` }),
  },
  {
    name: 'GET /repos/{repo_id}/pull-request-checks/{check_id}',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/pull-request-checks/${org.prCheckId}` }),
  },
  {
    name: 'GET /orgs/{org_id}/findings',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/findings?package=django` }),
  },
  {
    name: 'PATCH /findings/{finding_id}',
    method: 'PATCH',
    permission: 'findings.triage',
    success: 200,
    build: (org) => ({
      path: `${V1}/findings/${org.findingId}`,
      body: { status: 'ignored', reason: 'not reachable from our code' },
    }),
  },
  {
    name: 'POST /repos/{repo_id}/vex',
    method: 'POST',
    permission: 'findings.triage',
    success: 200,
    build: (org) => ({
      path: `${V1}/repos/${org.repo.id}/vex`,
      body: {
        '@context': 'https://openvex.dev/ns/v0.2.0',
        '@id': 'https://example.com/vex/rbac',
        statements: [
          {
            vulnerability: { name: 'CVE-2099-0001' },
            products: [{ '@id': 'pkg:pypi/django@1.0.0' }],
            status: 'under_investigation',
          },
        ],
      },
    }),
  },
  {
    name: 'GET /repos/{repo_id}/snapshots/{snapshot_id}',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/snapshots/${org.snapshotId}` }),
  },
  {
    name: 'GET /repos/{repo_id}/sbom',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/sbom?format=spdx&scan_id=${org.scanId}` }),
  },
  {
    name: 'GET /repos/{repo_id}/vex',
    method: 'GET',
    permission: 'findings.read',
    success: 200,
    build: (org) => ({ path: `${V1}/repos/${org.repo.id}/vex?format=openvex` }),
  },
  {
    name: 'PUT /orgs/{org_id}/policies',
    method: 'PUT',
    permission: 'policies.update',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/policies`,
      body: { rules: { schema_version: 1, fail_on_severity: 'CRITICAL', warn_on_severity: 'HIGH' } },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/policies',
    method: 'GET',
    permission: 'policies.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/policies` }),
  },
  {
    name: 'GET /orgs/{org_id}/policies/evaluation',
    method: 'GET',
    permission: 'policies.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/policies/evaluation?repo_id=${org.repo.id}` }),
  },
  {
    name: 'GET /orgs/{org_id}/summary',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/summary` }),
  },
  {
    name: 'POST /orgs/{org_id}/policies/dry-run',
    method: 'POST',
    permission: 'policies.update',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/policies/dry-run`,
      body: { rules: { schema_version: 1, fail_on_severity: 'CRITICAL' } },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/audit-logs',
    method: 'GET',
    permission: 'audit.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/audit-logs` }),
  },
  {
    name: 'PUT /orgs/{org_id}/github/token',
    method: 'PUT',
    permission: 'repos.connect',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/github/token`,
      body: { token: `ghp_${unique('tok')}` },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/github/token',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/github/token` }),
  },
  {
    name: 'GET /orgs/{org_id}/github/installations',
    method: 'GET',
    permission: 'repos.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/github/installations` }),
  },
  {
    name: 'DELETE /orgs/{org_id}/github/token',
    method: 'DELETE',
    permission: 'repos.connect',
    success: 204,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/github/token` }),
  },
  {
    name: 'POST /orgs/{org_id}/notification-channels',
    method: 'POST',
    permission: 'notifications.manage',
    success: 201,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-channels`,
      body: { name: unique('channel'), kind: 'discord', url: receivers.url('discord', unique('hook')) },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/notification-channels',
    method: 'GET',
    permission: 'notifications.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-channels` }),
  },
  {
    name: 'GET /orgs/{org_id}/notification-channels/{channel_id}',
    method: 'GET',
    permission: 'notifications.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-channels/${org.channelId}` }),
  },
  {
    name: 'PATCH /orgs/{org_id}/notification-channels/{channel_id}',
    method: 'PATCH',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-channels/${org.channelId}`,
      body: { name: unique('renamed') },
    }),
  },
  {
    name: 'DELETE /orgs/{org_id}/notification-channels/{channel_id}',
    method: 'DELETE',
    permission: 'notifications.manage',
    success: 204,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-channels/${await createChannel(org.orgId, org.personal.owner, 'slack')}`,
    }),
  },
  {
    name: 'POST /orgs/{org_id}/notification-channels/{channel_id}/test',
    method: 'POST',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-channels/${org.channelId}/test` }),
  },
  {
    name: 'POST /orgs/{org_id}/notification-channels/{channel_id}/rotate-secret',
    method: 'POST',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-channels/${org.webhookChannelId}/rotate-secret`,
    }),
  },
  {
    name: 'POST /orgs/{org_id}/notification-rules',
    method: 'POST',
    permission: 'notifications.manage',
    success: 201,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-rules`,
      body: { name: unique('rule'), channel_id: org.channelId, events: ['scan.failed'] },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/notification-rules',
    method: 'GET',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-rules` }),
  },
  {
    name: 'GET /orgs/{org_id}/notification-rules/{rule_id}',
    method: 'GET',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-rules/${org.ruleId}` }),
  },
  {
    name: 'PATCH /orgs/{org_id}/notification-rules/{rule_id}',
    method: 'PATCH',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-rules/${org.ruleId}`,
      body: { min_severity: 'HIGH' },
    }),
  },
  {
    name: 'DELETE /orgs/{org_id}/notification-rules/{rule_id}',
    method: 'DELETE',
    permission: 'notifications.manage',
    success: 204,
    build: async (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-rules/${await createRule(org.orgId, org.personal.owner, org.channelId)}`,
    }),
  },
  {
    name: 'PUT /orgs/{org_id}/notification-rules/{rule_id}/mutes/{repo_id}',
    method: 'PUT',
    permission: 'notifications.manage',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/notification-rules/${org.ruleId}/mutes/${org.repo.id}`,
      body: { until: muteUntil() },
    }),
  },
  {
    name: 'DELETE /orgs/{org_id}/notification-rules/{rule_id}/mutes/{repo_id}',
    method: 'DELETE',
    permission: 'notifications.manage',
    success: 204,
    build: async (org) => {
      const path = `${V1}/orgs/${org.orgId}/notification-rules/${org.ruleId}/mutes/${org.scanTargetId}`;
      await expectOk(stack.call(org.personal.owner, 'PUT', path, { until: muteUntil() }), 200, 'muting');
      return { path };
    },
  },
  {
    name: 'GET /orgs/{org_id}/notification-deliveries',
    method: 'GET',
    permission: 'audit.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-deliveries` }),
  },
  {
    name: 'GET /orgs/{org_id}/notification-deliveries/{delivery_id}',
    method: 'GET',
    permission: 'audit.read',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/notification-deliveries/${org.deliveryId}` }),
  },
  {
    name: 'PUT /orgs/{org_id}/rescan-schedule',
    method: 'PUT',
    permission: 'scans.trigger',
    success: 200,
    build: (org) => ({
      path: `${V1}/orgs/${org.orgId}/rescan-schedule`,
      body: { ...RESCAN_SCHEDULE, hour: 3 },
    }),
  },
  {
    name: 'GET /orgs/{org_id}/rescan-schedule',
    method: 'GET',
    permission: 'scans.trigger',
    success: 200,
    build: (org) => ({ path: `${V1}/orgs/${org.orgId}/rescan-schedule` }),
  },
  {
    name: 'DELETE /orgs/{org_id}/rescan-schedule',
    method: 'DELETE',
    permission: 'scans.trigger',
    success: 204,
    build: async (org) => {
      await setRescanSchedule(org.orgId, org.personal.owner);
      return { path: `${V1}/orgs/${org.orgId}/rescan-schedule` };
    },
  },
];

function mayCall(route: Route, role: Role): boolean {
  if (route.permission === null) return true;
  return can(role, route.permission) && (route.grants === undefined || canGrant(role, route.grants));
}

/** `role kind: status`, with the error code when it failed: one line per caller, diffed at once. */
const outcome = (caller: Caller, { status, body }: JsonResponse) =>
  `${labelOf(caller)}: ${status}${status >= 400 ? ` ${body?.error?.code}` : ''}`;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Routes where org A's path holds another org's resource. */
interface MixedRoute {
  readonly name: string;
  readonly method: Route['method'];
  readonly permission: Permission;
  /**
   * 'path': the org comes from org A's id in the path, so a role lacking the permission is refused
   * (403) before the foreign resource is looked up; 'resource': the org comes from the resource (404).
   */
  readonly orgFrom: 'path' | 'resource';
  readonly build: (own: OrgFixture, other: OrgFixture) => Call;
}

const MIXED: readonly MixedRoute[] = [
  {
    name: "DELETE /orgs/{A}/invitations/{B's invitation}",
    method: 'DELETE',
    permission: 'members.invite',
    orgFrom: 'path',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/invitations/${other.invitationId}` }),
  },
  {
    name: "GET /orgs/{A}/repos/{B's repo}",
    method: 'GET',
    permission: 'repos.read',
    orgFrom: 'resource',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/repos/${other.repo.id}` }),
  },
  {
    name: "DELETE /orgs/{A}/repos/{B's repo}",
    method: 'DELETE',
    permission: 'repos.disconnect',
    orgFrom: 'resource',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/repos/${other.repo.id}` }),
  },
  {
    name: "GET /repos/{A's repo}/snapshots/{B's snapshot}",
    method: 'GET',
    permission: 'repos.read',
    orgFrom: 'resource',
    build: (own, other) => ({ path: `${V1}/repos/${own.repo.id}/snapshots/${other.snapshotId}` }),
  },
  {
    name: "GET /repos/{A's repo}/sbom?scan_id={B's scan}",
    method: 'GET',
    permission: 'findings.read',
    orgFrom: 'resource',
    build: (own, other) => ({ path: `${V1}/repos/${own.repo.id}/sbom?scan_id=${other.scanId}` }),
  },
  {
    name: "GET /repos/{A's repo}/vex?scan_id={B's scan}",
    method: 'GET',
    permission: 'findings.read',
    orgFrom: 'resource',
    build: (own, other) => ({ path: `${V1}/repos/${own.repo.id}/vex?scan_id=${other.scanId}` }),
  },
  {
    name: "GET /orgs/{A}/policies/evaluation?repo_id={B's repo}",
    method: 'GET',
    permission: 'policies.read',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/policies/evaluation?repo_id=${other.repo.id}`,
    }),
  },
  {
    name: "PATCH /orgs/{A}/members/{B's member}",
    method: 'PATCH',
    permission: 'members.invite',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/members/${other.memberIds[0]}`,
      body: { role: 'viewer' },
    }),
  },
  {
    name: "DELETE /orgs/{A}/members/{B's member}",
    method: 'DELETE',
    permission: 'members.invite',
    orgFrom: 'path',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/members/${other.memberIds[0]}` }),
  },
  {
    name: "GET /orgs/{A}/notification-channels/{B's channel}",
    method: 'GET',
    permission: 'notifications.read',
    orgFrom: 'path',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/notification-channels/${other.channelId}` }),
  },
  {
    name: "POST /orgs/{A}/notification-channels/{B's channel}/test",
    method: 'POST',
    permission: 'notifications.manage',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/notification-channels/${other.channelId}/test`,
    }),
  },
  {
    name: "DELETE /orgs/{A}/notification-channels/{B's channel}",
    method: 'DELETE',
    permission: 'notifications.manage',
    orgFrom: 'path',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/notification-channels/${other.channelId}` }),
  },
  {
    name: "POST /orgs/{A}/notification-rules on B's channel",
    method: 'POST',
    permission: 'notifications.manage',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/notification-rules`,
      body: { name: unique('rule'), channel_id: other.channelId, events: ['scan.failed'] },
    }),
  },
  {
    name: "PATCH /orgs/{A}/notification-rules/{B's rule}",
    method: 'PATCH',
    permission: 'notifications.manage',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/notification-rules/${other.ruleId}`,
      body: { enabled: false },
    }),
  },
  {
    name: "PUT /orgs/{A}/notification-rules/{A's rule}/mutes/{B's repo}",
    method: 'PUT',
    permission: 'notifications.manage',
    orgFrom: 'path',
    build: (own, other) => ({
      path: `${V1}/orgs/${own.orgId}/notification-rules/${own.ruleId}/mutes/${other.repo.id}`,
      body: { until: muteUntil() },
    }),
  },
  {
    name: "GET /orgs/{A}/notification-deliveries/{B's delivery}",
    method: 'GET',
    permission: 'audit.read',
    orgFrom: 'path',
    build: (own, other) => ({ path: `${V1}/orgs/${own.orgId}/notification-deliveries/${other.deliveryId}` }),
  },
];

describe('RBAC and tenant isolation over the API', () => {
  let a: OrgFixture;
  let b: OrgFixture;

  beforeAll(async () => {
    receivers = await startNotificationReceivers();
    stack = await startApiStack({
      name: 'rbac',
      advisories: readOsvExport(sharedOsvExport('PyPI-ghsa.zip')).records,
      encryptionKey: randomBytes(32).toString('base64'),
      env: {
        // Channels reach the local receivers over plain http on the loopback.
        NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_ALLOW_HTTP: 'true',
        // Answers only: no Schedules in the shared Temporal, no deliveries of the matrix's scans.
        NOTIFICATION_SCHEDULE_RECONCILE_INTERVAL_MS: '0',
        NOTIFY_DISPATCH_INTERVAL_MS: '0',
      },
    });
    [a, b] = await Promise.all([setUpOrg('rbac-a'), setUpOrg('rbac-b')]);
  });
  afterAll(async () => {
    await stack?.close();
    await receivers?.close();
  });

  describe('in its own org, each caller may do exactly what its role permits', () => {
    it.each(ROUTES)('$name', async (route) => {
      const actual: string[] = [];
      const expected: string[] = [];
      for (const caller of CALLERS) {
        const { path, body } = await route.build(a);
        actual.push(outcome(caller, await stack.call(tokenOf(a, caller), route.method, path, body)));
        expected.push(`${labelOf(caller)}: ${mayCall(route, caller.role) ? route.success : '403 FORBIDDEN'}`);
      }
      expect(actual).toEqual(expected);
    });

    it('POST /orgs: only the instance admin token creates orgs', async () => {
      const body = () => {
        const slug = unique('made').toLowerCase();
        return { name: slug, slug, owner_email: `owner-${slug}@example.test` };
      };
      const actual: string[] = [];
      for (const caller of CALLERS) {
        actual.push(outcome(caller, await stack.call(tokenOf(a, caller), 'POST', `${V1}/orgs`, body())));
      }
      expect(actual).toEqual(CALLERS.map((caller) => `${labelOf(caller)}: 403 FORBIDDEN`));
      expect((await stack.call(stack.adminToken, 'POST', `${V1}/orgs`, body())).status).toBe(201);
    });
  });

  describe("org A's callers, with org B's ids", () => {
    /** B's identifying data: none of it may appear in an answer unless the caller sent it. */
    const secretsOf = (org: OrgFixture) => [
      org.orgId,
      org.slug,
      org.ownerId,
      ...org.memberIds,
      ...ROLES.map((role) => org.keys[role].id),
      org.repo.id,
      org.repo.fullName,
      org.scanTargetId,
      org.scanId,
      org.snapshotId,
      org.findingId,
      org.invitationId,
      org.channelId,
      org.webhookChannelId,
      org.ruleId,
      org.deliveryId,
      org.prCheckId,
    ];

    /**
     * Calls with B's ids and again with random ids in their place: both must be 404, with the same
     * body once the ids are swapped back, and the answer may reveal no B data the caller did not send.
     */
    async function probe(caller: Caller, method: Route['method'], call: Call): Promise<string> {
      const foreign = await stack.call(tokenOf(a, caller), method, call.path, call.body);
      const own = new Set([a.orgId, a.repo.id, a.ruleId]);
      const sent = `${call.path} ${JSON.stringify(call.body ?? null)}`;
      const swaps = [...new Set(sent.match(UUID) ?? [])]
        .filter((id) => !own.has(id))
        .map((id) => [id, randomUUID()] as const);
      const swap = (text: string, from: 0 | 1, to: 0 | 1) =>
        swaps.reduce((acc, pair) => acc.split(pair[from]).join(pair[to]), text);
      const missing = await stack.call(
        tokenOf(a, caller),
        method,
        swap(call.path, 0, 1),
        call.body === undefined ? undefined : JSON.parse(swap(JSON.stringify(call.body), 0, 1)),
      );
      const text = JSON.stringify(foreign.body ?? null);
      const leaks = secretsOf(b).filter((secret) => !sent.includes(secret) && text.includes(secret));
      const unlikeMissing =
        missing.status !== foreign.status || swap(JSON.stringify(missing.body ?? null), 1, 0) !== text;
      return [
        outcome(caller, foreign),
        ...(leaks.length > 0 ? [`reveals ${leaks.join(', ')}`] : []),
        ...(unlikeMissing ? [`unlike a missing id (${missing.status}): ${text}`] : []),
      ].join(' ');
    }

    it.each(ROUTES.filter((route) => route.permission !== null))('$name → 404', async (route) => {
      const actual: string[] = [];
      for (const caller of CALLERS) {
        actual.push(await probe(caller, route.method, await route.build(b)));
      }
      // 404 whatever the role: org B does not exist for org A's callers, so neither does a permission there.
      expect(actual.map((line) => line.replace(/ [A-Z_]*NOT_FOUND$/, ''))).toEqual(
        CALLERS.map((caller) => `${labelOf(caller)}: 404`),
      );
    });

    it.each(MIXED)('$name', async (route) => {
      const actual: string[] = [];
      const expected: string[] = [];
      for (const caller of CALLERS) {
        actual.push(await probe(caller, route.method, route.build(a, b)));
        const refused = route.orgFrom === 'path' && !can(caller.role, route.permission);
        expected.push(`${labelOf(caller)}: ${refused ? '403 FORBIDDEN' : '404'}`);
      }
      expect(actual.map((line) => line.replace(/ [A-Z_]*NOT_FOUND$/, ''))).toEqual(expected);
    });

    it('GET /orgs/me lists only org A, with the caller’s role there', async () => {
      for (const caller of CALLERS) {
        const { status, body } = await stack.call(tokenOf(a, caller), 'GET', `${V1}/orgs/me`);
        expect(status).toBe(200);
        expect(body.items.map((org: { id: string; role: string }) => [org.id, org.role])).toEqual([
          [a.orgId, caller.role],
        ]);
        expect(JSON.stringify(body)).not.toContain(b.slug);
      }
    });
  });

  it('DELETE /orgs/{org_id}: owners only (a token or an owner key); afterwards nothing of it works', async () => {
    const doomed = await stack.createOrg('rbac-doomed');
    const admin = await join(doomed.orgId, doomed.ownerToken, 'admin');
    const viewer = await join(doomed.orgId, doomed.ownerToken, 'viewer');
    const keys = {
      owner: await createKey(doomed, 'owner'),
      admin: await createKey(doomed, 'admin'),
      viewer: await createKey(doomed, 'viewer'),
    };
    const path = `${V1}/orgs/${doomed.orgId}`;
    const refused = [admin.token, viewer.token, keys.admin.token, keys.viewer.token];
    for (const token of refused) {
      const { status, body } = await stack.call(token, 'DELETE', path);
      expect([status, body.error.code]).toEqual([403, 'FORBIDDEN']);
    }
    // Org A's owner: org B's deletion is a 404 like any foreign id.
    expect((await stack.call(a.personal.owner, 'DELETE', `${V1}/orgs/${b.orgId}`)).status).toBe(404);
    const pending = await expectOk(
      stack.call(doomed.ownerToken, 'POST', `${path}/invite`, {
        email: `${unique('late')}@example.test`,
        role: 'viewer',
      }),
      201,
      'inviting before the deletion',
    );

    expect((await stack.call(keys.owner.token, 'DELETE', path)).status).toBe(204);

    const me = await stack.call(doomed.ownerToken, 'GET', `${V1}/orgs/me`);
    expect([me.status, me.body.items]).toEqual([200, []]);
    expect((await stack.call(doomed.ownerToken, 'GET', `${path}/repos`)).status).toBe(404);
    expect((await stack.call(admin.token, 'GET', `${path}/members`)).status).toBe(404);
    for (const key of Object.values(keys)) {
      expect((await stack.call(key.token, 'GET', `${V1}/orgs/me`)).status).toBe(401);
    }
    const late = await stack.call(null, 'POST', pending.accept_path);
    expect([late.status, late.body.error.code]).toEqual([410, 'INVITATION_EXPIRED']);
    // The other org is untouched, and the deletion is in the deleted org's audit trail.
    expect((await stack.call(a.personal.owner, 'GET', `${V1}/orgs/${a.orgId}/members`)).status).toBe(200);
    const trail = await stack.harness.orm.em
      .getKnex()('audit_logs')
      .where({ org_id: doomed.orgId, action: 'org.deleted' })
      .select('actor_type', 'actor_id');
    expect(trail).toEqual([{ actor_type: 'api_key', actor_id: keys.owner.id }]);
  });

  it('a member of both orgs sees both, with its role in each, and acts in each by that role', async () => {
    const email = `${unique('both')}@example.test`;
    const inA = await join(a.orgId, a.personal.owner, 'viewer', email);
    // An existing user joins signed in as themselves (anonymously, accepting once handed out their token).
    const inB = await join(b.orgId, b.personal.owner, 'admin', email, inA);
    expect(inB.userId).toBe(inA.userId);
    const second = await expectOk(
      stack.call(inA.token, 'POST', `${V1}/auth/tokens`, { name: 'second' }),
      201,
      'a second personal token',
    );

    for (const token of [inA.token, second.token as string]) {
      const { status, body } = await stack.call(token, 'GET', `${V1}/orgs/me`);
      expect(status).toBe(200);
      const roles = Object.fromEntries(
        body.items.map((org: { id: string; role: string }) => [org.id, org.role]),
      );
      expect(roles).toEqual({ [a.orgId]: 'viewer', [b.orgId]: 'admin' });
      // audit.read: admins only, so the same token is refused in A and served in B.
      expect((await stack.call(token, 'GET', `${V1}/orgs/${a.orgId}/audit-logs`)).status).toBe(403);
      expect((await stack.call(token, 'GET', `${V1}/orgs/${b.orgId}/audit-logs`)).status).toBe(200);
    }
  });
});
