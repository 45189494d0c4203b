import { Link } from '@tanstack/react-router';
import { Page } from '../../components/layout/page';

/** Any address the app does not know, and a conversation id that is not one. */
export function NotFoundView({ what = 'page' }: { what?: string }) {
  return (
    <Page title="Not found" lead={`There is no such ${what} here. It may have been deleted, or the address is mistyped.`}>
      <p>
        <Link to="/" className="button">
          Start a new chat
        </Link>
      </p>
    </Page>
  );
}
