import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { DestinationView } from '../../api/types.ts';
import { StatusBadge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { Callout, ErrorState } from '../../components/Callout.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { Table } from '../../components/Table.tsx';
import { useToast } from '../../components/Toast.tsx';
import { formatRelative } from '../../lib/format.ts';
import { useDocumentTitle, useResource } from '../../lib/hooks.ts';
import { navigate, useLocation } from '../../lib/router.tsx';
import { ConnectDialog, ReconnectDialog } from './TokenForms.tsx';

export function DestinationsPage() {
  useDocumentTitle('Destinations');
  const toast = useToast();
  const { search } = useLocation();
  const destinations = useResource(
    (signal) => api.get<DestinationView[]>('/api/destinations', { signal }),
    [],
  );
  const [connecting, setConnecting] = useState(false);
  const [reconnecting, setReconnecting] = useState<DestinationView | null>(null);
  const [deleting, setDeleting] = useState<DestinationView | null>(null);
  const [busyId, setBusyId] = useState<number | null>(null);
  const list = destinations.data ?? [];

  // A sync's "Reconnect" link lands here with ?reconnect=<id>: open that dialog at once.
  const reconnectParam = Number(search.get('reconnect') ?? 0);
  useEffect(() => {
    if (!reconnectParam || !destinations.data) return;
    const target = destinations.data.find((destination) => destination.id === reconnectParam);
    if (target) setReconnecting(target);
    navigate('/destinations', { replace: true });
  }, [reconnectParam, destinations.data]);

  const check = async (destination: DestinationView) => {
    setBusyId(destination.id);
    try {
      const view = await api.post<DestinationView>(`/api/destinations/${destination.id}/check`);
      toast.show(
        view.status === 'Connected' ? 'success' : 'error',
        `“${view.name}” is ${view.status}`,
        view.statusMessage ?? undefined,
      );
      destinations.reload();
    } catch (failure) {
      toast.show('error', 'The check failed', errorMessage(failure));
    } finally {
      setBusyId(null);
    }
  };

  const remove = async () => {
    if (!deleting) return;
    setBusyId(deleting.id);
    try {
      await api.del(`/api/destinations/${deleting.id}`);
      toast.show('success', `“${deleting.name}” deleted`);
      destinations.reload();
    } catch (failure) {
      toast.show('error', 'The destination was not deleted', errorMessage(failure));
    } finally {
      setBusyId(null);
      setDeleting(null);
    }
  };

  const disconnected = list.filter((destination) => destination.status !== 'Connected');
  return (
    <div className="page">
      <PageHeader
        title="Destinations"
        description="Facebook ad accounts Sourcesible can push Custom Audiences to."
        actions={
          <Button variant="primary" icon="plus" onClick={() => setConnecting(true)}>
            Connect destination
          </Button>
        }
      />
      {disconnected.length > 0 && (
        <Callout
          tone="warning"
          title={`${disconnected.length === 1 ? '1 destination is' : `${disconnected.length} destinations are`} Disconnected`}
        >
          Meta no longer accepts the token. Click Reconnect and re-authorize using a Facebook account that holds Advertiser (or higher) access on the target Ad
          Account. Every sync keeps its settings and resumes after you reconnect.
        </Callout>
      )}
      <div className="card">
        {destinations.loading && !destinations.data ? (
          <LoadingBlock label="Loading destinations…" />
        ) : destinations.error ? (
          <div className="card-body">
            <ErrorState message={destinations.error} onRetry={destinations.reload} />
          </div>
        ) : list.length === 0 ? (
          <EmptyState
            icon="plug"
            title="No destination connected"
            actions={<Button variant="primary" onClick={() => setConnecting(true)}>Connect Facebook Custom Audiences</Button>}
          >
            Connect a Facebook ad account to push audiences to it. You need the Advertiser role (or higher) on the ad account and its Custom Audiences Terms
            accepted in Ads Manager.
          </EmptyState>
        ) : (
          <Table
            caption="Destinations"
            rows={list}
            rowKey={(destination) => destination.id}
            columns={[
              {
                key: 'name',
                header: 'Destination Name',
                render: (destination) => (
                  <>
                    <span className="cell-strong">{destination.name}</span>
                    <span className="cell-sub">
                      {destination.adAccountName ? `${destination.adAccountName} · ` : ''}
                      {destination.adAccountId}
                    </span>
                  </>
                ),
              },
              {
                key: 'type',
                header: 'Destination Type',
                render: (destination) => <span className="nowrap">{destination.type}</span>,
              },
              {
                key: 'status',
                header: 'Status',
                render: (destination) => (
                  <div>
                    <span data-testid={`destination-status-${destination.id}`}>
                      <StatusBadge status={destination.status} />
                    </span>
                    {destination.status !== 'Connected' && destination.statusMessage && (
                      <span className="cell-sub" style={{ maxWidth: 280, whiteSpace: 'normal' }}>
                        {destination.statusMessage}
                      </span>
                    )}
                  </div>
                ),
              },
              {
                key: 'syncs',
                header: 'Sync count',
                className: 'num',
                render: (destination) => destination.syncCount,
              },
              {
                key: 'updated',
                header: 'Last Update',
                render: (destination) => <span className="nowrap">{formatRelative(destination.lastUpdate)}</span>,
              },
              {
                key: 'actions',
                header: <span className="visually-hidden">Actions</span>,
                render: (destination) => (
                  <div className="row" style={{ justifyContent: 'flex-end' }}>
                    <Button
                      size="sm"
                      variant={destination.status === 'Connected' ? 'secondary' : 'primary'}
                      onClick={() => setReconnecting(destination)}
                    >
                      Reconnect
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => void check(destination)}
                      pending={busyId === destination.id}
                      title="Ask Meta whether the connection still works"
                    >
                      Check
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      icon="trash"
                      aria-label={`Delete ${destination.name}`}
                      onClick={() => setDeleting(destination)}
                    />
                  </div>
                ),
              },
            ]}
          />
        )}
      </div>

      {connecting && (
        <ConnectDialog
          onClose={() => setConnecting(false)}
          onConnected={(destination) => {
            setConnecting(false);
            toast.show(
              'success',
              `“${destination.name}” connected`,
              `Ad account ${destination.adAccountId} is ready for syncs.`,
            );
            destinations.reload();
          }}
        />
      )}
      {reconnecting && (
        <ReconnectDialog
          destination={reconnecting}
          onClose={() => setReconnecting(null)}
          onReconnected={(destination) => {
            setReconnecting(null);
            toast.show(
              'success',
              `“${destination.name}” reconnected`,
              `Its ${destination.syncCount === 1 ? 'sync keeps' : `${destination.syncCount} syncs keep`} every setting.`,
            );
            destinations.reload();
          }}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          confirmLabel="Delete destination"
          onConfirm={() => void remove()}
          onCancel={() => setDeleting(null)}
          pending={busyId === deleting.id}
        >
          <p>
            Sourcesible forgets this connection and its token.
            {deleting.syncCount > 0 && ` The ${deleting.syncCount === 1 ? 'sync' : `${deleting.syncCount} syncs`} using it will show Invalid.`} Audiences already in
            Facebook stay there.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
