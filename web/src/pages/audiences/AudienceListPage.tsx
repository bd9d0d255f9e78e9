import { api } from '../../api/client.ts';
import type { Audience } from '../../api/types.ts';
import { ErrorState } from '../../components/Callout.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { Table } from '../../components/Table.tsx';
import { formatNumber, formatRelative } from '../../lib/format.ts';
import { useDocumentTitle, useResource } from '../../lib/hooks.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { describeRule } from './rule-text.ts';

export function AudienceListPage() {
  useDocumentTitle('Audiences');
  const audiences = useResource((signal) => api.get<Audience[]>('/api/audiences', { signal }), []);
  const list = audiences.data ?? [];

  return (
    <div className="page">
      <PageHeader
        title="Audiences"
        description="Segments of your customers, defined by rules. Sync them to Facebook under Activation → Sync."
        actions={
          <>
            <Link className="btn btn-secondary" to="/customers/import">
              <Icon name="upload" />
              Import customers
            </Link>
            <Link className="btn btn-primary" to="/audiences/new">
              <Icon name="plus" />
              New audience
            </Link>
          </>
        }
      />
      <div className="card">
        {audiences.loading && !audiences.data ? (
          <LoadingBlock label="Loading audiences…" />
        ) : audiences.error ? (
          <div className="card-body">
            <ErrorState message={audiences.error} onRetry={audiences.reload} />
          </div>
        ) : list.length === 0 ? (
          <EmptyState
            icon="users"
            title="No audiences yet"
            actions={
              <>
                <Link className="btn btn-secondary" to="/customers/import">
                  Import customers
                </Link>
                <Link className="btn btn-primary" to="/audiences/new">
                  Create an audience
                </Link>
              </>
            }
          >
            An audience is a rule over your customers, like “country is Korea and registered after 2024-01-31”. Import customers first if you have none.
          </EmptyState>
        ) : (
          <Table
            caption="Audiences"
            rows={list}
            rowKey={(audience) => audience.id}
            onRowClick={(audience) => navigate(`/audiences/${audience.id}`)}
            rowLabel={(audience) => `Open audience ${audience.name}`}
            columns={[
              {
                key: 'name',
                header: 'Name',
                render: (audience) => (
                  <>
                    <span className="cell-strong">{audience.name}</span>
                    {audience.description && <span className="cell-sub">{audience.description}</span>}
                  </>
                ),
              },
              {
                key: 'rule',
                header: 'Rule',
                render: (audience) => <span className="muted small">{describeRule(audience.rule)}</span>,
              },
              {
                key: 'count',
                header: 'Customers',
                className: 'num',
                render: (audience) => <strong>{formatNumber(audience.memberCount)}</strong>,
              },
              {
                key: 'updated',
                header: 'Updated',
                render: (audience) => <span className="nowrap">{formatRelative(audience.updatedAt)}</span>,
              },
            ]}
          />
        )}
      </div>
    </div>
  );
}
