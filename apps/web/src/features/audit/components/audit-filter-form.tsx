import { ACTION_CLASSES } from '@aegis/contracts';
import { useId, useState, type ChangeEvent, type FormEvent } from 'react';
import { AUDIT_DECISIONS, filtersOf, hasFilters, validateAuditSearch, type AuditFilters } from '../search';

export interface AuditFilterFormProps {
  /** The filters in the URL; the form shows them again whenever they change (back, forward, a link). */
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

/** What the fields hold while being edited: text, '' for "any". */
type Draft = Record<'actor' | 'action' | 'class' | 'decision' | 'from' | 'to', string>;

function draftOf(filters: AuditFilters): Draft {
  return {
    actor: filters.actor ?? '',
    action: filters.action ?? '',
    class: filters.class ?? '',
    decision: filters.decision ?? '',
    from: filters.from ?? '',
    to: filters.to ?? '',
  };
}

/**
 * The audit filters. They apply on "Apply filters" (or Enter), not on each keystroke: the URL
 * changes once per search, so back and forward step through searches, not letters.
 */
export function AuditFilterForm({ filters, onApply }: AuditFilterFormProps) {
  const id = useId();
  const [draft, setDraft] = useState(() => draftOf(filters));
  // The URL changed under the form: show what it says now (kept in place, so focus stays where it was).
  const filterKey = JSON.stringify(filters);
  const [shownKey, setShownKey] = useState(filterKey);
  if (shownKey !== filterKey) {
    setShownKey(filterKey);
    setDraft(draftOf(filters));
  }
  const edit = (event: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    const { name, value } = event.currentTarget;
    setDraft((current) => ({ ...current, [name]: value }));
  };
  const decisions: readonly string[] =
    filters.decision === undefined || (AUDIT_DECISIONS as readonly string[]).includes(filters.decision)
      ? AUDIT_DECISIONS
      : [...AUDIT_DECISIONS, filters.decision];

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onApply(filtersOf(validateAuditSearch(draft)));
  };

  return (
    <form className="card audit-filters" role="search" aria-label="Audit filters" onSubmit={submit}>
      <div className="audit-filters__fields">
        <div className="field audit-filters__wide">
          <label htmlFor={`${id}-actor`}>Actor</label>
          <input
            id={`${id}-actor`}
            name="actor"
            type="text"
            autoComplete="off"
            maxLength={128}
            value={draft.actor}
            onChange={edit}
            aria-describedby={`${id}-actor-hint`}
          />
          <p className="field__hint" id={`${id}-actor-hint`}>
            Username, user id or API key id
          </p>
        </div>
        <div className="field audit-filters__wide">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            name="action"
            type="text"
            autoComplete="off"
            spellCheck={false}
            maxLength={128}
            value={draft.action}
            onChange={edit}
            aria-describedby={`${id}-action-hint`}
          />
          <p className="field__hint" id={`${id}-action-hint`}>
            <span className="mono">tool.write_file</span>, or <span className="mono">tool.*</span> for all tools
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${id}-class`}>Class</label>
          <select id={`${id}-class`} name="class" value={draft.class} onChange={edit}>
            <option value="">Any class</option>
            {ACTION_CLASSES.map((actionClass) => (
              <option key={actionClass} value={actionClass}>
                {actionClass}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-decision`}>Decision</label>
          <select id={`${id}-decision`} name="decision" value={draft.decision} onChange={edit}>
            <option value="">Any decision</option>
            {decisions.map((decision) => (
              <option key={decision} value={decision}>
                {decision}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} name="from" type="date" value={draft.from} onChange={edit} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} name="to" type="date" value={draft.to} onChange={edit} aria-describedby={`${id}-to-hint`} />
          <p className="field__hint" id={`${id}-to-hint`}>
            Both days included, in your time zone
          </p>
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button--primary">
          Apply filters
        </button>
        {hasFilters(filters) && (
          <button type="button" className="button" onClick={() => onApply({})}>
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
