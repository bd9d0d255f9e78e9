import { useEffect, useState } from 'react';
import { api, errorMessage } from '../../../api/client.ts';
import type { CustomerFields, MetaAudience, Page } from '../../../api/types.ts';
import { Button } from '../../../components/Button.tsx';
import { Callout } from '../../../components/Callout.tsx';
import {
  FieldError,
  FieldShell,
  Select,
  SelectField,
  TextField,
} from '../../../components/Field.tsx';
import { Icon } from '../../../components/Icon.tsx';
import { RadioGroup } from '../../../components/RadioGroup.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { COUNTRY_OPTIONS } from '../../../lib/countries.ts';
import { formatNumber } from '../../../lib/format.ts';
import { useDebounced, useResource } from '../../../lib/hooks.ts';
import {
  DEFAULT_MAPPING_DESTINATIONS,
  DESTINATION_LABELS,
  DESTINATION_NOTES,
  MAPPING_DESTINATIONS,
  SUGGESTED_SOURCES,
  SYNC_DESCRIPTION_MAX,
  SYNC_NAME_MAX,
  sourceOptions,
  type MappingDestination,
} from '../../../lib/sync-fields.ts';
import type { FieldErrors, SyncDraft } from './draft.ts';

interface SectionProps {
  draft: SyncDraft;
  update: (patch: Partial<SyncDraft>) => void;
  errors: FieldErrors;
}

/** 3a. Sync Identity: name and description, each at most 50 characters, counted as you type. */
export function SyncIdentitySection({ draft, update, errors }: SectionProps) {
  return (
    <div className="grid-2">
      <TextField
        id="sync-name"
        label="Sync Name"
        value={draft.name}
        onChange={(name) => update({ name })}
        maxChars={SYNC_NAME_MAX}
        error={errors.name}
        hint="A unique name; it appears on the Sync list page and can be updated later in Settings."
        placeholder="e.g. Spring sale — high intent"
        autoComplete="off"
      />
      <TextField
        id="sync-description"
        label="Sync Description"
        optional
        value={draft.description}
        onChange={(description) => update({ description })}
        maxChars={SYNC_DESCRIPTION_MAX}
        error={errors.description}
        hint="Context for your team."
        autoComplete="off"
      />
    </div>
  );
}

export type NameCheck = 'idle' | 'checking' | 'available' | 'taken' | 'error';

interface MetaAudienceProps extends SectionProps {
  destinationId: number | null;
  /** The saved name of this sync's own audience: it is not a conflict with itself. */
  ownName?: string | null;
  onNameCheck?: (state: NameCheck) => void;
}

/** 3b. Facebook Audience Mode: create a new audience by name, or update an existing one. */
export function MetaAudienceSection({
  draft,
  update,
  errors,
  destinationId,
  ownName,
  onNameCheck,
}: MetaAudienceProps) {
  return (
    <div className="stack">
      <RadioGroup
        legend="Facebook audience"
        hideLegend
        horizontal
        value={draft.metaMode}
        onChange={(metaMode) => update({ metaMode })}
        options={[
          {
            value: 'create',
            label: 'Create a new Facebook audience',
            description: 'Sourcesible provisions a fresh Custom Audience in Facebook Ads Manager and manages its lifecycle. Recommended for production syncs.',
          },
          {
            value: 'existing',
            label: 'Use an existing Facebook audience',
            description: 'Append or replace members in an audience already created in Facebook.',
          },
        ]}
      />
      {draft.metaMode === 'create' ? (
        <AudienceNameField
          draft={draft}
          update={update}
          errors={errors}
          destinationId={destinationId}
          ownName={ownName}
          onNameCheck={onNameCheck}
        />
      ) : (
        <ExistingAudienceField
          draft={draft}
          update={update}
          errors={errors}
          destinationId={destinationId}
        />
      )}
    </div>
  );
}

function AudienceNameField({
  draft,
  update,
  errors,
  destinationId,
  ownName,
  onNameCheck,
}: MetaAudienceProps) {
  const name = draft.metaName.trim();
  const settled = useDebounced(name, 350);
  const [check, setCheck] = useState<{
    name: string;
    state: NameCheck;
    message?: string;
  }>({ name: '', state: 'idle' });
  const stale = settled !== name;

  useEffect(() => {
    if (!settled || destinationId === null || (ownName && settled === ownName)) {
      setCheck({ name: settled, state: 'idle' });
      return undefined;
    }
    const controller = new AbortController();
    setCheck({ name: settled, state: 'checking' });
    const query = new URLSearchParams({ name: settled });
    const path = `/api/destinations/${destinationId}/meta-audiences/name-available?${query}`;
    api
      .get<{ available: boolean }>(path, { signal: controller.signal })
      .then(
        (answer) => setCheck({ name: settled, state: answer.available ? 'available' : 'taken' }),
        (failure: unknown) => {
          if (controller.signal.aborted) return;
          setCheck({ name: settled, state: 'error', message: errorMessage(failure) });
        },
      );
    return () => controller.abort();
  }, [settled, destinationId, ownName]);

  const state: NameCheck = stale && name ? 'checking' : check.name === name ? check.state : name ? 'checking' : 'idle';
  useEffect(() => onNameCheck?.(state), [state, onNameCheck]);

  const takenMessage =
    state === 'taken'
      ? `A Custom Audience named "${name}" already exists in this Facebook Ad Account. Enter a unique Audience Name, or select it with "Use an existing Facebook audience".`
      : undefined;
  return (
    <TextField
      id="meta-audience-name"
      label="Audience Name"
      value={draft.metaName}
      onChange={(metaName) => update({ metaName })}
      error={errors['metaAudience.name'] ?? takenMessage}
      success={state === 'available' ? 'This name is free in your Facebook Ad Account.' : undefined}
      hint={
        state === 'checking' ? (
          <span className="row">
            <Spinner label="Checking the name" /> Checking the name in your Facebook Ad Account…
          </span>
        ) : state === 'error' ? (
          `Could not check the name: ${check.message}`
        ) : (
          'The name the audience will have in Facebook Ads Manager. It must be unique within your Facebook Ads account.'
        )
      }
      autoComplete="off"
      maxLength={200}
    />
  );
}

function ExistingAudienceField({
  draft,
  update,
  errors,
  destinationId,
}: Omit<MetaAudienceProps, 'onNameCheck' | 'ownName'>) {
  const [pages, setPages] = useState<{
    items: MetaAudience[];
    cursor: string | null;
    loading: boolean;
    error: string | null;
  }>({
    items: [],
    cursor: null,
    loading: false,
    error: null,
  });

  const load = async (after: string | null) => {
    if (destinationId === null) return;
    setPages((previous) => ({ ...previous, loading: true, error: null }));
    const query = new URLSearchParams({ limit: '25' });
    if (after) query.set('after', after);
    try {
      const page = await api.get<Page<MetaAudience>>(`/api/destinations/${destinationId}/meta-audiences?${query}`);
      setPages((previous) => ({
        items: after ? [...previous.items, ...page.data] : page.data,
        cursor: page.nextCursor,
        loading: false,
        error: null,
      }));
    } catch (failure) {
      setPages((previous) => ({ ...previous, loading: false, error: errorMessage(failure) }));
    }
  };

  useEffect(() => {
    void load(null);
    // Reload from the first page when the destination changes.
  }, [destinationId]);

  const options = pages.items.map((audience) => ({
    value: audience.id,
    label: `${audience.name ?? 'Unnamed audience'} — ${describeSize(audience)} · id ${audience.id}`,
  }));
  if (draft.existingAudienceId && !pages.items.some((audience) => audience.id === draft.existingAudienceId)) {
    options.unshift({
      value: draft.existingAudienceId,
      label: draft.existingAudienceName || `Audience id ${draft.existingAudienceId}`,
    });
  }

  return (
    <div className="stack">
      <FieldShell
        id="existing-audience"
        label="Existing Facebook audience"
        error={errors['metaAudience.audienceId'] ?? (pages.error ? `Could not list the ad account's audiences: ${pages.error}` : undefined)}
        hint={pages.loading ? 'Loading the ad account’s customer-list audiences…' : 'Customer-list (CUSTOM) audiences of the destination’s ad account.'}
      >
        <div className="row">
          <Select
            id="existing-audience"
            className="grow"
            value={draft.existingAudienceId}
            onChange={(existingAudienceId) =>
              update({
                existingAudienceId,
                existingAudienceName: pages.items.find((audience) => audience.id === existingAudienceId)?.name ?? '',
              })
            }
            options={options}
            placeholder={pages.items.length === 0 && !pages.loading ? 'No customer-list audiences in this ad account' : 'Select an audience…'}
            invalid={Boolean(errors['metaAudience.audienceId'])}
          />
          {pages.cursor && (
            <Button size="sm" onClick={() => void load(pages.cursor)} pending={pages.loading}>
              Load more
            </Button>
          )}
          {pages.loading && !pages.cursor && <Spinner label="Loading audiences" />}
        </div>
      </FieldShell>
      <RadioGroup
        legend="How should Sourcesible write to it?"
        horizontal
        value={draft.writeMode}
        onChange={(writeMode) => update({ writeMode })}
        options={[
          {
            value: 'append',
            label: 'Append',
            description: 'Add the audience’s customers; members already in the Facebook audience stay.',
          },
          {
            value: 'replace',
            label: 'Replace',
            description: 'Make the Facebook audience hold exactly these customers; everyone else is removed on the first run.',
          },
        ]}
      />
    </div>
  );
}

function describeSize(audience: MetaAudience): string {
  const low = audience.approximateCountLowerBound;
  const high = audience.approximateCountUpperBound;
  if (low === null || low === undefined || low < 0) return 'size not available yet';
  if (high === null || high === undefined || high === low) return `about ${formatNumber(low)} ${low === 1 ? 'person' : 'people'}`;
  return `${formatNumber(low)}–${formatNumber(high)} people`;
}

/** 3c. Data Mapping: a Sourcesible field (left) for each fixed Facebook field (right). */
export function MappingSection({ draft, update, errors }: SectionProps) {
  const fields = useResource(
    (signal) => api.get<CustomerFields>('/api/customers/fields', { signal }),
    [],
  );
  const sources = sourceOptions(fields.data);
  const used = new Set(draft.mapping.map((row) => row.destination));
  const addable = MAPPING_DESTINATIONS.filter((destination) => !used.has(destination));
  const [adding, setAdding] = useState<string>('');

  const setSource = (index: number, source: string) => update({
    mapping: draft.mapping.map((row, i) => (i === index ? { ...row, source } : row)),
  });
  const removeRow = (index: number) => update({
    mapping: draft.mapping.filter((_, i) => i !== index),
  });
  const addRow = (destination: MappingDestination) => {
    update({
      mapping: [...draft.mapping, { destination, source: SUGGESTED_SOURCES[destination] ?? '' }],
    });
    setAdding('');
  };

  return (
    <div className="stack">
      <div
        className="table-wrap"
        style={{ border: '1px solid var(--border)', borderRadius: 'var(--radius-md)' }}
      >
        <table className="table table-compact" aria-label="Data Mapping">
          <thead>
            <tr>
              <th style={{ width: '42%' }}>Sourcesible Audience</th>
              <th style={{ width: 28 }} aria-hidden="true" />
              <th>Facebook destination field</th>
              <th style={{ width: 40 }}>
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {draft.mapping.map((row, index) => {
              const label = DESTINATION_LABELS[row.destination];
              const isDefault = DEFAULT_MAPPING_DESTINATIONS.includes(row.destination);
              return (
                <tr key={row.destination} data-destination={row.destination}>
                  <td>
                    <Select
                      size="sm"
                      aria-label={`Sourcesible field for ${label}`}
                      value={row.source}
                      onChange={(source) => setSource(index, source)}
                      options={sources}
                      placeholder="— Not mapped —"
                    />
                  </td>
                  <td aria-hidden="true" className="faint">
                    <Icon name="chevronRight" />
                  </td>
                  <td>
                    <span className="cell-strong">{label}</span>
                    {DESTINATION_NOTES[row.destination] && <span className="cell-sub">{DESTINATION_NOTES[row.destination]}</span>}
                  </td>
                  <td>
                    {!isDefault && (
                      <button
                        type="button"
                        className="icon-btn"
                        aria-label={`Remove the ${label} row`}
                        onClick={() => removeRow(index)}
                      >
                        <Icon name="trash" />
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {addable.length > 0 && (
        <div className="row">
          {adding === 'open' ? (
            <>
              <Select
                size="sm"
                aria-label="Facebook field to add"
                value=""
                onChange={(value) => value && addRow(value as MappingDestination)}
                options={addable.map((destination) => ({
                  value: destination,
                  label: DESTINATION_LABELS[destination],
                }))}
                placeholder="Choose a Facebook field…"
                style={{ width: 280 }}
                autoFocus
              />
              <Button size="sm" variant="ghost" onClick={() => setAdding('')}>
                Cancel
              </Button>
            </>
          ) : (
            <Button variant="link" icon="plus" onClick={() => setAdding('open')}>
              Add Mapping Field
            </Button>
          )}
        </div>
      )}
      {errors.mapping && <FieldError id="mapping-error">{errors.mapping}</FieldError>}
      <p className="muted small">
        Map at least Email or Phone Number to achieve a meaningful match rate. Mapping both fields significantly increases the size of the matched Custom Audience
        in Facebook Ads Manager.
      </p>
    </div>
  );
}

/** 3d. PII Auto-Hashing, plus the country a phone without +code is read in. */
export function HashingSection({ draft, update, errors }: SectionProps) {
  return (
    <div className="stack">
      <RadioGroup
        legend="What would you like Sourcesible to automatically detect if your PII data requires hashing?"
        value={draft.hashPii ? 'yes' : 'no'}
        onChange={(value) => update({ hashPii: value === 'yes' })}
        options={[
          {
            value: 'yes',
            label: 'Yes (default, recommended)',
            description:
              'Sourcesible automatically SHA-256 hashes PII values before transmitting them to Facebook. Fields hashed include: Email, Phone Number, First Name, Last Name, City, State/Province, Country, ZIP/Postal Code, Date of Birth, and Gender.',
          },
          {
            value: 'no',
            label: 'No',
            description: 'You are responsible for pre-hashing all PII before the data reaches Sourcesible.',
          },
        ]}
      />
      <Callout tone="info" title="Info">
        Facebook requires all PII to be SHA-256 hashed prior to ingestion. Selecting Yes ensures compliance automatically and is strongly recommended unless your
        source data has already been hashed upstream.
      </Callout>
      <div style={{ maxWidth: 420 }}>
        <SelectField
          id="default-country"
          label="Default country for phone numbers"
          optional
          value={draft.defaultCountry}
          onChange={(defaultCountry) => update({ defaultCountry })}
          options={COUNTRY_OPTIONS}
          placeholder="None — numbers must include their country code"
          error={errors.defaultCountry}
          hint="Phone numbers written without a +country code are read as numbers of this country, e.g. 0812345678 in Thailand becomes +66812345678."
        />
      </div>
    </div>
  );
}
