import { Callout } from '../../../components/Callout.tsx';
import { FieldError, Select } from '../../../components/Field.tsx';
import { RadioGroup } from '../../../components/RadioGroup.tsx';
import type { IntervalUnit } from '../../../lib/format.ts';
import { describeSchedule } from '../../../lib/format.ts';
import { MIN_INTERVAL_MINUTES } from '../../../lib/sync-fields.ts';
import { scheduleErrors, scheduleOf, type FieldErrors, type SyncDraft } from './draft.ts';

interface ScheduleProps {
  draft: SyncDraft;
  update: (patch: Partial<SyncDraft>) => void;
  errors: FieldErrors;
}

/** Step 4: Manual, or Interval with "every N minutes/hours/days". */
export function ScheduleSection({ draft, update, errors }: ScheduleProps) {
  const error = errors['schedule.everyMinutes'];
  const valid = Object.keys(scheduleErrors(draft)).length === 0;
  return (
    <div className="stack">
      <RadioGroup
        legend="Schedule Type"
        horizontal
        value={draft.scheduleType}
        onChange={(scheduleType) => update({ scheduleType })}
        options={[
          {
            value: 'manual',
            label: 'Manual',
            description: 'Trigger the sync on demand from the Sync list page. For ad-hoc campaigns or one-time audience pushes.',
          },
          {
            value: 'interval',
            label: 'Interval',
            description: 'Run the sync automatically on a recurring interval (e.g., once per hour). For always-on campaigns where membership changes frequently.',
          },
        ]}
      />
      {draft.scheduleType === 'interval' ? (
        <div className="stack-sm">
          <div className="row" role="group" aria-labelledby="interval-label">
            <span id="interval-label" className="field-label">
              Run every
            </span>
            <input
              id="interval-every"
              className="input"
              style={{ width: 90 }}
              type="number"
              min={1}
              step={1}
              inputMode="numeric"
              aria-label="Interval length"
              value={draft.every}
              onChange={(event) => update({ every: event.target.value })}
              aria-invalid={error ? true : undefined}
            />
            <Select
              aria-label="Interval unit"
              style={{ width: 130 }}
              value={draft.unit}
              onChange={(unit) => update({ unit: unit as IntervalUnit })}
              options={[
                { value: 'minutes', label: 'minutes' },
                { value: 'hours', label: 'hours' },
                { value: 'days', label: 'days' },
              ]}
            />
            {valid && <span className="muted small">{describeSchedule(scheduleOf(draft))}, starting after the initial export.</span>}
          </div>
          {error ? <FieldError id="schedule-error">{error}</FieldError> : <span className="field-hint">The shortest interval is {MIN_INTERVAL_MINUTES} minutes.</span>}
          <div className="row" style={{ marginTop: 8, flexWrap: 'wrap' }}>
            <label className="field-label" htmlFor="interval-start">
              First run at
            </label>
            <input
              id="interval-start"
              className="input"
              style={{ width: 210 }}
              type="datetime-local"
              value={draft.startAt}
              onChange={(event) => update({ startAt: event.target.value })}
              aria-invalid={errors['schedule.startAt'] ? true : undefined}
            />
            <Select
              aria-label="Time zone"
              style={{ width: 240 }}
              value={draft.timeZone}
              onChange={(timeZone) => update({ timeZone })}
              options={timeZoneOptions(draft.timeZone)}
            />
          </div>
          {errors['schedule.startAt'] ? (
            <FieldError>{errors['schedule.startAt']}</FieldError>
          ) : (
            <span className="field-hint">Optional. Empty: the interval counts from when you save. Daily runs keep this wall time across daylight saving.</span>
          )}
        </div>
      ) : (
        <Callout tone="warning">
          If you choose Manual, the Custom Audience in Facebook will not update automatically when your Sourcesible Audience membership changes. Stale audiences
          can cause your ads to reach customers who no longer qualify for a segment.
        </Callout>
      )}
    </div>
  );
}

function timeZoneOptions(current: string): Array<{ value: string; label: string }> {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(['UTC', current, ...zones]);
  return [...all].map((zone) => ({ value: zone, label: zone.replaceAll('_', ' ') }));
}
