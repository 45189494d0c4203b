/** STUB (replaced by the chat stream work): a conversation's messages and the composer; null = a new chat. */
export function ChatThread({ conversationId }: { conversationId: string | null }) {
  return (
    <section className="chat-thread" aria-label="Conversation">
      <h1 className="visually-hidden">{conversationId === null ? 'New chat' : 'Conversation'}</h1>
    </section>
  );
}
