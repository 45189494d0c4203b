import { useParams, useRouterState } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { ConversationList } from './conversation-list';
import './chat-layout.css';

/**
 * Chat: the conversation column beside the thread, both filling the height under the top bar.
 * Below 48rem the column is a drawer behind the "Conversations" button; following a link in it,
 * Esc, the backdrop or the button close it.
 */
export function ChatLayout({ children }: { children: ReactNode }) {
  const { conversationId } = useParams({ strict: false });
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  // The drawer is open for the page it was opened on: following a link in it closes it.
  const [drawerOpenOn, setDrawerOpenOn] = useState<string | null>(null);
  const drawerOpen = drawerOpenOn === pathname;
  const columnId = useId();
  const column = useRef<HTMLElement>(null);
  const drawerButton = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  // Focus goes into the drawer when it opens and back to its button when it closes.
  useEffect(() => {
    if (drawerOpen) column.current?.querySelector<HTMLElement>('a[href], button:not(:disabled), input')?.focus();
    else if (wasOpen.current) drawerButton.current?.focus();
    wasOpen.current = drawerOpen;
  }, [drawerOpen]);

  const closeOnEscape = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!drawerOpen || event.key !== 'Escape') return;
    // Esc closes the drawer only, not a running answer in the thread.
    event.stopPropagation();
    setDrawerOpenOn(null);
  };

  return (
    <div className={`chat-layout${drawerOpen ? ' chat-layout--drawer-open' : ''}`} onKeyDown={closeOnEscape}>
      <div className="chat-layout__bar">
        <button
          ref={drawerButton}
          type="button"
          className="button button--small chat-layout__drawer-button"
          aria-expanded={drawerOpen}
          aria-controls={columnId}
          onClick={() => setDrawerOpenOn(drawerOpen ? null : pathname)}
        >
          <ListIcon />
          Conversations
        </button>
      </div>
      <nav ref={column} id={columnId} className="chat-layout__column" aria-label="Conversations">
        <ConversationList currentConversationId={conversationId?.toLowerCase() ?? null} />
      </nav>
      {drawerOpen && (
        <button
          type="button"
          className="chat-layout__backdrop"
          aria-label="Close the conversation list"
          tabIndex={-1}
          onClick={() => setDrawerOpenOn(null)}
        />
      )}
      <div className="chat-layout__thread">{children}</div>
    </div>
  );
}

function ListIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <path d="M2.5 4h11M2.5 8h11M2.5 12h7" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
