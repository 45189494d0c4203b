import { memo, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type UIEvent } from 'react';
import { ErrorAlert } from '../../../components/ui/error-alert';
import { useDebouncedValue } from '../../../hooks/use-debounced-value';
import { ApiError } from '../../../lib/api-error';
import { containerLogsDownloadUrl, useContainerLogs } from '../api/get-container-logs';
import { MAX_FOLLOW_LINES, MAX_FOLLOW_TAIL, useLogFollow, type FollowStatus } from '../hooks/use-log-follow';
import { filterLines, splitLogText, splitOnMatches, toLogLines, type LogLine } from '../log-lines';
import { LOG_SEARCH_MAX_LENGTH, LOG_TAILS, type LogTail } from '../search';

export interface LogViewerProps {
  /** The container's allowlisted name. */
  container: string;
  tail: LogTail;
  /** The search from the URL. */
  search: string;
  onTailChange: (tail: LogTail) => void;
  /** Called after typing pauses, to keep the search in the URL. */
  onSearchChange: (search: string) => void;
}

/** How close to the end (in pixels) still counts as "at the newest line". */
const BOTTOM_SLACK = 24;
const NUMBER = new Intl.NumberFormat();

/** One line, its matches marked; memoised so a new batch draws only the new lines. */
const LogLineView = memo(function LogLineView({ text, search }: { text: string; search: string }) {
  const parts = splitOnMatches(text, search);
  return (
    <div className="log-line">
      {parts.map((part, index) => (index % 2 === 1 ? <mark key={index}>{part}</mark> : part))}
      {text === '' ? '\u00a0' : null}
    </div>
  );
});

function followWords(status: FollowStatus): string {
  switch (status.state) {
    case 'off':
      return '';
    case 'connecting':
      return 'Connecting to the live log…';
    case 'live':
      return 'Following — live';
    case 'reconnecting':
      return 'Connection lost — reconnecting…';
    case 'stopped':
      // A refusal is told in full by the error below it.
      return status.error === undefined ? `Stopped: ${status.reason}` : 'Stopped: the server refused to follow the log.';
  }
}

function RequestId({ error }: { error: unknown }) {
  if (!(error instanceof ApiError) || !error.requestId) return null;
  return <p className="docker-request-id muted">Request id: {error.requestId}</p>;
}

/**
 * A container's log: the last N lines (GET …/logs), or followed live (SSE); a search that keeps
 * only the lines containing it and marks it (here, over the lines on view); a download of the
 * same lines from the server. Colour codes are removed; the box scrolls sideways on its own, and
 * while following it keeps to the newest line only when the reader is already there.
 */
export function LogViewer({ container, tail, search, onTailChange, onSearchChange }: LogViewerProps) {
  const follow = useLogFollow(container, tail);
  const following = follow.status.state !== 'off';
  const snapshot = useContainerLogs({ container, tail }, { enabled: !following });
  const [searchText, setSearchText] = useState(search);
  const settledSearch = useDebouncedValue(searchText, 300);
  const ids = { tail: useId(), search: useId(), box: useId() };
  const box = useRef<HTMLDivElement>(null);
  const [atBottom, setAtBottom] = useState(true);

  // The URL follows the typing once it pauses; a search changed by the URL (back/forward) comes into the box.
  useEffect(() => {
    if (settledSearch !== search) onSearchChange(settledSearch);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a settled change of the box is pushed to the URL
  }, [settledSearch]);
  const [urlSearch, setUrlSearch] = useState(search);
  if (search !== urlSearch) {
    setUrlSearch(search);
    if (searchText === settledSearch) setSearchText(search);
  }

  const snapshotLines = useMemo<readonly LogLine[]>(
    () => (snapshot.data ? toLogLines(splitLogText(snapshot.data.logs), 0) : []),
    [snapshot.data],
  );
  const lines = following ? follow.lines : snapshotLines;
  const needle = searchText.trim() === '' ? '' : searchText;
  const shown = useMemo(() => filterLines(lines, needle), [lines, needle]);

  useLayoutEffect(() => {
    const element = box.current;
    if (element && atBottom) element.scrollTop = element.scrollHeight;
  }, [shown, atBottom]);

  const onScroll = (event: UIEvent<HTMLDivElement>) => {
    const element = event.currentTarget;
    const bottom = element.scrollHeight - element.scrollTop - element.clientHeight <= BOTTOM_SLACK;
    if (bottom !== atBottom) setAtBottom(bottom);
  };

  const live = follow.status.state === 'connecting' || follow.status.state === 'live' || follow.status.state === 'reconnecting';
  const loading = !following && snapshot.isPending;
  const stoppedError = follow.status.state === 'stopped' ? follow.status.error : undefined;

  let summary: string;
  if (loading) summary = 'Loading logs…';
  else if (following) summary = followWords(follow.status);
  else if (snapshot.data?.truncated) summary = `The last ${NUMBER.format(lines.length)} lines (only the last 1 MiB of the log was read).`;
  else summary = lines.length < tail ? `The whole log: ${NUMBER.format(lines.length)} lines.` : `The last ${NUMBER.format(tail)} lines.`;

  return (
    <section className="log-viewer" aria-label={`Logs of ${container}`}>
      <div className="log-viewer__toolbar">
        <div className="log-viewer__field">
          <label htmlFor={ids.tail}>Lines</label>
          <select
            id={ids.tail}
            className="inline-select"
            value={tail}
            onChange={(event) => onTailChange(Number(event.target.value) as LogTail)}
          >
            {LOG_TAILS.map((size) => (
              <option key={size} value={size}>
                {NUMBER.format(size)}
              </option>
            ))}
          </select>
        </div>
        <div className="log-viewer__field log-viewer__field--search">
          <label htmlFor={ids.search}>Search logs</label>
          <input
            id={ids.search}
            type="search"
            className="log-viewer__search"
            value={searchText}
            maxLength={LOG_SEARCH_MAX_LENGTH}
            onChange={(event) => setSearchText(event.target.value)}
            placeholder="Text in a line"
          />
        </div>
        <div className="log-viewer__actions">
          <button type="button" className="button button--small" aria-pressed={live} onClick={live ? follow.stop : follow.start}>
            Follow
          </button>
          {!live && (
            <button
              type="button"
              className="button button--small"
              onClick={() => {
                follow.reset();
                void snapshot.refetch();
              }}
              disabled={snapshot.isFetching}
            >
              Reload logs
            </button>
          )}
          <a
            className="button button--small"
            href={containerLogsDownloadUrl(container, tail, needle)}
            download
            title={`The last ${NUMBER.format(tail)} lines${needle ? ` containing “${needle}”` : ''}, as a text file from the server`}
          >
            Download logs
          </a>
        </div>
      </div>

      <div className="log-viewer__status">
        <p role="status" className="log-viewer__summary" data-follow-state={follow.status.state}>
          {live ? <span className="log-viewer__live-dot" aria-hidden="true" /> : null}
          {summary}
        </p>
        {needle && !loading ? (
          <p className="muted log-viewer__matches">
            {NUMBER.format(shown.length)} of {NUMBER.format(lines.length)} lines contain “{needle}”
          </p>
        ) : null}
      </div>
      {following && tail > MAX_FOLLOW_TAIL ? (
        <p className="muted log-viewer__note">
          Following starts with the last {NUMBER.format(MAX_FOLLOW_TAIL)} lines, the most a follow sends.
        </p>
      ) : null}
      {follow.dropped > 0 ? (
        <p className="muted log-viewer__note">
          The oldest {NUMBER.format(follow.dropped)} lines were dropped to keep the newest {NUMBER.format(MAX_FOLLOW_LINES)}.
        </p>
      ) : null}
      {stoppedError !== undefined ? (
        <div>
          <ErrorAlert error={stoppedError} context="Could not follow the log" />
          <RequestId error={stoppedError} />
        </div>
      ) : null}
      {!following && snapshot.isError ? (
        <div>
          <ErrorAlert error={snapshot.error} context={`Could not read the logs of ${container}`} />
          <RequestId error={snapshot.error} />
        </div>
      ) : null}

      <div className="log-viewer__frame">
        <div
          id={ids.box}
          ref={box}
          className="log-box"
          tabIndex={0}
          role="region"
          aria-label={`Log lines of ${container}`}
          aria-busy={loading || undefined}
          onScroll={onScroll}
          data-line-count={shown.length}
        >
          {loading ? (
            <div className="log-box__skeleton" aria-hidden="true">
              <span className="skeleton" />
              <span className="skeleton" />
              <span className="skeleton" />
            </div>
          ) : shown.length === 0 ? (
            <p className="log-box__empty muted">
              {needle && lines.length > 0
                ? `No line contains “${needle}”.`
                : following
                  ? 'No lines yet: new ones appear here as the container writes them.'
                  : 'The log is empty.'}
            </p>
          ) : (
            shown.map((line) => <LogLineView key={line.seq} text={line.text} search={needle} />)
          )}
        </div>
        {!atBottom && shown.length > 0 ? (
          <button
            type="button"
            className="button button--small log-viewer__jump"
            onClick={() => {
              setAtBottom(true);
            }}
            aria-controls={ids.box}
          >
            Jump to the newest line
          </button>
        ) : null}
      </div>
    </section>
  );
}
