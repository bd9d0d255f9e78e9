import { useState } from 'react';
import { api } from '../../../api/client.ts';
import type { RunDetail, RunView } from '../../../api/types.ts';
import { StatusBadge } from '../../../components/Badge.tsx';
import { Callout, ErrorState } from '../../../components/Callout.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Modal } from '../../../components/Modal.tsx';
import { LoadingBlock } from '../../../components/Spinner.tsx';
import { Table } from '../../../components/Table.tsx';
import {
  formatDateTime,
  formatDuration,
  formatNumber,
  formatRelative,
  humanizeReason,
} from '../../../lib/format.ts';
import { useResource } from '../../../lib/hooks.ts';

/** The sync's runs, newest first, with counts and skip reasons; a row opens the run's batches. */
export function RunHistory({ runs, loading }: { runs: RunView[]; loading: boolean }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <section className="card" aria-label="Run history">
      <header className="card-header">
        <div>
          <h2>Run history</h2>
          <p>What each run sent to Facebook and what it skipped.</p>
        </div>
      </header>
      <div className="card-body-flush">
        {loading ? (
          <LoadingBlock label="Loading runs…" />
        ) : runs.length === 0 ? (
          <EmptyState icon="clock" title="No runs yet">
            The first run starts right after the sync is created, or when you click Sync now.
          </EmptyState>
        ) : (
          <Table
            caption="Runs"
            compact
            rows={runs}
            rowKey={(run) => run.id}
            onRowClick={(run) => setOpen(run.id)}
            rowLabel={(run) => `Run ${run.id}, ${run.status}`}
            columns={[
              {
                key: 'started',
                header: 'Started',
                render: (run) => (
                  <span title={formatDateTime(run.startedAt)} className="nowrap">
                    {formatRelative(run.startedAt)}
                    <span className="cell-sub">{run.trigger}</span>
                  </span>
                ),
              },
              {
                key: 'status',
                header: 'Status',
                render: (run) => <StatusBadge status={run.status} />,
              },
              {
                key: 'duration',
                header: 'Duration',
                render: (run) => formatDuration(run.startedAt, run.finishedAt),
              },
              {
                key: 'size',
                header: 'Audience',
                className: 'num',
                render: (run) => formatNumber(run.audienceSize),
              },
              {
                key: 'added',
                header: 'Added',
                className: 'num',
                render: (run) => formatNumber(run.added),
              },
              {
                key: 'removed',
                header: 'Removed',
                className: 'num',
                render: (run) => formatNumber(run.removed),
              },
              {
                key: 'changed',
                header: 'Changed',
                className: 'num',
                render: (run) => formatNumber(run.changed),
              },
              {
                key: 'unchanged',
                header: 'Unchanged',
                className: 'num',
                render: (run) => formatNumber(run.unchanged),
              },
              {
                key: 'skipped',
                header: 'Skipped',
                render: (run) => (
                  <div>
                    <span className="num">{formatNumber(run.skipped)}</span>
                    <ReasonChips reasons={run.skippedByReason} />
                  </div>
                ),
              },
              {
                key: 'meta',
                header: 'Meta received',
                className: 'num',
                render: (run) => (
                  <>
                    {formatNumber(run.metaReceived)}
                    {run.metaInvalidEntries > 0 && <span className="cell-sub">{formatNumber(run.metaInvalidEntries)} invalid</span>}
                  </>
                ),
              },
            ]}
          />
        )}
      </div>
      {open !== null && <RunDialog runId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function ReasonChips({ reasons }: { reasons: Record<string, number> }) {
  const entries = Object.entries(reasons ?? {}).filter(([, count]) => count > 0);
  if (entries.length === 0) return null;
  return (
    <div className="chips" style={{ marginTop: 4 }}>
      {entries.map(([reason, count]) => (
        <span key={reason} className="chip">
          {humanizeReason(reason)} · {formatNumber(count)}
        </span>
      ))}
    </div>
  );
}

function RunDialog({ runId, onClose }: { runId: number; onClose: () => void }) {
  const run = useResource(
    (signal) => api.get<RunDetail>(`/api/runs/${runId}`, { signal }),
    [runId],
  );
  const data = run.data;
  return (
    <Modal
      title={`Run ${runId}`}
      description={data ? `${data.trigger} · started ${formatDateTime(data.startedAt)}` : undefined}
      onClose={onClose}
      wide
    >
      {run.loading && !data ? (
        <LoadingBlock />
      ) : run.error ? (
        <ErrorState message={run.error} onRetry={run.reload} />
      ) : data ? (
        <div className="stack">
          {data.errorMessage && (
            <Callout tone="danger" title="Why the run stopped">
              {data.errorMessage}
            </Callout>
          )}
          <div className="stat-grid">
            <Stat label="Audience" value={data.audienceSize} />
            <Stat label="Added" value={data.added} />
            <Stat label="Removed" value={data.removed} />
            <Stat label="Changed" value={data.changed} />
            <Stat label="Skipped" value={data.skipped} />
          </div>
          {Object.keys(data.skippedByReason ?? {}).length > 0 && (
            <div>
              <h3>Skip reasons</h3>
              <ReasonChips reasons={data.skippedByReason} />
            </div>
          )}
          {Object.keys(data.fieldIssues ?? {}).length > 0 && (
            <div>
              <h3>Field issues</h3>
              <p className="muted small">Values left out of a row that was still sent.</p>
              <ReasonChips reasons={data.fieldIssues} />
            </div>
          )}
          <div>
            <h3 style={{ marginBottom: 8 }}>Batches Meta acknowledged</h3>
            {data.batches.length === 0 ? (
              <p className="muted">No batch was sent in this run.</p>
            ) : (
              <Table
                compact
                rows={data.batches}
                rowKey={(batch) => `${batch.seq}-${batch.operation}`}
                columns={[
                  { key: 'seq', header: '#', render: (batch) => batch.seq },
                  { key: 'op', header: 'Operation', render: (batch) => batch.operation },
                  {
                    key: 'rows',
                    header: 'Rows',
                    className: 'num',
                    render: (batch) => formatNumber(batch.rows),
                  },
                  {
                    key: 'received',
                    header: 'Received',
                    className: 'num',
                    render: (batch) => formatNumber(batch.numReceived),
                  },
                  {
                    key: 'invalid',
                    header: 'Invalid',
                    className: 'num',
                    render: (batch) => formatNumber(batch.numInvalidEntries),
                  },
                  {
                    key: 'session',
                    header: 'Session',
                    render: (batch) => <span className="mono small">{batch.sessionId}</span>,
                  },
                ]}
              />
            )}
          </div>
        </div>
      ) : null}
    </Modal>
  );
}

function Stat({ label, value }: { label: string; value: number | null }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{formatNumber(value)}</span>
    </div>
  );
}
