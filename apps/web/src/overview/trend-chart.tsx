import { useId } from 'react';
import { SEVERITIES, type Severity } from '../api/api-types';
import type { TrendPoint } from './org-summary';

// Drawn as SVG here rather than with a chart library: five lines and three ticks are ~150 lines,
// and the bundle stays as it was. Each severity has a colour (3:1 or more against white) and a dash
// pattern, so the lines are told apart without colour too; the table under it has every number.
const STYLE: Record<Severity, { color: string; dash: string }> = {
  critical: { color: '#8f1111', dash: '' },
  high: { color: '#c2410c', dash: '8 4' },
  medium: { color: '#8a6100', dash: '3 3' },
  low: { color: '#0b57d0', dash: '10 3 2 3' },
  unknown: { color: '#4d5560', dash: '1 3' },
};

const W = 480;
const H = 220;
const PAD = { left: 36, right: 8, top: 10, bottom: 24 };

const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });

/** The smallest of 1, 2, 5 × 10^k at or above `n` (at least 1), so ticks are round numbers. */
function roundUp(n: number): number {
  if (n <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(n));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((v) => v >= n)!;
}

/** Open findings per severity over the last days: a line chart, and the same numbers as a table. */
export function TrendChart({ points }: { points: readonly TrendPoint[] }) {
  const id = useId();
  if (points.length === 0) return <p className="empty">No days to show.</p>;
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const max = roundUp(Math.max(...points.flatMap((p) => SEVERITIES.map((s) => p[s]))));
  const x = (i: number) => PAD.left + (i * (W - PAD.left - PAD.right)) / Math.max(points.length - 1, 1);
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  const ticks = [0, max / 2, max].filter((t) => Number.isInteger(t));
  const middle = Math.floor((points.length - 1) / 2);
  const quiet = points.every((p) => p.total === 0);
  const change = SEVERITIES.filter((s) => first[s] !== 0 || last[s] !== 0)
    .map((s) => `${s} ${first[s]} to ${last[s]}`)
    .join(', ');

  return (
    <figure className="trend">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="trend-chart"
        data-testid="trend-chart"
      >
        <title id={`${id}-title`}>Open findings per severity, {points.length} days</title>
        <desc id={`${id}-desc`}>
          {quiet
            ? `No open findings from ${first.day} to ${last.day}.`
            : `From ${first.day} to ${last.day}: ${first.total} to ${last.total} open findings in all (${change}).`}
        </desc>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="grid" />
            <text x={PAD.left - 6} y={y(t) + 4} textAnchor="end" className="tick">
              {t}
            </text>
          </g>
        ))}
        {(
          [
            [0, 'start'],
            [middle, 'middle'],
            [points.length - 1, 'end'],
          ] as const
        ).map(([i, anchor]) => (
          <text key={anchor} x={x(i)} y={H - 6} textAnchor={anchor} className="tick">
            {dayLabel(points[i]!.day)}
          </text>
        ))}
        {[...SEVERITIES].reverse().map((s) => (
          <polyline
            key={s}
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(p[s]).toFixed(1)}`).join(' ')}
            fill="none"
            stroke={STYLE[s].color}
            strokeWidth={2}
            strokeDasharray={STYLE[s].dash || undefined}
            strokeLinejoin="round"
          />
        ))}
      </svg>
      <figcaption>
        <ul className="legend" aria-label="Severities">
          {SEVERITIES.map((s) => (
            <li key={s}>
              <svg width="28" height="10" aria-hidden="true">
                <line
                  x1="0"
                  x2="28"
                  y1="5"
                  y2="5"
                  stroke={STYLE[s].color}
                  strokeWidth={2}
                  strokeDasharray={STYLE[s].dash || undefined}
                />
              </svg>{' '}
              {s} <span className="muted">({last[s]} today)</span>
            </li>
          ))}
        </ul>
        {quiet && <p className="empty">No open findings recorded in these days.</p>}
      </figcaption>
      <details className="trend-table">
        <summary>The trend as a table (newest day first)</summary>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Trend table">
          <table data-testid="trend-table">
            <caption className="visually-hidden">
              Open findings per severity at the end of each UTC day
            </caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                {SEVERITIES.map((s) => (
                  <th key={s} scope="col" className="number">
                    {s}
                  </th>
                ))}
                <th scope="col" className="number">
                  total
                </th>
              </tr>
            </thead>
            <tbody>
              {[...points].reverse().map((p) => (
                <tr key={p.day} data-testid={`trend-${p.day}`}>
                  <th scope="row">
                    <time dateTime={p.day}>{p.day}</time>
                  </th>
                  {SEVERITIES.map((s) => (
                    <td key={s} className="number" data-severity={s}>
                      {p[s]}
                    </td>
                  ))}
                  <td className="number" data-severity="total">
                    {p.total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
