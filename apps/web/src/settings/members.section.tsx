import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '../api/api-types';
import { apiSend, problemsByField } from '../api/api-send';
import { FormField } from '../layout/form-field';
import { canUse } from '../session/role-controls';
import { useToken } from '../session/session.context';
import {
  grantable,
  invitationsPath,
  invitePath,
  membersPath,
  ROLE_WORDS,
  type CreatedInvitation,
  type Member,
  type PendingInvitation,
} from './settings-api';
import { ListState, Refusal, useItems, useRefresh } from './settings-lists';

export function MembersSection({ orgId, role }: { orgId: string; role: Role | null }) {
  const token = useToken();
  const members = useItems<Member>('members', orgId, membersPath(orgId));
  const [removing, setRemoving] = useState<string | null>(null);
  const [roles, setRoles] = useState<Record<string, Role>>({});
  const done = useRefresh('members');
  const change = useMutation({
    mutationFn: ({ userId, next }: { userId: string; next: Role }) =>
      apiSend(token, 'PATCH', `${membersPath(orgId)}/${userId}`, { role: next }),
    onSuccess: done,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => apiSend(token, 'DELETE', `${membersPath(orgId)}/${userId}`),
    onSuccess: async () => {
      setRemoving(null);
      await done();
    },
  });
  const manages = canUse(role, 'members.invite');
  const options = grantable(role);

  return (
    <section aria-labelledby="members" className="panel">
      <h2 id="members">Members</h2>
      <ListState
        query={members}
        what="the members"
        empty="No members."
        columns={manages ? ['Member', 'Role', 'Joined', 'Change'] : ['Member', 'Role', 'Joined']}
      >
        {(items) => (
          <>
            {items.map((m) => {
              const name = m.email ?? m.user_id;
              // Only an owner changes or removes an owner (members.manage_owners).
              const mayChange = manages && (role === 'owner' || m.role !== 'owner');
              const chosen = roles[m.user_id] ?? m.role;
              return (
                <tr key={m.user_id} data-testid={`member-${m.email ?? m.user_id}`}>
                  <th scope="row">{name}</th>
                  <td>{m.role}</td>
                  <td>
                    <time dateTime={m.joined_at}>{new Date(m.joined_at).toLocaleDateString()}</time>
                  </td>
                  {manages && (
                    <td>
                      {!mayChange ? (
                        <span className="muted">Only an owner changes an owner.</span>
                      ) : removing === m.user_id ? (
                        <span className="actions">
                          <span>Remove {name} from the org?</span>
                          <button type="button" onClick={() => remove.mutate(m.user_id)}>
                            Yes, remove
                          </button>
                          <button type="button" className="secondary" onClick={() => setRemoving(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <span className="actions">
                          <label>
                            <span className="visually-hidden">Role of {name}</span>
                            <select
                              value={chosen}
                              onChange={(e) => setRoles({ ...roles, [m.user_id]: e.target.value as Role })}
                            >
                              {[...new Set([m.role, ...options])].map((r) => (
                                <option key={r} value={r}>
                                  {r}
                                </option>
                              ))}
                            </select>
                          </label>
                          <button
                            type="button"
                            className="secondary"
                            disabled={chosen === m.role || change.isPending}
                            onClick={() => change.mutate({ userId: m.user_id, next: chosen })}
                          >
                            Change role<span className="visually-hidden"> of {name}</span>
                          </button>
                          <button type="button" className="secondary" onClick={() => setRemoving(m.user_id)}>
                            Remove<span className="visually-hidden"> {name}</span>
                          </button>
                        </span>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </>
        )}
      </ListState>
      <Refusal error={change.error} doing="change the role" />
      <Refusal error={remove.error} doing="remove the member" />
    </section>
  );
}

export function InvitationsSection({ orgId, role }: { orgId: string; role: Role | null }) {
  const token = useToken();
  const invitations = useItems<PendingInvitation>('invitations', orgId, invitationsPath(orgId));
  const options = grantable(role);
  const [email, setEmail] = useState('');
  const [invitedRole, setInvitedRole] = useState<Role>('viewer');
  const done = useRefresh('invitations');
  const invite = useMutation({
    mutationFn: () =>
      apiSend<CreatedInvitation>(token, 'POST', invitePath(orgId), {
        email: email.trim(),
        role: invitedRole,
      }),
    onSuccess: async () => {
      setEmail('');
      await done();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiSend(token, 'DELETE', `${invitationsPath(orgId)}/${id}`),
    onSuccess: done,
  });
  const problems = problemsByField(invite.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };

  return (
    <section aria-labelledby="invitations" className="panel">
      <h2 id="invitations">Invitations</h2>
      <ListState
        query={invitations}
        what="the invitations"
        empty="No invitation is waiting."
        columns={['Email', 'Role', 'Expires', 'Revoke']}
      >
        {(items) => (
          <>
            {items.map((inv) => (
              <tr key={inv.id} data-testid={`invitation-${inv.email}`}>
                <th scope="row">{inv.email}</th>
                <td>{inv.role}</td>
                <td>
                  <time dateTime={inv.expires_at}>{new Date(inv.expires_at).toLocaleString()}</time>
                </td>
                <td>
                  <button
                    type="button"
                    className="secondary"
                    disabled={revoke.isPending}
                    onClick={() => revoke.mutate(inv.id)}
                  >
                    Revoke<span className="visually-hidden"> the invitation of {inv.email}</span>
                  </button>
                </td>
              </tr>
            ))}
          </>
        )}
      </ListState>
      <Refusal error={revoke.error} doing="revoke the invitation" />

      <form onSubmit={submit} noValidate aria-labelledby="invite-title" className="inline-form">
        <h3 id="invite-title">Invite someone</h3>
        {problems.get('') && (
          <p className="problem" role="alert">
            {problems.get('')!.join(' ')}
          </p>
        )}
        <FormField id="invite-email" label="Email" problems={problems.get('email')}>
          {(props) => (
            <input
              {...props}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </FormField>
        <FormField id="invite-role" label="Role" problems={problems.get('role')}>
          {(props) => (
            <select {...props} value={invitedRole} onChange={(e) => setInvitedRole(e.target.value as Role)}>
              {options.map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <button type="submit" disabled={invite.isPending}>
          {invite.isPending ? 'Inviting…' : 'Invite'}
        </button>
        {invite.isSuccess && (
          <div role="status" className="notice secret" data-testid="invitation-created">
            <p>
              Invited {invite.data.email} as {invite.data.role}. Give them this invitation token; it is shown
              only now:
            </p>
            <code>{invite.data.token}</code>
            <p className="help">
              They accept it with <code>POST /api/v1/invites/&lt;token&gt;/accept</code> before{' '}
              {new Date(invite.data.expires_at).toLocaleString()}.
            </p>
          </div>
        )}
      </form>
    </section>
  );
}
