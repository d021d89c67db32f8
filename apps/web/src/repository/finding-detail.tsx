import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ApiError } from '../api/api-client';
import { IfAllowed } from '../session/session.context';
import { useTriage, type Finding } from './repository.api';
import { withParams } from './repository-query';

const when = (iso: string) => <time dateTime={iso}>{new Date(iso).toLocaleString()}</time>;

/** One finding: its advisory, where it is, since when, its triage, and (for writers) a triage form. */
export function FindingDetail({
  finding,
  orgId,
  repoId,
  onTriaged,
}: {
  finding: Finding;
  orgId: string;
  repoId: string;
  /** The finding as the API answered the triage (it may leave the filtered list). */
  onTriaged: (finding: Finding) => void;
}) {
  const [search] = useSearchParams();
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a finding moves focus to it, so a keyboard or screen reader user lands on what they chose.
  useEffect(() => heading.current?.focus(), [finding.id]);
  const { vulnerability: v, dependency: d, triage } = finding;

  return (
    <article className="finding-detail">
      <h2 id="finding-detail" tabIndex={-1} ref={heading}>
        {v.id} <span className={`badge severity-${finding.severity.toLowerCase()}`}>{finding.severity}</span>
      </h2>
      <p>{v.summary ?? <span className="muted">The advisory has no summary.</span>}</p>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="finding-status">{finding.status}</dd>
        <dt>Aliases</dt>
        <dd>{v.aliases.length > 0 ? v.aliases.join(', ') : <span className="muted">none</span>}</dd>
        <dt>CVSS score</dt>
        <dd>{finding.cvss_score ?? <span className="muted">not given</span>}</dd>
        <dt>Package</dt>
        <dd>
          {d.name} {d.version} ({d.ecosystem}
          {d.direct === null ? '' : d.direct ? ', direct' : ', transitive'})
          {d.purl && <code className="purl">{d.purl}</code>}
        </dd>
        <dt>Manifest</dt>
        <dd className="path">
          {d.manifest_path}
          {d.line !== null ? `, line ${d.line}` : ''}
        </dd>
        <dt>Fixed in</dt>
        <dd>
          {finding.fixed_versions.length > 0 ? finding.fixed_versions.join(', ') : 'no fixed version yet'}
        </dd>
        <dt>First seen</dt>
        <dd>{when(finding.first_seen)}</dd>
        <dt>Last seen</dt>
        <dd>{when(finding.last_seen)}</dd>
        {finding.fixed_at && (
          <>
            <dt>Fixed</dt>
            <dd>{when(finding.fixed_at)}</dd>
          </>
        )}
        {triage && (
          <>
            <dt>Triage</dt>
            <dd data-testid="finding-triage">
              {triage.status}
              {triage.reason && `: ${triage.reason}`}
              {triage.expires_at && <> (until {when(triage.expires_at)})</>}
              {triage.decided_at && <> · decided {when(triage.decided_at)}</>}
            </dd>
          </>
        )}
      </dl>
      {v.references.length > 0 && (
        <>
          <h3>References</h3>
          <ul className="references">
            {v.references.map((r) => (
              <li key={`${r.type}:${r.url}`}>
                <a href={r.url} rel="noreferrer noopener" target="_blank">
                  {r.url}
                </a>{' '}
                <span className="muted">({r.type.toLowerCase()})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <IfAllowed orgId={orgId} control="findings.triage">
        {/* Keyed: another finding starts with no message from the last one. */}
        <TriageForm key={finding.id} finding={finding} repoId={repoId} onTriaged={onTriaged} />
      </IfAllowed>
      <p>
        <Link to={withParams(search, { finding: null })}>Close this finding</Link>
      </p>
    </article>
  );
}

function TriageForm({
  finding,
  repoId,
  onTriaged,
}: {
  finding: Finding;
  repoId: string;
  onTriaged: (finding: Finding) => void;
}) {
  const triage = useTriage(repoId);
  const [done, setDone] = useState<string | null>(null);
  const ids = useId();

  if (finding.status === 'fixed' || finding.status === 'withdrawn') {
    return <p className="muted">A {finding.status} finding is not triaged.</p>;
  }

  function ignore(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const until = String(form.get('until') ?? '');
    triage.mutate(
      {
        findingId: finding.id,
        status: 'ignored',
        reason: String(form.get('reason') ?? '').trim(),
        // Until the end of the day chosen, in the reader's time zone.
        ...(until ? { expiresAt: new Date(`${until}T23:59:59`).toISOString() } : {}),
      },
      {
        onSuccess: (answer) => {
          onTriaged(answer);
          setDone('Ignored. The repository’s status and findings are read again.');
        },
      },
    );
  }

  const problem = triage.error ? (
    <p role="alert" className="problem">
      The triage was not saved.{' '}
      {triage.error instanceof ApiError ? `${triage.error.message} (${triage.error.code})` : ''}
    </p>
  ) : null;
  const status = (
    <p role="status" className="notice-line">
      {done}
    </p>
  );

  if (finding.status === 'ignored') {
    return (
      <div className="triage">
        <h3>Triage</h3>
        <button
          type="button"
          disabled={triage.isPending}
          onClick={() =>
            triage.mutate(
              { findingId: finding.id, status: 'open' },
              {
                onSuccess: (answer) => {
                  onTriaged(answer);
                  setDone('Reopened. It counts toward the policy again.');
                },
              },
            )
          }
        >
          {triage.isPending ? 'Reopening…' : 'Reopen finding'}
        </button>
        {problem}
        {status}
      </div>
    );
  }

  const today = new Date();
  const min = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  return (
    <form className="triage" onSubmit={ignore} aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`}>Ignore this finding</h3>
      <p className="help">
        An ignored finding leaves the policy’s count. Say why, and when the decision should lapse.
      </p>
      <label htmlFor={`${ids}-reason`}>Reason</label>
      <textarea id={`${ids}-reason`} name="reason" required maxLength={1000} rows={3} />
      <label htmlFor={`${ids}-until`}>Ignore until (optional)</label>
      <input id={`${ids}-until`} name="until" type="date" min={min} aria-describedby={`${ids}-until-help`} />
      <p className="help" id={`${ids}-until-help`}>
        Empty: until someone reopens it.
      </p>
      <button type="submit" disabled={triage.isPending}>
        {triage.isPending ? 'Saving…' : 'Ignore finding'}
      </button>
      {problem}
      {status}
    </form>
  );
}
