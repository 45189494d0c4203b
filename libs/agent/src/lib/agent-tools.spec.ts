import { Role } from '@aegis/contracts';
import { descriptor } from './agent-runner.fixture';
import { toolsFor } from './agent-tools';

describe('toolsFor', () => {
  it('offers only the tools the role could call directly, each with a justification field', () => {
    const registry = { list: () => [descriptor('read_file', Role.Viewer), descriptor('apt_install', Role.Admin)] };
    const tools = toolsFor(registry, Role.Operator);
    expect(tools.map((tool) => tool.name)).toEqual(['read_file']);
    expect(tools[0].inputSchema['properties']).toHaveProperty('justification');
  });
});
