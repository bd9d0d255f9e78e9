import { useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { DestinationView, PendingConnection } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Callout, ErrorState } from '../../components/Callout.tsx';
import { TextField } from '../../components/Field.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { RadioGroup } from '../../components/RadioGroup.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { useToast } from '../../components/Toast.tsx';
import { useDocumentTitle, useResource } from '../../lib/hooks.ts';
import { Link, navigate, useLocation } from '../../lib/router.tsx';

// Meta's account_status: 1 active, 2 disabled, 3 unsettled, 7 pending review, 9 in grace period, 101 closed.
const ACCOUNT_STATUS: Record<number, string> = {
  1: 'Active',
  2: 'Disabled',
  3: 'Unsettled',
  7: 'Pending review',
  9: 'Grace period',
  101: 'Closed',
};

/** After Facebook Login: choose the ad account and name the destination. */
export function ConnectPendingPage() {
  useDocumentTitle('Connect Facebook');
  const { search } = useLocation();
  const pendingId = search.get('pending');
  const loginError = search.get('message') ?? search.get('error_description') ?? search.get('error');

  if (loginError || !pendingId) {
    return (
      <div className="page page-narrow">
        <PageHeader
          back={{ to: '/destinations', label: 'Connections → Destinations' }}
          title="Connect Facebook Custom Audiences"
        />
        <Callout tone="danger" title="Facebook Login did not finish" role="alert">
          <p>{loginError ?? 'This page needs the result of Facebook Login. Start again from Connections → Destinations.'}</p>
          <p style={{ marginTop: 8 }}>
            <Link to="/destinations">Back to Destinations</Link>
          </p>
        </Callout>
      </div>
    );
  }
  return <ChooseAccount pendingId={pendingId} />;
}

function ChooseAccount({ pendingId }: { pendingId: string }) {
  const toast = useToast();
  const path = `/api/meta/pending/${encodeURIComponent(pendingId)}`;
  const pending = useResource((signal) => api.get<PendingConnection>(path, { signal }), [path]);
  const [accountId, setAccountId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);
  const [saving, setSaving] = useState(false);

  if (pending.loading && !pending.data) return <div className="page page-narrow"><LoadingBlock label="Reading your ad accounts…" /></div>;
  if (pending.error || !pending.data) {
    return (
      <div className="page page-narrow">
        <PageHeader
          back={{ to: '/destinations', label: 'Connections → Destinations' }}
          title="Connect Facebook Custom Audiences"
        />
        <ErrorState
          message={`${pending.error ?? ''} Start Facebook Login again from Connections → Destinations.`}
        />
      </div>
    );
  }

  const accounts = pending.data.adAccounts;
  const reconnecting = Boolean(pending.data.reconnectDestinationId);
  const chosen = accountId || (accounts.length === 1 ? accounts[0]!.id : '');
  const chosenAccount = accounts.find((account) => account.id === chosen);
  const destinationName = name || chosenAccount?.name || 'Facebook Custom Audiences';

  const complete = async () => {
    if (!chosen) {
      setError({ field: 'adAccountId', message: 'Choose the ad account to push audiences to.' });
      return;
    }
    setSaving(true);
    setError(null);
    try {
      const view = await api.post<DestinationView>(`/api/meta/pending/${encodeURIComponent(pendingId)}/complete`, {
        adAccountId: chosen,
        name: destinationName.trim(),
      });
      toast.show(
        'success',
        `“${view.name}” ${reconnecting ? 'reconnected' : 'connected'}`,
        reconnecting ? 'Every sync using it keeps its settings.' : `Ad account ${view.adAccountId} is ready for syncs.`,
      );
      navigate('/destinations');
    } catch (failure) {
      setError({
        field: failure instanceof ApiError ? failure.field : null,
        message: errorMessage(failure),
      });
      setSaving(false);
    }
  };

  return (
    <div className="page page-narrow">
      <PageHeader
        back={{ to: '/destinations', label: 'Connections → Destinations' }}
        title={reconnecting ? 'Reconnect Facebook Custom Audiences' : 'Connect Facebook Custom Audiences'}
        description="Facebook Login worked. Choose the ad account Sourcesible should manage Custom Audiences in."
      />
      <section className="card" aria-label="Choose an ad account">
        <div className="card-body stack">
          {accounts.length === 0 ? (
            <Callout tone="warning" title="This Facebook user has no ad account">
              Log in with a Facebook account that holds the Advertiser role (or higher) on the ad account you intend to push audiences to.
            </Callout>
          ) : (
            <RadioGroup
              legend="Ad account"
              value={chosen}
              onChange={setAccountId}
              options={accounts.map((account) => ({
                value: account.id,
                label: account.name ?? account.id,
                description: `${account.id}${account.accountStatus !== null ? ` · ${ACCOUNT_STATUS[account.accountStatus] ?? `status ${account.accountStatus}`}` : ''}`,
              }))}
            />
          )}
          {error && error.field !== 'name' && (
            <Callout tone="danger" role="alert">
              {error.message}
            </Callout>
          )}
          {!reconnecting && (
            <TextField
              label="Destination name"
              value={destinationName}
              onChange={setName}
              maxLength={100}
              error={error?.field === 'name' ? error.message : undefined}
            />
          )}
        </div>
        <footer className="card-footer">
          <Link className="btn btn-secondary" to="/destinations">
            Cancel
          </Link>
          <Button
            variant="primary"
            onClick={() => void complete()}
            pending={saving}
            disabled={accounts.length === 0}
          >
            {reconnecting ? 'Reconnect' : 'Connect'}
          </Button>
        </footer>
      </section>
    </div>
  );
}
