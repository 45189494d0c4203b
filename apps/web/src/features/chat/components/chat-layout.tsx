import type { ReactNode } from 'react';

/** STUB (replaced by the conversations work): the conversation column beside the thread. */
export function ChatLayout({ children }: { children: ReactNode }) {
  return <div className="chat-layout">{children}</div>;
}
