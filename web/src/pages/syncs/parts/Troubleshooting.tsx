import { Link } from '../../../lib/router.tsx';

/**
 * The guide's Tips and Troubleshooting, in its words, where the problem shows:
 * Disconnected destinations, Invalid syncs, and low match rates.
 */
export function ReconnectFix({ message }: { message?: string | null }) {
  return (
    <div className="stack-sm">
      <p>
        <strong>Cause:</strong> The OAuth token authorizing Sourcesible's access to your Facebook Ads account has expired or been revoked — typically because
        the authorizing Facebook user's session was ended, password changed, or app permissions were removed.
        {message && <span className="muted"> Details: {message}</span>}
      </p>
      <div>
        <strong>Fix:</strong>
        <ol>
          <li>
            Navigate to <Link to="/destinations">Connections → Destinations</Link>.
          </li>
          <li>Locate the Facebook Custom Audiences destination.</li>
          <li>Click Reconnect and re-authorize using a Facebook account that holds Advertiser (or higher) access on the target Ad Account.</li>
          <li>Return to Activation → Sync and retry the sync setup.</li>
        </ol>
      </div>
    </div>
  );
}

export function InvalidFix({ reason }: { reason?: string | null }) {
  return (
    <div className="stack-sm">
      <p>
        <strong>Cause:</strong> The sync configuration references a source or destination that is no longer valid — for example, a Sourcesible Audience that was
        deleted, a dataset that was removed, or a destination that was disconnected and not reconnected.
      </p>
      {reason && (
        <p>
          <strong>Here:</strong> {reason}
        </p>
      )}
      <div>
        <strong>Fix:</strong>
        <ol>
          <li>Review each of the four wizard steps under Settings for missing or broken references (a deleted audience, a disconnected destination, etc.).</li>
          <li>Correct each issue and save.</li>
          <li>
            If the original Audience was deleted, <Link to="/syncs/new">create a new sync</Link> pointing to a valid Audience.
          </li>
        </ol>
      </div>
    </div>
  );
}

export function MatchRateTips() {
  return (
    <details className="small">
      <summary style={{
        cursor: 'pointer',
        fontWeight: 600,
      }}>Audience size in Facebook is smaller than the Export Audience count?</summary>
      <div className="stack-sm" style={{ marginTop: 8 }}>
        <p>
          Facebook applies its own probabilistic identity matching after receiving the hashed data. Only customers whose hashed identifiers correspond to an
          active Facebook profile are included in the final Custom Audience.
        </p>
        <ul style={{ margin: 0, paddingLeft: 20 }}>
          <li>Ensure both email and phone are mapped under Set up Sync → Data Mapping.</li>
          <li>Verify your source data is clean: no null values, phone numbers formatted consistently with country code (e.g., +66812345678).</li>
          <li>Confirm PII Auto-Hashing is set to Yes unless your data is pre-hashed.</li>
          <li>Allow up to 24 hours after the initial sync for Facebook to complete its matching process before evaluating match rate.</li>
        </ul>
      </div>
    </details>
  );
}
