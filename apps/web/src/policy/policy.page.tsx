import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useParams } from 'react-router';
import { apiGet } from '../api/api-client';
import { apiSend, problemsByField } from '../api/api-send';
import { FormField, type ControlProps } from '../layout/form-field';
import { ErrorMessage, Loading } from '../layout/query-states';
import { canUse } from '../session/role-controls';
import { useMyOrgs, useOrgRole, useToken } from '../session/session.context';
import {
  dryRunPath,
  LIMIT_SEVERITIES,
  policiesPath,
  POLICY_SEVERITIES,
  type Policies,
  type PolicyDryRun,
  type PolicyRules,
  type PolicyVersion,
} from './policy-api';
import { fieldId, formKey, formOf, rulesOf, type PolicyForm } from './policy-form';
import './policy.css';

export function PolicyPage() {
  const { orgId = '' } = useParams();
  const token = useToken();
  const role = useOrgRole(orgId);
  const org = useMyOrgs().data?.find((o) => o.id === orgId);
  useEffect(() => {
    document.title = `Policy${org ? ` · ${org.name}` : ''} · RepoGuard`;
  }, [org]);

  // Here, not in the editor: saving gives a new version, which starts a fresh editor.
  const [saved, setSaved] = useState<string | null>(null);
  const policies = useQuery({
    queryKey: ['policies', token, orgId],
    queryFn: ({ signal }) => apiGet<Policies>(token, policiesPath(orgId), signal),
  });

  return (
    <div className="policy-page">
      <h1>Policy{org && <span className="subtitle"> of {org.name}</span>}</h1>
      {policies.isPending ? (
        <Loading what="the policy" />
      ) : policies.isError ? (
        <ErrorMessage what="the policy" error={policies.error} retry={() => void policies.refetch()} />
      ) : (
        <>
          <p className="muted" data-testid="policy-version">
            {policies.data.current.default
              ? 'The default policy: none was saved yet.'
              : `Version ${policies.data.current.version} by ${policies.data.current.created_by ?? 'unknown'}, ${new Date(policies.data.current.created_at ?? '').toLocaleString()}.`}
          </p>
          {saved && (
            <p role="status" className="notice" data-testid="policy-saved">
              {saved}
            </p>
          )}
          {canUse(role, 'policies.update') ? (
            <PolicyEditor
              key={policies.data.current.version ?? 'default'}
              orgId={orgId}
              rules={policies.data.current.rules}
              onSaved={setSaved}
            />
          ) : (
            <RulesSummary rules={policies.data.current.rules} />
          )}
          <History history={policies.data.history} />
        </>
      )}
    </div>
  );
}

/** The rules in words, for a role that may not change them. */
function RulesSummary({ rules }: { rules: PolicyRules }) {
  const lines = [
    rules.fail_on_severity && `Fail on ${rules.fail_on_severity} findings and above.`,
    rules.warn_on_severity && `Warn on ${rules.warn_on_severity} findings and above.`,
    rules.fail_on_unpinned && 'Fail on unpinned dependencies.',
    rules.warn_on_unpinned && 'Warn on unpinned dependencies.',
    rules.fail_on_incomplete && 'Fail when a scan could not read every manifest.',
    rules.fail_on_vulnerability_ids?.length &&
      `Fail on these vulnerabilities: ${rules.fail_on_vulnerability_ids.join(', ')}.`,
    ...(rules.ignore ?? []).map(
      (r) => `Ignore ${r.id} (${r.reason})${r.expires_at ? ` until ${r.expires_at}` : ''}.`,
    ),
    ...(rules.max_findings ?? []).map(
      (r) => `${r.action === 'fail' ? 'Fail' : 'Warn'} above ${r.max} open ${r.severity} findings and above.`,
    ),
  ].filter((line): line is string => typeof line === 'string' && line.length > 0);
  return (
    <section aria-labelledby="rules" className="panel">
      <h2 id="rules">Rules</h2>
      {lines.length === 0 ? (
        <p className="muted">No rule: every scanned repository is OK.</p>
      ) : (
        <ul>
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      )}
      <p className="muted">Only an org admin or owner can change the policy.</p>
    </section>
  );
}

function History({ history }: { history: readonly PolicyVersion[] }) {
  if (history.length === 0) return null;
  return (
    <section aria-labelledby="history" className="panel">
      <h2 id="history">Saved versions</h2>
      <ol className="policy-history" reversed>
        {history.map((v) => (
          <li key={v.version}>
            Version {v.version} by {v.created_by ?? 'unknown'},{' '}
            <time dateTime={v.created_at}>{new Date(v.created_at).toLocaleString()}</time>
          </li>
        ))}
      </ol>
    </section>
  );
}

type Problems = Map<string, string[]>;

/** The edit form, its dry run, then saving exactly what was tried. */
function PolicyEditor({
  orgId,
  rules,
  onSaved,
}: {
  orgId: string;
  rules: PolicyRules;
  /** What saving did, in words; null once the rules are edited again. */
  onSaved: (message: string | null) => void;
}) {
  const token = useToken();
  const queryClient = useQueryClient();
  const [form, setForm] = useState<PolicyForm>(() => formOf(rules));
  const problemsRef = useRef<HTMLDivElement>(null);
  const sent = JSON.stringify(rulesOf(form));

  const dryRun = useMutation({
    mutationFn: (body: string) =>
      apiSend<PolicyDryRun>(token, 'POST', dryRunPath(orgId), { rules: JSON.parse(body) as unknown }),
  });
  const save = useMutation({
    mutationFn: (body: string) =>
      apiSend<PolicyVersion>(token, 'PUT', policiesPath(orgId), { rules: JSON.parse(body) as unknown }),
    onSuccess: async (version) => {
      const changed = dryRun.data?.changed ?? 0;
      onSaved(
        `Saved as version ${version.version}. ${changed === 1 ? '1 repository' : `${changed} repositories`} changed status.`,
      );
      dryRun.reset();
      await Promise.all(
        ['policies', 'repos', 'evaluation'].map((key) => queryClient.invalidateQueries({ queryKey: [key] })),
      );
    },
  });
  const failed = save.error ?? dryRun.error;
  const problems: Problems = new Map(
    [...problemsByField(failed)].map(([field, list]) => [formKey(field), list] as const),
  );
  const tried = dryRun.variables;
  const stale = dryRun.isSuccess && tried !== sent;

  useEffect(() => {
    if (failed) problemsRef.current?.focus();
  }, [failed]);

  const update = (change: Partial<PolicyForm>) => {
    onSaved(null);
    setForm((f) => ({ ...f, ...change }));
  };

  return (
    <>
      <form
        className="panel policy-form"
        aria-labelledby="edit-rules"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          save.reset();
          onSaved(null);
          dryRun.mutate(sent);
        }}
      >
        <h2 id="edit-rules">Rules</h2>
        {failed && (
          <div className="problem" role="alert" tabIndex={-1} ref={problemsRef} data-testid="policy-problems">
            <p>
              The API refused {save.error ? 'to save' : 'to try'} these rules: {failed.message}
            </p>
          </div>
        )}

        <fieldset>
          <legend>By severity</legend>
          {(
            [
              ['fail_on_severity', 'Fail on findings of'],
              ['warn_on_severity', 'Warn on findings of'],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} k={k} label={label} problems={problems}>
              {(props) => (
                <select {...props} value={form[k]} onChange={(e) => update({ [k]: e.target.value })}>
                  <option value="">no severity</option>
                  {POLICY_SEVERITIES.map((s) => (
                    <option key={s} value={s}>
                      {s} and above
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ))}
        </fieldset>

        <fieldset>
          <legend>Dependencies and scans</legend>
          {(
            [
              ['warn_on_unpinned', 'Warn on unpinned dependencies'],
              ['fail_on_unpinned', 'Fail on unpinned dependencies'],
              ['fail_on_incomplete', 'Fail, not warn, when a scan could not read every manifest'],
            ] as const
          ).map(([k, label]) => (
            <div className="check" key={k}>
              <input
                type="checkbox"
                id={fieldId(k)}
                checked={form[k]}
                onChange={(e) => update({ [k]: e.target.checked })}
                aria-invalid={problems.has(k) || undefined}
                aria-describedby={problems.has(k) ? `${fieldId(k)}-problem` : undefined}
              />
              <label htmlFor={fieldId(k)}>{label}</label>
              <Problem problems={problems} k={k} />
            </div>
          ))}
        </fieldset>

        <Field
          k="fail_on_vulnerability_ids"
          label="Fail on these vulnerabilities (one id or alias a line)"
          problems={problems}
          extraKeys={(key) => key.startsWith('fail_on_vulnerability_ids[')}
        >
          {(props) => (
            <textarea
              {...props}
              rows={3}
              value={form.fail_on_vulnerability_ids}
              onChange={(e) => update({ fail_on_vulnerability_ids: e.target.value })}
            />
          )}
        </Field>

        <fieldset>
          <legend>Ignored vulnerabilities</legend>
          <Problem problems={problems} k="ignore" />
          {form.ignore.length === 0 && <p className="muted">None.</p>}
          {form.ignore.map((row, i) => {
            const set = (change: Partial<typeof row>) =>
              update({ ignore: form.ignore.map((r, j) => (j === i ? { ...r, ...change } : r)) });
            return (
              <div className="rule-row" key={i} role="group" aria-label={`Ignore rule ${i + 1}`}>
                <Field
                  k={`ignore[${i}].id`}
                  label="Vulnerability id"
                  problems={problems}
                  extraKeys={exactly(`ignore[${i}]`)}
                >
                  {(props) => (
                    <input {...props} value={row.id} onChange={(e) => set({ id: e.target.value })} />
                  )}
                </Field>
                <Field k={`ignore[${i}].reason`} label="Reason" problems={problems}>
                  {(props) => (
                    <input {...props} value={row.reason} onChange={(e) => set({ reason: e.target.value })} />
                  )}
                </Field>
                <Field k={`ignore[${i}].expires_at`} label="Until (ISO 8601, optional)" problems={problems}>
                  {(props) => (
                    <input
                      {...props}
                      placeholder="2027-01-31"
                      value={row.expires_at}
                      onChange={(e) => set({ expires_at: e.target.value })}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => update({ ignore: form.ignore.filter((_, j) => j !== i) })}
                >
                  Remove ignore rule {i + 1}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="secondary"
            onClick={() => update({ ignore: [...form.ignore, { id: '', reason: '', expires_at: '' }] })}
          >
            Add an ignore rule
          </button>
        </fieldset>

        <fieldset>
          <legend>Limits on open findings</legend>
          <Problem problems={problems} k="max_findings" />
          {form.max_findings.length === 0 && <p className="muted">None.</p>}
          {form.max_findings.map((row, i) => {
            const set = (change: Partial<typeof row>) =>
              update({ max_findings: form.max_findings.map((r, j) => (j === i ? { ...r, ...change } : r)) });
            return (
              <div className="rule-row" key={i} role="group" aria-label={`Limit ${i + 1}`}>
                <Field k={`max_findings[${i}].severity`} label="Severity and above" problems={problems}>
                  {(props) => (
                    <select
                      {...props}
                      value={row.severity}
                      onChange={(e) => set({ severity: e.target.value })}
                    >
                      {LIMIT_SEVERITIES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field k={`max_findings[${i}].max`} label="At most" problems={problems}>
                  {(props) => (
                    <input
                      {...props}
                      inputMode="numeric"
                      value={row.max}
                      onChange={(e) => set({ max: e.target.value })}
                    />
                  )}
                </Field>
                <Field k={`max_findings[${i}].action`} label="Above it" problems={problems}>
                  {(props) => (
                    <select {...props} value={row.action} onChange={(e) => set({ action: e.target.value })}>
                      <option value="warn">warn</option>
                      <option value="fail">fail</option>
                    </select>
                  )}
                </Field>
                <button
                  type="button"
                  className="secondary"
                  onClick={() => update({ max_findings: form.max_findings.filter((_, j) => j !== i) })}
                >
                  Remove limit {i + 1}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              update({ max_findings: [...form.max_findings, { severity: 'HIGH', max: '0', action: 'fail' }] })
            }
          >
            Add a limit
          </button>
        </fieldset>

        <div className="actions">
          <button type="submit" disabled={dryRun.isPending}>
            {dryRun.isPending ? 'Trying the rules…' : 'Dry run'}
          </button>
          <span className="help">Shows which repositories would change status. Nothing is saved.</span>
        </div>
      </form>

      {dryRun.isSuccess && (
        <DryRunResult
          run={dryRun.data}
          stale={stale}
          saving={save.isPending}
          onSave={() => tried !== undefined && save.mutate(tried)}
        />
      )}
    </>
  );
}

const exactly = (key: string) => (k: string) => k === key;

/** A FormField for a rule: its problems are the API's for its key (and `extraKeys`). */
function Field({
  k,
  label,
  problems,
  extraKeys,
  children,
}: {
  k: string;
  label: string;
  problems: Problems;
  /** Problems of other keys shown here too (an array's items, a row as a whole). */
  extraKeys?: (key: string) => boolean;
  children: (props: ControlProps) => ReactNode;
}) {
  const keys = [k, ...[...problems.keys()].filter((key) => key !== k && extraKeys?.(key))];
  return (
    <FormField id={fieldId(k)} label={label} problems={keys.flatMap((key) => problems.get(key) ?? [])}>
      {children}
    </FormField>
  );
}

function Problem({ problems, k }: { problems: Problems; k: string }) {
  const mine = problems.get(k);
  if (!mine) return null;
  return (
    <p className="field-problem" id={`${fieldId(k)}-problem`}>
      {k ? `${k}: ` : ''}
      {mine.join('; ')}
    </p>
  );
}

function DryRunResult({
  run,
  stale,
  saving,
  onSave,
}: {
  run: PolicyDryRun;
  stale: boolean;
  saving: boolean;
  onSave: () => void;
}) {
  const changed = run.items.filter((i) => i.changed);
  const unchanged = run.items.filter((i) => !i.changed);
  return (
    <section aria-labelledby="dry-run" className="panel" data-testid="dry-run">
      <h2 id="dry-run">Dry run</h2>
      <p role="status">
        {changed.length === 0
          ? `No repository would change status (${run.items.length} judged).`
          : `${changed.length} of ${run.items.length} repositories would change status.`}
      </p>
      {changed.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Repositories that would change">
          <table>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Status now</th>
                <th scope="col">Would be</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {changed.map((item) => (
                <tr key={item.repo_id} data-testid={`dry-run-${item.repo_id}`}>
                  <th scope="row">{item.full_name}</th>
                  <td>
                    <span className={`badge status-${item.current_status}`}>{item.current_status}</span>
                  </td>
                  <td>
                    <span className={`badge status-${item.status}`}>{item.status}</span>
                  </td>
                  <td>
                    {item.reasons.length === 0 ? (
                      <span className="muted">No rule applies.</span>
                    ) : (
                      <ul className="reasons">
                        {item.reasons.map((r) => (
                          <li key={`${r.rule}:${r.message}`}>{r.message}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {unchanged.length > 0 && (
        <details>
          <summary>{unchanged.length} unchanged</summary>
          <ul>
            {unchanged.map((item) => (
              <li key={item.repo_id}>
                {item.full_name}: <span className={`badge status-${item.status}`}>{item.status}</span>
                {!item.judged && <span className="muted"> (no completed scan)</span>}
              </li>
            ))}
          </ul>
        </details>
      )}
      {stale ? (
        <p className="notice">The rules changed since this dry run. Run it again before saving.</p>
      ) : (
        <div className="actions">
          <button type="button" onClick={onSave} disabled={saving}>
            {saving ? 'Saving…' : 'Save this policy'}
          </button>
          <span className="help">Saves the rules tried above as the next version.</span>
        </div>
      )}
    </section>
  );
}
