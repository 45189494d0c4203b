/** STUB (replaced by the voice work): records speech and hands its transcript over. */
export function MicrophoneButton({ disabled }: { onText: (text: string) => void; disabled?: boolean }) {
  return (
    <button type="button" className="button button--small" disabled={disabled}>
      Record a message
    </button>
  );
}

/** STUB: reads an answer aloud. */
export function ReadAloudButton(_props: { text: string }) {
  return null;
}
