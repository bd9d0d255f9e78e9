import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../../api/client.ts';
import type { Audience } from '../../../api/types.ts';
import { Button } from '../../../components/Button.tsx';
import { Callout, ErrorState } from '../../../components/Callout.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { FieldError, Select } from '../../../components/Field.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { LoadingBlock, Spinner } from '../../../components/Spinner.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useResource } from '../../../lib/hooks.ts';
import { Link } from '../../../lib/router.tsx';

const MAX_AUDIENCES = 20;

interface AudiencePickerProps {
  value: Array<number | null>;
  onChange: (value: Array<number | null>) => void;
  error?: string;
  /** Names of audiences the sync used that were deleted since, to explain an Invalid sync. */
  deletedNames?: string[];
}

/**
 * Step 1: one Audience dropdown per row, + Add Audience for more, and the
 * Export Audience counter on top: customers in any selected audience, each once.
 */
export function AudiencePicker({ value, onChange, error, deletedNames = [] }: AudiencePickerProps) {
  const audiences = useResource((signal) => api.get<Audience[]>('/api/audiences', { signal }), []);
  const ids = [...new Set(value.filter((id): id is number => id !== null))];
  const count = useExportCount(ids);

  const setRow = (index: number, id: number | null) => onChange(value.map((entry, i) => (i === index ? id : entry)));
  const removeRow = (index: number) => onChange(value.length === 1 ? [
    null,
  ] : value.filter((_, i) => i !== index));

  const banner = (
    <div className="counter-banner" data-testid="export-audience-counter">
      <span className="counter-icon">
        <Icon name="users" />
      </span>
      <div className="grow">
        <div className="counter-label">Export Audience</div>
        <div className="counter-value" aria-live="polite">
          {ids.length === 0 ? '—' : count.value === null ? <Spinner label="Counting customers" /> : formatNumber(count.value)}
          <small>{count.value === 1 ? 'Customer' : 'Customers'}</small>
          {count.loading && count.value !== null && (
            <span style={{ marginLeft: 10, verticalAlign: 'middle' }}>
              <Spinner label="Updating count" />
            </span>
          )}
        </div>
      </div>
      <span className="muted small" style={{ maxWidth: 280 }}>
        Customers in any selected audience, each counted once.
      </span>
    </div>
  );

  if (audiences.loading && !audiences.data) return <section className="card">{banner}<LoadingBlock label="Loading audiences…" /></section>;
  if (audiences.error) return <ErrorState message={audiences.error} onRetry={audiences.reload} />;
  const list = audiences.data ?? [];

  return (
    <section className="card" aria-label="Select Audiences">
      {banner}
      <div className="card-body stack">
        {list.length === 0 ? (
          <EmptyState
            icon="users"
            title="No audiences yet"
            actions={
              <Link className="btn btn-primary" to="/audiences/new">
                <Icon name="plus" />
                Create an audience
              </Link>
            }
          >
            Define an audience under Segmentation → Audiences first, then come back to sync it.
          </EmptyState>
        ) : (
          <>
            {deletedNames.length > 0 && (
              <Callout tone="danger" title="An audience this sync used was deleted">
                {deletedNames.map((name) => `"${name}"`).join(', ')} no longer exists. Select a valid audience below and save, or create a new sync pointing to a valid Audience.
              </Callout>
            )}
            <div className="stack-sm">
              {value.map((id, index) => {
                const taken = new Set(ids.filter((other) => other !== id));
                const options = list.map((audience) => ({
                  value: String(audience.id),
                  label: `${audience.name} — ${formatNumber(audience.memberCount)} customers`,
                  disabled: taken.has(audience.id),
                }));
                const label = index === 0 ? 'Audience' : `Audience ${index + 1}`;
                return (
                  <div className="row" key={index} style={{ alignItems: 'flex-end' }}>
                    <div className="field grow">
                      <label className="field-label" htmlFor={`audience-${index}`}>
                        {label}
                      </label>
                      <Select
                        id={`audience-${index}`}
                        value={id === null ? '' : String(id)}
                        onChange={(next) => setRow(index, next ? Number(next) : null)}
                        options={options}
                        placeholder="Select an audience…"
                        invalid={Boolean(error) && id === null}
                      />
                    </div>
                    {value.length > 1 && (
                      <button
                        type="button"
                        className="icon-btn"
                        style={{ marginBottom: 3 }}
                        aria-label={`Remove ${label}`}
                        onClick={() => removeRow(index)}
                      >
                        <Icon name="trash" />
                      </button>
                    )}
                  </div>
                );
              })}
            </div>
            <div>
              <Button
                variant="link"
                icon="plus"
                onClick={() => onChange([...value, null])}
                disabled={value.length >= Math.min(MAX_AUDIENCES, list.length)}
              >
                Add Audience
              </Button>
            </div>
            {error && <FieldError id="audienceIds-error">{error}</FieldError>}
            {count.error && <FieldError>{count.error}</FieldError>}
            {ids.length > 0 && count.value === 0 && (
              <Callout tone="warning" title="This selection has 0 Customers" role="status">
                Only audiences with at least one customer will produce a meaningful sync. If the Export Audience counter shows 0 Customers, verify your audience
                definition and data freshness under <Link to="/audiences">Segmentation → Audiences</Link> before continuing.
              </Callout>
            )}
          </>
        )}
      </div>
    </section>
  );
}

/** Asks for the union count whenever the selection changes; only the newest answer counts. */
function useExportCount(ids: number[]): {
  value: number | null;
  loading: boolean;
  error: string | null;
} {
  const [state, setState] = useState<{
    value: number | null;
    loading: boolean;
    error: string | null;
  }>({ value: null, loading: false, error: null });
  const key = ids.join(',');

  useEffect(() => {
    if (!key) {
      setState({ value: null, loading: false, error: null });
      return undefined;
    }
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    const audienceIds = key.split(',').map(Number);
    api.post<{ count: number }>(
      '/api/audiences/count',
      { audienceIds },
      { signal: controller.signal },
    ).then(
      (answer) => setState({ value: answer.count, loading: false, error: null }),
      (failure: unknown) => {
        if (controller.signal.aborted) return;
        setState({
          value: null,
          loading: false,
          error: `Could not count the customers: ${errorMessage(failure)}`,
        });
      },
    );
    return () => controller.abort();
  }, [key]);

  return state;
}
