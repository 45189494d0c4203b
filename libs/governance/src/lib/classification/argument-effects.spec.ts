import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionClass } from '@aegis/contracts';
import { PROGRAM_RULES, WRITING_PROGRAMS } from '@aegis/sandbox-executor';
import { classifyArgv, classifyCommand } from './command-classification';

const { Read: R, Safe: S, Moderate: M, Sensitive: X, Critical: C } = ActionClass;

/**
 * Every allowlisted program, and each of its options that writes (GNU and busybox spellings), in a
 * workspace where `old.txt`, `dir/old.txt`, `archive.tar`, `old.txt.gz`, `keep`, `keep.gz`, `fresh.gz` (but no `fresh`),
 * `magic.mgc` exist and `new*` names do not. The class is what governance decides from.
 */
const FORMS: Readonly<Record<string, readonly [command: string, expected: ActionClass][]>> = {
  ls: [['ls -la dir', R]],
  cat: [['cat old.txt', R]],
  head: [['head -n 5 old.txt', R]],
  tail: [['tail -n5 old.txt', R]],
  wc: [['wc -l old.txt', R]],
  grep: [['grep -rn x dir', R]],
  find: [['find . -name old.txt -print', R]],
  du: [['du -sh dir', R]],
  df: [['df -h', R]],
  stat: [['stat old.txt', R]],
  echo: [['echo old.txt', R]],
  pwd: [['pwd', R]],
  uname: [['uname -a', R]],
  id: [['id -u', R]],
  whoami: [['whoami', R]],
  uptime: [['uptime', R]],
  nproc: [['nproc', R]],
  free: [['free -m', R]],
  cut: [['cut -d, -f1 old.txt', R]],
  diff: [['diff old.txt dir/old.txt', R]],
  cmp: [['cmp old.txt dir/old.txt', R]],
  basename: [['basename dir/old.txt', R]],
  dirname: [['dirname dir/old.txt', R]],
  realpath: [['realpath old.txt', R]],
  readlink: [['readlink -f old.txt', R]],
  md5sum: [['md5sum old.txt', R]],
  sha1sum: [['sha1sum old.txt', R]],
  sha256sum: [['sha256sum -c old.txt', R]],
  true: [['true', R]],
  false: [['false', R]],
  date: [
    ['date +%s', R],
    ['date -d @0 -u +%F', R],
    ['date -Iseconds', R],
  ],
  sort: [
    ['sort old.txt', R],
    ['sort -o new.txt old.txt', M],
    ['sort -o old.txt old.txt', X],
    ['sort -oold.txt dir/old.txt', X],
    ['sort -ro old.txt dir/old.txt', X],
    ['sort --output=old.txt dir/old.txt', X],
    ['sort --out old.txt dir/old.txt', X],
    ['sort -T dir old.txt', M],
    ['sort --temporary-directory=dir old.txt', M],
    ['sort -k 1,1 -t , old.txt', R],
    ['sort --frobnicate old.txt', C],
  ],
  uniq: [
    ['uniq old.txt', R],
    ['uniq old.txt -', R],
    ['uniq -f 1 old.txt', R],
    ['uniq -s1 old.txt', R],
    ['uniq old.txt new.txt', M],
    ['uniq old.txt dir/old.txt', X],
    ['uniq -c -f 1 old.txt dir/old.txt', X],
    ['uniq -- old.txt dir/old.txt', X],
    ['uniq --skip-fields=1 old.txt dir/old.txt', X],
  ],
  file: [
    ['file old.txt', R],
    ['file -b --mime-type old.txt', R],
    ['file -C -m new', M],
    ['file --compile --magic-file=new', M],
    ['file -C', X],
    ['file -C -m dir/magic', X],
    ['file -p old.txt', M],
    ['file --preserve-date old.txt', M],
  ],
  mkdir: [
    ['mkdir new', M],
    ['mkdir -p dir', M],
    ['mkdir -m 700 new', M],
  ],
  touch: [
    ['touch old.txt', M],
    ['touch -r old.txt new', M],
    ['touch -d 2020-01-01 new', M],
  ],
  cp: [
    ['cp old.txt new.txt', M],
    ['cp old.txt dir/old.txt', X],
    ['cp old.txt dir', X],
    ['cp dir/old.txt new-dir-that-is-not-there', M],
    ['cp -t dir old.txt', X],
    ['cp -tdir old.txt', X],
    ['cp --target-directory=dir old.txt', X],
    ['cp --target-directory dir keep', M],
    ['cp -T old.txt dir', X],
    ['cp -r dir new', M],
    ['cp -a dir/old.txt new', M],
    ['cp --parents dir/old.txt dir', M],
    ['cp -n old.txt dir/old.txt', M],
    ['cp --no-clobber old.txt dir/old.txt', M],
    ['cp --update=none old.txt dir/old.txt', M],
    ['cp -u old.txt dir/old.txt', X],
    ['cp -f old.txt dir/old.txt', X],
    ['cp -b old.txt dir/old.txt', X],
    ['cp --backup=numbered old.txt dir/old.txt', X],
    ['cp --attributes-only old.txt dir/old.txt', X],
    ['cp --remove-destination old.txt dir/old.txt', X],
    ['cp -s old.txt new', X],
    ['cp -l old.txt new', X],
    ['cp --link old.txt new', X],
    ['cp --symbolic-link old.txt new', X],
    ['cp -rs dir new', X],
    ['cp --frobnicate old.txt new', C],
  ],
  mv: [
    ['mv old.txt new.txt', M],
    ['mv old.txt dir/old.txt', X],
    ['mv old.txt dir', X],
    ['mv keep dir', M],
    ['mv -t dir keep', M],
    ['mv -t dir old.txt', X],
    ['mv -T keep dir', X],
    ['mv -n old.txt dir/old.txt', M],
    ['mv old.txt /tmp/gone', X],
    ['mv -t /tmp old.txt', X],
    ['mv old.txt /workspace/new.txt', M],
    ['mv --exchange old.txt new.txt', X],
    ['mv -b old.txt dir/old.txt', X],
    ['mv --frobnicate old.txt new', C],
  ],
  tar: [
    ['tar -tf archive.tar', M],
    ['tar -xOf archive.tar', M],
    ['tar -cf new.tar old.txt', M],
    ['tar -czf new.tgz dir', M],
    ['tar -cf - dir', M],
    ['tar -c dir', M],
    ['tar -cf archive.tar old.txt', X],
    ['tar cf archive.tar old.txt', X],
    ['tar cvzf archive.tar old.txt', X],
    ['tar -cfarchive.tar old.txt', X],
    ['tar --create --file=archive.tar old.txt', X],
    ['tar --create --file archive.tar old.txt', X],
    ['tar -rf archive.tar old.txt', X],
    ['tar -uf archive.tar old.txt', X],
    ['tar -Af archive.tar new.tar', X],
    ['tar --delete -f archive.tar old.txt', X],
    ['tar --append --file=new.tar old.txt', M],
    ['tar -cf new.tar --remove-files old.txt', X],
    ['tar -C dir -cf new.tar --remove-files old.txt', X],
    ['tar -g old.txt -cf new.tar dir', X],
    ['tar --listed-incremental=new.snar -cf new.tar dir', M],
    ['tar --volno-file=old.txt -cf new.tar dir', X],
  ],
  gzip: [
    ['gzip -c old.txt', M],
    ['gzip -t old.txt.gz', M],
    ['gzip -l old.txt.gz', M],
    ['gzip', M],
    ['gzip -k dir/old.txt', M],
    ['gzip -9k dir/old.txt', M],
    ['gzip -k -S .z old.txt', M],
    ['gzip dir/old.txt', X],
    ['gzip -k old.txt', X],
    ['gzip -fk old.txt', X],
    ['gzip -r dir', X],
    ['gzip -rk dir', X],
    ['gzip -d old.txt.gz', X],
    ['gzip -dk fresh.gz', M],
    ['gzip -dk old.txt.gz', X],
    ['gzip -dk keep.gz', X],
    ['gzip -dNk old.txt.gz', X],
    ['gzip --decompress --keep --name old.txt.gz', X],
    ['gzip --frobnicate old.txt', C],
  ],
  gunzip: [
    ['gunzip -c old.txt.gz', M],
    ['gunzip old.txt.gz', X],
    ['gunzip -k fresh.gz', M],
    ['gunzip -k keep.gz', X],
    ['gunzip -kN old.txt.gz', X],
    ['gunzip -k old.txt', M],
  ],
  python3: [['python3 script.py', C]],
  rm: [['rm -rf new', X]],
  rmdir: [['rmdir dir', X]],
  chmod: [['chmod 600 old.txt', X]],
  ln: [['ln -s old.txt new', X]],
  truncate: [['truncate -s 0 old.txt', X]],
  git: [
    ['git status', R],
    ['git ls-files', R],
    ['git rev-parse HEAD', R],
    ['git log -n 5', S],
    ['git diff HEAD', S],
    ['git show HEAD', S],
    ['git add .', M],
    ['git commit -mfix', M],
    ['git commit -m fix', M],
    ['git checkout main', M],
    ['git checkout -b feature', M],
    ['git checkout -b feature main', M],
    ['git checkout old.txt', X],
    ['git checkout .', X],
    ['git checkout -- old.txt', X],
    ['git checkout HEAD -- new.txt', X],
    ['git checkout -f main', X],
    ['git checkout --force main', X],
    ['git checkout --ours new.txt', X],
    ['git checkout -B main', X],
    ['git checkout --pathspec-from-file=list', X],
    ['git switch main', M],
    ['git switch -c feature', M],
    ['git switch --discard-changes main', X],
    ['git switch -C main', X],
    ['git switch --orphan empty', X],
    ['git branch feature', M],
    ['git branch -D feature', X],
    ['git branch -d feature', X],
    ['git branch --del feature', X],
    ['git branch -m a b', X],
    ['git branch -f main HEAD~1', X],
    ['git stash', M],
    ['git stash push -m wip', M],
    ['git stash list', M],
    ['git stash pop', X],
    ['git stash drop', X],
    ['git stash clear', X],
    ['git fetch origin', M],
    ['git fetch --prune origin', X],
    ['git fetch -p origin', X],
    ['git fetch origin +main:main', X],
    ['git pull --ff-only', M],
    ['git pull --force', X],
    ['git pull --prune', X],
    ['git reset --hard', X],
    ['git restore old.txt', X],
    ['git clean -fd', X],
    ['git merge main', X],
    ['git rebase main', X],
    ['git cherry-pick abc', X],
    ['git revert abc', X],
    ['git push', X],
    ['git clone https://example.com/r.git', X],
    ['git init', X],
    ['git rm old.txt', X],
    ['git mv a b', X],
    ['git tag v1', X],
    ['git remote -v', X],
  ],
};

describe('classes from arguments', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'aegis-classes-'));
  const place = { workspaceRoot: workspace };

  beforeAll(() => {
    mkdirSync(join(workspace, 'dir'));
    for (const file of [
      'old.txt',
      'dir/old.txt',
      'archive.tar',
      'old.txt.gz',
      'keep',
      'keep.gz',
      'fresh.gz',
      'magic.mgc',
      'dir/magic.mgc',
    ]) {
      writeFileSync(join(workspace, file), 'exists\n');
    }
    symlinkSync('dir', join(workspace, 'dir-link'));
  });
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));

  it('has write forms for every allowlisted program and every git subcommand', () => {
    expect(Object.keys(FORMS).sort()).toEqual(Object.keys(PROGRAM_RULES).sort());
    const gitSubcommands = new Set(FORMS['git'].map(([command]) => command.split(' ')[1]));
    expect([...gitSubcommands].sort()).toEqual(Object.keys(PROGRAM_RULES['git'].subcommands ?? {}).sort());
    for (const program of WRITING_PROGRAMS) {
      expect(FORMS[program].some(([, expected]) => expected !== R)).toBe(true);
    }
  });

  it.each(Object.values(FORMS).flat())('%s is %s', (command, expected) => {
    const classification = classifyCommand(command, place);
    expect({ command, actionClass: classification.actionClass, reason: classification.reason }).toMatchObject({
      command,
      actionClass: expected,
    });
  });

  it('says which target raised the class', () => {
    expect(classifyCommand('uniq empty.txt old.txt', place).reason).toBe("'uniq' replaces 'old.txt', which exists, so SENSITIVE");
    expect(classifyCommand('cp old.txt dir', place).reason).toBe("'cp' replaces 'dir/old.txt', which exists, so SENSITIVE");
    expect(classifyCommand('gzip dir/old.txt', place).reason).toBe("'gzip' removes 'dir/old.txt', so SENSITIVE");
    expect(classifyCommand('sort -o new.txt old.txt', place).reason).toBe("'sort' writes 'new.txt', so MODERATE");
    expect(classifyCommand('ls', place).reason).toBe("'ls' is READ");
  });

  it('looks in the working directory, through /workspace and through links', () => {
    expect(classifyArgv(['uniq', 'x', 'old.txt'], { workspaceRoot: workspace, cwd: 'dir' }).actionClass).toBe(X);
    expect(classifyArgv(['uniq', 'x', 'keep'], { workspaceRoot: workspace, cwd: 'dir' }).actionClass).toBe(M);
    expect(classifyArgv(['uniq', 'x', '/workspace/keep'], { workspaceRoot: workspace, cwd: 'dir' }).actionClass).toBe(X);
    expect(classifyArgv(['cp', 'old.txt', 'dir-link'], place).actionClass).toBe(X);
    expect(classifyArgv(['cp', 'keep', 'dir-link'], place).actionClass).toBe(M);
    expect(classifyArgv(['uniq', 'x', 'dir-link'], place).actionClass).toBe(X);
    expect(classifyArgv(['uniq', 'x', 'old.txt/below'], place).actionClass).toBe(M);
  });

  it('takes every target to exist when it cannot look, and never throws for it', () => {
    expect(classifyCommand('uniq a b').actionClass).toBe(X);
    expect(classifyCommand('cp a b').actionClass).toBe(X);
    expect(classifyCommand('mkdir a').actionClass).toBe(M);
    expect(classifyArgv(['uniq', 'a', 'b'], { workspaceRoot: join(workspace, 'missing') }).actionClass).toBe(X);
    expect(classifyArgv(['uniq', 'a', 'b'], { workspaceRoot: workspace, cwd: '../elsewhere' }).actionClass).toBe(X);
    expect(classifyArgv(['uniq', 'a', '/tmp/b'], place).actionClass).toBe(M);
  });
});
