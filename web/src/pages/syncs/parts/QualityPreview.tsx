import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../../api/client.ts';
import type { QualityField, QualityPreview as Preview } from '../../../api/types.ts';
import { Button } from '../../../components/Button.tsx';
import { Callout } from '../../../components/Callout.tsx';
import { LoadingBlock } from '../../../components/Spinner.tsx';
import { formatNumber, formatPercent, humanizeReason } from '../../../lib/format.ts';
import { DESTINATION_LABELS, type MappingDestination } from '../../../lib/sync-fields.ts';
import { mappingOf, selectedAudienceIds, type SyncDraft } from './draft.ts';

/**
 * Before Finish: for the chosen audiences and mapping, how much of each field
 * is present and valid after normalization, why the rest is not, a few masked
 * examples with their hashes, and how many members would be sent.
 */
export function QualityPreview({ draft }: { draft: SyncDraft }) {
  const body = {
    audienceIds: selectedAudienceIds(draft),
    mapping: mappingOf(draft),
    hashPii: draft.hashPii,
    defaultCountry: draft.defaultCountry || null,
  };
  const key = JSON.stringify(body);
  const [state, setState] = useState<{
    data: Preview | null;
    error: string | null;
    loading: boolean;
  }>({ data: null, error: null, loading: true });
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true, error: null }));
    api.post<Preview>(
      '/api/syncs/quality-preview',
      JSON.parse(key),
      { signal: controller.signal },
    ).then(
      (data) => setState({ data, error: null, loading: false }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setState({
          data: null,
          error: errorMessage(failure),
          loading: false,
        });
      },
    );
    return () => controller.abort();
  }, [key, tick]);

  const data = state.data;
  const skipped = data ? Object.entries(data.skippedByReason ?? {}).filter(([, count]) => count > 0) : [];

  return (
    <section className="card" aria-label="Data quality preview" data-testid="quality-preview">
      <header className="card-header">
        <div>
          <h2>Data quality preview</h2>
          <p>What Facebook would receive from these audiences with this mapping — checked before anything is sent.</p>
        </div>
        <Button
          size="sm"
          icon="sync"
          onClick={() => setTick((value) => value + 1)}
          pending={state.loading && Boolean(data)}
        >
          Refresh
        </Button>
      </header>
      <div className="card-body stack">
        {state.loading && !data ? (
          <LoadingBlock label="Checking your data…" />
        ) : state.error ? (
          <Callout tone="danger" title="The preview could not be computed" role="alert">
            {state.error}
          </Callout>
        ) : data ? (
          <>
            <div className="stat-grid">
              <div className="stat">
                <span className="stat-label">Members</span>
                <span className="stat-value">{formatNumber(data.members)}</span>
              </div>
              <div className="stat">
                <span className="stat-label">Would be sent</span>
                <span className="stat-value" data-testid="would-send">
                  {formatNumber(data.wouldSend)}
                </span>
              </div>
              <div className="stat">
                <span className="stat-label">Skipped</span>
                <span className="stat-value">{formatNumber(Math.max(
                  0,
                  data.members - data.wouldSend,
                ))}</span>
              </div>
            </div>
            {data.note && <p className="muted small">{data.note}</p>}
            {skipped.length > 0 && (
              <Callout tone="warning" title="Some members would be skipped">
                <ul>
                  {skipped.map(([reason, count]) => (
                    <li key={reason}>
                      {humanizeReason(reason)}: {formatNumber(count)}
                    </li>
                  ))}
                </ul>
              </Callout>
            )}
            {data.fields.length === 0 ? (
              <p className="muted">No field is mapped yet.</p>
            ) : (
              <div
                className="table-wrap"
                style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius-md)' }}
              >
                <table className="table table-compact" aria-label="Quality per mapped field">
                  <thead>
                    <tr>
                      <th>Facebook field</th>
                      <th style={{ width: 150 }}>Present</th>
                      <th style={{ width: 150 }}>Valid</th>
                      <th>Why not</th>
                      <th>Examples (masked → sent)</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.fields.map((field) => (
                      <FieldRow key={field.destination} field={field} />
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        ) : null}
      </div>
    </section>
  );
}

function FieldRow({ field }: { field: QualityField }) {
  const reasons = Object.entries(field.reasons ?? {}).filter(([, count]) => count > 0);
  return (
    <tr data-field={field.destination}>
      <td>
        <span className="cell-strong">{DESTINATION_LABELS[field.destination as MappingDestination] ?? field.destination}</span>
        <span className="cell-sub">from {field.source}</span>
      </td>
      <td>
        <Share value={field.present} />
      </td>
      <td>
        <Share value={field.valid} />
      </td>
      <td>
        {reasons.length === 0 ? (
          <span className="faint">—</span>
        ) : (
          <div className="chips">
            {reasons.map(([reason, count]) => (
              <span className="chip" key={reason}>
                {humanizeReason(reason)} · {formatNumber(count)}
              </span>
            ))}
          </div>
        )}
      </td>
      <td>
        <ul className="example-list">
          {field.examples.slice(0, 3).map((example, index) => (
            <li key={index}>
              <span className="mono">{example.masked}</span>{' '}
              <span className="hash" title={example.sha256 ?? example.raw ?? undefined}>
                → {example.sha256 ? `${example.sha256.slice(0, 12)}…` : (example.raw ?? '')}
              </span>
            </li>
          ))}
          {field.examples.length === 0 && <li className="faint">No valid value</li>}
        </ul>
      </td>
    </tr>
  );
}

function Share({ value }: { value: number }) {
  const tone = value >= 0.9 ? '' : value >= 0.5 ? 'warn' : 'bad';
  return (
    <div className="meter-row">
      <div
        className={`meter ${tone}`}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(value * 100)}
      >
        <span style={{ width: `${Math.min(100, value * 100)}%` }} />
      </div>
      <span className="num">{formatPercent(value)}</span>
    </div>
  );
}
