import { useId, useState, type FormEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { MEMORY_CONTENT_MAX_LENGTH, useAddMemory } from '../api/add-memory';

/** Saves a fact the agent should know in every conversation (POST /api/memory). */
export function AddMemoryForm() {
  const add = useAddMemory();
  const [content, setContent] = useState('');
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const blank = content.trim() === '';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (blank || add.isPending) return;
    add.mutate(content.trim(), { onSuccess: () => setContent('') });
  };

  return (
    <form className="memory-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={fieldId}>Memory</label>
        <textarea
          id={fieldId}
          className="memory-form__text"
          value={content}
          rows={3}
          maxLength={MEMORY_CONTENT_MAX_LENGTH}
          onChange={(event) => {
            setContent(event.target.value);
            if (add.isSuccess) add.reset();
          }}
          aria-describedby={add.isError ? `${hintId} ${errorId}` : hintId}
          aria-invalid={add.isError || undefined}
        />
        <p id={hintId} className="field__hint">
          One fact per item, e.g. “I deploy with Docker Compose on Debian.”
        </p>
      </div>
      {add.isError && <ErrorAlert id={errorId} error={add.error} context="Could not add it" />}
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={blank || add.isPending}>
          {add.isPending ? 'Adding…' : 'Add'}
        </button>
        <p className="memory-form__status" role="status">
          {add.isSuccess ? 'Added. The agent will remember it.' : ''}
        </p>
      </div>
    </form>
  );
}
