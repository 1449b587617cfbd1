import { render } from 'preact';
import { App } from './app';
import './styles/console.css';

// The console's one entry (scripts/build-console.mjs bundles from here).
const root = document.getElementById('app');
if (root) render(<App />, root);
