import { useState } from 'react';
import { disableDesktopNotifications, enableDesktopNotifications, useDesktopNotifications } from '../hooks/desktop-notifications';

/** "Notify me": asks the browser's permission from this click only, and remembers the choice. */
export function NotifyToggle() {
  const { permission, wanted } = useDesktopNotifications();
  const [asking, setAsking] = useState(false);

  if (permission === 'unsupported') return <p className="approvals-notify muted">This browser cannot show desktop notifications.</p>;
  if (permission === 'denied') {
    return (
      <p className="approvals-notify muted">
        Desktop notifications are blocked for this site. Allow them in the browser’s site settings to be told of new requests.
      </p>
    );
  }
  if (wanted && permission === 'granted') {
    return (
      <p className="approvals-notify">
        <span className="muted">A desktop notification tells you of each new request while this tab is hidden.</span>{' '}
        <button className="button button--small" type="button" onClick={disableDesktopNotifications}>
          Stop notifications
        </button>
      </p>
    );
  }
  return (
    <p className="approvals-notify">
      <button
        className="button button--small"
        type="button"
        disabled={asking}
        onClick={() => {
          setAsking(true);
          void enableDesktopNotifications().finally(() => setAsking(false));
        }}
      >
        Notify me
      </button>{' '}
      <span className="muted">Get a desktop notification for each new request while this tab is hidden.</span>
    </p>
  );
}
