import type { ReactNode } from 'react';

interface CardProps {
  title?: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  footer?: ReactNode;
  /** Content placed above the header, e.g. the Export Audience counter. */
  banner?: ReactNode;
  flush?: boolean;
  children?: ReactNode;
  className?: string;
  id?: string;
}

export function Card({
  title,
  description,
  actions,
  footer,
  banner,
  flush,
  children,
  className = '',
  id,
}: CardProps) {
  return (
    <section
      className={`card ${className}`}
      id={id}
      aria-label={typeof title === 'string' ? title : undefined}
    >
      {banner}
      {(title || actions) && (
        <header className="card-header">
          <div>
            {title && <h2>{title}</h2>}
            {description && <p>{description}</p>}
          </div>
          {actions && <div className="row">{actions}</div>}
        </header>
      )}
      <div className={flush ? 'card-body-flush' : 'card-body'}>{children}</div>
      {footer && <footer className="card-footer">{footer}</footer>}
    </section>
  );
}

export function SectionTitle({ tag, children }: { tag?: string; children: ReactNode }) {
  return (
    <div className="section-title">
      {tag && <span className="section-tag">{tag}</span>}
      <h3>{children}</h3>
    </div>
  );
}
