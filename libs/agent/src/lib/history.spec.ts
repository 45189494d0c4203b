import type { ChatMessage } from '@aegis/providers';
import { trimHistory } from './history';

describe('trimHistory', () => {
  const system: ChatMessage = { role: 'system', content: 'S'.repeat(10) };
  const turn = (role: 'user' | 'assistant', text: string): ChatMessage => ({ role, content: text });

  it('keeps everything that fits', () => {
    const messages = [system, turn('user', 'a'), turn('assistant', 'b'), turn('user', 'c')];
    expect(trimHistory(messages, 1_000)).toEqual(messages);
  });

  it('drops the oldest turns first, keeps the system prompt and starts on a user turn', () => {
    const messages = [
      system,
      turn('user', 'x'.repeat(50)),
      turn('assistant', 'y'.repeat(50)),
      turn('user', 'z'.repeat(20)),
      turn('assistant', 'w'.repeat(5)),
      turn('user', 'last'),
    ];
    expect(trimHistory(messages, 60)).toEqual([
      system,
      turn('user', 'z'.repeat(20)),
      turn('assistant', 'w'.repeat(5)),
      turn('user', 'last'),
    ]);
  });

  it('always keeps the last message, even alone over budget', () => {
    const last = turn('user', 'q'.repeat(500));
    expect(trimHistory([system, turn('user', 'old'), last], 10)).toEqual([system, last]);
  });
});
