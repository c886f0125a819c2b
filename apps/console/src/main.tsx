import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { App } from './App';
import { I18nProvider } from './i18n';
import { SessionProvider } from './session';
import './styles.css';

const queries = new QueryClient({
  defaultOptions: {
    // A 4xx will not change by asking again; a network blip might.
    queries: { retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500), staleTime: 5_000 },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <I18nProvider>
        <SessionProvider>
          <App />
        </SessionProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
