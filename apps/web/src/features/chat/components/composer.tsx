import { ErrorCode } from '@aegis/contracts';
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { selectableProviders, useProviders } from '../api/get-providers';
import type { SendInput, SendOutcome } from '../hooks/chat-session';
import type { AttachmentsState } from '../hooks/use-attachments';
import { readModelChoice, writeModelChoice } from '../hooks/model-choice';
import { useDraft } from '../hooks/use-draft';
import { AttachButton, AttachmentTray, filesFromPaste } from './attachment-tray';
import { MicrophoneButton } from './voice-buttons';
import './composer.css';

interface ComposerProps {
  /** Whose draft this is: a conversation id, or the new chat's key. */
  draftKey: string;
  attachments: AttachmentsState;
  /** A run goes on in this conversation: Stop instead of Send. */
  running: boolean;
  /** The session ended: nothing can be sent. */
  disabled?: boolean;
  onSend: (input: SendInput) => Promise<SendOutcome>;
  onStop: () => void;
}

/** True when a key press belongs to something the person is typing into. */
function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** The server's refusal in words; a rate limit also says when to try again. */
function refusalText(refusal: { code: string; message: string }): string {
  if (refusal.code !== (ErrorCode.RateLimited as string)) return refusal.message;
  const window = /every (\d+) ?s\b/.exec(refusal.message);
  return window ? `${refusal.message}. Try again within ${window[1]} seconds.` : refusal.message;
}

/**
 * The message box: grows with its text, Enter sends and Shift+Enter adds a line, `/` focuses it,
 * Esc stops a running answer. Files come by button, paste or a drop on the thread; a model may be
 * picked (Automatic lets the server's cascade choose).
 */
export function Composer({ draftKey, attachments, running, disabled = false, onSend, onStop }: ComposerProps) {
  const [draft, setDraft] = useDraft(draftKey);
  const [model, setModel] = useState(readModelChoice);
  const [sending, setSending] = useState(false);
  const [refusal, setRefusal] = useState<{ code: string; message: string } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const ids = { message: useId(), model: useId(), hint: useId(), refusal: useId() };
  const providers = useProviders();
  const choices = selectableProviders(providers.data ?? []);
  const known = choices.some((provider) => provider.models.includes(model) || provider.defaultModel === model);
  const chosenModel = known ? model : '';

  const content = draft.trim();
  const blockedReason = disabled
    ? 'Sign in again to send messages.'
    : attachments.busy
      ? 'Waiting for the files to finish uploading…'
      : null;
  const canSend = content !== '' && !running && !sending && blockedReason === null;

  // `/` focuses the box from anywhere but another field; Esc stops the answer being written.
  useEffect(() => {
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      // An open dialog owns its keys (Esc closes it, and must not also stop the answer).
      if (event.defaultPrevented || document.querySelector('dialog[open], [role="dialog"][aria-modal="true"]')) return;
      if (event.key === '/' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target)) {
        event.preventDefault();
        textarea.current?.focus();
      } else if (event.key === 'Escape' && running) {
        event.preventDefault();
        onStop();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [running, onStop]);

  const send = async () => {
    if (!canSend) return;
    setRefusal(null);
    setSending(true);
    setDraft('');
    const outcome = await onSend({ content, fileIds: attachments.readyIds, ...(chosenModel ? { model: chosenModel } : {}) });
    setSending(false);
    if (outcome.ok) {
      attachments.clear();
      return;
    }
    setRefusal({ code: outcome.code, message: outcome.message });
    // Give the text back so that it can be sent again.
    setDraft(content);
    textarea.current?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void send();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void send();
  };

  const describedBy = [blockedReason ? ids.hint : null, refusal ? ids.refusal : null].filter(Boolean).join(' ') || undefined;

  return (
    <form className="composer" onSubmit={onSubmit} aria-label="Send a message">
      <AttachmentTray attachments={attachments.attachments} onRemove={attachments.remove} />
      <label htmlFor={ids.message} className="visually-hidden">
        Message
      </label>
      <textarea
        ref={textarea}
        id={ids.message}
        className="composer__input"
        value={draft}
        rows={Math.min(8, Math.max(1, draft.split('\n').length))}
        placeholder="Ask something…"
        aria-describedby={describedBy}
        onChange={(event) => {
          setDraft(event.target.value);
          if (refusal) setRefusal(null);
        }}
        onKeyDown={onKeyDown}
        onPaste={(event) => {
          const files = filesFromPaste(event);
          if (files.length === 0) return;
          event.preventDefault();
          attachments.add(files);
        }}
      />
      {refusal && (
        <p id={ids.refusal} className="composer__refusal alert alert--error" role="alert">
          {refusalText(refusal)}
        </p>
      )}
      {blockedReason && (
        <p id={ids.hint} className="composer__hint muted">
          {blockedReason}
        </p>
      )}
      <div className="composer__bar">
        <div className="composer__tools">
          <AttachButton onFiles={attachments.add} disabled={disabled} />
          <MicrophoneButton
            disabled={disabled}
            onText={(text) => {
              setDraft(draft.trim() === '' ? text : `${draft.trimEnd()} ${text}`);
              textarea.current?.focus();
            }}
          />
          <label htmlFor={ids.model} className="composer__model-label">
            Model
          </label>
          <select
            id={ids.model}
            className="inline-select composer__model"
            value={chosenModel}
            onChange={(event) => {
              setModel(event.target.value);
              writeModelChoice(event.target.value);
            }}
          >
            <option value="">Automatic</option>
            {choices.map((provider) => (
              <optgroup key={provider.name} label={provider.name}>
                {[...new Set([provider.defaultModel, ...provider.models])].map((name) => (
                  <option key={`${provider.name}:${name}`} value={name}>
                    {name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        {running ? (
          <button type="button" className="button button--danger composer__action" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button button--primary composer__action" disabled={!canSend}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
