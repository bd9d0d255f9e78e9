import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, newIdempotencyKey } from '../../../api/client.ts';
import type { DestinationView, SyncView } from '../../../api/types.ts';
import { Button } from '../../../components/Button.tsx';
import { SectionTitle } from '../../../components/Card.tsx';
import { Callout } from '../../../components/Callout.tsx';
import { PageHeader } from '../../../components/Layout.tsx';
import { ConfirmDialog } from '../../../components/Modal.tsx';
import { Stepper } from '../../../components/Stepper.tsx';
import { useToast } from '../../../components/Toast.tsx';
import { useDocumentTitle, useResource } from '../../../lib/hooks.ts';
import { Link, navigate } from '../../../lib/router.tsx';
import { AudiencePicker } from '../parts/AudiencePicker.tsx';
import { DestinationPicker } from '../parts/DestinationPicker.tsx';
import {
  audienceErrors,
  destinationErrors,
  emptyDraft,
  formFieldOf,
  identityErrors,
  scheduleErrors,
  setupErrors,
  stepOfField,
  toCreateBody,
  type FieldErrors,
  type SyncDraft,
} from '../parts/draft.ts';
import { QualityPreview } from '../parts/QualityPreview.tsx';
import { ScheduleSection } from '../parts/ScheduleSection.tsx';
import {
  HashingSection,
  MappingSection,
  MetaAudienceSection,
  SyncIdentitySection,
  type NameCheck,
} from '../parts/SetupSections.tsx';
import { clearSession, loadSession, saveSession, type WizardSession } from './wizard-session.ts';

const STEPS = [
  { title: 'Select Audiences', subtitle: 'Who to export' },
  { title: 'Select Destination', subtitle: 'Where to send them' },
  { title: 'Set up Sync', subtitle: 'Name, audience, mapping' },
  { title: 'Set Schedule', subtitle: 'How often' },
];

// The guide asks people to wait up to 30 s; past this we say so, next to the spinner.
const SLOW_SAVE_MS = 8000;

export function SyncWizardPage() {
  useDocumentTitle('Sync Audience');
  const toast = useToast();
  const [initial] = useState(loadSession);
  const [session, setSession] = useState<WizardSession>(initial.session);
  const [restored, setRestored] = useState(initial.restored);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [showErrors, setShowErrors] = useState(false);
  const [destinations, setDestinations] = useState<DestinationView[]>([]);
  const [nameCheck, setNameCheck] = useState<NameCheck>('idle');
  const [finishing, setFinishing] = useState(false);
  const [slow, setSlow] = useState(false);
  const [finishError, setFinishError] = useState<{
    title: string;
    message: string;
    retrySafe: boolean;
  } | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const inFlight = useRef(false);
  const syncs = useResource((signal) => api.get<SyncView[]>('/api/syncs', { signal }), []);
  // Loaded here too, so a wizard restored on a later step still knows whether its destination is Connected.
  useResource(async (signal) => {
    const list = await api.get<DestinationView[]>('/api/destinations', { signal });
    setDestinations(list);
    return list;
  }, []);

  const { draft, step } = session;
  const selectedDestination = destinations.find((destination) => destination.id === draft.destinationId);

  useEffect(() => saveSession(session), [session]);

  const update = useCallback((patch: Partial<SyncDraft>) => {
    setSession((previous) => ({
      ...previous,
      touched: true,
      draft: { ...previous.draft, ...patch },
    }));
    // An answer from the API no longer applies once the field it named changes.
    setErrors((previous) => {
      const next = { ...previous };
      for (const key of Object.keys(patch)) {
        delete next[key];
        if (key === 'metaName') delete next['metaAudience.name'];
        if (key === 'existingAudienceId') delete next['metaAudience.audienceId'];
        if (key === 'mapping') delete next.mapping;
        if (key === 'every' || key === 'unit') delete next['schedule.everyMinutes'];
        if (key === 'destinationId') delete next.destinationId;
      }
      return next;
    });
  }, []);

  const goTo = (index: number) => {
    setSession((previous) => ({ ...previous, step: index }));
    setShowErrors(false);
    window.scrollTo({ top: 0 });
  };

  const takenSyncName = syncs.data?.some((sync) => sync.name.trim().toLowerCase() === draft.name.trim().toLowerCase() && draft.name.trim() !== '');
  const localErrors = (index: number): FieldErrors => {
    if (index === 0) return audienceErrors(draft);
    if (index === 1) return destinationErrors(
      draft,
      selectedDestination ? selectedDestination.status === 'Connected' : undefined,
    );
    if (index === 2) {
      const found = setupErrors(draft);
      if (session.maybeCreated) return found;
      if (takenSyncName && !found.name) found.name = `A sync named "${draft.name.trim()}" already exists. Sync names must be unique.`;
      if (draft.metaMode === 'create' && nameCheck === 'taken' && !found['metaAudience.name']) {
        found['metaAudience.name'] = `A Custom Audience named "${draft.metaName.trim()}" already exists in this Facebook Ad Account. Enter a unique Audience Name, or select it with "Use an existing Facebook audience".`;
      }
      return found;
    }
    return scheduleErrors(draft);
  };

  // Limits that people should see while typing (the 50-character counters), the rest after Next.
  const liveErrors = step === 2 ? identityErrors(draft) : {};
  const stepErrors = showErrors ? localErrors(step) : {};
  const visibleErrors = { ...liveErrors, ...stepErrors, ...errors };

  const next = () => {
    const found = localErrors(step);
    if (step === 2 && draft.metaMode === 'create' && nameCheck === 'checking') {
      found['metaAudience.name'] = 'Still checking that the Audience Name is free; try again in a moment.';
    }
    if (Object.keys(found).length > 0) {
      setShowErrors(true);
      focusFirstError();
      return;
    }
    goTo(step + 1);
  };

  const finish = async () => {
    if (inFlight.current) return;
    for (let index = 0; index < STEPS.length; index += 1) {
      if (Object.keys(localErrors(index)).length > 0) {
        goTo(index);
        setShowErrors(true);
        return;
      }
    }
    inFlight.current = true;
    setFinishing(true);
    setFinishError(null);
    const slowTimer = window.setTimeout(() => setSlow(true), SLOW_SAVE_MS);
    try {
      const created = await api.post<SyncView>(
        '/api/syncs',
        toCreateBody(draft),
        { idempotencyKey: session.idempotencyKey },
      );
      clearSession();
      toast.show(
        'success',
        `Sync "${created.name}" created`,
        'The initial audience export to Facebook has started.',
      );
      navigate(`/syncs?created=${created.id}`);
    } catch (failure) {
      handleFinishFailure(failure);
    } finally {
      window.clearTimeout(slowTimer);
      inFlight.current = false;
      setFinishing(false);
      setSlow(false);
    }
  };

  const handleFinishFailure = (failure: unknown) => {
    const error = failure instanceof ApiError ? failure : new ApiError(
      0,
      'network',
      String(failure),
    );
    if (error.outcomeUnknown) {
      setSession((previous) => ({ ...previous, maybeCreated: true }));
      setFinishError({
        title: 'The sync may or may not have been saved',
        message: `${error.code === 'network' ? 'The answer to Finish never arrived.' : error.message} Click Finish again: Sourcesible recognises the retry and never creates a second sync.`,
        retrySafe: true,
      });
      return;
    }

    if (error.status === 422 && error.field === 'Idempotency-Key') {
      // The earlier Finish did arrive, with other settings: a new key could make a second sync.
      setFinishError({
        title: 'Your earlier Finish was received with different settings',
        message:
          'Check Activation → Sync: if the sync is there, change it from its own page. If it is not, click Start over and repeat the wizard.',
        retrySafe: false,
      });
      return;
    }

    // The server refused the request, so nothing was created: a fresh key lets the corrected request through.
    setSession((previous) => ({ ...previous, idempotencyKey: newIdempotencyKey() }));
    const target = stepOfField(error.field);
    if (error.field && target !== null) {
      setErrors({ [formFieldOf(error.field)]: error.message });
      goTo(target);
      setShowErrors(true);
      focusFirstError();
      return;
    }
    setFinishError({ title: 'The sync was not created', message: error.message, retrySafe: false });
  };

  const cancel = () => {
    clearSession();
    navigate('/syncs');
  };

  const startOver = () => {
    const fresh = {
      idempotencyKey: newIdempotencyKey(),
      step: 0,
      draft: emptyDraft(),
      touched: false,
    };
    setSession(fresh);
    setErrors({});
    setRestored(false);
  };

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/syncs', label: 'Activation → Sync' }}
        title="Sync Audience"
        description="Export a Sourcesible Audience to Facebook Custom Audiences, then keep it in sync."
      />
      <Stepper steps={STEPS} current={step} onSelect={finishing ? undefined : goTo} />
      {restored && (
        <Callout tone="info" title="We restored the sync you were setting up">
          <div className="row">
            <span>
              {session.maybeCreated
                ? 'Your last Finish may have created this sync. Click Finish to find out: Sourcesible returns the sync if it exists and never creates a second one.'
                : 'Everything you entered in this tab is back.'}
            </span>
            <Button variant="link" onClick={startOver}>
              Start over
            </Button>
          </div>
        </Callout>
      )}

      {/* Enter in a field means Next on steps 1–3; Finish always takes a deliberate press. */}
      <form
        className="stack"
        style={{ gap: 'var(--space-5)' }}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (step < STEPS.length - 1) next();
        }}
      >
        {step === 0 && <AudiencePicker value={draft.audienceIds} onChange={(audienceIds) => update({
          audienceIds,
        })} error={visibleErrors.audienceIds} />}

        {step === 1 && (
          <DestinationPicker
            value={draft.destinationId}
            onChange={(destinationId) => update({ destinationId })}
            onLoaded={setDestinations}
            error={visibleErrors.destinationId}
          />
        )}

        {step === 2 && (
          <section className="card" aria-label="Set up Sync">
            <header className="card-header">
              <div>
                <h2>Set up Sync with Facebook Custom Audiences</h2>
                <p>
                  Destination: <strong>{selectedDestination?.name ?? '—'}</strong>
                  {selectedDestination && ` · ${selectedDestination.adAccountName ?? selectedDestination.adAccountId}`}
                </p>
              </div>
            </header>
            <div className="card-body">
              <SectionTitle tag="3a">Sync Identity</SectionTitle>
              <SyncIdentitySection draft={draft} update={update} errors={visibleErrors} />
              <hr className="divider" />
              <SectionTitle tag="3b">Facebook Audience Mode</SectionTitle>
              <MetaAudienceSection
                draft={draft}
                update={update}
                errors={visibleErrors}
                destinationId={draft.destinationId}
                onNameCheck={setNameCheck}
              />
              <hr className="divider" />
              <SectionTitle tag="3c">Data Mapping</SectionTitle>
              <MappingSection draft={draft} update={update} errors={visibleErrors} />
              <hr className="divider" />
              <SectionTitle tag="3d">PII Auto-Hashing</SectionTitle>
              <HashingSection draft={draft} update={update} errors={visibleErrors} />
            </div>
          </section>
        )}

        {step === 3 && (
          <>
            <section className="card" aria-label="Set Schedule">
              <header className="card-header">
                <div>
                  <h2>Set Schedule</h2>
                  <p>How often Sourcesible pushes audience updates to Facebook.</p>
                </div>
              </header>
              <div className="card-body">
                <ScheduleSection draft={draft} update={update} errors={visibleErrors} />
              </div>
            </section>
            <QualityPreview draft={draft} />
          </>
        )}

        {finishError && (
          <Callout
            tone={finishError.retrySafe ? 'warning' : 'danger'}
            title={finishError.title}
            role="alert"
          >
            <p>{finishError.message}</p>
            {finishError.retrySafe && (
              <p style={{ marginTop: 6 }}>
                Do not start the wizard again. You can also check <Link to="/syncs">Activation → Sync</Link> to see whether the sync was created.
              </p>
            )}
          </Callout>
        )}

        <div className="action-bar">
          <Button
            variant="ghost"
            onClick={() => (session.touched ? setConfirmCancel(true) : cancel())}
            disabled={finishing}
          >
            Cancel
          </Button>
          <div className="row">
            {slow && (
              <span className="muted small" role="status">
                Still saving — please wait up to 30 seconds and do not click Back.
              </span>
            )}
            {step > 0 && (
              <Button onClick={() => goTo(step - 1)} disabled={finishing}>
                Back
              </Button>
            )}
            {step < STEPS.length - 1 ? (
              <Button type="submit" variant="primary">
                Next
              </Button>
            ) : (
              <Button
                variant="primary"
                onClick={() => void finish()}
                pending={finishing}
                data-testid="finish"
              >
                {finishing ? 'Creating sync…' : 'Finish'}
              </Button>
            )}
          </div>
        </div>
      </form>

      {confirmCancel && (
        <ConfirmDialog
          title="Discard this sync?"
          confirmLabel="Discard"
          onConfirm={cancel}
          onCancel={() => setConfirmCancel(false)}
        >
          <p>The settings you entered are not saved. Nothing has been sent to Facebook.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function focusFirstError(): void {
  window.requestAnimationFrame(() => {
    const invalid = document.querySelector<HTMLElement>('[aria-invalid="true"]');
    const message = document.querySelector<HTMLElement>('.field-error');
    (invalid ?? message)?.focus?.();
    (invalid ?? message)?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  });
}
