import type { ReactNode } from 'react';
import { useAuth } from '../lib/auth.tsx';
import { Link, useLocation } from '../lib/router.tsx';
import { BrandMark, Icon, type IconName } from './Icon.tsx';

interface NavEntry {
  to: string;
  label: string;
  icon: IconName;
}

/** The navigation as the user guide names it: Segmentation → Audiences, Connections → Destinations, Activation → Sync. */
export const NAV_GROUPS: Array<{ title: string; items: NavEntry[] }> = [
  {
    title: 'Segmentation',
    items: [
      { to: '/audiences', label: 'Audiences', icon: 'users' },
      { to: '/customers', label: 'Customers', icon: 'database' },
    ],
  },
  { title: 'Connections', items: [{ to: '/destinations', label: 'Destinations', icon: 'plug' }] },
  { title: 'Activation', items: [{ to: '/syncs', label: 'Sync', icon: 'sync' }] },
  { title: 'Settings', items: [{ to: '/settings/tokens', label: 'API tokens', icon: 'key' }] },
];

function activeEntry(pathname: string): { group: string; entry: NavEntry } | null {
  for (const group of NAV_GROUPS) {
    for (const entry of group.items) {
      if (pathname === entry.to || pathname.startsWith(`${entry.to}/`)) return {
        group: group.title,
        entry,
      };
    }
  }
  return null;
}

export function Layout({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  const { user, logout } = useAuth();
  const active = activeEntry(pathname);

  return (
    <div className="shell">
      <aside className="sidebar">
        <div className="sidebar-brand">
          <BrandMark />
          <div>
            Sourcesible
            <small>Activation</small>
          </div>
        </div>
        <nav className="nav" aria-label="Main">
          {NAV_GROUPS.map((group) => (
            <div key={group.title}>
              <div className="nav-group-title" id={`nav-${group.title}`}>
                {group.title}
              </div>
              <ul
                role="list"
                aria-labelledby={`nav-${group.title}`}
                style={{ listStyle: 'none', margin: 0, padding: 0 }}
              >
                {group.items.map((entry) => (
                  <li key={entry.to}>
                    <Link
                      className="nav-link"
                      to={entry.to}
                      aria-current={active?.entry.to === entry.to ? 'page' : undefined}
                    >
                      <Icon name={entry.icon} />
                      {entry.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <div className="sidebar-footer">Self-hosted · Meta Custom Audiences</div>
      </aside>
      <header className="topbar">
        <div className="breadcrumbs" aria-label="You are here">
          {active ? (
            <>
              <span>{active.group}</span>
              <Icon name="chevronRight" className="faint" />
              <strong>{active.entry.label}</strong>
            </>
          ) : (
            <strong>Sourcesible Activation</strong>
          )}
        </div>
        <div className="user-chip">
          <span className="avatar" aria-hidden="true">
            {user?.username.slice(0, 1)}
          </span>
          <span className="small" data-testid="current-user">
            {user?.username}
          </span>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => void logout()}>
            <Icon name="logout" />
            Log out
          </button>
        </div>
      </header>
      <main className="content" id="main">
        {children}
      </main>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
  back,
}: {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  back?: { to: string; label: string };
}) {
  return (
    <div>
      {back && (
        <Link className="back-link" to={back.to}>
          <Icon name="chevronLeft" className="faint" />
          {back.label}
        </Link>
      )}
      <div className="page-header">
        <div>
          <h1>{title}</h1>
          {description && <p>{description}</p>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </div>
    </div>
  );
}
