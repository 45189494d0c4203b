export interface GitStatusEntry {
  path: string;
  /** Set for renames and copies. */
  originalPath?: string;
  /** Porcelain v1 XY codes: index (staged) and work tree. `?` untracked, `!` ignored, ' ' unchanged. */
  index: string;
  workTree: string;
}

export interface GitStatus {
  branch: string | null;
  upstream: string | null;
  ahead: number;
  behind: number;
  entries: GitStatusEntry[];
  clean: boolean;
}

/** `## main...origin/main [ahead 1, behind 2]`, `## No commits yet on main`, `## HEAD (no branch)`. */
function parseBranchLine(line: string): Pick<GitStatus, 'branch' | 'upstream' | 'ahead' | 'behind'> {
  const text = line.slice(3);
  const unborn = /^(?:No commits yet on|Initial commit on) (.+)$/.exec(text);
  if (unborn) return { branch: unborn[1], upstream: null, ahead: 0, behind: 0 };
  if (text.startsWith('HEAD (no branch)')) return { branch: null, upstream: null, ahead: 0, behind: 0 };
  const match = /^(.+?)(?:\.\.\.(\S+))?(?: \[(.*)\])?$/.exec(text);
  if (!match) return { branch: text, upstream: null, ahead: 0, behind: 0 };
  const tracking = match[3] ?? '';
  return {
    branch: match[1],
    upstream: match[2] ?? null,
    ahead: Number(/ahead (\d+)/.exec(tracking)?.[1] ?? 0),
    behind: Number(/behind (\d+)/.exec(tracking)?.[1] ?? 0),
  };
}

/** `git status --porcelain=v1 --branch -z`: NUL-separated records, renames followed by their source path. */
export function parseGitStatus(stdout: string): GitStatus {
  const records = stdout.split('\0');
  const status: GitStatus = { branch: null, upstream: null, ahead: 0, behind: 0, entries: [], clean: true };
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    if (record === '') continue;
    if (record.startsWith('## ')) {
      Object.assign(status, parseBranchLine(record));
      continue;
    }
    if (record.length < 4 || record[2] !== ' ') continue;
    const entry: GitStatusEntry = { index: record[0], workTree: record[1], path: record.slice(3) };
    if (entry.index === 'R' || entry.index === 'C') {
      entry.originalPath = records[i + 1];
      i++;
    }
    status.entries.push(entry);
  }
  status.clean = status.entries.length === 0;
  return status;
}

export interface GitCommit {
  hash: string;
  author: string;
  date: string;
  subject: string;
}

/** The unit and record separators that `GIT_LOG_FORMAT` puts between fields and commits. */
export const GIT_LOG_FORMAT = '--format=%H%x1f%an%x1f%aI%x1f%s%x1e';

/** `git log` output in GIT_LOG_FORMAT. */
export function parseGitLog(stdout: string): GitCommit[] {
  return stdout
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record.length > 0)
    .map((record) => {
      const [hash = '', author = '', date = '', subject = ''] = record.split('\x1f');
      return { hash, author, date, subject };
    })
    .filter((commit) => /^[0-9a-f]{40,64}$/.test(commit.hash));
}
