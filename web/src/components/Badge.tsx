import type { ReactNode } from 'react';

export type BadgeTone = 'green' | 'amber' | 'red' | 'blue' | 'grey';

export function Badge({
  tone,
  children,
  title,
}: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

const STATUS_TONES: Record<string, BadgeTone> = {
  Synced: 'green',
  Connected: 'green',
  succeeded: 'green',
  completed: 'green',
  Disconnected: 'amber',
  Invalid: 'red',
  Failed: 'red',
  failed: 'red',
  interrupted: 'red',
  Running: 'blue',
  running: 'blue',
  Pending: 'grey',
};

const RUN_LABELS: Record<string, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  running: 'Running',
  interrupted: 'Interrupted',
};

/** The Status column's badge: Synced green, Disconnected amber, Invalid red, Running blue, Failed red, Pending grey. */
export function StatusBadge({ status, title }: { status: string; title?: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? 'grey'} title={title}>
      {RUN_LABELS[status] ?? status}
    </Badge>
  );
}
