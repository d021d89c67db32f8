import './form-field.css';
import type { ReactNode } from 'react';

export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A label, its control and the API's problems with it, tied together for assistive technology. */
export function FormField({
  id,
  label,
  problems = [],
  help,
  children,
}: {
  id: string;
  label: string;
  problems?: readonly string[] | undefined;
  help?: string;
  children: (props: ControlProps) => ReactNode;
}) {
  const described = [help ? `${id}-help` : '', problems.length > 0 ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {help && (
        <span className="help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {children({
        id,
        'aria-invalid': problems.length > 0 || undefined,
        'aria-describedby': described || undefined,
      })}
      {problems.length > 0 && (
        <p className="field-problem" id={`${id}-problem`}>
          {problems.join('; ')}
        </p>
      )}
    </div>
  );
}
