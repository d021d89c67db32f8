import { useEffect } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { canUse } from '../session/role-controls';
import { useIdentity, useMyOrgs, useOrgRole } from '../session/session.context';
import { Loading } from '../layout/query-states';
import { ApiKeysSection } from './api-keys.section';
import { AuditLogSection } from './audit-log.section';
import { InvitationsSection, MembersSection } from './members.section';
import './settings.css';

/** Members for everyone; invitations, API keys and the audit log for the roles the API lets use them. */
export function SettingsPage() {
  const { orgId = '' } = useParams();
  const [search] = useSearchParams();
  const identity = useIdentity();
  const role = useOrgRole(orgId);
  const org = useMyOrgs().data?.find((o) => o.id === orgId);
  useEffect(() => {
    document.title = `Settings${org ? ` · ${org.name}` : ''} · RepoGuard`;
  }, [org]);

  const sections = [
    canUse(role, 'members.invite') && { id: 'invitations', label: 'Invitations' },
    canUse(role, 'api_keys.manage') && { id: 'api-keys', label: 'API keys' },
    canUse(role, 'audit.read') && { id: 'audit-log', label: 'Audit log' },
  ].filter((s): s is { id: string; label: string } => Boolean(s));

  return (
    <div className="settings-page">
      <h1>Settings{org && <span className="subtitle"> of {org.name}</span>}</h1>
      {identity.isPending ? (
        <Loading what="your role" />
      ) : (
        <>
          {sections.length > 0 ? (
            <nav aria-label="Settings sections" className="in-page">
              <a href="#members">Members</a>
              {sections.map((s) => (
                <a key={s.id} href={`#${s.id}`}>
                  {s.label}
                </a>
              ))}
            </nav>
          ) : (
            <p className="muted" data-testid="settings-read-only">
              As {role ? `a ${role}` : 'a member'}, you see the members. Invitations, API keys and the audit
              log are for the org&apos;s admins and owners.
            </p>
          )}
          <MembersSection orgId={orgId} role={role} />
          {canUse(role, 'members.invite') && <InvitationsSection orgId={orgId} role={role} />}
          {canUse(role, 'api_keys.manage') && <ApiKeysSection orgId={orgId} role={role} />}
          {/* Remounted when the address changes (back, a shared link), so the filter form shows it. */}
          {canUse(role, 'audit.read') && <AuditLogSection key={search.toString()} orgId={orgId} />}
        </>
      )}
    </div>
  );
}
