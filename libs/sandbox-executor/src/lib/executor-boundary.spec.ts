import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The lint rule that seals the executor (eslint.config.mjs, `executor:none`) only sees projects that carry
// an executor:* tag: this keeps a new project from slipping past it untagged (docs/governance.md "The one door").

const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');
/** The projects that may import the executor: governance (the one door) and, once it exists, the worker app. */
const EXECUTOR_HOSTS = ['libs/governance'];
const EXECUTOR_LIB = 'libs/sandbox-executor';

function projectTags(): Map<string, string[]> {
  const projects = new Map<string, string[]>();
  for (const group of ['apps', 'libs']) {
    for (const entry of readdirSync(join(WORKSPACE_ROOT, group), { withFileTypes: true })) {
      const file = join(WORKSPACE_ROOT, group, entry.name, 'project.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const tags: unknown[] =
        typeof parsed === 'object' && parsed !== null && 'tags' in parsed && Array.isArray(parsed.tags) ? parsed.tags : [];
      projects.set(
        `${group}/${entry.name}`,
        tags.filter((tag): tag is string => typeof tag === 'string'),
      );
    }
  }
  return projects;
}

describe('the executor boundary', () => {
  const projects = projectTags();

  it('finds the workspace projects', () => {
    expect([...projects.keys()]).toEqual(expect.arrayContaining(['apps/api', 'apps/web', EXECUTOR_LIB, ...EXECUTOR_HOSTS]));
  });

  it('gives every project exactly one executor:* tag: host for the allowed importers, self for the executor, none for the rest', () => {
    const expected = [...projects.keys()].map((project) => [
      project,
      [EXECUTOR_HOSTS.includes(project) ? 'executor:host' : project === EXECUTOR_LIB ? 'executor:self' : 'executor:none'],
    ]);
    const actual = [...projects].map(([project, tags]) => [project, tags.filter((tag) => tag.startsWith('executor:'))]);
    expect(actual).toEqual(expected);
  });

  it('lets every executor:none project import only executor:none and executor:host projects in the lint configuration', () => {
    const eslintConfig = readFileSync(join(WORKSPACE_ROOT, 'eslint.config.mjs'), 'utf8');
    expect(eslintConfig).toContain("{ sourceTag: 'executor:none', onlyDependOnLibsWithTags: ['executor:none', 'executor:host'] }");
  });
});
