import { Navigate, Route, Routes, useLocation, type Location } from 'react-router';
import { AppLayout } from './layout/app-layout';
import { Empty, ErrorMessage, Loading } from './layout/query-states';
import { OverviewPage } from './overview/overview.page';
import { PolicyPage } from './policy/policy.page';
import { RepositoryPage } from './repository/repository.page';
import { useMyOrgs, useSession } from './session/session.context';
import { SignInPage } from './session/sign-in.page';
import { SettingsPage } from './settings/settings.page';

/** Pages under it need a token; without one, the sign-in page, which comes back here after. */
function RequireSession() {
  const { token } = useSession();
  const location: Location = useLocation();
  if (!token) {
    return <Navigate to="/sign-in" replace state={{ from: `${location.pathname}${location.search}` }} />;
  }
  return <AppLayout />;
}

/** `/`: the first org the token is a member of (`/policy`, `/settings`: that page of it). */
function FirstOrg({ page = '' }: { page?: string }) {
  const orgs = useMyOrgs();
  if (orgs.isPending) return <Loading what="your orgs" />;
  if (orgs.isError)
    return <ErrorMessage what="your orgs" error={orgs.error} retry={() => void orgs.refetch()} />;
  const first = orgs.data[0];
  if (!first) {
    return (
      <>
        <h1>No org yet</h1>
        <Empty>This token is not a member of any org. Ask an org owner for an invitation.</Empty>
      </>
    );
  }
  return <Navigate to={`/orgs/${first.id}${page}`} replace />;
}

function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p>There is no dashboard page at this address.</p>
    </>
  );
}

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignInPage />} />
      <Route element={<RequireSession />}>
        <Route index element={<FirstOrg />} />
        <Route path="/orgs/:orgId" element={<OverviewPage />} />
        <Route path="/repos/:repoId" element={<RepositoryPage />} />
        <Route path="/policy" element={<FirstOrg page="/policy" />} />
        <Route path="/orgs/:orgId/policy" element={<PolicyPage />} />
        <Route path="/settings" element={<FirstOrg page="/settings" />} />
        <Route path="/orgs/:orgId/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
