import type { QueryClient } from '@tanstack/react-query';
import { AppProvider } from './provider';
import { SessionGate } from './session-gate';
import './app.css';

export function App({ queryClient }: { queryClient?: QueryClient }) {
  return (
    <AppProvider queryClient={queryClient}>
      <SessionGate />
    </AppProvider>
  );
}
