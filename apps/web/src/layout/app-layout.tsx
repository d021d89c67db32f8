import { NavLink, Outlet, useNavigate, useParams } from 'react-router';
import { useRepository } from '../repository/repository.api';
import { useIdentity, useMyOrgs, useOrgRole, useSession } from '../session/session.context';

/** Header (org, who is signed in and as what), navigation, and the page in <main>. */
export function AppLayout() {
  const params = useParams();
  // A repository's page names no org: the repository says which (the page reads the same query).
  const repoOrgId = useRepository(params.repoId).data?.org_id;
  const orgId = params.orgId ?? repoOrgId;
  const session = useSession();
  const identity = useIdentity();
  const orgs = useMyOrgs();
  const role = useOrgRole(orgId ?? '');
  const navigate = useNavigate();
  const who =
    identity.data?.user?.email ?? identity.data?.api_key?.name ?? identity.data?.token.name ?? 'signed in';

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">RepoGuard</span>
        {orgId && (
          <nav aria-label="Pages">
            <NavLink to={`/orgs/${orgId}`} end>
              Overview
            </NavLink>
            <NavLink to={`/orgs/${orgId}/policy`}>Policy</NavLink>
            <NavLink to={`/orgs/${orgId}/settings`}>Settings</NavLink>
          </nav>
        )}
        <div className="account">
          {orgs.data && orgs.data.length > 1 && orgId && (
            <label>
              <span className="visually-hidden">Org</span>
              <select value={orgId} onChange={(event) => void navigate(`/orgs/${event.target.value}`)}>
                {orgs.data.map((org) => (
                  <option key={org.id} value={org.id}>
                    {org.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <span className="who" data-testid="signed-in-as">
            {who}
            {role && <span className="role"> · {role}</span>}
          </span>
          <button type="button" onClick={() => session.signOut('signed_out')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
