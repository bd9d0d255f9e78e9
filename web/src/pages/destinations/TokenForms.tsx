import { useState } from 'react';
import { api, ApiError, errorMessage, newIdempotencyKey } from '../../api/client.ts';
import type { DestinationView } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Callout } from '../../components/Callout.tsx';
import { TextField } from '../../components/Field.tsx';
import { Modal } from '../../components/Modal.tsx';
import { FacebookLoginButton } from './FacebookLoginButton.tsx';

/** Connect a new Meta ad account: Facebook Login, or a pasted system-user token. */
export function ConnectDialog({
  onClose,
  onConnected,
}: { onClose: () => void; onConnected: (destination: DestinationView) => void }) {
  const [name, setName] = useState('Facebook Custom Audiences');
  const [adAccountId, setAdAccountId] = useState('');
  const [accessToken, setAccessToken] = useState('');
  const [appSecret, setAppSecret] = useState('');
  const [graphBaseUrl, setGraphBaseUrl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [pending, setPending] = useState(false);
  const [key] = useState(newIdempotencyKey);

  const submit = async () => {
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = 'Name the destination, e.g. after the ad account.';
    if (!/^(act_)?\d{1,20}$/.test(adAccountId.trim())) found.adAccountId = 'Enter the ad account id, like act_1234567890 or 1234567890.';
    if (accessToken.trim().length < 10) found.accessToken = 'Paste the system-user access token from Business Settings.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;

    setPending(true);
    try {
      const body = {
        name: name.trim(),
        adAccountId: adAccountId.trim(),
        accessToken: accessToken.trim(),
        ...(appSecret.trim() && { appSecret: appSecret.trim() }),
        ...(graphBaseUrl.trim() && { graphBaseUrl: graphBaseUrl.trim() }),
      };
      const destination = await api.post<DestinationView>(
        '/api/destinations',
        body,
        { idempotencyKey: key },
      );
      onConnected(destination);
    } catch (failure) {
      const field = failure instanceof ApiError && failure.field ? failure.field : 'form';
      setErrors({ [field]: errorMessage(failure) });
      setPending(false);
    }
  };

  return (
    <Modal
      title="Connect Facebook Custom Audiences"
      description="Authorize Sourcesible to manage Custom Audiences in one of your Facebook ad accounts."
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={pending}
      wide
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            Connect with token
          </Button>
        </>
      }
    >
      <div className="stack">
        <div className="stack-sm">
          <h3>Recommended: log in with Facebook</h3>
          <p className="muted small">
            Use a Facebook account with the Advertiser role (or higher) on the ad account, which has accepted the Custom Audiences Terms of Service in Ads Manager.
          </p>
          <div>
            <FacebookLoginButton />
          </div>
        </div>
        <hr className="divider" style={{ margin: 0 }} />
        <div className="stack">
          <h3>Or paste a system-user token</h3>
          {errors.form && (
            <Callout tone="danger" role="alert">
              {errors.form}
            </Callout>
          )}
          <div className="grid-2">
            <TextField
              label="Destination name"
              value={name}
              onChange={setName}
              error={errors.name}
              maxLength={100}
            />
            <TextField
              label="Ad account id"
              value={adAccountId}
              onChange={setAdAccountId}
              error={errors.adAccountId}
              placeholder="act_1234567890"
              autoComplete="off"
            />
          </div>
          <TextField
            label="Access token"
            type="password"
            value={accessToken}
            onChange={setAccessToken}
            error={errors.accessToken}
            autoComplete="off"
            hint="A system-user token with ads_management, from Business Settings → System users. It is stored encrypted."
          />
          <details>
            <summary className="small" style={{ cursor: 'pointer', fontWeight: 600 }}>
              Advanced
            </summary>
            <div className="grid-2" style={{ marginTop: 12 }}>
              <TextField
                label="App secret"
                optional
                type="password"
                value={appSecret}
                onChange={setAppSecret}
                error={errors.appSecret}
                hint="Sends appsecret_proof with every call."
                autoComplete="off"
              />
              <TextField
                label="Graph API base URL"
                optional
                value={graphBaseUrl}
                onChange={setGraphBaseUrl}
                error={errors.graphBaseUrl}
                placeholder="https://graph.facebook.com"
                hint="Only to point at a local Meta emulator."
              />
            </div>
          </details>
        </div>
      </div>
    </Modal>
  );
}

/** Reconnect keeps the destination's id, so every sync using it keeps working. */
export function ReconnectDialog({
  destination,
  onClose,
  onReconnected,
}: {
  destination: DestinationView;
  onClose: () => void;
  onReconnected: (destination: DestinationView) => void;
}) {
  const [accessToken, setAccessToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    if (accessToken.trim().length < 10) {
      setError('Paste a new access token for this ad account.');
      return;
    }
    setPending(true);
    try {
      const view = await api.post<DestinationView>(`/api/destinations/${destination.id}/reconnect`, {
        accessToken: accessToken.trim(),
      });
      onReconnected(view);
    } catch (failure) {
      setError(errorMessage(failure));
      setPending(false);
    }
  };

  return (
    <Modal
      title={`Reconnect “${destination.name}”`}
      description={`Ad account ${destination.adAccountId}. Every sync using this destination keeps its settings and members.`}
      onClose={onClose}
      onSubmit={() => void submit()}
      busy={pending}
      footer={
        <>
          <Button onClick={onClose} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" pending={pending}>
            Reconnect with token
          </Button>
        </>
      }
    >
      <div className="stack">
        {destination.statusMessage && (
          <Callout tone="warning" title="Why it is Disconnected">
            {destination.statusMessage}
          </Callout>
        )}
        <div className="stack-sm">
          <p className="small muted">Re-authorize using a Facebook account that holds Advertiser (or higher) access on the target Ad Account.</p>
          <div>
            <FacebookLoginButton reconnectId={destination.id} label="Reconnect with Facebook" />
          </div>
        </div>
        <hr className="divider" style={{ margin: 0 }} />
        <TextField
          id="reconnect-token"
          label="Or paste a new access token"
          type="password"
          value={accessToken}
          onChange={setAccessToken}
          error={error ?? undefined}
          autoComplete="off"
          data-autofocus
        />
      </div>
    </Modal>
  );
}
