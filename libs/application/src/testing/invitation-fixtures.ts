import type { InvitationRecord, InvitationRepository } from '@repoguard/domain';

/** A pending viewer invitation of org-1 to bob@example.com, as stored, with the overrides given. */
export const invitationRecord = (overrides: Partial<InvitationRecord> = {}): InvitationRecord => ({
  id: 'inv-1',
  orgId: 'org-1',
  email: 'bob@example.com',
  role: 'viewer',
  expiresAt: new Date('2026-06-02T00:00:00.000Z'),
  acceptedAt: null,
  revokedAt: null,
  invitedBy: 'owner-id',
  createdAt: new Date('2026-05-30T00:00:00.000Z'),
  ...overrides,
});

/** An invitation store that finds nothing and changes nothing, but for the methods a test gives. */
export const invitationStore = (methods: Partial<InvitationRepository>): InvitationRepository => ({
  add: () => {
    throw new Error('the test expected no invitation to be added');
  },
  lockByTokenHash: () => Promise.resolve(null),
  markAccepted: () => Promise.resolve(),
  expirePending: () => Promise.resolve(),
  listPending: () => Promise.resolve([]),
  lockInOrg: () => Promise.resolve(null),
  markRevoked: () => Promise.resolve(),
  ...methods,
});
