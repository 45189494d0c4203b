import type { ReactNode } from 'react';
import type { ChatMessageItem, ConfirmHandler } from '../types';

export interface MessageViewProps {
  message: ChatMessageItem;
  onConfirm: ConfirmHandler;
  /** Offered on the last answer when no run is going on. */
  onRegenerate?: () => void;
  /** Extra controls under an answer, e.g. read aloud. */
  actions?: ReactNode;
}

/** STUB (replaced by the message-rendering work): one message of the thread. */
export function MessageView({ message }: MessageViewProps) {
  return (
    <article className="message" aria-label={message.role === 'user' ? 'Your message' : 'Answer'}>
      <p>{message.content}</p>
    </article>
  );
}
