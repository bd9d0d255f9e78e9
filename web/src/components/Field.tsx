import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { Icon } from './Icon.tsx';

interface FieldShellProps {
  label: ReactNode;
  id: string;
  hint?: ReactNode;
  error?: ReactNode;
  success?: ReactNode;
  optional?: boolean;
  counter?: { length: number; max: number };
  children: ReactNode;
  hideLabel?: boolean;
}

/** Label, control, then hint, success or error text, all tied to the control for screen readers. */
export function FieldShell({
  label,
  id,
  hint,
  error,
  success,
  optional,
  counter,
  children,
  hideLabel,
}: FieldShellProps) {
  const over = counter ? counter.length > counter.max : false;
  return (
    <div className="field">
      <div className={hideLabel ? 'visually-hidden' : 'field-label-row'}>
        <label className="field-label" htmlFor={id}>
          {label}
          {optional && <span className="field-optional">(optional)</span>}
        </label>
        {counter && (
          <span
            className={over ? 'field-counter over' : 'field-counter'}
            id={`${id}-counter`}
            aria-live="polite"
          >
            {counter.length}/{counter.max}
          </span>
        )}
      </div>
      {children}
      {error ? (
        <div className="field-error" id={`${id}-error`} role="alert">
          <Icon name="error" />
          <span>{error}</span>
        </div>
      ) : success ? (
        <div className="field-ok" id={`${id}-ok`}>
          <Icon name="success" />
          <span>{success}</span>
        </div>
      ) : hint ? (
        <div className="field-hint" id={`${id}-hint`}>
          {hint}
        </div>
      ) : null}
    </div>
  );
}

function describedBy(
  id: string,
  props: { error?: ReactNode; success?: ReactNode; hint?: ReactNode; counter?: boolean },
) {
  const ids = [];
  if (props.error) ids.push(`${id}-error`);
  else if (props.success) ids.push(`${id}-ok`);
  else if (props.hint) ids.push(`${id}-hint`);
  if (props.counter) ids.push(`${id}-counter`);
  return ids.join(' ') || undefined;
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: ReactNode;
  success?: ReactNode;
  optional?: boolean;
  /** Shows "n/max" as the person types; the count turns red past the limit. */
  maxChars?: number;
  hideLabel?: boolean;
  addon?: ReactNode;
};

export function TextField({
  label,
  value,
  onChange,
  hint,
  error,
  success,
  optional,
  maxChars,
  hideLabel,
  addon,
  id,
  className = '',
  ...rest
}: TextFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  const input = (
    <input
      id={fieldId}
      className={`input ${className}`}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy(fieldId, {
        error,
        success,
        hint,
        counter: maxChars !== undefined,
      })}
      {...rest}
    />
  );
  return (
    <FieldShell
      label={label}
      id={fieldId}
      hint={hint}
      error={error}
      success={success}
      optional={optional}
      hideLabel={hideLabel}
      counter={maxChars !== undefined ? { length: value.length, max: maxChars } : undefined}
    >
      {addon ? (
        <div className="input-with-addon">
          <span className="input-addon">{addon}</span>
          {input}
        </div>
      ) : (
        input
      )}
    </FieldShell>
  );
}

type TextAreaFieldProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange' | 'value'> & {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean;
  maxChars?: number;
};

export function TextAreaField({
  label,
  value,
  onChange,
  hint,
  error,
  optional,
  maxChars,
  id,
  ...rest
}: TextAreaFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <FieldShell
      label={label}
      id={fieldId}
      hint={hint}
      error={error}
      optional={optional}
      counter={maxChars !== undefined ? { length: value.length, max: maxChars } : undefined}
    >
      <textarea
        id={fieldId}
        className="textarea"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(fieldId, { error, hint, counter: maxChars !== undefined })}
        {...rest}
      />
    </FieldShell>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  disabled?: boolean;
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'size'> & {
  value: string;
  onChange: (value: string) => void;
  options: SelectOption[];
  placeholder?: string;
  size?: 'sm' | 'md';
  invalid?: boolean;
};

/** A styled native select: the browser's own keyboard and screen-reader handling. */
export function Select({
  value,
  onChange,
  options,
  placeholder,
  size = 'md',
  invalid,
  className = '',
  ...rest
}: SelectProps) {
  return (
    <select
      className={`select ${size === 'sm' ? 'select-sm' : ''} ${className}`}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={invalid ? true : undefined}
      {...rest}
    >
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {options.map((option) => (
        <option key={option.value} value={option.value} disabled={option.disabled}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

type SelectFieldProps = Omit<SelectProps, 'id'> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  optional?: boolean;
  id?: string;
};

export function SelectField({ label, hint, error, optional, id, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const fieldId = id ?? autoId;
  return (
    <FieldShell label={label} id={fieldId} hint={hint} error={error} optional={optional}>
      <Select
        id={fieldId}
        invalid={Boolean(error)}
        aria-describedby={describedBy(fieldId, { error, hint })}
        {...rest}
      />
    </FieldShell>
  );
}

export function FieldError({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <div className="field-error" id={id} role="alert">
      <Icon name="error" />
      <span>{children}</span>
    </div>
  );
}
