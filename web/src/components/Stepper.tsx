import { Icon } from './Icon.tsx';

export interface Step {
  title: string;
  subtitle?: string;
}

/**
 * The wizard's progress: finished steps show a check and can be revisited;
 * later steps open only through Next, so each step's checks always run.
 */
export function Stepper({
  steps,
  current,
  onSelect,
}: { steps: Step[]; current: number; onSelect?: (index: number) => void }) {
  return (
    <nav aria-label="Wizard steps">
      <ol className="stepper">
        {steps.map((step, index) => {
          const done = index < current;
          const state = index === current ? 'current' : done ? 'done' : '';
          const content = (
            <>
              <span className="stepper-index">{done ? <Icon name="check" /> : index + 1}</span>
              <span className="stepper-text">
                <span className="stepper-title">{step.title}</span>
                {step.subtitle && <span className="stepper-sub">{step.subtitle}</span>}
              </span>
            </>
          );
          return (
            <li
              key={step.title}
              className={`stepper-item ${state}`}
              aria-current={index === current ? 'step' : undefined}
            >
              {done && onSelect ? (
                <button
                  type="button"
                  onClick={() => onSelect(index)}
                  aria-label={`Back to step ${index + 1}: ${step.title}`}
                >
                  {content}
                </button>
              ) : (
                <span className="row" style={{ gap: 12, minWidth: 0 }}>
                  {content}
                </span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
