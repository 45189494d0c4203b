import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { ClassBadge } from '../../../components/governance/class-badge';
import { useExecuteTool } from '../api/execute-tool';
import type { ToolCatalogItem } from '../api/get-tools';
import {
  checkForm,
  formFromSchema,
  initialValues,
  justificationProblem,
  JUSTIFICATION_MAX_LENGTH,
  type FormErrors,
  type FormField,
  type FormValues,
} from '../schema-form/schema-form';
import { ToolRunResult, type ToolRunState } from './tool-run-result';

const JUSTIFICATION = '__justification';

function limitsHint(field: FormField): string | null {
  switch (field.kind) {
    case 'number': {
      const whole = field.integer ? 'A whole number' : 'A number';
      if (field.minimum !== undefined && field.maximum !== undefined) return `${whole} from ${field.minimum} to ${field.maximum}.`;
      if (field.minimum !== undefined) return `${whole}, at least ${field.minimum}.`;
      if (field.maximum !== undefined) return `${whole}, at most ${field.maximum}.`;
      return `${whole}.`;
    }
    case 'list': {
      const count = field.maxItems !== undefined ? ` (at most ${field.maxItems})` : '';
      return `One per line, or separated by commas${count}.`;
    }
    case 'json':
      return 'JSON.';
    default:
      return field.maxLength !== undefined && field.maxLength >= 100_000
        ? `Up to ${field.maxLength.toLocaleString('en-US')} characters.`
        : null;
  }
}

function FieldControl({
  field,
  value,
  error,
  onChange,
}: {
  field: FormField;
  value: string | boolean;
  error?: string;
  onChange: (value: string | boolean) => void;
}) {
  const id = `${useId()}-${field.name}`;
  const hint = [field.description, limitsHint(field)].filter(Boolean).join(' ');
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: field.name,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': field.required || undefined,
  };
  const text = typeof value === 'string' ? value : '';

  if (field.kind === 'checkbox') {
    return (
      <div className="field field--checkbox" data-field={field.name}>
        <label htmlFor={id}>
          <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} /> {field.label}
        </label>
        {hint ? (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <div className="field" data-field={field.name}>
      <label htmlFor={id}>
        {field.label}
        {field.required ? (
          <span className="tool-form__required" aria-hidden="true">
            {' '}
            (required)
          </span>
        ) : null}
      </label>
      {field.kind === 'textarea' || field.kind === 'list' || field.kind === 'json' ? (
        <textarea
          {...common}
          className="tool-form__textarea"
          rows={field.kind === 'textarea' ? 8 : 3}
          value={text}
          onChange={(event) => onChange(event.target.value)}
          spellCheck={false}
        />
      ) : field.kind === 'number' ? (
        <input
          {...common}
          type="number"
          inputMode="numeric"
          step={field.integer ? 1 : 'any'}
          min={field.minimum}
          max={field.maximum}
          value={text}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <input
          {...common}
          type="text"
          autoComplete="off"
          spellCheck={false}
          value={text}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

interface LastRun {
  args: Record<string, unknown>;
  state: ToolRunState;
}

/**
 * The form for one tool, generated from its argument schema, with a justification when the
 * policy asks for one; "Run" sends it through governance and shows the result below.
 */
export function ToolRunForm({ tool, callerIsAdmin }: { tool: ToolCatalogItem; callerIsAdmin: boolean }) {
  const form = useMemo(() => formFromSchema(tool.argsSchema), [tool.argsSchema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(form));
  const [justification, setJustification] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [lastRun, setLastRun] = useState<LastRun | null>(null);
  // Bumped by a refused submit: once the messages are drawn, the first field to fix takes the focus.
  const [focusRequest, setFocusRequest] = useState(0);
  const execute = useExecuteTool();
  const formRef = useRef<HTMLFormElement>(null);
  const justificationId = useId();
  const { policy } = tool;
  const showJustification = policy.justificationRequired;
  // A per-call class may come out lower than the listed (highest) one, and need no justification.
  const justificationRequired = policy.justificationRequired && !tool.classifiedPerCall;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkForm(form, values);
    const nextErrors: FormErrors = { ...checked.errors };
    const justificationError = showJustification ? justificationProblem(justification, justificationRequired) : null;
    if (justificationError) nextErrors[JUSTIFICATION] = justificationError;
    setErrors(nextErrors);
    if (Object.keys(nextErrors).length > 0) {
      setFocusRequest((count) => count + 1);
      return;
    }
    const trimmed = justification.trim();
    execute.mutate(
      { name: tool.name, args: checked.args, ...(showJustification && trimmed ? { justification: trimmed } : {}) },
      {
        onSuccess: (outcome) => setLastRun({ args: checked.args, state: { kind: 'outcome', outcome } }),
        onError: (error) => setLastRun({ args: checked.args, state: { kind: 'error', error } }),
      },
    );
  };

  useEffect(() => {
    if (focusRequest > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusRequest]);

  const errorCount = Object.keys(errors).length;
  return (
    <div className="tool-form">
      <div className="tool-form__meta">
        <ClassBadge actionClass={tool.actionClass} />
        <span className="muted">{policy.summary}</span>
        {tool.classifiedPerCall ? (
          <span className="muted tool-form__per-call">
            The class is decided per call from the arguments (the program run); shown is the highest.
          </span>
        ) : null}
      </div>
      {!policy.allowed ? (
        <p className="alert alert--warning">
          Your role may not run {tool.name}: it needs at least the {tool.minRole} role, or the policy refuses it.
        </p>
      ) : null}
      <form ref={formRef} className="tool-form__form" noValidate onSubmit={submit} aria-label={`Run ${tool.name}`}>
        {form.fields.length === 0 ? <p className="muted">This tool takes no arguments.</p> : null}
        {form.fields.map((field) => (
          <FieldControl
            key={field.name}
            field={field}
            value={values[field.name] ?? field.initial}
            error={errors[field.name]}
            onChange={(value) => setValues((current) => ({ ...current, [field.name]: value }))}
          />
        ))}
        {showJustification ? (
          <div className="field" data-field="justification">
            <label htmlFor={justificationId}>
              Justification
              {justificationRequired ? (
                <span className="tool-form__required" aria-hidden="true">
                  {' '}
                  (required)
                </span>
              ) : null}
            </label>
            <textarea
              id={justificationId}
              className="tool-form__textarea"
              rows={3}
              maxLength={JUSTIFICATION_MAX_LENGTH}
              value={justification}
              aria-invalid={errors[JUSTIFICATION] ? true : undefined}
              aria-describedby={`${justificationId}-hint${errors[JUSTIFICATION] ? ` ${justificationId}-error` : ''}`}
              onChange={(event) => setJustification(event.target.value)}
            />
            <p id={`${justificationId}-hint`} className="field__hint">
              Why this action is needed, in a sentence (at least 20 characters and 3 words). It is recorded in the audit log
              {policy.approvalRequired ? ' and shown to the admin who decides' : ''}.
              {tool.classifiedPerCall ? ' Needed when the call is classified SENSITIVE or CRITICAL.' : ''}
            </p>
            {errors[JUSTIFICATION] ? (
              <p id={`${justificationId}-error`} className="field__error">
                {errors[JUSTIFICATION]}
              </p>
            ) : null}
          </div>
        ) : null}
        {errorCount > 0 ? (
          <p className="alert alert--error" role="alert">
            {errorCount === 1 ? 'One field needs fixing' : `${errorCount} fields need fixing`} before it can run.
          </p>
        ) : null}
        <div className="form-actions">
          <button className="button button--primary" type="submit" disabled={execute.isPending || !policy.allowed}>
            {execute.isPending ? 'Running…' : 'Run'}
          </button>
          {policy.approvalRequired ? (
            <span className="muted">
              {tool.classifiedPerCall
                ? 'It may wait for an admin’s approval, depending on the program.'
                : 'It will wait for an admin’s approval.'}
            </span>
          ) : null}
        </div>
      </form>
      {lastRun ? (
        <section className="tool-form__result" aria-label="Result" aria-live="polite">
          <ToolRunResult
            tool={tool.name}
            listedClass={tool.actionClass}
            args={lastRun.args}
            state={lastRun.state}
            callerIsAdmin={callerIsAdmin}
          />
        </section>
      ) : null}
    </div>
  );
}
