import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
}

/** Tabs as ARIA describes them: arrow keys move between tabs, Tab goes into the panel. */
export function Tabs<K extends string>({
  items,
  value,
  onChange,
  children,
}: { items: Array<TabItem<K>>; value: K; onChange: (key: K) => void; children: ReactNode }) {
  const base = useId();
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent) => {
    const index = items.findIndex((item) => item.key === value);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = items[(index + step + items.length) % items.length]!;
    onChange(next.key);
    window.requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`[data-key="${next.key}"]`)?.focus());
  };

  return (
    <div className="stack">
      <div className="tabs" role="tablist" ref={list} onKeyDown={onKeyDown}>
        {items.map((item) => (
          <button
            key={item.key}
            type="button"
            role="tab"
            className="tab"
            data-key={item.key}
            id={`${base}-${item.key}`}
            aria-selected={item.key === value}
            aria-controls={`${base}-panel`}
            tabIndex={item.key === value ? 0 : -1}
            onClick={() => onChange(item.key)}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div
        role="tabpanel"
        id={`${base}-panel`}
        aria-labelledby={`${base}-${value}`}
        className="stack"
      >
        {children}
      </div>
    </div>
  );
}
