import { useEffect, useMemo, useState } from 'react';
import { api, ApiError, errorMessage } from '../../api/client.ts';
import type { Audience, CustomerFields, MemberPreview, SyncView } from '../../api/types.ts';
import { Button } from '../../components/Button.tsx';
import { Callout, ErrorState } from '../../components/Callout.tsx';
import { TextField } from '../../components/Field.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/Layout.tsx';
import { ConfirmDialog } from '../../components/Modal.tsx';
import { LoadingBlock, Spinner } from '../../components/Spinner.tsx';
import { useToast } from '../../components/Toast.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useDebounced, useDocumentTitle, useResource } from '../../lib/hooks.ts';
import { navigate } from '../../lib/router.tsx';
import { RuleBuilder } from './RuleBuilder.tsx';
import {
  emptyAnyGroup,
  fromRule,
  incompleteCondition,
  toRule,
  type GroupDraft,
} from './rule-tree.ts';

const NAME_MAX = 100;
const DESCRIPTION_MAX = 500;

export function AudienceEditorPage({ id }: { id?: number }) {
  const audience = useResource(
    (signal) => (id ? api.get<Audience>(`/api/audiences/${id}`, { signal }) : Promise.resolve(null)),
    [id],
  );
  useDocumentTitle(audience.data?.name ?? (id ? 'Audience' : 'New audience'));
  if (audience.loading && !audience.data) return <div className="page"><LoadingBlock label="Loading the audience…" /></div>;
  if (audience.error) {
    return (
      <div className="page">
        <PageHeader
          back={{ to: '/audiences', label: 'Segmentation → Audiences' }}
          title="Audience"
        />
        <ErrorState message={audience.error} onRetry={audience.reload} />
      </div>
    );
  }
  return <AudienceEditor audience={audience.data ?? null} />;
}

function AudienceEditor({ audience }: { audience: Audience | null }) {
  const toast = useToast();
  const fields = useResource(
    (signal) => api.get<CustomerFields>('/api/customers/fields', { signal }),
    [],
  );
  const [name, setName] = useState(audience?.name ?? '');
  const [description, setDescription] = useState(audience?.description ?? '');
  const [root, setRoot] = useState<GroupDraft>(() => fromRule(audience?.rule ?? {
    all: [{ field: 'country', op: 'equals', value: '' }],
  }));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const rule = useMemo(() => toRule(root), [root]);
  const incomplete = incompleteCondition(root) !== null || emptyAnyGroup(root);
  const settledRule = useDebounced(JSON.stringify(rule), 350);
  const live = useLivePreview(incomplete ? null : settledRule);

  const nameError = name.length > NAME_MAX ? `Name must be at most ${NAME_MAX} characters.` : errors.name;
  const save = async () => {
    if (!name.trim()) {
      setErrors({ name: 'Enter a name for the audience.' });
      return;
    }
    if (incomplete) {
      setErrors({ rule: 'Fill in a value for every condition (or remove it) before saving.' });
      return;
    }
    setSaving(true);
    try {
      const body = { name: name.trim(), description: description.trim(), rule };
      const saved = audience ? await api.patch<Audience>(
        `/api/audiences/${audience.id}`,
        body,
      ) : await api.post<Audience>('/api/audiences', body);
      toast.show(
        'success',
        audience ? 'Audience saved' : `Audience "${saved.name}" created`,
        `${formatNumber(saved.memberCount)} customers match.`,
      );
      navigate('/audiences');
    } catch (failure) {
      const field = failure instanceof ApiError ? failure.field : null;
      setErrors({
        [field?.startsWith('rule') ? 'rule' : (field ?? 'form')]: errorMessage(failure),
      });
      setSaving(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        back={{ to: '/audiences', label: 'Segmentation → Audiences' }}
        title={audience ? audience.name : 'New audience'}
        description="Choose which customers belong to this audience. The count and preview update as you edit."
        actions={
          audience && (
            <Button variant="ghost" icon="trash" onClick={() => setConfirmDelete(true)}>
              Delete
            </Button>
          )
        }
      />
      <div
        style={{
          display: 'grid',
          gridTemplateColumns: 'minmax(0, 1.7fr) minmax(280px, 1fr)',
          gap: 20,
          alignItems: 'start',
        }}
      >
        <div className="stack">
          <section className="card" aria-label="Audience details">
            <div className="card-body stack">
              <TextField
                id="audience-name"
                label="Name"
                value={name}
                onChange={setName}
                maxChars={NAME_MAX}
                error={nameError}
                autoComplete="off"
              />
              <TextField
                id="audience-description"
                label="Description"
                optional
                value={description}
                onChange={setDescription}
                maxChars={DESCRIPTION_MAX}
                error={errors.description}
                autoComplete="off"
              />
            </div>
          </section>
          <section className="card" aria-label="Rule">
            <header className="card-header">
              <div>
                <h2>Rule</h2>
                <p>Text comparisons ignore case and surrounding spaces. Dates are whole UTC days.</p>
              </div>
            </header>
            <div className="card-body stack">
              {fields.error && <Callout tone="warning">The field list could not be loaded: {fields.error}</Callout>}
              <RuleBuilder root={root} onChange={setRoot} fields={fields.data} />
              {errors.rule && (
                <Callout tone="danger" role="alert">
                  {errors.rule}
                </Callout>
              )}
            </div>
          </section>
          {errors.form && (
            <Callout tone="danger" role="alert">
              {errors.form}
            </Callout>
          )}
          <div className="action-bar">
            <Button variant="ghost" onClick={() => navigate('/audiences')} disabled={saving}>
              Cancel
            </Button>
            <Button variant="primary" onClick={() => void save()} pending={saving}>
              {audience ? 'Save audience' : 'Create audience'}
            </Button>
          </div>
        </div>
        <LivePanel live={live} incomplete={incomplete} />
      </div>
      {confirmDelete && audience && <DeleteAudienceDialog audience={audience} deleting={deleting} setDeleting={setDeleting} onClose={() => setConfirmDelete(false)} />}
    </div>
  );
}

interface LiveState {
  count: number | null;
  members: MemberPreview[];
  loading: boolean;
  error: string | null;
}

function useLivePreview(ruleText: string | null): LiveState {
  const [state, setState] = useState<LiveState>({
    count: null,
    members: [],
    loading: false,
    error: null,
  });
  useEffect(() => {
    if (!ruleText) return undefined;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const rule = JSON.parse(ruleText) as unknown;
    api.post<{ count: number; members: MemberPreview[] }>(
      '/api/audiences/preview',
      { rule, limit: 8 },
      { signal: controller.signal },
    ).then(
      (answer) => setState({
        count: answer.count,
        members: answer.members,
        loading: false,
        error: null,
      }),
      (failure: unknown) => {
        if (!controller.signal.aborted) setState({
          count: null,
          members: [],
          loading: false,
          error: errorMessage(failure),
        });
      },
    );
    return () => controller.abort();
  }, [ruleText]);
  return state;
}

function LivePanel({ live, incomplete }: { live: LiveState; incomplete: boolean }) {
  return (
    <aside
      className="card"
      style={{ position: 'sticky', top: 'calc(var(--topbar-height) + 16px)' }}
      aria-label="Live count and preview"
    >
      <div className="counter-banner">
        <span className="counter-icon">
          <Icon name="users" />
        </span>
        <div>
          <div className="counter-label">Matching customers</div>
          <div className="counter-value" data-testid="audience-live-count" aria-live="polite">
            {live.count === null ? '—' : formatNumber(live.count)}
            {live.loading && (
              <span style={{ marginLeft: 10 }}>
                <Spinner label="Counting" />
              </span>
            )}
          </div>
        </div>
      </div>
      <div className="card-body stack-sm">
        {incomplete ? (
          <p className="muted small">Finish the conditions to see who matches.</p>
        ) : live.error ? (
          <Callout tone="danger" role="alert">
            {live.error}
          </Callout>
        ) : (
          <>
            <h3>Preview</h3>
            <p className="faint small">The first members, with emails and phones masked.</p>
            {live.members.length === 0 && !live.loading ? (
              <p className="muted small">No customer matches this rule.</p>
            ) : (
              <ul className="example-list" style={{ gap: 8 }}>
                {live.members.map((member) => (
                  <li key={member.id}>
                    <strong>{[
                      member.firstName,
                      member.lastName,
                    ].filter(Boolean).join(' ') || member.key}</strong>
                    <span className="cell-sub mono">{[
                      member.maskedEmail,
                      member.maskedPhone,
                    ].filter(Boolean).join(' · ') || '—'}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </aside>
  );
}

function DeleteAudienceDialog({
  audience,
  deleting,
  setDeleting,
  onClose,
}: {
  audience: Audience;
  deleting: boolean;
  setDeleting: (value: boolean) => void;
  onClose: () => void;
}) {
  const toast = useToast();
  const syncs = useResource((signal) => api.get<SyncView[]>('/api/syncs', { signal }), []);
  const using = (syncs.data ?? []).filter((sync) => sync.audiences.some((entry) => entry.id === audience.id && !entry.deleted));

  const remove = async () => {
    setDeleting(true);
    try {
      await api.del(`/api/audiences/${audience.id}`);
      toast.show(
        'success',
        `Audience "${audience.name}" deleted`,
        using.length > 0 ? `${using.length} sync(s) using it are now Invalid.` : undefined,
      );
      navigate('/audiences');
    } catch (failure) {
      toast.show('error', 'The audience was not deleted', errorMessage(failure));
      setDeleting(false);
      onClose();
    }
  };

  return (
    <ConfirmDialog
      title={`Delete "${audience.name}"?`}
      confirmLabel="Delete audience"
      onConfirm={() => void remove()}
      onCancel={onClose}
      pending={deleting}
    >
      <div className="stack-sm">
        <p>The audience and its rule are removed. Customers stay.</p>
        {using.length > 0 && (
          <Callout
            tone="warning"
            title={`${using.length === 1 ? '1 sync uses' : `${using.length} syncs use`} this audience`}
          >
            <p>They will show Invalid until you select another audience in their settings:</p>
            <ul>
              {using.map((sync) => (
                <li key={sync.id}>{sync.name}</li>
              ))}
            </ul>
          </Callout>
        )}
      </div>
    </ConfirmDialog>
  );
}
