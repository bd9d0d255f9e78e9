import { useState } from 'react';
import { api, errorMessage, newIdempotencyKey } from '../../api/client.ts';
import type { SyncView } from '../../api/types.ts';
import { StatusBadge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { ErrorState } from '../../components/Callout.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { MenuButton } from '../../components/Menu.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { stopRowClick, Table } from '../../components/Table.tsx';
import { useToast } from '../../components/Toast.tsx';
import { describeSchedule, formatRelative } from '../../lib/format.ts';
import { useBurst, useDocumentTitle, useInterval, useResource } from '../../lib/hooks.ts';
import { Link, navigate, useLocation } from '../../lib/router.tsx';

/** Syncs whose status is about to change are polled quickly; the rest now and then. */
const BUSY_POLL_MS = 1500;
const IDLE_POLL_MS = 15000;

export function SyncListPage() {
  useDocumentTitle('Sync');
  const { search } = useLocation();
  const createdId = Number(search.get('created') ?? 0);
  const syncs = useResource((signal) => api.get<SyncView[]>('/api/syncs', { signal }), []);
  const [bursting, startBurst] = useBurst();
  const busy = bursting || (syncs.data ?? []).some((sync) => sync.status === 'Running' || sync.status === 'Pending');
  useInterval(syncs.reload, busy ? BUSY_POLL_MS : IDLE_POLL_MS, !syncs.error);
  const onStarted = () => {
    startBurst();
    syncs.reload();
  };

  const startWizard = () => navigate('/syncs/new');

  return (
    <div className="page">
      <PageHeader
        title="Sync"
        description="Audiences kept in sync with your Facebook Custom Audiences destinations."
        actions={
          <MenuButton
            label="Sync"
            icon="plus"
            items={[
              {
                label: 'Sync Audience',
                description: 'Export a Sourcesible Audience to a connected destination',
                icon: 'users',
                onSelect: startWizard,
              },
            ]}
          />
        }
      />
      {syncs.loading && !syncs.data ? (
        <div className="card">
          <LoadingBlock label="Loading syncs…" />
        </div>
      ) : syncs.error && !syncs.data ? (
        <ErrorState message={syncs.error} onRetry={syncs.reload} />
      ) : (syncs.data ?? []).length === 0 ? (
        <div className="card">
          <EmptyState
            icon="sync"
            title="No syncs yet"
            actions={
              <Button variant="primary" icon="plus" onClick={startWizard}>
                Sync Audience
              </Button>
            }
          >
            A sync sends the customers of one or more audiences to a Facebook Custom Audience and keeps it up to date. You need an audience under Segmentation →
            Audiences and a Connected destination under Connections → Destinations.
          </EmptyState>
        </div>
      ) : (
        <div className="card">
          <Table
            caption="Syncs"
            rows={syncs.data ?? []}
            rowKey={(sync) => sync.id}
            onRowClick={(sync) => navigate(`/syncs/${sync.id}`)}
            rowClassName={(sync) => (sync.id === createdId ? 'selected' : '')}
            rowLabel={(sync) => `Open sync ${sync.name}`}
            columns={[
              {
                key: 'name',
                header: 'Name',
                render: (sync) => (
                  <>
                    <span className="cell-strong">{sync.name}</span>
                    {sync.description && <span className="cell-sub">{sync.description}</span>}
                  </>
                ),
              },
              {
                key: 'audiences',
                header: 'Audiences',
                render: (sync) => (
                  <div className="chips">
                    {sync.audiences.map((audience) => (
                      <span
                        key={audience.id}
                        className={audience.deleted ? 'chip chip-danger' : 'chip'}
                        title={audience.deleted ? 'Deleted' : undefined}
                      >
                        {audience.name}
                        {audience.deleted && ' (deleted)'}
                      </span>
                    ))}
                  </div>
                ),
              },
              {
                key: 'destination',
                header: 'Destination',
                render: (sync) => (
                  <>
                    {sync.destination.name}
                    <span className="cell-sub">Facebook Custom Audiences</span>
                  </>
                ),
              },
              {
                key: 'status',
                header: 'Status',
                render: (sync) => (
                  <span data-testid={`status-${sync.id}`}>
                    <StatusBadge status={sync.status} title={sync.statusReason ?? undefined} />
                    {sync.status === 'Disconnected' && (
                      <Link
                        className="cell-sub"
                        to={`/destinations?reconnect=${sync.destination.id}`}
                        onClick={stopRowClick}
                      >
                        Reconnect
                      </Link>
                    )}
                  </span>
                ),
              },
              {
                key: 'schedule',
                header: 'Schedule',
                render: (sync) => (
                  <span className="nowrap">
                    {describeSchedule(sync.schedule)}
                    {sync.paused && <span className="cell-sub">Paused</span>}
                  </span>
                ),
              },
              {
                key: 'last',
                header: 'Last run',
                render: (sync) => (
                  <span className="nowrap" title={sync.lastRun?.startedAt}>
                    {formatRelative(sync.lastRun?.finishedAt ?? sync.lastRun?.startedAt)}
                  </span>
                ),
              },
              {
                key: 'next',
                header: 'Next run',
                render: (sync) => (
                  <span className="nowrap" title={sync.nextRunAt ?? undefined}>
                    {sync.schedule.type === 'manual' ? (
                      <span className="faint" title="Manual syncs run when you click Sync now">—</span>
                    ) : sync.paused ? (
                      <span className="faint">Paused</span>
                    ) : (
                      formatRelative(sync.nextRunAt)
                    )}
                  </span>
                ),
              },
              {
                key: 'actions',
                header: <span className="visually-hidden">Actions</span>,
                render: (sync) => <SyncNowButton sync={sync} onStarted={onStarted} />,
              },
            ]}
          />
        </div>
      )}
    </div>
  );
}

/** Starts a run; a double click sends one request, and a run already going is said plainly. */
export function SyncNowButton({
  sync,
  onStarted,
  variant = 'secondary',
}: { sync: SyncView; onStarted: () => void; variant?: 'secondary' | 'primary' }) {
  const toast = useToast();
  const [pending, setPending] = useState(false);
  const blocked = sync.status === 'Invalid' || sync.status === 'Disconnected';
  const title = blocked
    ? `Fix the ${sync.status} status first: ${sync.statusReason ?? ''}`
    : sync.status === 'Running'
      ? 'A run is in progress'
      : 'Push an update to Facebook now';

  const start = async (event: React.MouseEvent) => {
    stopRowClick(event);
    if (pending) return;
    setPending(true);
    try {
      await api.post(`/api/syncs/${sync.id}/runs`, {}, { idempotencyKey: newIdempotencyKey() });
      toast.show('info', `Syncing "${sync.name}"`, 'The run has started; the status updates here.');
      onStarted();
    } catch (failure) {
      toast.show('error', `"${sync.name}" did not start`, errorMessage(failure));
    } finally {
      setPending(false);
    }
  };

  return (
    <span onClick={stopRowClick} onKeyDown={stopRowClick}>
      <Button
        size="sm"
        variant={variant}
        icon="play"
        onClick={start}
        pending={pending}
        disabled={blocked || sync.status === 'Running'}
        title={title}
      >
        Sync now
      </Button>
    </span>
  );
}
