/**
 * The station console's style sheet (GET /console.css). The palette is the cloud web
 * console's (same custom properties: system fonts, white, #1b1f24 text, one accent
 * #0b5cad, 4px radii), so both look alike. Text contrast is at least 4.5:1 (WCAG 2.2
 * SC 1.4.3), input borders 3:1 (SC 1.4.11), focus is visible (SC 2.4.7), and the page
 * reflows from 320 px up without horizontal scrolling (SC 1.4.10).
 */
export const CONSOLE_CSS = `:root {
  --text: #1b1f24;
  --muted: #4d5560;
  --background: #ffffff;
  --surface: #f4f6f8;
  --border: #c9d0d8;
  --input-border: #6b7480;
  --accent: #0b5cad;
  --accent-text: #ffffff;
  --good: #14652f;
  --good-bg: #e3f4e8;
  --bad: #a3161d;
  --bad-bg: #fbe6e6;
  --busy: #7a4d00;
  --busy-bg: #fff1d6;
  --focus: #0b5cad;
  --radius: 4px;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  --mono: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-family: var(--font); font-size: 16px; color: var(--text); background: var(--background); }
body { margin: 0; line-height: 1.45; overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
h3 { font-size: 1rem; margin: 0.75rem 0 0.25rem; }
p { margin: 0.4rem 0; }
code, .mono { font-family: var(--mono); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; margin: -1px; padding: 0; border: 0;
}
.topbar { border-bottom: 1px solid var(--border); padding: 0.6rem max(1.5rem, calc((100% - 48rem) / 2 + 1.5rem)); }
.brand { font-weight: 600; }
main { max-width: 48rem; margin: 0 auto; padding: 1.5rem; }
.lead, .muted { color: var(--muted); }
.status { font-weight: 600; }
.batch { background: var(--surface); border: 1px solid var(--border); border-radius: var(--radius); padding: 0.5rem 0.75rem; }
.request {
  border: 1px solid var(--border); border-radius: var(--radius); padding: 1rem 1.25rem; margin: 1rem 0;
}
.facts { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.25rem; margin: 0 0 0.75rem; }
.facts div { display: grid; grid-template-columns: 5rem minmax(0, 1fr); gap: 0.75rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; }
.atr { display: block; font-size: 0.875rem; }
.countdown { background: var(--surface); border-radius: var(--radius); padding: 0.4rem 0.75rem; }
.countdown strong { font-variant-numeric: tabular-nums; font-size: 1.1rem; }
.request.urgent .countdown { background: var(--busy-bg); color: var(--busy); }
.request.urgent .countdown .muted { color: var(--busy); }
fieldset { border: 1px solid var(--border); border-radius: var(--radius); margin: 1rem 0; padding: 0.75rem 1rem 1rem; min-width: 0; }
legend { font-weight: 600; padding: 0 0.25rem; }
.field { display: flex; flex-direction: column; gap: 0.25rem; margin: 0.6rem 0; max-width: 20rem; }
label { font-weight: 500; }
input {
  font: inherit; font-size: 1.1rem; color: var(--text); background: var(--background);
  border: 1px solid var(--input-border); border-radius: var(--radius); padding: 0.4rem 0.6rem; width: 100%;
}
.hint { color: var(--muted); margin: 0.25rem 0 0; }
.rule summary { cursor: pointer; color: var(--accent); margin-top: 0.25rem; }
.rule code { display: block; background: var(--surface); border-radius: var(--radius); padding: 0.4rem 0.6rem; margin-top: 0.25rem; }
.error { color: var(--bad); font-weight: 600; }
.error:empty { display: none; }
.next { border-top: 1px solid var(--border); margin-top: 1rem; padding-top: 0.25rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.75rem; margin-top: 1rem; }
.button {
  font: inherit; border-radius: var(--radius); padding: 0.45rem 0.9rem; border: 1px solid var(--accent);
  cursor: pointer; min-height: 2.5rem;
}
.button-primary { background: var(--accent); color: var(--accent-text); }
.button-secondary { background: var(--background); color: var(--accent); }
.button-danger { background: var(--background); color: var(--bad); border-color: var(--bad); }
.button:disabled { opacity: 0.6; cursor: not-allowed; }
.outcome { border-radius: var(--radius); padding: 0.6rem 0.75rem; margin: 0.75rem 0; background: var(--surface); }
.outcome[data-state="sent"], .outcome[data-state="job-done"] { background: var(--good-bg); color: var(--good); }
.outcome[data-state="card-refused"], .outcome[data-state="job-failed"], .outcome[data-state="expired"] {
  background: var(--bad-bg); color: var(--bad);
}
@media (max-width: 30rem) {
  main { padding: 1rem; }
  .facts div { grid-template-columns: minmax(0, 1fr); gap: 0; }
}
`;
