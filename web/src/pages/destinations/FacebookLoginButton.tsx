import { api } from '../../api/client.ts';
import { Icon } from '../../components/Icon.tsx';
import { useResource } from '../../lib/hooks.ts';

/**
 * Starts Facebook Login: a full-page visit to /api/meta/login, which redirects to
 * Meta's dialog and comes back to /destinations/connect. When the server has no
 * Meta app configured, the button says so instead of leading to an error.
 */
export function FacebookLoginButton({
  reconnectId,
  label = 'Continue with Facebook',
}: { reconnectId?: number; label?: string }) {
  const config = useResource((signal) => api.get<{
    loginAvailable: boolean;
  }>('/api/meta/config', { signal }), []);
  const href = reconnectId ? `/api/meta/login?reconnect=${reconnectId}` : '/api/meta/login';
  const unavailable = config.data?.loginAvailable === false;

  return (
    <div className="stack-sm">
      <div>
        <a
          className="btn btn-primary"
          style={{
            background: '#1877f2',
            ...(unavailable && { opacity: 0.55, pointerEvents: 'none' }),
          }}
          href={href}
          aria-disabled={unavailable || undefined}
          tabIndex={unavailable ? -1 : undefined}
        >
          <Icon name="facebook" />
          {label}
        </a>
      </div>
      {unavailable && (
        <p className="small muted">
          Facebook Login is not set up on this server: set <code>META_APP_ID</code> and <code>META_APP_SECRET</code> in its environment and restart it, or use a
          system-user token below.
        </p>
      )}
    </div>
  );
}
