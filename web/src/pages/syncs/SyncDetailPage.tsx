import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import type { DestinationView, MetaAudience, Page, RunView, SyncView } from '../../api/types.ts';
import { StatusBadge } from '../../components/Badge.tsx';
import { Button } from '../../components/Button.tsx';
import { SectionTitle } from '../../components/Card.tsx';
import { Callout, ErrorState } from '../../components/Callout.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { LoadingBlock } from '../../components/Spinner.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { useToast } from '../../components/Toast.tsx';
import {
  describeSchedule,
  formatDateTime,
  formatNumber,
  formatRelative,
} from '../../lib/format.ts';
import { useBurst, useDocumentTitle, useInterval, useResource } from '../../lib/hooks.ts';
import { Link, navigate, useLocation } from '../../lib/router.tsx';
import { AudiencePicker } from './parts/AudiencePicker.tsx';
import { DestinationPicker } from './parts/DestinationPicker.tsx';
import {
  audienceErrors,
  draftFromSync,
  formFieldOf,
  mappingOf,
  metaAudienceOf,
  scheduleErrors,
  scheduleOf,
  selectedAudienceIds,
  setupErrors,
  type FieldErrors,
  type SyncDraft,
} from './parts/draft.ts';
import { RunHistory } from './parts/RunHistory.tsx';
import { ScheduleSection } from './parts/ScheduleSection.tsx';
import {
  HashingSection,
  MappingSection,
  MetaAudienceSection,
  SyncIdentitySection,
  type NameCheck,
} from './parts/SetupSections.tsx';
import { InvalidFix, MatchRateTips, ReconnectFix } from './parts/Troubleshooting.tsx';
import { SyncNowButton } from './SyncListPage.tsx';

export function SyncDetailPage({ id }: { id: number }) {
  const sync = useResource((signal) => api.get<SyncView>(`/api/syncs/${id}`, { signal }), [id]);
  const runs = useResource(
    (signal) => api.get<RunView[]>(`/api/syncs/${id}/runs?limit=20`, { signal }),
    [id],
  );
  useDocumentTitle(sync.data?.name ?? 'Sync');
  const [bursting, startBurst] = useBurst();
  const busy = bursting || sync.data?.status === 'Running' || sync.data?.status === 'Pending';
  const reloadAll = useCallback(() => {
    sync.reload();
    runs.reload();
  }, [sync.reload, runs.reload]);
  useInterval(reloadAll, busy ? 1500 : 15000, Boolean(sync.data));
  const onChanged = useCallback(() => {
    startBurst();
    reloadAll();
  }, [startBurst, reloadAll]);

  if (sync.loading && !sync.data) return <div className="page"><LoadingBlock label="Loading the sync…" /></div>;
  if (sync.error && !sync.data) {
    return (
      <div className="page">
        <PageHeader back={{ to: '/syncs', label: 'Activation → Sync' }} title="Sync" />
        <ErrorState message={sync.error} onRetry={sync.reload} />
      </div>
    );
  }
  const view = sync.data!;
  return <SyncDetail key={view.updatedAt} view={view} runs={runs.data ?? []} runsLoading={runs.loading && !runs.data} onChanged={onChanged} />;
}

function SyncDetail({
  view,
  runs,
  runsLoading,
  onChanged,
}: { view: SyncView; runs: RunView[]; runsLoading: boolean; onChanged: () => void }) {
  const toast = useToast();
  const saved = useMemo(() => draftFromSync(view), [view]);
  const [draft, setDraft] = useState<SyncDraft>(saved);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [nameCheck, setNameCheck] = useState<NameCheck>('idle');
  const [destinations, setDestinations] = useState<DestinationView[]>([]);
  const size = useMetaAudienceSize(view);
  const { search } = useLocation();
  const tab = search.get('tab') === 'settings' ? 'settings' : 'overview';
  const setTab = (key: 'overview' | 'settings') => navigate(key === 'settings' ? `/syncs/${view.id}?tab=settings` : `/syncs/${view.id}`, {
    replace: true,
  });

  const dirty = JSON.stringify(draft) !== JSON.stringify(saved);
  const update = useCallback((patch: Partial<SyncDraft>) => setDraft((previous) => ({
    ...previous,
    ...patch,
  })), []);
  const deletedNames = view.audiences.filter((audience) => audience.deleted).map((audience) => audience.name);
  const liveErrors = { ...setupErrors(draft), ...errors };

  const save = async () => {
    const found: FieldErrors = {
      ...audienceErrors(draft),
      ...setupErrors(draft),
      ...scheduleErrors(draft),
    };
    if (draft.metaMode === 'create' && draft.metaName !== saved.metaName && nameCheck === 'taken') {
      found['metaAudience.name'] = `A Custom Audience named "${draft.metaName.trim()}" already exists in this Facebook Ad Account. Enter a unique Audience Name.`;
    }
    const chosen = destinations.find((destination) => destination.id === draft.destinationId);
    if (draft.destinationId !== saved.destinationId && chosen && chosen.status !== 'Connected') {
      found.destinationId = 'Choose a Connected destination.';
    }
    if (Object.keys(found).length > 0) {
      setErrors(found);
      return;
    }

    const patch: Record<string, unknown> = {};
    if (draft.name !== saved.name) patch.name = draft.name.trim();
    if (draft.description !== saved.description) patch.description = draft.description.trim();
    if (JSON.stringify(draft.audienceIds) !== JSON.stringify(saved.audienceIds)) patch.audienceIds = selectedAudienceIds(draft);
    if (draft.destinationId !== saved.destinationId) patch.destinationId = draft.destinationId;
    if (JSON.stringify(metaAudienceOf(draft)) !== JSON.stringify(metaAudienceOf(saved))) patch.metaAudience = metaAudienceOf(draft);
    if (JSON.stringify(mappingOf(draft)) !== JSON.stringify(mappingOf(saved))) patch.mapping = mappingOf(draft);
    if (draft.hashPii !== saved.hashPii) patch.hashPii = draft.hashPii;
    if (draft.defaultCountry !== saved.defaultCountry) patch.defaultCountry = draft.defaultCountry || null;
    if (JSON.stringify(scheduleOf(draft)) !== JSON.stringify(scheduleOf(saved))) patch.schedule = scheduleOf(draft);

    setSaving(true);
    try {
      await api.patch<SyncView>(`/api/syncs/${view.id}`, patch);
      toast.show(
        'success',
        'Changes saved',
        patch.mapping || patch.hashPii !== undefined ? 'The next run resends every member in the new shape.' : undefined,
      );
      setErrors({});
      onChanged();
    } catch (failure) {
      const field = (failure as { field?: string | null }).field;
      if (field) setErrors({ [formFieldOf(field)]: errorMessage(failure) });
      else toast.show('error', 'The changes were not saved', errorMessage(failure));
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    setDeleting(true);
    try {
      await api.del(`/api/syncs/${view.id}`);
      toast.show(
        'success',
        `Sync "${view.name}" deleted`,
        'Its Facebook audience stays in Ads Manager.',
      );
      navigate('/syncs');
    } catch (failure) {
      toast.show('error', 'The sync was not deleted', errorMessage(failure));
      setDeleting(false);
      setConfirmDelete(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/syncs', label: 'Activation → Sync' }}
        title={
          <span className="row" style={{ gap: 12 }}>
            {view.name}
            <span data-testid="sync-status">
              <StatusBadge status={view.status} />
            </span>
          </span>
        }
        description={view.description || undefined}
        actions={
          <>
            <Button variant="ghost" icon="trash" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
            <SyncNowButton sync={view} onStarted={onChanged} variant="primary" />
          </>
        }
      />

      <StatusExplanation view={view} onOpenSettings={() => setTab('settings')} />

      <Tabs
        value={tab}
        onChange={setTab}
        items={[
          { key: 'overview', label: 'Overview' },
          { key: 'settings', label: dirty ? 'Settings •' : 'Settings' },
        ]}
      >
        {tab === 'overview' ? (
          <SyncOverview view={view} size={size} runs={runs} runsLoading={runsLoading} />
        ) : (
          <div className="stack" aria-label="Settings">
            <p className="muted small">Edit any step of the wizard; changes apply from the next run.</p>

            <section className="stack-sm" aria-label="Step 1 — Audiences">
              <SectionTitle tag="1">Audiences</SectionTitle>
              <AudiencePicker
                value={draft.audienceIds}
                onChange={(audienceIds) => update({ audienceIds })}
                error={errors.audienceIds}
                deletedNames={deletedNames}
              />
            </section>

            <section className="stack-sm" aria-label="Step 2 — Destination">
              <SectionTitle tag="2">Destination</SectionTitle>
              <DestinationPicker
                value={draft.destinationId}
                onChange={(destinationId) => update({ destinationId })}
                onLoaded={setDestinations}
                error={errors.destinationId}
              />
            </section>

            <section className="stack-sm" aria-label="Step 3 — Set up Sync">
              <SectionTitle tag="3">Set up Sync with Facebook Custom Audiences</SectionTitle>
              <div className="card">
                <div className="card-body">
                  <SectionTitle tag="3a">Sync Identity</SectionTitle>
                  <SyncIdentitySection draft={draft} update={update} errors={liveErrors} />
                  <hr className="divider" />
                  <SectionTitle tag="3b">Facebook Audience Mode</SectionTitle>
                  <MetaAudienceSection
                    draft={draft}
                    update={update}
                    errors={dirty ? liveErrors : errors}
                    destinationId={draft.destinationId}
                    ownName={saved.metaMode === 'create' ? saved.metaName : null}
                    onNameCheck={setNameCheck}
                  />
                  <hr className="divider" />
                  <SectionTitle tag="3c">Data Mapping</SectionTitle>
                  <MappingSection draft={draft} update={update} errors={liveErrors} />
                  <hr className="divider" />
                  <SectionTitle tag="3d">PII Auto-Hashing</SectionTitle>
                  <HashingSection draft={draft} update={update} errors={errors} />
                </div>
              </div>
            </section>

            <section className="stack-sm" aria-label="Step 4 — Schedule">
              <SectionTitle tag="4">Schedule</SectionTitle>
              <div className="card">
                <div className="card-body">
                  <ScheduleSection
                    draft={draft}
                    update={update}
                    errors={{ ...scheduleErrors(draft), ...errors }}
                  />
                </div>
              </div>
            </section>

            {dirty && (
              <div className="action-bar" role="region" aria-label="Unsaved changes">
                <span className="muted">You have unsaved changes.</span>
                <div className="row">
                  <Button onClick={() => { setDraft(saved); setErrors({}); }} disabled={saving}>
                    Discard
                  </Button>
                  <Button variant="primary" onClick={() => void save()} pending={saving}>
                    Save changes
                  </Button>
                </div>
              </div>
            )}
          </div>
        )}
      </Tabs>

      {confirmDelete && (
        <ConfirmDialog
          title={`Delete "${view.name}"?`}
          confirmLabel="Delete sync"
          onConfirm={() => void remove()}
          onCancel={() => setConfirmDelete(false)}
          pending={deleting}
        >
          <p>Sourcesible stops updating the Facebook audience. The audience itself stays in Facebook Ads Manager with its current members.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function SyncOverview({ view, size, runs, runsLoading }: OverviewProps) {
  return (
    <>
      <section className="card" aria-label="Overview">
        <div className="card-body">
          <div className="grid-2">
            <dl className="kv">
              <dt>Facebook audience</dt>
              <dd>
                {view.metaAudience.mode === 'create' ? (view.metaAudience.name ?? '—') : (size.name ?? 'Existing audience')}
                <span className="cell-sub">
                  {view.metaAudience.mode === 'create' ? 'Created and managed by Sourcesible' : `Existing audience · ${view.metaAudience.writeMode}`}
                </span>
              </dd>
              <dt>Meta audience id</dt>
              <dd className="mono" data-testid="meta-audience-id">
                {view.metaAudience.id ?? <span className="faint">Not created yet — the first run creates it</span>}
              </dd>
              <dt>Approximate size</dt>
              <dd data-testid="meta-audience-size">{size.text}</dd>
            </dl>
            <dl className="kv">
              <dt>Destination</dt>
              <dd>
                {view.destination.name} <span className="faint">({view.destination.adAccountId})</span>
              </dd>
              <dt>Schedule</dt>
              <dd>{describeSchedule(view.schedule)}</dd>
              <dt>Last run</dt>
              <dd title={view.lastRun?.startedAt}>{view.lastRun ? `${formatRelative(view.lastRun.startedAt)} · ${view.lastRun.status}` : 'Never'}</dd>
              {view.schedule.type === 'interval' && (
                <>
                  <dt>Next run</dt>
                  <dd title={view.nextRunAt ?? undefined}>{formatRelative(view.nextRunAt)}</dd>
                </>
              )}
              <dt>Created</dt>
              <dd>{formatDateTime(view.createdAt)}</dd>
            </dl>
          </div>
          <div style={{ marginTop: 16 }}>
            <MatchRateTips />
          </div>
        </div>
      </section>
      <RunHistory runs={runs} loading={runsLoading} />
    </>
  );
}

interface OverviewProps {
  view: SyncView;
  size: { text: string; name: string | null };
  runs: RunView[];
  runsLoading: boolean;
}

/** For Disconnected, Invalid and Failed syncs: the cause and the fix, in the guide's words. */
function StatusExplanation({
  view,
  onOpenSettings,
}: { view: SyncView; onOpenSettings: () => void }) {
  if (view.status === 'Disconnected') {
    return (
      <Callout
        tone="warning"
        title={`This sync is Disconnected: destination "${view.destination.name}" needs to be reconnected`}
        role="alert"
      >
        <ReconnectFix message={view.statusReason} />
        <div style={{ marginTop: 8 }}>
          <Link
            className="btn btn-primary btn-sm"
            to={`/destinations?reconnect=${view.destination.id}`}
          >
            Reconnect “{view.destination.name}”
          </Link>
        </div>
      </Callout>
    );
  }
  if (view.status === 'Invalid') {
    return (
      <Callout tone="danger" title="This sync is Invalid" role="alert">
        <InvalidFix reason={view.statusReason} />
        <div style={{ marginTop: 8 }}>
          <Button size="sm" variant="primary" onClick={onOpenSettings}>
            Review the settings
          </Button>
        </div>
      </Callout>
    );
  }
  if (view.status === 'Failed') {
    return (
      <Callout tone="danger" title="The last run failed" role="alert">
        <p>{view.statusReason ?? view.lastRun?.errorMessage ?? 'The run did not finish.'}</p>
        <p className="muted" style={{ marginTop: 4 }}>
          Fix the cause, then click Sync now. Members already sent stay in the Facebook audience; the next run continues from there.
        </p>
      </Callout>
    );
  }
  return null;
}

/**
 * The audience's approximate size as Meta reports it. The sync view carries it when the
 * API adds it; otherwise the destination's audience list is read until the id turns up.
 */
function useMetaAudienceSize(view: SyncView): { text: string; name: string | null } {
  // undefined: still asking; null: not in the list (yet).
  const [found, setFound] = useState<MetaAudience | null | 'error' | undefined>(undefined);
  const audienceId = view.metaAudience.id;
  const given = view.metaAudience.approximateCountLowerBound;

  useEffect(() => {
    if (!audienceId || given !== undefined) return undefined;
    let cancelled = false;
    const look = async () => {
      let after: string | null = null;
      for (let page = 0; page < 5; page += 1) {
        const query = new URLSearchParams({ limit: '100' });
        if (after) query.set('after', after);
        const answer: Page<MetaAudience> = await api.get(`/api/destinations/${view.destination.id}/meta-audiences?${query}`);
        const match = answer.data.find((audience) => audience.id === audienceId);
        if (match) return match;
        if (!answer.nextCursor) return null;
        after = answer.nextCursor;
      }
      return null;
    };
    look().then(
      (match) => !cancelled && setFound(match),
      () => !cancelled && setFound('error'),
    );
    return () => {
      cancelled = true;
    };
  }, [audienceId, given, view.destination.id, view.lastRun?.id]);

  if (!audienceId) return { text: '—', name: null };
  const low = given ?? (found && found !== 'error' ? found.approximateCountLowerBound : null);
  const high = view.metaAudience.approximateCountUpperBound ?? (found && found !== 'error' ? found.approximateCountUpperBound : null);
  const name = found && found !== 'error' ? found.name : null;
  if (found === 'error') return { text: 'Not available: Meta could not be asked', name };
  if (low === null || low === undefined) return {
    text: found === undefined && given === undefined ? 'Asking Meta…' : 'Not available yet',
    name,
  };
  if (low < 0) return { text: 'Not available yet (Meta is still matching)', name };
  const range = high && high !== low ? `${formatNumber(low)}–${formatNumber(high)}` : formatNumber(low);
  return { text: `${range} ${range === '1' ? 'person' : 'people'}, as Meta reports it`, name };
}
