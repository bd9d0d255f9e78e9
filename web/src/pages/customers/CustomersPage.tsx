import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { CustomerSummary, Page } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { ErrorState } from '../../components/Callout.tsx';
import { EmptyState } from '../../components/EmptyState.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { Table } from '../../components/Table.tsx';
import { formatNumber, formatRelative } from '../../lib/format.ts';
import { useDebounced, useDocumentTitle, useResource } from '../../lib/hooks.ts';
import { Link } from '../../lib/router.tsx';

const PAGE_SIZE = 50;

export function CustomersPage() {
  useDocumentTitle('Customers');
  const total = useResource((signal) => api.get<{
    count: number;
  }>('/api/customers/count', { signal }), []);
  const [query, setQuery] = useState('');
  const settled = useDebounced(query.trim(), 300);
  const [rows, setRows] = useState<CustomerSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = async (after: string | null, signal?: AbortSignal) => {
    setLoading(true);
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (settled) params.set('query', settled);
    if (after) params.set('after', after);
    try {
      const page = await api.get<Page<CustomerSummary>>(`/api/customers?${params}`, { signal });
      setRows((previous) => (after ? [...previous, ...page.data] : page.data));
      setCursor(page.nextCursor);
      setError(null);
    } catch (failure) {
      if (!signal?.aborted) setError(errorMessage(failure));
    } finally {
      if (!signal?.aborted) setLoading(false);
    }
  };

  useEffect(() => {
    const controller = new AbortController();
    void load(null, controller.signal);
    return () => controller.abort();
    // Reload from the first page when the search changes.
  }, [settled]);

  const empty = !loading && !error && rows.length === 0;
  return (
    <div className="page">
      <PageHeader
        title="Customers"
        description={total.data ? `${formatNumber(total.data.count)} customer profiles. Emails and phones are shown masked.` : 'Customer profiles imported into Sourcesible.'}
        actions={
          <Link className="btn btn-primary" to="/customers/import">
            <Icon name="upload" />
            Import CSV
          </Link>
        }
      />
      <div className="card">
        <div className="card-header">
          <div className="row grow" style={{ maxWidth: 420 }}>
            <div className="input-with-addon grow">
              <span className="input-addon">
                <Icon name="search" className="faint" />
              </span>
              <input
                className="input"
                type="search"
                aria-label="Search customers"
                placeholder="Search by name, email, phone or id"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
              />
            </div>
          </div>
        </div>
        {error ? (
          <div className="card-body">
            <ErrorState message={error} onRetry={() => void load(null)} />
          </div>
        ) : loading && rows.length === 0 ? (
          <LoadingBlock label="Loading customers…" />
        ) : empty ? (
          settled ? (
            <EmptyState icon="search" title="No customer matches">
              Nothing matches “{settled}”. Try part of a name or an email.
            </EmptyState>
          ) : (
            <EmptyState
              icon="database"
              title="No customers yet"
              actions={<Link className="btn btn-primary" to="/customers/import">Import a CSV file</Link>}
            >
              Upload a CSV export from your CRM. You will see how its columns map before anything is imported.
            </EmptyState>
          )
        ) : (
          <>
            <Table
              caption="Customers"
              rows={rows}
              rowKey={(row) => row.id}
              columns={[
                {
                  key: 'name',
                  header: 'Name',
                  render: (row) => (
                    <>
                      <span className="cell-strong">{[
                        row.firstName,
                        row.lastName,
                      ].filter(Boolean).join(' ') || '—'}</span>
                      <span className="cell-sub mono">{row.key}</span>
                    </>
                  ),
                },
                {
                  key: 'email',
                  header: 'Email',
                  render: (row) => <span className="mono small">{row.maskedEmail ?? '—'}</span>,
                },
                {
                  key: 'phone',
                  header: 'Phone',
                  render: (row) => <span className="mono small">{row.maskedPhone ?? '—'}</span>,
                },
                {
                  key: 'place',
                  header: 'City / Country',
                  render: (row) => [row.city, row.country].filter(Boolean).join(', ') || '—',
                },
                {
                  key: 'updated',
                  header: 'Updated',
                  render: (row) => <span className="nowrap">{formatRelative(row.updatedAt)}</span>,
                },
              ]}
            />
            {cursor && (
              <div className="card-footer" style={{ justifyContent: 'center' }}>
                <Button onClick={() => void load(cursor)} pending={loading}>
                  Load more
                </Button>
              </div>
            )}
          </>
        )}
      </div>
    </div>
  );
}
