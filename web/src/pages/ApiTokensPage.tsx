import { useState } from 'react';
import { api, errorMessage } from '../api/client.ts';
import type { ApiToken } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { Callout, ErrorState } from '../components/Callout.tsx';
import { TextField } from '../components/Field.tsx';
import { PageHeader } from '../components/Layout.tsx';
import { ConfirmDialog, Modal } from '../components/Modal.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { LoadingBlock } from '../components/Spinner.tsx';
import { Table } from '../components/Table.tsx';
import { useToast } from '../components/Toast.tsx';
import { formatRelative } from '../lib/format.ts';
import { useDocumentTitle, useResource } from '../lib/hooks.ts';

/** Tokens for scripts calling the REST API with `Authorization: Bearer …`. */
export function ApiTokensPage() {
  useDocumentTitle('API tokens');
  const toast = useToast();
  const tokens = useResource((signal) => api.get<ApiToken[]>('/api/tokens', { signal }), []);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const create = async () => {
    if (!name.trim()) {
      setError('Name the token after the script or system that uses it.');
      return;
    }
    setPending(true);
    try {
      const answer = await api.post<{
        id: number;
        name: string;
        token: string;
      }>('/api/tokens', { name: name.trim() });
      setCreating(false);
      setName('');
      setCreated(answer);
      tokens.reload();
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setPending(false);
    }
  };

  const revoke = async () => {
    if (!revoking) return;
    setPending(true);
    try {
      await api.del(`/api/tokens/${revoking.id}`);
      toast.show('success', `Token “${revoking.name}” revoked`);
      tokens.reload();
    } catch (failure) {
      toast.show('error', 'The token was not revoked', errorMessage(failure));
    } finally {
      setPending(false);
      setRevoking(null);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeader
        title="API tokens"
        description={
          <>
            Scripts call the REST API with <code>Authorization: Bearer &lt;token&gt;</code>. The reference is at <a href="/api/docs">/api/docs</a>.
          </>
        }
        actions={
          <Button variant="primary" icon="plus" onClick={() => setCreating(true)}>
            New token
          </Button>
        }
      />
      <div className="card">
        {tokens.loading && !tokens.data ? (
          <LoadingBlock />
        ) : tokens.error ? (
          <div className="card-body">
            <ErrorState message={tokens.error} onRetry={tokens.reload} />
          </div>
        ) : (tokens.data ?? []).length === 0 ? (
          <EmptyState icon="key" title="No API tokens">
            Create one for each script, so you can revoke it alone.
          </EmptyState>
        ) : (
          <Table
            rows={tokens.data ?? []}
            rowKey={(token) => token.id}
            columns={[
              {
                key: 'name',
                header: 'Name',
                render: (token) => <span className="cell-strong">{token.name}</span>,
              },
              {
                key: 'created',
                header: 'Created',
                render: (token) => formatRelative(token.createdAt),
              },
              {
                key: 'used',
                header: 'Last used',
                render: (token) => (token.lastUsedAt ? formatRelative(token.lastUsedAt) : 'Never'),
              },
              {
                key: 'actions',
                header: <span className="visually-hidden">Actions</span>,
                render: (token) => (
                  <Button size="sm" variant="ghost" icon="trash" onClick={() => setRevoking(token)}>
                    Revoke
                  </Button>
                ),
              },
            ]}
          />
        )}
      </div>
      {creating && (
        <Modal
          title="New API token"
          onClose={() => setCreating(false)}
          onSubmit={() => void create()}
          busy={pending}
          footer={
            <>
              <Button onClick={() => setCreating(false)}>Cancel</Button>
              <Button type="submit" variant="primary" pending={pending}>
                Create token
              </Button>
            </>
          }
        >
          <TextField
            label="Name"
            value={name}
            onChange={setName}
            error={error ?? undefined}
            placeholder="e.g. nightly CRM export"
            autoComplete="off"
            data-autofocus
          />
        </Modal>
      )}
      {created && (
        <Modal
          title={`Token “${created.name}” created`}
          onClose={() => setCreated(null)}
          footer={<Button variant="primary" onClick={() => setCreated(null)}>Done</Button>}
        >
          <div className="stack-sm">
            <Callout tone="warning">Copy it now: it is shown only once.</Callout>
            <input
              className="input mono"
              readOnly
              value={created.token}
              aria-label="New token"
              onFocus={(event) => event.target.select()}
              data-autofocus
            />
            <div>
              <Button
                size="sm"
                onClick={() => {
                  void navigator.clipboard?.writeText(created.token);
                  toast.show('success', 'Token copied');
                }}
              >
                Copy to clipboard
              </Button>
            </div>
          </div>
        </Modal>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          confirmLabel="Revoke token"
          onConfirm={() => void revoke()}
          onCancel={() => setRevoking(null)}
          pending={pending}
        >
          <p>Scripts using it get 401 from now on.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
