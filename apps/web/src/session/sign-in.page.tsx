import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError, apiGet } from '../api/api-client';
import type { CurrentIdentity } from '../api/api-types';
import { useSession } from './session.context';

/** What a refused token means, in words. */
function refusal(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'That token was not accepted. Check that you pasted all of it, and that it has not expired or been revoked.';
  }
  if (error instanceof ApiError && error.status === 429) {
    return 'Too many sign-in attempts from this address. Wait a minute and try again.';
  }
  if (error instanceof ApiError) return `The token could not be checked: ${error.message}`;
  return 'The token could not be checked. Try again.';
}

export function SignInPage() {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);
  const problemRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    document.title = 'Sign in · RepoGuard';
  }, []);
  useEffect(() => {
    if (problem) problemRef.current?.focus();
  }, [problem]);

  if (session.token) return <Navigate to={from} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const candidate = token.trim();
    if (!candidate) {
      setProblem('Paste a personal token first.');
      return;
    }
    setChecking(true);
    setProblem(null);
    try {
      const identity = await apiGet<CurrentIdentity>(candidate, '/auth/me');
      if (identity.kind === 'instance_admin') {
        setProblem(
          "That is the instance administrator's token: it creates orgs but reads none. Sign in with a personal token.",
        );
        return;
      }
      session.signIn(candidate);
      await navigate(from, { replace: true });
    } catch (error) {
      setProblem(refusal(error));
    } finally {
      setChecking(false);
    }
  }

  return (
    <main id="content" className="sign-in">
      <h1>Sign in to RepoGuard</h1>
      {session.endedBecause === 'rejected' && (
        <p role="status" className="notice">
          Your session ended: the API no longer accepts its token.
        </p>
      )}
      {session.endedBecause === 'signed_out' && (
        <p role="status" className="notice">
          You are signed out.
        </p>
      )}
      <form onSubmit={(event) => void submit(event)} noValidate>
        <label htmlFor="token">Personal token</label>
        <p id="token-help" className="help">
          Create one with <code>POST /api/v1/auth/tokens</code> or <code>repoguard user:token</code>. It is
          kept in this tab until you close it or sign out.
        </p>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          aria-describedby={problem ? 'token-help token-problem' : 'token-help'}
          aria-invalid={problem ? true : undefined}
          required
        />
        {problem && (
          <p id="token-problem" className="problem" role="alert" tabIndex={-1} ref={problemRef}>
            {problem}
          </p>
        )}
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
