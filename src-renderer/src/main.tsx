import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { BridgeContext, getBridge } from './api';
import './styles/base.css';
import './styles/layout.css';
import './styles/controls.css';
import './styles/library.css';
import './styles/results.css';
import './styles/filters.css';
import './styles/explore.css';
import './styles/clusters.css';
import './styles/map.css';
import './styles/overlays.css';
import './styles/models.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const bridge = getBridge();

createRoot(root).render(
  <StrictMode>
    {bridge ? (
      <BridgeContext value={bridge}>
        <App />
      </BridgeContext>
    ) : (
      <p className="no-bridge">
        Photoseek's connection to its core is missing. Start the app itself rather than opening this
        page in a browser.
      </p>
    )}
  </StrictMode>,
);
