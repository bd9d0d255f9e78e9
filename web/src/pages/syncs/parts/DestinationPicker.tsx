import { api } from '../../../api/client.ts';
import type { DestinationView } from '../../../api/types.ts';
import { StatusBadge } from '../../../components/Badge.tsx';
import { Callout, ErrorState } from '../../../components/Callout.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { FieldError } from '../../../components/Field.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { LoadingBlock } from '../../../components/Spinner.tsx';
import { Table } from '../../../components/Table.tsx';
import { formatRelative } from '../../../lib/format.ts';
import { useResource } from '../../../lib/hooks.ts';
import { Link } from '../../../lib/router.tsx';
import { ReconnectFix } from './Troubleshooting.tsx';

interface DestinationPickerProps {
  value: number | null;
  onChange: (id: number, destination: DestinationView) => void;
  error?: string;
  /** Reports the loaded list so the step can check the choice is Connected. */
  onLoaded?: (destinations: DestinationView[]) => void;
}

/** Step 2: every destination with its status; only Connected rows can be chosen. */
export function DestinationPicker({ value, onChange, error, onLoaded }: DestinationPickerProps) {
  const destinations = useResource(async (signal) => {
    const list = await api.get<DestinationView[]>('/api/destinations', { signal });
    onLoaded?.(list);
    return list;
  }, []);

  if (destinations.loading && !destinations.data) return <LoadingBlock label="Loading destinations…" />;
  if (destinations.error) return <ErrorState message={destinations.error} onRetry={destinations.reload} />;
  const list = destinations.data ?? [];
  const disconnected = list.filter((destination) => destination.status !== 'Connected');
  const selected = list.find((destination) => destination.id === value);

  if (list.length === 0) {
    return (
      <section className="card">
        <EmptyState
          icon="plug"
          title="No Facebook Custom Audiences destination"
          actions={
            <Link className="btn btn-primary" to="/destinations">
              Go to Connections → Destinations
            </Link>
          }
        >
          Connect your Facebook Ads account under Connections → Destinations. You cannot proceed past this step without a connected destination.
        </EmptyState>
      </section>
    );
  }

  return (
    <div className="stack">
      <section className="card" aria-label="Select Destination">
        <header className="card-header">
          <div>
            <h2>Destinations</h2>
            <p>Only destinations showing a Connected status are selectable.</p>
          </div>
          <Link className="btn btn-secondary btn-sm" to="/destinations">
            Manage destinations
          </Link>
        </header>
        <div className="card-body-flush">
          <Table
            caption="Available destinations"
            rows={list}
            rowKey={(row) => row.id}
            rowClassName={(row) => [
              row.id === value ? 'selected' : '',
              row.status !== 'Connected' ? 'disabled' : '',
            ].join(' ')}
            onRowClick={(row) => {
              if (row.status === 'Connected') onChange(row.id, row);
            }}
            rowLabel={(row) => `${row.name}, ${row.status}`}
            columns={[
              {
                key: 'pick',
                header: <span className="visually-hidden">Select</span>,
                width: 44,
                render: (row) => (
                  <input
                    type="radio"
                    className="radio-input"
                    name="destination"
                    aria-label={`Use ${row.name}`}
                    checked={row.id === value}
                    disabled={row.status !== 'Connected'}
                    onChange={() => onChange(row.id, row)}
                    onClick={(event) => event.stopPropagation()}
                  />
                ),
              },
              {
                key: 'name',
                header: 'Destination Name',
                render: (row) => (
                  <>
                    <span className="cell-strong">{row.name}</span>
                    <span className="cell-sub">
                      {row.adAccountName ? `${row.adAccountName} · ` : ''}
                      {row.adAccountId.startsWith('act_') ? row.adAccountId : `act_${row.adAccountId}`}
                    </span>
                  </>
                ),
              },
              {
                key: 'type',
                header: 'Destination Type',
                render: (row) => <span className="nowrap">{row.type}</span>,
              },
              {
                key: 'status',
                header: 'Status',
                render: (row) => (
                  <div className="row">
                    <StatusBadge status={row.status} title={row.statusMessage ?? undefined} />
                    {row.status !== 'Connected' && (
                      <Link
                        to="/destinations"
                        onClick={(event) => event.stopPropagation()}
                        className="small"
                      >
                        Reconnect
                      </Link>
                    )}
                  </div>
                ),
              },
              {
                key: 'syncs',
                header: 'Sync count',
                className: 'num',
                render: (row) => row.syncCount,
              },
              {
                key: 'updated',
                header: 'Last Update',
                render: (row) => <span title={row.lastUpdate}>{formatRelative(row.lastUpdate)}</span>,
              },
            ]}
          />
        </div>
      </section>
      {error && <FieldError id="destinationId-error">{error}</FieldError>}
      {selected && selected.status !== 'Connected' && (
        <Callout tone="warning" title={`"${selected.name}" is Disconnected`}>
          <ReconnectFix message={selected.statusMessage} />
        </Callout>
      )}
      {disconnected.length > 0 && !selected && (
        <Callout tone="warning" title="A Facebook destination shows Disconnected">
          <ReconnectFix message={disconnected[0]!.statusMessage} />
        </Callout>
      )}
      {list.every((destination) => destination.status !== 'Connected') && (
        <p className="muted small">
          <Icon name="info" className="faint" /> No destination is Connected, so you cannot proceed past this step until one is reconnected.
        </p>
      )}
    </div>
  );
}
