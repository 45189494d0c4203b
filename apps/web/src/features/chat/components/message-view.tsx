import type { ReactNode } from 'react';
import { StatusIcon } from '../../../components/governance/status-icon';
import { isUuid } from '@aegis/contracts';
import { formatBytes } from '../../../lib/format';
import { uploadContentUrl, useUpload } from '../api/get-upload';
import type { ChatMessageItem, ConfirmHandler, MessagePhase } from '../types';
import { Markdown } from './markdown';
import { ToolCallCard } from './tool-call-card';
import './message-view.css';

interface MessageViewProps {
  message: ChatMessageItem;
  onConfirm: ConfirmHandler;
  /** Offered on the last answer when no run is going on. */
  onRegenerate?: () => void;
  /** Extra controls under an answer, e.g. read aloud. */
  actions?: ReactNode;
}

/** A cost for people: "$0.0012" under a dollar, "$1.23" above; micro-dollars from the API. */
export function formatUsd(costMicroDollars: number): string {
  const usd = costMicroDollars / 1e6;
  if (usd <= 0) return '$0';
  if (usd < 0.0001) return '< $0.0001';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

const RUN_ENDINGS: Partial<Record<MessagePhase, { words: string; tone: 'neutral' | 'bad' }>> = {
  cancelled: { words: 'Stopped before the end.', tone: 'neutral' },
  failed: { words: 'The answer failed.', tone: 'bad' },
  budget_exhausted: { words: 'Stopped: the budget is used up.', tone: 'bad' },
};

function AttachmentItem({ fileId }: { fileId: string }) {
  const upload = useUpload(fileId);
  if (upload.isPending) return <li className="message__attachment message__attachment--loading">Attachment…</li>;
  if (upload.isError) return <li className="message__attachment message__attachment--missing">File no longer available</li>;
  const { name, mime, size } = upload.data;
  if (mime.startsWith('image/')) {
    return (
      <li className="message__attachment message__attachment--image">
        <img className="message__thumbnail" src={uploadContentUrl(fileId)} alt={name} title={name} loading="lazy" />
      </li>
    );
  }
  return (
    <li className="message__attachment" title={name}>
      <span className="message__attachment-name">{name}</span> <span className="muted">{formatBytes(size)}</span>
    </li>
  );
}

function MessageAttachments({ fileIds }: { fileIds: string[] }) {
  const known = fileIds.filter(isUuid);
  if (known.length === 0) return null;
  return (
    <ul className="message__attachments" aria-label={known.length === 1 ? '1 attachment' : `${known.length} attachments`}>
      {known.map((fileId) => (
        <AttachmentItem key={fileId} fileId={fileId} />
      ))}
    </ul>
  );
}

function UserMessage({ message }: { message: ChatMessageItem }) {
  return (
    <article
      className="message message--user"
      aria-label="Your message"
      data-message-id={message.id}
      data-phase={message.phase ?? undefined}
    >
      <h2 className="visually-hidden">You said</h2>
      <div className="message__bubble">
        {message.fileIds.length > 0 ? <MessageAttachments fileIds={message.fileIds} /> : null}
        {message.content ? <p className="message__text">{message.content}</p> : null}
      </div>
      {message.phase === 'sending' ? <p className="message__meta">Sending…</p> : null}
      {message.error ? (
        <div className="alert alert--error message__error">
          <p>{message.error.message}</p>
        </div>
      ) : null}
    </article>
  );
}

function AnswerFooter({ message, onRegenerate, actions }: Omit<MessageViewProps, 'onConfirm'>) {
  const running = message.phase === 'sending' || message.phase === 'streaming';
  const ending = message.phase ? RUN_ENDINGS[message.phase] : undefined;
  const used = message.inputTokens > 0 || message.outputTokens > 0 || message.costMicroDollars > 0;
  const model = [message.provider, message.model].filter((part): part is string => Boolean(part)).join(' · ');
  if (!ending && !model && !(used && !running) && !onRegenerate && !actions) return null;
  return (
    <footer className="message__footer">
      {ending ? <span className={`message__ending message__ending--${ending.tone}`}>{ending.words}</span> : null}
      {model ? (
        <span className="message__model mono" title="Provider and model">
          {model}
        </span>
      ) : null}
      {used && !running ? (
        <>
          <span className="message__tokens" title="Tokens in and out">
            {message.inputTokens.toLocaleString()} in · {message.outputTokens.toLocaleString()} out tokens
          </span>
          <span className="message__cost" title="Cost in USD">
            {formatUsd(message.costMicroDollars)}
          </span>
        </>
      ) : null}
      {onRegenerate || actions ? (
        <span className="message__actions">
          {onRegenerate ? (
            <button className="button button--small" type="button" onClick={onRegenerate}>
              Regenerate
            </button>
          ) : null}
          {actions}
        </span>
      ) : null}
    </footer>
  );
}

function AssistantMessage({ message, onConfirm, onRegenerate, actions }: MessageViewProps) {
  const streaming = message.phase === 'streaming' || message.phase === 'sending';
  const thinking = streaming && message.content === '' && message.toolCalls.length === 0;
  // While a tool runs or waits on a person, its card shows it: no caret pretending text is coming.
  const toolBusy = message.toolCalls.some(
    (call) => call.phase === 'running' || call.phase === 'awaiting-approval' || call.phase === 'awaiting-confirmation',
  );
  const typing = streaming && !thinking && !toolBusy;
  return (
    <article
      className={`message message--assistant${streaming ? ' message--streaming' : ''}${typing ? ' message--typing' : ''}`}
      aria-label="Answer"
      aria-busy={streaming}
      data-message-id={message.id}
      data-phase={message.phase ?? undefined}
    >
      <h2 className="visually-hidden">Answer</h2>
      {/* A run's tool calls come before the text that reports on them. */}
      {message.toolCalls.map((call) => (
        <ToolCallCard key={call.toolCallId} call={call} onConfirm={onConfirm} />
      ))}
      {message.content ? <Markdown text={message.content} /> : null}
      {thinking ? (
        <p className="message__thinking">
          <StatusIcon name="spinner" /> Thinking…
        </p>
      ) : null}
      {typing ? <span className="message__caret" aria-hidden="true" /> : null}
      {message.error ? (
        <div className="alert alert--error message__error">
          <p>{message.error.message}</p>
        </div>
      ) : null}
      <AnswerFooter message={message} onRegenerate={onRegenerate} actions={actions} />
    </article>
  );
}

/**
 * One message of the thread: the user's words (and files), or an answer with its governed tool
 * calls, its Markdown, and what it cost. Announcing new answers is the thread's live region's job.
 */
export function MessageView(props: MessageViewProps) {
  return props.message.role === 'user' ? <UserMessage message={props.message} /> : <AssistantMessage {...props} />;
}
