/**
 * The station console's page shell: no data in it (the token is in the URL fragment,
 * which the page's script reads; docs/edge-agent.md). The script (console-script.ts)
 * and the style sheet (console-style.ts) are files of their own, so the CSP allows
 * `'self'` only — no inline script or style.
 */
export const CONSOLE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>PIN entry — cardfleet station</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body>
<header class="topbar"><span class="brand">cardfleet station</span></header>
<main id="main">
<h1>PIN entry</h1>
<p class="lead">When a job on this station needs a PIN, it shows here. Type the PIN and send it to the card.</p>
<p id="status" class="status" role="status">Connecting to the agent…</p>
<p id="batch" class="batch" hidden></p>
<div id="pending"></div>
<noscript><p class="error">This page needs JavaScript to show PIN requests. You can also answer them with <code>cardfleet-agent prompt</code>.</p></noscript>
</main>
</body>
</html>
`;
