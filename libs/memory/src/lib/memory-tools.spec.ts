import { ActionClass } from '@aegis/contracts';
import { MEMORY_TOOLS } from './memory-tools';

describe('MEMORY_TOOLS', () => {
  it('offers memory_save (SAFE) and memory_search (READ), each with a closed object schema', () => {
    expect(MEMORY_TOOLS.map((tool) => [tool.name, tool.actionClass])).toEqual([
      ['memory_save', ActionClass.Safe],
      ['memory_search', ActionClass.Read],
    ]);
    for (const tool of MEMORY_TOOLS) expect(tool.argsSchema).toMatchObject({ type: 'object', additionalProperties: false });
  });
});
