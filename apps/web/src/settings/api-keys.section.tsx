import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Role } from '../api/api-types';
import { apiSend, problemsByField } from '../api/api-send';
import { FormField } from '../layout/form-field';
import { useToken } from '../session/session.context';
import { apiKeysPath, grantable, ROLE_WORDS, type ApiKey, type CreatedApiKey } from './settings-api';
import { ListState, Refusal, useItems, useRefresh } from './settings-lists';

export const useApiKeys = (orgId: string) => useItems<ApiKey>('api-keys', orgId, apiKeysPath(orgId));

export function ApiKeysSection({ orgId, role }: { orgId: string; role: Role | null }) {
  const token = useToken();
  const keys = useApiKeys(orgId);
  const [name, setName] = useState('');
  const [keyRole, setKeyRole] = useState<Role>('viewer');
  const [expires, setExpires] = useState('');
  const [shown, setShown] = useState<CreatedApiKey | null>(null);
  const done = useRefresh('api-keys');
  const create = useMutation({
    mutationFn: () =>
      apiSend<CreatedApiKey>(token, 'POST', '/auth/api-keys', {
        org_id: orgId,
        name: name.trim(),
        role: keyRole,
        // The end of the day chosen, in the browser's time zone.
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      }),
    onSuccess: async (key) => {
      setShown(key);
      setName('');
      setExpires('');
      await done();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => apiSend(token, 'DELETE', `/auth/api-keys/${id}`),
    onSuccess: done,
  });
  const problems = problemsByField(create.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setShown(null);
    create.mutate();
  };

  return (
    <section aria-labelledby="api-keys" className="panel">
      <h2 id="api-keys">API keys</h2>
      <ListState
        query={keys}
        what="the API keys"
        empty="No API key yet."
        columns={['Name', 'Role', 'Starts with', 'Created', 'State']}
      >
        {(items) => (
          <>
            {items.map((key) => (
              <tr key={key.id} data-testid={`api-key-${key.name}`}>
                <th scope="row">{key.name}</th>
                <td>{key.role}</td>
                <td>
                  <code>{key.prefix}</code>
                </td>
                <td>
                  <time dateTime={key.created_at}>{new Date(key.created_at).toLocaleDateString()}</time>
                </td>
                <td>
                  {key.revoked_at ? (
                    <span>Revoked {new Date(key.revoked_at).toLocaleString()}</span>
                  ) : key.expires_at &&
                    Date.parse(key.expires_at) <= keys.dataUpdatedAt /* as of the read */ ? (
                    <span>Expired</span>
                  ) : (
                    <span className="actions">
                      <span>
                        Active
                        {key.expires_at && `, until ${new Date(key.expires_at).toLocaleDateString()}`}
                      </span>
                      <button
                        type="button"
                        className="secondary"
                        disabled={revoke.isPending}
                        onClick={() => revoke.mutate(key.id)}
                      >
                        Revoke<span className="visually-hidden"> {key.name}</span>
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </>
        )}
      </ListState>
      <Refusal error={revoke.error} doing="revoke the key" />

      <form onSubmit={submit} noValidate aria-labelledby="create-key-title" className="inline-form">
        <h3 id="create-key-title">Create an API key</h3>
        {problems.get('') && (
          <p className="problem" role="alert">
            {problems.get('')!.join(' ')}
          </p>
        )}
        <FormField id="key-name" label="Name" problems={problems.get('name')} help="What uses it, e.g. ci">
          {(props) => (
            <input {...props} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
          )}
        </FormField>
        <FormField id="key-role" label="Role" problems={problems.get('role')}>
          {(props) => (
            <select {...props} value={keyRole} onChange={(e) => setKeyRole(e.target.value as Role)}>
              {grantable(role).map((r) => (
                <option key={r} value={r}>
                  {ROLE_WORDS[r]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField id="key-expires" label="Expires (optional)" problems={problems.get('expires_at')}>
          {(props) => (
            <input {...props} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
          )}
        </FormField>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {shown && (
        <div role="status" className="notice secret" data-testid="api-key-secret">
          <p>Key {shown.name} created. Copy it now: it is not shown again.</p>
          <code>{shown.key}</code>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => void navigator.clipboard?.writeText(shown.key)}
            >
              Copy the key
            </button>
            <button type="button" className="secondary" onClick={() => setShown(null)}>
              I have copied it
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
