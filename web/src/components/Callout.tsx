import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.tsx';

const ICONS: Record<string, IconName> = {
  info: 'info',
  warning: 'alert',
  danger: 'error',
  success: 'success',
};

export function Callout({
  tone = 'info',
  title,
  children,
  role,
}: {
  tone?: 'info' | 'warning' | 'danger' | 'success';
  title?: ReactNode;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`callout callout-${tone}`} role={role}>
      <Icon name={ICONS[tone]!} />
      <div className="grow">
        {title && <strong className="callout-title">{title}</strong>}
        {children && <div className="callout-body">{children}</div>}
      </div>
    </div>
  );
}

/** A failed load, with the API's message and a way to try again. */
export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Callout tone="danger" title="Could not load this page" role="alert">
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="btn btn-link" style={{ marginTop: 6 }} onClick={onRetry}>
          Try again
        </button>
      )}
    </Callout>
  );
}
