import { useNavigate, useRouteContext } from '@tanstack/react-router';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import type { ChatConnectionState } from '../../../lib/chat-socket';
import type { SendInput } from '../hooks/chat-session';
import { NEW_CHAT } from '../hooks/chat-state';
import { readModelChoice } from '../hooks/model-choice';
import { useAttachments } from '../hooks/use-attachments';
import { useChatConnectionState, useChatSession, useChatThread } from '../hooks/use-chat-thread';
import type { ChatMessageItem, ConfirmHandler, MessagePhase } from '../types';
import { FileDropOverlay, useFileDrop } from './attachment-tray';
import { Composer } from './composer';
import { MessageView } from './message-view';
import { ReadAloudButton } from './voice-buttons';
import './chat-thread.css';

/** A conversation's messages and the composer; null = a new chat. A new conversation keeps its stream when the address changes to it. */
export function ChatThread({ conversationId }: { conversationId: string | null }) {
  return <ThreadView key={conversationId ?? NEW_CHAT} conversationId={conversationId} />;
}

/** Within this distance of the bottom the thread follows new text; further up the reader has scrolled away. */
const FOLLOW_THRESHOLD_PX = 80;

const FINISHED_WORDS: Record<MessagePhase, string> = {
  completed: 'The answer is complete.',
  cancelled: 'The answer was stopped.',
  failed: 'The answer failed.',
  budget_exhausted: 'The answer stopped: the run reached its budget.',
  streaming: '',
  sending: '',
};

function ThreadView({ conversationId }: { conversationId: string | null }) {
  const { user } = useRouteContext({ from: '__root__' });
  const viewer = useMemo(() => ({ id: user.id, role: user.role }), [user.id, user.role]);
  const session = useChatSession(viewer);
  const navigate = useNavigate();
  // A new chat's first message creates its conversation: show it here until the address follows.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const shownId = conversationId ?? createdId;
  const thread = useChatThread(session, shownId);
  const connection = useChatConnectionState();
  const attachments = useAttachments();
  const drop = useFileDrop(attachments.add);
  const scroller = useRef<HTMLDivElement>(null);
  const end = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const stopWanted = useRef(false);
  const [announcedFrom] = useState(() => thread.lastFinished?.runId ?? null);

  useEffect(() => {
    if (conversationId !== null) return;
    return session.onConversationCreated((id) => {
      setCreatedId(id);
      void navigate({ to: '/c/$conversationId', params: { conversationId: id }, replace: true });
    });
  }, [session, conversationId, navigate]);

  const activeRunId = thread.activeRun?.runId ?? null;
  const running = thread.activeRun !== null;
  // Stop pressed before the server named the run: stop it as soon as it does.
  useEffect(() => {
    if (!running) stopWanted.current = false;
    if (!stopWanted.current || activeRunId === null) return;
    stopWanted.current = false;
    void session.cancel(activeRunId);
  }, [activeRunId, running, session]);

  const onStop = useCallback(() => {
    if (activeRunId) void session.cancel(activeRunId);
    else stopWanted.current = true;
  }, [activeRunId, session]);

  const onSend = useCallback(
    (input: SendInput) => {
      // Sending brings the reader back to the newest message.
      following.current = true;
      return session.send(thread.key, input);
    },
    [session, thread.key],
  );
  const onConfirm = useCallback<ConfirmHandler>((id, decision) => session.confirm(id, decision), [session]);

  const lastUser = thread.messages.findLast((message) => message.role === 'user');
  const lastAnswer = thread.messages.at(-1)?.role === 'assistant' ? thread.messages.at(-1) : undefined;
  const onRegenerate = useCallback(() => {
    if (!lastUser) return;
    const model = readModelChoice();
    following.current = true;
    void session.send(thread.key, { content: lastUser.content, fileIds: lastUser.fileIds, ...(model ? { model } : {}) });
  }, [lastUser, session, thread.key]);

  // Keep the newest text in view while the reader is at the bottom; leave them be once they scroll up.
  useLayoutEffect(() => {
    if (!following.current) return;
    const node = end.current;
    if (node && typeof node.scrollIntoView === 'function') node.scrollIntoView({ block: 'end' });
  }, [thread.messages]);

  const onScroll = () => {
    const node = scroller.current;
    if (!node) return;
    following.current = node.scrollHeight - node.scrollTop - node.clientHeight < FOLLOW_THRESHOLD_PX;
  };

  const finished = thread.lastFinished && thread.lastFinished.runId !== announcedFrom ? FINISHED_WORDS[thread.lastFinished.phase] : '';
  const loading = shownId !== null && thread.stored.isPending && thread.messages.length === 0;

  return (
    <section className="chat-thread" aria-label={conversationId === null ? 'New chat' : 'Conversation'} {...drop.dropZoneProps}>
      <h1 className="visually-hidden">{conversationId === null ? 'New chat' : 'Conversation'}</h1>
      <FileDropOverlay visible={drop.dragging} />
      <ConnectionBanner state={connection} />
      <div ref={scroller} className="chat-thread__scroll" onScroll={onScroll}>
        <div className="chat-thread__column">
          {loading ? (
            <ThreadSkeleton />
          ) : thread.stored.isError ? (
            <div className="chat-thread__problem">
              <ErrorAlert error={thread.stored.error} context="Could not load this conversation" />
              <button type="button" className="button button--small" onClick={() => void thread.stored.refetch()}>
                Try again
              </button>
            </div>
          ) : thread.messages.length === 0 ? (
            <EmptyThread isNew={shownId === null} />
          ) : null}
          {thread.messages.length > 0 && (
            <div className="chat-thread__messages">
              {thread.messages.map((message) => (
                <ThreadMessage
                  key={message.id}
                  message={message}
                  onConfirm={onConfirm}
                  onRegenerate={message === lastAnswer && !running && lastUser ? onRegenerate : undefined}
                />
              ))}
            </div>
          )}
          <div ref={end} className="chat-thread__end" />
        </div>
      </div>
      <div role="status" className="visually-hidden">
        {/* A new node per run: the same words for the next answer are announced again. */}
        {finished && <span key={thread.lastFinished?.runId}>{finished}</span>}
      </div>
      <div className="chat-thread__composer">
        <Composer
          draftKey={thread.key}
          attachments={attachments}
          running={running}
          disabled={connection.status === 'session-ended'}
          onSend={onSend}
          onStop={onStop}
        />
      </div>
    </section>
  );
}

/** One message; drawn again only when it changed, not on every token of another. */
const ThreadMessage = memo(function ThreadMessage({
  message,
  onConfirm,
  onRegenerate,
}: {
  message: ChatMessageItem;
  onConfirm: ConfirmHandler;
  onRegenerate: (() => void) | undefined;
}) {
  return (
    <MessageView
      message={message}
      onConfirm={onConfirm}
      onRegenerate={onRegenerate}
      actions={isReadable(message) ? <ReadAloudButton text={message.content} /> : undefined}
    />
  );
});

/** A finished answer with text: it may be read aloud. */
function isReadable(message: ChatMessageItem): boolean {
  return message.role === 'assistant' && message.phase !== 'streaming' && message.content.trim() !== '';
}

function EmptyThread({ isNew }: { isNew: boolean }) {
  return (
    <div className="chat-thread__empty">
      <p className="chat-thread__empty-title">{isNew ? 'What shall we work on?' : 'No messages yet'}</p>
      <p>
        Ask something below. Every tool the agent calls shows here with its class and status, and waits for a person where the policy says
        so.
      </p>
    </div>
  );
}

function ThreadSkeleton() {
  return (
    <div className="chat-thread__skeleton" aria-busy="true">
      <span className="visually-hidden">Loading messages…</span>
      <span className="skeleton chat-thread__skeleton-line chat-thread__skeleton-line--short" />
      <span className="skeleton chat-thread__skeleton-line chat-thread__skeleton-line--long" />
      <span className="skeleton chat-thread__skeleton-block" />
      <span className="skeleton chat-thread__skeleton-line chat-thread__skeleton-line--short" />
    </div>
  );
}

function connectionWords(state: ChatConnectionState): string {
  switch (state.status) {
    case 'reconnecting': {
      const seconds = Math.ceil(state.nextDelayMs / 1000);
      return seconds > 0
        ? `Reconnecting… The connection to the server dropped; try ${state.attempt} in ${seconds} s.`
        : 'Reconnecting… The connection to the server dropped.';
    }
    case 'offline':
      return 'Offline. Waiting for the network to come back; the answer continues on the server.';
    case 'session-ended':
      return 'Your session has ended. Sign in again to continue.';
    case 'idle':
    case 'connecting':
    case 'connected':
      return '';
  }
}

/** Says when the live connection is down; always in the page so that screen readers hear the change. */
function ConnectionBanner({ state }: { state: ChatConnectionState }) {
  const words = connectionWords(state);
  return (
    <div role="status" className={`chat-thread__banner${words ? ' alert alert--warning' : ''}`} data-connection={state.status}>
      {words}
    </div>
  );
}
