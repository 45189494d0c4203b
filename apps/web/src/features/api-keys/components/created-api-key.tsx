import { useId, useState } from 'react';
import type { CreatedApiKey } from '../api/create-api-key';

type CopyState = 'idle' | 'copied' | 'failed';

export interface CreatedApiKeyNoticeProps {
  apiKey: CreatedApiKey;
  onDone: () => void;
}

/** The new key, shown this once: Aegis keeps only its hash, so closing this loses it for good. */
export function CreatedApiKeyNotice({ apiKey, onDone }: CreatedApiKeyNoticeProps) {
  const id = useId();
  const [copy, setCopy] = useState<CopyState>('idle');

  const copyKey = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.key);
      setCopy('copied');
    } catch {
      setCopy('failed');
    }
  };

  return (
    <section className="created-key" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="created-key__title">
        Your new key “{apiKey.name}”
      </h3>
      <p className="alert alert--warning">
        <strong>Copy it now: this is the only time it is shown.</strong> Aegis stores only a hash of it. If it is lost, revoke it and create
        another.
      </p>
      <div className="created-key__value">
        <label className="visually-hidden" htmlFor={`${id}-key`}>
          New API key
        </label>
        <input
          id={`${id}-key`}
          className="created-key__input mono"
          type="text"
          value={apiKey.key}
          readOnly
          onFocus={(event) => event.currentTarget.select()}
        />
        <button className="button" type="button" onClick={() => void copyKey()}>
          {copy === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className={`created-key__status created-key__status--${copy}`} role="status">
        {copy === 'copied' && 'Copied to the clipboard.'}
        {copy === 'failed' && 'The browser did not allow copying: select the key and copy it yourself.'}
      </p>
      <p className="created-key__usage muted">
        Programs send it as <code className="mono">Authorization: Bearer {apiKey.prefix}…</code>
      </p>
      <div className="form-actions">
        <button className="button button--primary" type="button" onClick={onDone}>
          I have stored the key
        </button>
      </div>
    </section>
  );
}
