import { useId, type ReactNode } from 'react';

export interface RadioOption<V extends string> {
  value: V;
  label: ReactNode;
  description?: ReactNode;
  disabled?: boolean;
}

interface RadioGroupProps<V extends string> {
  legend: ReactNode;
  value: V;
  onChange: (value: V) => void;
  options: Array<RadioOption<V>>;
  horizontal?: boolean;
  /** Plain radios without the bordered cards. */
  plain?: boolean;
  hideLegend?: boolean;
  name?: string;
}

/** Native radios in a fieldset: arrow keys move between options, as people expect. */
export function RadioGroup<V extends string>({
  legend,
  value,
  onChange,
  options,
  horizontal,
  plain,
  hideLegend,
  name,
}: RadioGroupProps<V>) {
  const autoName = useId();
  const groupName = name ?? autoName;
  return (
    <fieldset className={horizontal ? 'radio-group horizontal' : 'radio-group'}>
      <legend className={hideLegend ? 'visually-hidden' : 'field-label'}>{legend}</legend>
      {options.map((option) => {
        const checked = option.value === value;
        const classes = [
          'radio-option',
          plain ? 'radio-plain' : '',
          checked ? 'checked' : '',
          option.disabled ? 'disabled' : '',
        ];
        return (
          <label key={option.value} className={classes.filter(Boolean).join(' ')}>
            <input
              type="radio"
              name={groupName}
              value={option.value}
              checked={checked}
              disabled={option.disabled}
              onChange={() => onChange(option.value)}
            />
            <span>
              <span className="radio-option-label">{option.label}</span>
              {option.description && <span className="radio-option-desc">{option.description}</span>}
            </span>
          </label>
        );
      })}
    </fieldset>
  );
}
