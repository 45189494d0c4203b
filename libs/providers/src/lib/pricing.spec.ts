import { PriceTable } from './pricing';

describe('PriceTable', () => {
  const table = new PriceTable({
    'openai/gpt-4.1-mini': { inputPerMillion: 0.5, outputPerMillion: 2 },
    'ollama/llama3.2': { inputPerMillion: 1, outputPerMillion: 1 },
  });

  it('prices a known model exactly, and a dated snapshot as its family', () => {
    expect(table.lookup('anthropic', 'claude-sonnet-4-5')).toEqual({ inputPerMillion: 3, outputPerMillion: 15 });
    expect(table.lookup('openai', 'gpt-4o-mini-2024-07-18')).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(table.lookup('mistral', 'mistral-small-latest')).toEqual({ inputPerMillion: 0.1, outputPerMillion: 0.3 });
  });

  it('prefers the longest matching name: gpt-4o-mini is not priced as gpt-4o', () => {
    expect(table.lookup('openai', 'gpt-4o-mini')).toEqual({ inputPerMillion: 0.15, outputPerMillion: 0.6 });
    expect(table.lookup('openai', 'gpt-4o')).toEqual({ inputPerMillion: 2.5, outputPerMillion: 10 });
  });

  it('lets configured prices override and extend the built-in table', () => {
    expect(table.lookup('openai', 'gpt-4.1-mini')).toEqual({ inputPerMillion: 0.5, outputPerMillion: 2 });
    expect(table.lookup('ollama', 'llama3.2')).toEqual({ inputPerMillion: 1, outputPerMillion: 1 });
  });

  it('prices any local model at zero and knows nothing of unknown remote models', () => {
    expect(table.lookup('ollama', 'qwen3:8b')).toEqual({ inputPerMillion: 0, outputPerMillion: 0 });
    expect(table.lookup('openai', 'my-finetune')).toBeUndefined();
    expect(table.lookup('openai', 'gpt-4.15')).toBeUndefined();
  });

  it('lists the priced models of a provider without the wildcard', () => {
    expect(table.models('deepseek')).toEqual(['deepseek-chat', 'deepseek-reasoner']);
    expect(table.models('ollama')).toEqual(['llama3.2']);
  });
});

describe('PriceTable.knows', () => {
  it('tells models it names from models only the wildcard covers', () => {
    const table = new PriceTable();
    expect(table.knows('openai', 'gpt-4o-mini-2024-07-18')).toBe(true);
    expect(table.knows('ollama', 'llama3.2')).toBe(false);
    expect(table.knows('anthropic', 'gpt-4o')).toBe(false);
  });
});
