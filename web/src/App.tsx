import { useEffect, type ReactNode } from 'react';
import { Button } from './components/Button.tsx';
import { Callout } from './components/Callout.tsx';
import { EmptyState } from './components/EmptyState.tsx';
import { Layout } from './components/Layout.tsx';
import { LoadingBlock } from './components/Spinner.tsx';
import { ToastProvider } from './components/Toast.tsx';
import { AuthProvider, useAuth } from './lib/auth.tsx';
import { Link, matchPath, navigate, useLocation } from './lib/router.tsx';
import { AudienceEditorPage } from './pages/audiences/AudienceEditorPage.tsx';
import { AudienceListPage } from './pages/audiences/AudienceListPage.tsx';
import { CustomerImportPage } from './pages/customers/CustomerImportPage.tsx';
import { CustomersPage } from './pages/customers/CustomersPage.tsx';
import { ConnectPendingPage } from './pages/destinations/ConnectPendingPage.tsx';
import { DestinationsPage } from './pages/destinations/DestinationsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { ApiTokensPage } from './pages/ApiTokensPage.tsx';
import { SyncDetailPage } from './pages/syncs/SyncDetailPage.tsx';
import { SyncListPage } from './pages/syncs/SyncListPage.tsx';
import { SyncWizardPage } from './pages/syncs/wizard/SyncWizardPage.tsx';

const ROUTES: Array<[string, (params: Record<string, string>) => ReactNode]> = [
  ['/syncs', () => <SyncListPage />],
  ['/syncs/new', () => <SyncWizardPage />],
  ['/syncs/:id', (params) => <SyncDetailPage key={params.id} id={Number(params.id)} />],
  ['/audiences', () => <AudienceListPage />],
  ['/audiences/new', () => <AudienceEditorPage key="new" />],
  ['/audiences/:id', (params) => <AudienceEditorPage key={params.id} id={Number(params.id)} />],
  ['/customers', () => <CustomersPage />],
  ['/customers/import', () => <CustomerImportPage />],
  ['/destinations', () => <DestinationsPage />],
  ['/destinations/connect', () => <ConnectPendingPage />],
  ['/settings/tokens', () => <ApiTokensPage />],
];

function Routes() {
  const { pathname } = useLocation();

  useEffect(() => {
    if (pathname === '/' || pathname === '/login') navigate('/syncs', { replace: true });
  }, [pathname]);

  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, pathname);
    if (params) return <>{render(params)}</>;
  }
  if (pathname === '/' || pathname === '/login') return null;
  return (
    <div className="page">
      <div className="card">
        <EmptyState
          icon="search"
          title="This page does not exist"
          actions={<Link className="btn btn-primary" to="/syncs">Go to Sync</Link>}
        >
          The address {pathname} matches no page of Sourcesible Activation.
        </EmptyState>
      </div>
    </div>
  );
}

function Gate() {
  const { user, checking, startupError, retry } = useAuth();
  if (checking) return <LoadingBlock label="Starting Sourcesible…" />;
  if (!user && startupError) {
    return (
      <div className="login-screen">
        <div className="login-card">
          <Callout tone="danger" title="Sourcesible is not answering" role="alert">
            <p>{startupError}</p>
          </Callout>
          <Button variant="primary" onClick={retry}>
            Try again
          </Button>
        </div>
      </div>
    );
  }
  if (!user) return <LoginPage />;
  return (
    <Layout>
      <Routes />
    </Layout>
  );
}

export function App() {
  return (
    <ToastProvider>
      <AuthProvider>
        <Gate />
      </AuthProvider>
    </ToastProvider>
  );
}
