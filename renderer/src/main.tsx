import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { electronHost, HostContext, httpHost } from './host.js';
import './styles.css';

// The one place that picks the transport.
const host = window.slipway ? electronHost(window.slipway) : httpHost();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <HostContext.Provider value={host}>
      <App />
    </HostContext.Provider>
  </StrictMode>,
);
