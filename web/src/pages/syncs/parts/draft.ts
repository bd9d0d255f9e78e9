import type { CreateSyncBody, Schedule, SyncView } from '../../../api/types.ts';
import { UNIT_MINUTES, intervalOf, type IntervalUnit } from '../../../lib/format.ts';
import {
  MAX_INTERVAL_MINUTES,
  META_AUDIENCE_NAME_MAX,
  MIN_INTERVAL_MINUTES,
  SYNC_DESCRIPTION_MAX,
  SYNC_NAME_MAX,
  defaultMapping,
  mappingProblem,
  type MappingDestination,
  type MappingDraftRow,
} from '../../../lib/sync-fields.ts';

/** Everything the four wizard steps collect, as the form holds it (text stays text until sent). */
export interface SyncDraft {
  audienceIds: Array<number | null>;
  destinationId: number | null;
  name: string;
  description: string;
  metaMode: 'create' | 'existing';
  metaName: string;
  existingAudienceId: string;
  existingAudienceName: string;
  writeMode: 'append' | 'replace';
  mapping: MappingDraftRow[];
  hashPii: boolean;
  defaultCountry: string;
  scheduleType: 'manual' | 'interval';
  every: string;
  unit: IntervalUnit;
  /** Local wall time of the first run, `2025-01-10T02:00`; empty: from when it is saved. */
  startAt: string;
  timeZone: string;
}

/** The browser's own zone, e.g. Europe/Paris; schedules in days keep its wall time. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Messages keyed by the API's field paths: name, metaAudience.name, schedule.everyMinutes, … */
export type FieldErrors = Record<string, string>;

export function emptyDraft(): SyncDraft {
  return {
    audienceIds: [null],
    destinationId: null,
    name: '',
    description: '',
    metaMode: 'create',
    metaName: '',
    existingAudienceId: '',
    existingAudienceName: '',
    writeMode: 'append',
    mapping: defaultMapping(),
    hashPii: true,
    defaultCountry: '',
    scheduleType: 'manual',
    every: '1',
    unit: 'hours',
    startAt: '',
    timeZone: browserTimeZone(),
  };
}

/** A saved sync as an editable draft, for the detail page. */
export function draftFromSync(sync: SyncView): SyncDraft {
  const interval = sync.schedule.type === 'interval' ? intervalOf(sync.schedule) : {
    every: 1,
    unit: 'hours' as const,
  };
  const zone = sync.schedule.type === 'interval' ? sync.schedule.timeZone : undefined;
  const startAt = sync.schedule.type === 'interval' ? sync.schedule.startAt : undefined;
  const mapped = new Map(sync.mapping.map((row) => [row.destination, row.source]));
  const defaults = defaultMapping().map((row) => ({
    ...row,
    source: mapped.get(row.destination) ?? '',
  }));
  const extra = sync.mapping
    .filter((row) => !defaults.some((entry) => entry.destination === row.destination))
    .map((row) => ({ destination: row.destination as MappingDestination, source: row.source }));
  return {
    audienceIds: sync.audiences.map((audience) => (audience.deleted ? null : audience.id)),
    destinationId: sync.destination.id,
    name: sync.name,
    description: sync.description,
    metaMode: sync.metaAudience.mode,
    metaName: sync.metaAudience.name ?? '',
    existingAudienceId: sync.metaAudience.mode === 'existing' ? (sync.metaAudience.id ?? '') : '',
    existingAudienceName: '',
    writeMode: sync.metaAudience.writeMode,
    mapping: [...defaults, ...extra],
    hashPii: sync.hashPii,
    defaultCountry: sync.defaultCountry ?? '',
    scheduleType: sync.schedule.type,
    every: String(interval.every),
    unit: interval.unit,
    startAt: startAt ?? '',
    timeZone: zone ?? browserTimeZone(),
  };
}

export function selectedAudienceIds(draft: SyncDraft): number[] {
  return [...new Set(draft.audienceIds.filter((id): id is number => id !== null))];
}

export function scheduleOf(draft: SyncDraft): Schedule {
  if (draft.scheduleType === 'manual') return { type: 'manual' };
  return {
    type: 'interval',
    every: Number(draft.every),
    unit: draft.unit,
    startAt: draft.startAt || null,
    timeZone: draft.timeZone,
  };
}

export function metaAudienceOf(draft: SyncDraft): CreateSyncBody['metaAudience'] {
  return draft.metaMode === 'create'
    ? { mode: 'create', name: draft.metaName.trim() }
    : { mode: 'existing', audienceId: draft.existingAudienceId, writeMode: draft.writeMode };
}

export function mappingOf(draft: SyncDraft): Array<{ source: string; destination: string }> {
  return draft.mapping.filter((row) => row.source).map((row) => ({
    source: row.source,
    destination: row.destination,
  }));
}

export function toCreateBody(draft: SyncDraft): CreateSyncBody {
  return {
    name: draft.name.trim(),
    description: draft.description.trim(),
    audienceIds: selectedAudienceIds(draft),
    destinationId: draft.destinationId ?? 0,
    metaAudience: metaAudienceOf(draft),
    mapping: mappingOf(draft),
    hashPii: draft.hashPii,
    defaultCountry: draft.defaultCountry || null,
    schedule: scheduleOf(draft),
  };
}

export function audienceErrors(draft: SyncDraft): FieldErrors {
  return selectedAudienceIds(draft).length === 0 ? {
    audienceIds: 'Select at least one audience to export.',
  } : {};
}

/** `connected` is undefined while the destination list loads: the API checks it again anyway. */
export function destinationErrors(draft: SyncDraft, connected: boolean | undefined): FieldErrors {
  if (draft.destinationId === null) return {
    destinationId: 'Select a Connected Facebook Custom Audiences destination to continue.',
  };
  if (connected === false) {
    return {
      destinationId: 'This destination is Disconnected. Reconnect it under Connections → Destinations, or choose a Connected one.',
    };
  }
  return {};
}

/** Sync Name and Sync Description: shown live, as the person types. */
export function identityErrors(draft: SyncDraft): FieldErrors {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (draft.name.length > SYNC_NAME_MAX) errors.name = `Sync Name must be at most ${SYNC_NAME_MAX} characters (now ${draft.name.length}).`;
  else if (!name) errors.name = 'Enter a Sync Name: it appears on the Sync list page.';
  if (draft.description.length > SYNC_DESCRIPTION_MAX) {
    errors.description = `Sync Description must be at most ${SYNC_DESCRIPTION_MAX} characters (now ${draft.description.length}).`;
  }
  return errors;
}

export function setupErrors(draft: SyncDraft): FieldErrors {
  const errors = identityErrors(draft);
  if (draft.metaMode === 'create') {
    const name = draft.metaName.trim();
    if (!name) errors['metaAudience.name'] = 'Enter the Audience Name the audience will have in Facebook Ads Manager.';
    else if (name.length > META_AUDIENCE_NAME_MAX) errors['metaAudience.name'] = `Audience Name must be at most ${META_AUDIENCE_NAME_MAX} characters.`;
  } else if (!draft.existingAudienceId) {
    errors['metaAudience.audienceId'] = 'Select the existing Facebook audience to update.';
  }
  const mapping = mappingProblem(draft.mapping);
  if (mapping) errors.mapping = mapping;
  return errors;
}

export function scheduleErrors(draft: SyncDraft): FieldErrors {
  if (draft.scheduleType === 'manual') return {};
  const every = Number(draft.every);
  if (!Number.isInteger(every) || every < 1) return {
    'schedule.everyMinutes': 'Enter a whole number of 1 or more.',
  };
  const minutes = every * UNIT_MINUTES[draft.unit];
  if (minutes < MIN_INTERVAL_MINUTES) return {
    'schedule.everyMinutes': `Run at most every ${MIN_INTERVAL_MINUTES} minutes.`,
  };
  if (minutes > MAX_INTERVAL_MINUTES) return {
    'schedule.everyMinutes': 'Run at least every 30 days.',
  };
  return {};
}

/** Which wizard step owns an API field, so a refused Finish reopens the right screen. */
export function stepOfField(field: string | null): number | null {
  if (!field) return null;
  if (field.startsWith('audienceIds')) return 0;
  if (field.startsWith('destinationId')) return 1;
  if (field.startsWith('schedule')) return 3;
  if (/^(name|description|metaAudience|mapping|hashPii|defaultCountry)/.test(field)) return 2;
  return null;
}

/** Normalises an API field to the key the form shows it under: mapping.2.source → mapping. */
export function formFieldOf(field: string): string {
  if (field.startsWith('mapping')) return 'mapping';
  if (field.startsWith('audienceIds')) return 'audienceIds';
  if (field === 'schedule.startAt' || field === 'schedule.timeZone') return 'schedule.startAt';
  if (field.startsWith('schedule')) return 'schedule.everyMinutes';
  if (field === 'metaAudience' || field === 'metaAudience.mode') return 'metaAudience.name';
  return field;
}
