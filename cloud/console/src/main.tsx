import { render } from 'preact';
import { App } from './app';
import './styles/console.css';

// A sign-in link opened in a tab already on the console changes only the fragment, which
// loads nothing: start again, so the new link's token is taken (session.ts).
window.addEventListener('hashchange', () => {
  if (/(^#|&)token=/.test(window.location.hash)) window.location.reload();
});

// The console's one entry (scripts/build-console.mjs bundles from here).
const root = document.getElementById('app');
if (root) render(<App />, root);
